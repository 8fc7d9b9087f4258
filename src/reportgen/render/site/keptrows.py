"""The ledger's row keys kept from the last build, made again only for the rows whose files changed.

Why: every page of the ledger, every unit page and every issue list is keyed by the sum of
its rows' keys (``inputs.rows_sum``), and a row's key is a digest of its issue's id, the
SHA-256 of the files it reads and where it links to.  Working out all of them took 2.5 of
the 4.75 s the ledger's pages cost after one changed title at 100,000 issues, to find the
same keys as the last build but one.

So the keys, as numbers in ledger order, are kept in the build cache (``MEMO``) with what
places every row (the ledger's ids in order, its months and its paging: ``order``), tied to
the build that kept them (``PageKeys.memo_tie``).  The next build, when it read that build's
state, knows the files changed since (``PageKeys.changed_since``), finds the issues whose rows
read one of them (``RowInputs.reading``) and makes only their keys: a row reads nothing
else, so every other key is the one the last build made.  With another order, a memo of
another build or none, every key is made, as before.  (The memo once held the SHA-256 of
every file the rows read, 110,000 at 100,000 issues, compared on every build: ~0.2 s.)
"""

from __future__ import annotations

import contextlib
import pickle
from collections.abc import Sequence
from dataclasses import dataclass

from reportgen.codeversion import code_version
from reportgen.render.site.inputs import ISSUE_ROW_FILES, RowInputs, numbers
from reportgen.render.site.pagekeys import PageKeys

MEMO = "ledger-rows.pickle"  # in the build cache, beside the page store's map
FORMAT = 2


@dataclass(frozen=True)
class Numbers:
    """The ledger's row keys as numbers, in ledger order, and the last build's at the places where they changed.

    ``was`` is None when the last build's keys are not known (none kept, or another order):
    then any key may have changed.
    """

    now: list[int]
    was: dict[int, int] | None


def issue_numbers(inputs: RowInputs, ids: Sequence[str], order: str, store: PageKeys) -> Numbers | None:
    """The row key of each issue of ``ids`` (the ledger's, in order) as a number; None when one is unknown.

    ``order`` stands for what places each row (its link); the keys kept by the last build
    under the same order are taken for every row whose files did not change.  The keys
    made are kept for the next build, and given to ``inputs`` for the rows of lists.
    """
    kept = _kept(store.read_memo(MEMO), order, len(ids))
    changed = store.changed_since(kept[0]) if kept is not None else None
    was: dict[int, int] | None = None
    if kept is None or changed is None:
        made = numbers(map(inputs.issue, ids))
    else:
        was = {}
        read = inputs.reading(key for key in changed if key.startswith(ISSUE_ROW_FILES))
        made = _remade(inputs, ids, kept[1], read, was)
    if made is None:
        return None
    inputs.keep(ids, made)
    tie = store.memo_tie()
    if tie is not None:
        store.write_memo(MEMO, pickle.dumps((FORMAT, code_version(), order, tie, made), pickle.HIGHEST_PROTOCOL))
    return Numbers(made, was)


def _remade(
    inputs: RowInputs, ids: Sequence[str], kept: list[int], changed: set[str], was: dict[int, int]
) -> list[int] | None:
    """``kept`` with the keys of the issues ``changed`` made again (None: one is unknown); into ``was``: the kept."""
    for issue_id in changed:  # few: each found in the ids in C, not each id looked up in ``changed``
        at = _place(ids, issue_id, 0)
        while at is not None:
            token = inputs.issue(issue_id)
            if token is None:
                return None
            was.setdefault(at, kept[at])
            kept[at] = int.from_bytes(token, "little")
            at = _place(ids, issue_id, at + 1)
    return kept


def _place(ids: Sequence[str], issue_id: str, start: int) -> int | None:
    """Where ``issue_id`` is in ``ids`` from ``start`` on (None: not there)."""
    try:
        return ids.index(issue_id, start)
    except ValueError:
        return None


def _kept(content: bytes | None, order: str, count: int) -> tuple[str, list[int]] | None:
    """What the last build's keys are tied to, and the keys, when made by this code for ``order``.

    The memo is the format, the code version, the order, the tie and the keys, pickled.
    """
    if content is None:
        return None
    with contextlib.suppress(pickle.UnpicklingError, ValueError, TypeError, EOFError, AttributeError, IndexError):
        form, version, kept_order, tie, made = pickle.loads(content)
        same = (form, version, kept_order) == (FORMAT, code_version(), order)
        if same and isinstance(tie, str) and _keys(made, count):
            return tie, made
    return None


def _keys(made: object, count: int) -> bool:
    """Whether ``made`` is ``count`` row keys as numbers."""
    return isinstance(made, list) and len(made) == count and {int}.issuperset(map(type, made))  # in C
