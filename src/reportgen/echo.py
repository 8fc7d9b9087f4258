"""Text printed to a terminal or a log: visible, on one line, and short.

A value from the command line, a record or a file name may hold escape sequences that
would repaint the terminal, line breaks that would forge a second message, bidi overrides
that reorder it, or 100,000 characters.  ``terminal_safe`` writes every character a
terminal would act on as a ``\\x1b``-style escape; ``shown`` does that and cuts a long
value, with its length said.
"""

from __future__ import annotations

import unicodedata

from reportgen.lang import pick

LIMIT = 40  # characters of a value shown before it is cut
CUT = ("…（共 {count} 个字符）", "… ({count} characters)")

# Characters a terminal would act on instead of showing: C0/C1 controls (escape sequences,
# carriage returns that overwrite a line), format characters (bidi overrides that reorder
# text, zero-width spaces that hide it), line/paragraph separators, and the lone surrogates
# that stand for undecodable bytes in file names.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_SURROGATE_BYTES = range(0xDC80, 0xDD00)  # os.fsdecode's "surrogateescape" stand-ins for bytes 0x80–0xFF


def shown(text: str, limit: int = LIMIT, lang: str = "zh") -> str:
    """``text`` made ``terminal_safe``, cut after ``limit`` characters (the cut said in ``lang``)."""
    visible = terminal_safe(text[:limit])
    if len(text) > limit:
        return visible + pick(CUT, lang, count=len(text))
    return visible


def terminal_safe(text: str) -> str:
    r"""``text`` with every character a terminal would act on shown as an escape: ``\x1b``, ``\u202e``.

    Record content and file names are printed to terminals and CI logs; an escape
    sequence or a right-to-left override in them must not reorder, recolour or hide
    what the report says.
    """
    if text.isprintable():  # the common case: nothing to escape (isprintable is false for all of the above)
        return text
    return "".join(_escape_char(ch) if unicodedata.category(ch) in _UNSAFE_CATEGORIES else ch for ch in text)


def _escape_char(ch: str) -> str:
    """One character as an escape; an undecodable byte of a file name as the byte (``\\xff``)."""
    code = ord(ch)
    if code in _SURROGATE_BYTES:
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
