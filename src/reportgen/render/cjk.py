"""Chinese typesetting of the printed text: full-width brackets and no stray spaces.

Office texts are typed with half-width brackets ("富士康(周口)") and with a space after a
bold lead ("**案例。** 企业…"); a Chinese notice prints （） and no space between Chinese
characters.  Applied to the HTML of the PDF, text nodes only (tags and attributes untouched).
"""

from __future__ import annotations

import re

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\u201c\u201d\u2018\u2019"
_TEXT = re.compile(r">([^<]+)<")
# (…) touching Chinese on either side, or holding Chinese, with no bracket inside
_BRACKETS = re.compile(rf"\(([^()]*[{_HAN}][^()]*)\)|(?<=[{_HAN}])\(([^()]*)\)|\(([^()]*)\)(?=[{_HAN}])")
# a space between Chinese text and Chinese text, also across the end of an inline tag
_SPACE = re.compile(rf"(?<=[{_HAN}{_CJK_PUNCT}])((?:</(?:strong|b|em|span)>)?)[ \t]+(?=[{_HAN}{_CJK_PUNCT}])")


def _brackets(match: re.Match[str]) -> str:
    inner = next(group for group in match.groups() if group is not None)
    return f"（{inner}）"


def _text(match: re.Match[str]) -> str:
    return ">" + _BRACKETS.sub(_brackets, match.group(1)) + "<"


def chinese_text(html: str) -> str:
    """``html`` with full-width brackets around or beside Chinese, and no space between Chinese characters."""
    body = html.find("<body")
    head, rest = (html[:body], html[body:]) if body >= 0 else ("", html)
    rest = _TEXT.sub(_text, rest)
    return head + _SPACE.sub(r"\1", rest)


def text_width(text: str, latin: float = 0.5) -> float:
    """Width in characters: a full-width character is one, an ASCII one ``latin`` (half by default)."""
    return sum(latin if ch.isascii() else 1.0 for ch in text)


def signature_right(office: str, date: str) -> tuple[float, float]:
    """Where the issuer's line and the date's line end, in characters from the text block's right edge
    (GB/T 9704 7.3.5.1): the date 右空四字, the issuer centred over it, or flush right when it is too long for that.

    The printed notice (``bulletin/base.html.j2``) and its Word copy (``docx``) both place them so.
    """
    return max(0.0, 4.0 + (text_width(date) - text_width(office)) / 2), 4.0
