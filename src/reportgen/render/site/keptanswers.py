"""The answers the site's figures gave (``ListIndex``), kept between builds and read back a group at a time.

Why: a build after one changed title at 100,000 issues asks ~640 of the ~85,000 answers
the last build kept (the lists every unit page links to, the windows' places, the figures
of the few pages made again), yet unpickling them all took 0.10-0.16 CPU s (5.9 MB).  So
the answers of a figure, a count or a list's members, whose keys are ``(what, kind, unit,
window, metric)``, are kept pickled by their unit and window (~10,000 groups), and a
group's bytes are unpickled when one of its answers is first asked; the other answers
(every page's links, the windows' places: ~450) are read at once (~0.02-0.04 CPU s).

The kept answers are the last build's, whatever it asked: each holds for the next build
too (a page kept now may be made then).  ``merged`` adds this build's new answers to them.
"""

from __future__ import annotations

import contextlib
import pickle
from collections.abc import Iterable
from typing import Any

from reportgen import heap

FORMAT = 1
GROUPED = frozenset({"figure", "count", "members"})  # answers about one unit and window, of one metric
Key = tuple[Any, ...]
Group = tuple[Any, ...]
_MISSING = object()


def group_of(key: Key) -> Group | None:
    """The group an answer is kept in (its unit and window), or None for one read at once."""
    return key[1:4] if len(key) == 5 and key[0] in GROUPED else None


class KeptAnswers:
    """The answers a build kept under ``key``: some read (``front``), the others by group, each unpickled when asked."""

    def __init__(
        self, key: str | None = None, front: dict[Key, Any] | None = None, groups: dict[Group, bytes] | None = None
    ):
        self.key = key  # what the answers were worked out from (None: nothing was kept)
        self.front = front or {}
        self.groups = groups or {}  # each group's answers, pickled
        self._read: dict[Group, dict[Key, Any]] = {}  # the groups unpickled so far

    def get(self, key: Key, default: Any = None) -> Any:
        """The answer kept for ``key``, or ``default``."""
        group = group_of(key)
        if group is None:
            return self.front.get(key, default)
        return self._group(group).get(key, default)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and self.get(key, _MISSING) is not _MISSING

    def _group(self, group: Group) -> dict[Key, Any]:
        """The answers of ``group``, unpickled when first asked (none: an empty dict)."""
        answers = self._read.get(group)
        if answers is None:
            answers = self._read[group] = _opened(self.groups.get(group))
        return answers

    def merged(self, key: str, answers: dict[Key, Any]) -> bytes | None:
        """The kept answers with ``answers`` (this build's, worked out from ``key``) added, packed (``packed``).

        None when nothing is to be written: ``answers`` are from the same key and none of
        them is new (from the same key each answer kept is given again, never another).
        With another key the kept answers do not hold: only ``answers`` are packed.
        """
        if key != self.key:
            return packed(key, answers)
        new = [(k, v) for k, v in answers.items() if k not in self]
        if not new:
            return None
        front, groups = dict(self.front), dict(self.groups)
        touched: dict[Group, dict[Key, Any]] = {}
        for k, v in new:
            group = group_of(k)
            if group is None:
                front[k] = v
            else:
                touched.setdefault(group, dict(self._group(group)))[k] = v
        groups.update((group, _pickled(values)) for group, values in touched.items())
        return _pickled((FORMAT, key, front, groups))


def packed(key: str, answers: dict[Key, Any]) -> bytes:
    """``answers``, worked out from ``key``, as ``unpacked`` reads them: read at once or by group."""
    front: dict[Key, Any] = {}
    grouped: dict[Group, dict[Key, Any]] = {}
    for k, v in answers.items():
        group = group_of(k)
        if group is None:
            front[k] = v
        else:
            grouped.setdefault(group, {})[k] = v
    return _pickled((FORMAT, key, front, {group: _pickled(values) for group, values in grouped.items()}))


def unpacked(content: bytes) -> KeptAnswers | None:
    """The answers ``packed`` (or ``merged``) packed; None when ``content`` is not in that shape."""
    with heap.uncollected():
        kept = pickle.loads(content)
    if not (isinstance(kept, tuple) and len(kept) == 4 and kept[0] == FORMAT):
        return None
    _, key, front, groups = kept
    if not (isinstance(key, str) and isinstance(front, dict) and isinstance(groups, dict)):
        return None
    if not _all_bytes(groups.values()):
        return None
    return KeptAnswers(key, front, groups)


def _opened(packed: bytes | None) -> dict[Key, Any]:
    """A group's answers from its bytes; none when there are none, or they are misshapen (then worked out again)."""
    if packed is None:
        return {}
    with contextlib.suppress(pickle.UnpicklingError, ValueError, EOFError, AttributeError, TypeError):
        with heap.uncollected():  # many small objects that stay: no pass over the build's heap meanwhile
            answers = pickle.loads(packed)
        if isinstance(answers, dict):
            return answers
    return {}


def _all_bytes(values: Iterable[object]) -> bool:
    return all(isinstance(value, bytes) for value in values)


def _pickled(value: object) -> bytes:
    return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
