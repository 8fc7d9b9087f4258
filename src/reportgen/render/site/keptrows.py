"""The ledger's row keys kept from the last build, made again only for the rows whose files changed.

Why: every page of the ledger, every unit page and every issue list is keyed by the sum of
its rows' keys (``inputs.rows_sum``), and a row's key is a digest of its issue's id, the
SHA-256 of the files it reads and where it links to.  Working out all of them took 2.5 of
the 4.75 s the ledger's pages cost after one changed title at 100,000 issues, to find the
same keys as the last build but one.

So the keys, as numbers in ledger order, are kept in the build cache (``MEMO``) with the
SHA-256 of every file of the folders they read (issues, enterprises, departments) and
what places every row (the ledger's ids in order, its months and its paging: ``order``).
The next build with the same order compares the files' digests, finds the issues whose
rows read a changed file (``RowInputs.reading``) and makes only their keys: a row reads
nothing else, so every other key is the one the last build made.  With another order, or
no memo, every key is made, as before.
"""

from __future__ import annotations

import contextlib
import pickle
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice

from reportgen.codeversion import code_version
from reportgen.render.site.inputs import ISSUE_ROW_FILES, RowInputs, numbers
from reportgen.render.site.pagekeys import PageKeys
from reportgen.textspans import middles

MEMO = "ledger-rows.pickle"  # in the build cache, beside the page store's map
FORMAT = 1
SEPARATOR = "\0"  # between the kept files' names, and between their digests (neither holds it)
Files = tuple[str, str]  # the input files' names, and their digests, each joined by SEPARATOR


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
    digests = store.digests(ISSUE_ROW_FILES)
    files = (SEPARATOR.join(digests), SEPARATOR.join(digests.values()))
    kept = _kept(store.read_memo(MEMO), order, len(ids))
    was: dict[int, int] | None = None
    if kept is None:
        made = numbers(map(inputs.issue, ids))
    else:
        before, made = kept
        was = {}
        made = _remade(inputs, ids, made, inputs.reading(_changed(digests, files, before)), was)
    if made is None:
        return None
    inputs.keep(ids, made)
    store.write_memo(MEMO, pickle.dumps((FORMAT, code_version(), order, files, made), pickle.HIGHEST_PROTOCOL))
    return Numbers(made, was)


def _changed(digests: dict[str, str], files: Files, before: Files) -> Iterable[str]:
    """The files of ``digests`` (joined as ``files``) not among the files ``before`` with the same digest."""
    if files[1] == before[1] and files[0] == before[0]:
        return ()
    if files[0] == before[0]:  # the same files in the same order: only the digests where the two texts differ
        start, was_middle, now_middle = middles(before[1], files[1], SEPARATOR)  # digests of the same length
        first = files[1].count(SEPARATOR, 0, start)  # the place of the first file that may differ
        now, old = now_middle.split(SEPARATOR), was_middle.split(SEPARATOR)
        names = islice(digests, first, first + len(now))
        return (key for key, was, digest in zip(names, old, now, strict=True) if was != digest)
    known = dict(zip(before[0].split(SEPARATOR), before[1].split(SEPARATOR), strict=True))
    return (key for key, now in digests.items() if known.get(key) != now)


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


def _kept(content: bytes | None, order: str, count: int) -> tuple[Files, list[int]] | None:
    """The files (names and digests) and the keys the last build kept, when made by this code for ``order``.

    The memo is the format, the code version, the order, the files and the keys, pickled.
    """
    if content is None:
        return None
    with contextlib.suppress(pickle.UnpicklingError, ValueError, TypeError, EOFError, AttributeError, IndexError):
        form, version, kept_order, files, made = pickle.loads(content)
        if (form, version, kept_order) == (FORMAT, code_version(), order) and _files(files) and _keys(made, count):
            return files, made
    return None


def _files(files: object) -> bool:
    """Whether ``files`` is as many names as digests, each joined (``Files``)."""
    if not (isinstance(files, tuple) and len(files) == 2 and all(isinstance(text, str) for text in files)):
        return False
    return bool(files[0].count(SEPARATOR) == files[1].count(SEPARATOR))


def _keys(made: object, count: int) -> bool:
    """Whether ``made`` is ``count`` row keys as numbers."""
    return isinstance(made, list) and len(made) == count and {int}.issuperset(map(type, made))  # in C
