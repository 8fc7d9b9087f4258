"""Text as a reader sees it: what can hide a private value from a plain search, undone.

A phone number written ``138 0000 1001``, ``+86-138…``, in full-width digits (１３８…), with a
zero-width space, split by Markdown emphasis (``138**0000**1001``), an HTML comment or a tag,
or as entities (``&#49;38…``) is still read as that number.  ``visible`` undoes all of these
(HTML comments and tags become a separator ``MARK``, entities are decoded, NFKC folds width
forms, invisible characters go), ``phone_runs`` finds every phone-shaped run of digits in
visible text, and ``compact`` removes what may stand between the characters of a name.

``visible`` works on whole documents at C speed; ``visible_with_offsets`` does the same piece
by piece and also says where each visible character came from, for the rare text that has a
finding to locate.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate

MARK = "\x00"  # where a tag or comment was: separates, joins nothing
FIELD_SEPARATOR = "\x01"  # between texts searched as one (validated values never hold it)
_COMMENT = re.compile(r"<!--[^\x01]*?(?:-->|(?=\x01)|\Z)", re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][^<>\x01]*>")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_HIDING = re.compile(f"{_COMMENT.pattern}|{_TAG.pattern}|{_ENTITY.pattern}", re.DOTALL)
# zero-width, soft hyphen and bidirectional controls: invisible to a reader
_INVISIBLE_RANGES = (
    (0x00AD, 0x00AD),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2069),
    (0xFEFF, 0xFEFF),
)
_INVISIBLE = re.compile("[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in _INVISIBLE_RANGES) + "]+")
_INVISIBLE_CHARS = dict.fromkeys(code for low, high in _INVISIBLE_RANGES for code in range(low, high + 1))
_INVISIBLE_TEXTS = tuple(map(chr, _INVISIBLE_CHARS))  # each character ``_INVISIBLE`` matches
# between the digits of a phone number: spaces, dashes, dots, brackets, Markdown emphasis, marks
_SEPARATOR = r"[\s\x00\-.()*_~`\\/+·]"
_PHONE_RUN = re.compile(rf"\d(?:{_SEPARATOR}*\d){{6,}}")
PHONE_JOINER = re.compile(rf"\d|{_SEPARATOR}")  # a character a phone number read in text may hold
PHONE_EDGE = re.compile(rf"(?:\d|{_SEPARATOR})*")  # a phone number's digits and what is between
_DIGITS = re.compile(r"\d+")
_PHONE_SHAPE = re.compile(r"1[3-9][0-9]{9}|0[1-9][0-9]{8,10}")
_PREFIXES = ("0086", "86")
_FIRST_DIGITS = frozenset("018")  # a mobile, a landline, or +86 / 0086 in front
_PHONE_LENGTHS = (10, 11, 12)  # what _PHONE_SHAPE matches
PHONE_SHORTEST = min(_PHONE_LENGTHS)  # the fewest digits a phone number is read from
# what may stand between the characters of a name: spaces, marks, Markdown emphasis and escapes
_NAME_GAPS = " \t\r\n\f\v\u3000\x00*_~`\\"
_WIDE_GAPS = tuple(char for char in _NAME_GAPS if not char.isascii())
_NAME_GAP_BYTES = "".join(char for char in _NAME_GAPS if char.isascii()).encode()


def visible(text: str) -> str:
    """``text`` with comments and tags made ``MARK``, entities decoded, NFKC applied, invisibles removed.

    Each substitution is skipped when a scan at C speed shows it has nothing to replace (a
    substitution without a match returns its text as it was): a comment starts with ``<!--``, a
    tag with ``<``, an entity with ``&``, and ``_INVISIBLE`` matches only ``_INVISIBLE_TEXTS``.
    """
    if "<!--" in text:
        text = _COMMENT.sub(MARK, text)
    if "<" in text:
        text = _TAG.sub(MARK, text)
    if "&" in text:
        text = _ENTITY.sub(_decode, text)
    text = _nfkc(text)
    return _INVISIBLE.sub("", text) if any(char in text for char in _INVISIBLE_TEXTS) else text


# Chinese text's full-width punctuation: folded by str.replace, the rest of a page is most often NFKC already
_COMMON_FOLDS = tuple((char, unicodedata.normalize("NFKC", char)) for char in "，（）：；！？％\u3000")


def _nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, several times faster on Chinese pages.

    A character replaced by its own NFKC form leaves the string's NFKC form as it was (NFKC
    decomposes each character, then orders and composes the whole), so the few full-width
    punctuation marks that keep a Chinese page from being NFKC already are replaced first,
    and the whole is normalized only when something else remains.
    """
    for char, folded in _COMMON_FOLDS:
        if char in text:
            text = text.replace(char, folded)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def visible_each(texts: list[str]) -> list[str]:
    """``visible`` of each text, made in one pass over all of them (nothing hiding crosses a separator)."""
    return visible(FIELD_SEPARATOR.join(texts)).split(FIELD_SEPARATOR) if texts else []


