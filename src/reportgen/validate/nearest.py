"""What a clerk probably meant: the nearest allowed words and the closest existing ids.

Both feed a "是否指…？" after the message: choices of an enum ranked by the characters they
share with what was written (a fine measure for Chinese words), ids by the same number
(E0048 → E048) or else by edit distance, each shown with the record's name.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from reportgen.problems import Words

LIMIT = 3  # suggestions at most
SCAN_LIMIT = (
    20_000  # ids compared one by one at most (a wrong reference in a huge register gets the same-number check only)
)
LONG = 5  # ids this long may be two edits off (Q0029 → Q0092 is one swap; E999 is not E001)
_DISTANCES = (1, 2)
_NUMBERED = re.compile(r"^([^\W\d_]*)0*([0-9]+)$")
NOTHING = Words("", "")


# a word that says "not" turns a meaning round: 不予解决 shares 解决 with 已解决 and means the opposite
_NEGATIONS = frozenset("不未无非没")


def nearest_choices(value: str, choices: Sequence[str]) -> list[str]:
    """The choices closest to ``value``, best first (schema order among equals); none when nothing is shared.

    A choice without a word of negation that ``value`` has is never offered (不予解决 is not 已解决).
    """
    written = Counter(_fold(value))
    negated = _NEGATIONS.intersection(value)
    kept = [(i, choice) for i, choice in enumerate(choices) if negated <= set(choice)]
    scored = [(_likeness(written, _fold(value), _fold(choice)), -i, choice) for i, choice in kept]
    best = max((score for score, _, _ in scored), default=(0, 0))
    if best[0] == 0:
        return []
    return [choice for score, _, choice in sorted(scored, reverse=True) if score == best][:LIMIT]


def _likeness(written: Counter[str], value: str, choice: str) -> tuple[int, int]:
    """(characters shared, characters shared at the start and the end)."""
    shared = sum((written & Counter(choice)).values())
    return shared, len(_common_prefix(value, choice)) + len(_common_prefix(value[::-1], choice[::-1]))


def _common_prefix(a: str, b: str) -> str:
    length = 0
    while length < min(len(a), len(b)) and a[length] == b[length]:
        length += 1
    return a[:length]


def did_you_mean_words(choices: Sequence[str]) -> Words:
    """ "，是否指“已解决”或“已答复”？" (or nothing when there is no suggestion)."""
    if not choices:
        return NOTHING
    zh = "或".join(f"“{c}”" for c in choices)
    en = " or ".join(f"'{c}'" for c in choices)
    return Words(f"，是否指{zh}？", f"; did you mean {en}?")


def closest_ids(value: str, names: Mapping[str, str]) -> list[str]:
    """Existing ids (keys of ``names``, id → name) ``value`` was probably meant to be, best first.

    The same letters and number with other zeros (E0048, e48 → E048) settle it; else the
    ids one edit away (a digit wrong, missing, added, or two swapped), then two (for
    ids of five characters or more); a value
    that is a record's name, or part of one, names that record.  Computed only for a
    reference that failed.
    """
    key = _number_key(value)
    if key is not None:
        same = sorted(i for i in names if _number_key(i) == key)
        if same:
            return same[:LIMIT]
    folded = _fold(value)
    for distance in _DISTANCES[: 2 if len(folded) >= LONG else 1] if len(names) <= SCAN_LIMIT else ():
        close = [i for i in names if abs(len(i) - len(folded)) <= distance and _edits(folded, _fold(i)) == distance]
        if close:
            return sorted(close, key=lambda i: (_number_gap(i, value), i))[:LIMIT]
    if len(value) >= 2:
        return sorted(i for i, name in names.items() if name and value in name)[:LIMIT]
    return []


def id_words(ids: Iterable[str], names: Mapping[str, str]) -> Words:
    """ "，是否指 E048 周口市德润食用油有限公司？" (ids with their names), or nothing."""
    shown = [f"{i} {names[i]}".rstrip() for i in ids]
    if not shown:
        return NOTHING
    return Words(f"，是否指 {'、'.join(shown)}？", f"; did you mean {', '.join(shown)}?")


def _number_key(text: str) -> tuple[str, int] | None:
    found = _NUMBERED.match(_fold(text))
    return (found.group(1), int(found.group(2))) if found else None


def _number_gap(candidate: str, value: str) -> int:
    mine, theirs = _number_key(candidate), _number_key(value)
    return abs(mine[1] - theirs[1]) if mine and theirs else 0


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def _edits(a: str, b: str) -> int:
    """Edits from ``a`` to ``b``: insertions, deletions, substitutions and swaps of neighbours."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]