def visible_with_offsets(text: str) -> tuple[str, list[int]]:
    """``visible(text)`` and, for each of its characters, the index in ``text`` it was read from."""
    out: list[str] = []
    offsets: list[int] = []
    at = 0
    for match in _HIDING.finditer(text):
        _plain(text, at, match.start(), out, offsets)
        token = match.group()
        shown = _decode(match) if token.startswith("&") else MARK
        _emit(unicodedata.normalize("NFKC", shown).translate(_INVISIBLE_CHARS), match.start(), out, offsets)
        at = match.end()
    _plain(text, at, len(text), out, offsets)
    return "".join(out), offsets


def _plain(text: str, start: int, end: int, out: list[str], offsets: list[int]) -> None:
    """Plain text between hiding tokens: NFKC as a whole when that keeps one character per character."""
    chunk = text[start:end]
    folded = unicodedata.normalize("NFKC", chunk)
    if len(folded) == len(chunk):
        for i, char in enumerate(folded):
            _emit(char.translate(_INVISIBLE_CHARS), start + i, out, offsets)
        return
    for i, char in enumerate(chunk):
        _emit(unicodedata.normalize("NFKC", char).translate(_INVISIBLE_CHARS), start + i, out, offsets)


def _emit(shown: str, origin: int, out: list[str], offsets: list[int]) -> None:
    out.append(shown)
    offsets.extend([origin] * len(shown))


def _decode(match: re.Match[str]) -> str:
    return html.unescape(match.group())


def compact(text: str) -> str:
    """Visible text without what can stand between the characters of a name (spaces, marks, emphasis)."""
    # Each character of ``_NAME_GAPS`` removed, several times faster than a substitution on a page:
    # UTF-8 writes every character that is not ASCII (a lone surrogate too, under "surrogatepass")
    # with bytes of 0x80 and up only, so deleting the ASCII gaps' bytes deletes exactly those
    # characters and decoding gives back every other one; the wide gaps are removed first.
    for char in _WIDE_GAPS:
        if char in text:
            text = text.replace(char, "")
    return text.encode("utf-8", "surrogatepass").translate(None, _NAME_GAP_BYTES).decode("utf-8", "surrogatepass")


@dataclass(frozen=True)
class PhoneRun:
    """Digits in visible text that read as one phone number (prefix +86/0086 removed)."""

    start: int  # index in the visible text of its first digit
    end: int  # index after its last digit
    digits: str


def phone_runs(text: str) -> Iterator[PhoneRun]:
    """Every way the digits of ``text`` can be read as a whole phone-length number.

    A run of digit groups held together by separators (``138 0000-1001``) is read as every
    sequence of whole consecutive groups; a number never starts or ends inside a group, so
    ``13800001001`` is not found inside ``213800001001``.  ``+86``/``0086`` in front is dropped.
    """
    for run in _PHONE_RUN.finditer(text):
        groups = _DIGITS.findall(run.group())
        digits = _ascii_digits("".join(groups))
        ends = list(accumulate(map(len, groups)))
        for first, start in enumerate([0, *ends[:-1]]):
            for end, number in _readings(digits, start, ends, first):
                yield _located(text, run, first, ends.index(end), number)


def _readings(digits: str, start: int, ends: list[int], first: int) -> Iterator[tuple[int, str]]:
    """(end, number) of each phone number spelt by whole groups from the one starting at ``start``.

    Looked up by length, not built group by group: most runs (table rows of figures and dates
    joined by tags) spell no phone at all.
    """
    lead = digits[start]
    if lead not in _FIRST_DIGITS:
        return
    ends_after = ends[first:]
    for prefix in ("",) + (_PREFIXES if lead in "08" else ()):
        if not digits.startswith(prefix, start):
            continue
        for length in _PHONE_LENGTHS:
            end = start + len(prefix) + length
            if end in ends_after and _PHONE_SHAPE.fullmatch(digits, start + len(prefix), end):
                yield end, digits[start + len(prefix) : end]


def _located(text: str, run: re.Match[str], first: int, last: int, number: str) -> PhoneRun:
    """The reading of groups ``first`` to ``last`` of ``run`` placed in ``text``."""
    spans = [g.span() for g in _DIGITS.finditer(run.group())]
    return PhoneRun(run.start() + spans[first][0], run.start() + spans[last][1], number)


def _without_prefix(digits: str) -> str | None:
    """The phone number ``digits`` spell (after an optional 86/0086), or None when they are none."""
    if _PHONE_SHAPE.fullmatch(digits):
        return digits
    for prefix in _PREFIXES:
        if digits.startswith(prefix) and _PHONE_SHAPE.fullmatch(digits[len(prefix) :]):
            return digits[len(prefix) :]
    return None


def _ascii_digits(text: str) -> str:
    return text if text.isascii() else "".join(str(unicodedata.decimal(ch)) for ch in text)


def phone_number(shown: str) -> str | None:
    """The phone number a value written in a record spells, as ``phone_runs`` reads it.

    ``shown`` is the value made ``visible`` (``0394-8234567``, ``+86 138…``); None if it spells none.
    """
    return _without_prefix(_ascii_digits("".join(_DIGITS.findall(shown))))
