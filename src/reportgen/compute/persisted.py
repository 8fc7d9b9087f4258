"""Each period's statistics kept in the build's cache, read back while nothing they count has changed.

An auditor can skip this module: the figures are defined in ``metrics`` and ``stats``;
this only saves working them out again.  A build asks for the statistics of every
period it publishes (each bulletin's period for its data hash, every month and quarter
for the site); after one changed record most of them are the same as last time.

What a period's statistics depend on: the code, the office's settings, calendar and
master data (a change to any of them changes every period: the build cache says so,
``publish.cache.affected_from``), and the records as of the period's end (a record
counts from the earliest date it carries).  So the build hands over the day before
which no record changed since the last successful build (``reuse_before``); a period
ending before it is read back from what that build kept, the rest are computed.

What was kept belongs to one successful build: the index (``stats/index.json`` in the
cache folder) names the code version and the build state file (``state.marshal``: its inode,
size and modification time) it was written with, and is written only after that state,
by ``commit``.  A build that failed, or a state written by anything else, leaves the
index naming another state, and every period is computed.  The statistics are kept as
exact JSON (``results.encode``; each list of rows on a line of its own, decoded when first
read: ``readback``), one file a period, named by its SHA-256, which is
checked on reading.  The index also keeps each file's data hash (``freeze.data_hash`` of
its statistics, stamped on every bulletin) once a build has worked it out, so a period
read back is not turned into JSON again only to be hashed.

A period computed again is written at once (its file is named by its content, so the
index of the last build still names only what it named), and when its file is one the
last build kept — after an edit that changes none of its figures, a title say, the same
statistics give the same bytes — its data hash is the one kept with that file.

When every change since the last build is an edit of issues that leaves what the figures
see of them as it was (``issueviews``: a description, say, or a title), the periods after
it are the last build's, with the new titles in their overdue lists; when the edit changes
their category too, with their figures by category worked out again (nothing else counts
a category), not every figure: the rows of the categories an edited issue left or joined,
from those categories' own issues (no snapshot of every issue), the other rows as kept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import marshal
import os
from array import array
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import compress
from operator import attrgetter, not_
from pathlib import Path
from typing import Any, cast

from reportgen.codeversion import code_version
from reportgen.compute import issueviews
from reportgen.compute.metrics import IDENTIFIED
from reportgen.compute.periods import Period
from reportgen.compute.readback import encoded, line_digests, read_back, retitled, with_rows
from reportgen.compute.results import BreakdownRow, PeriodStats
from reportgen.compute.snapshots import count_flags, flags_of, issue_tests
from reportgen.compute.stats import StatsEngine
from reportgen.compute.timeline import AT_ONCE, IssueTimeline, Limits, known, timeline
from reportgen.heap import paused_gc
from reportgen.model import Record, Records
from reportgen.schema.kinds import CATEGORIES

FORMAT = 3  # 3: a period's lists of rows on lines of their own (``readback``)
FOLDER = "stats"  # inside the build's cache folder
INDEX = "index.json"
Rows = tuple[BreakdownRow, ...]
VIEWS_SUFFIX = ".views"  # the issues' views (``issueviews``, ``Views``): one marshal file, named in the index
FACTS_SUFFIX = ".marshal"  # what every issue's timeline holds at once (``StatsStore.kept_timelines``): one file
_ID, _RAISED, _AT_ONCE = attrgetter("id"), attrgetter("raised"), attrgetter(*AT_ONCE)


def period_entry(period: Period) -> str:
    """A period cut at its as-of day: ``2021-09@2021-09-30``."""
    return f"{period.key}@{period.end.isoformat()}"


def _entry_end(entry: object) -> dt.date | None:
    """The as-of day an index entry names (None: not an entry)."""
    try:
        return dt.date.fromisoformat(entry.rsplit("@", 1)[1]) if isinstance(entry, str) and "@" in entry else None
    except ValueError:
        return None


def _plain_name(name: object, suffix: str = ".json") -> bool:
    """Whether ``name`` is a file name in the folder (an index edited by hand could name anything)."""
    return isinstance(name, str) and name.endswith(suffix) and "/" not in name and name not in (INDEX, "..")


def _sha256_hex(value: object) -> bool:
    """Whether ``value`` is a SHA-256 in hex, as ``freeze.data_hash`` gives it."""
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)


def _state_token(state_file: Path) -> list[int] | None:
    """The build state file as the file system sees it; None: absent.

    The file is replaced, or a journal record is appended to it: either changes its inode or grows it.
    """
    try:
        st = os.stat(state_file)
    except OSError:
        return None
    return [st.st_ino, st.st_size, st.st_mtime_ns]


class StatsStore:
    """The statistics one successful build kept, and those this build adds."""

    def __init__(
        self,
        cache_folder: Path,
        state_file: Path,
        reuse_before: dt.date | None,
        edited: frozenset[str] | None = None,
        changed: frozenset[str] | None = None,
    ) -> None:
        """``reuse_before``: periods ending before this day may be read back (None: none may).

        ``edited``: the input files changed since the last build (keys of ``publish.cache``),
        when each of them is still there and nothing else moved (None: otherwise).
        ``changed``: the input files added, changed or removed since the last build, when
        nothing else changed (None: the settings or the code did, or it is not known).
        """
        self.folder = cache_folder / FOLDER
        self.state_file = state_file
        self.reuse_before = reuse_before
        self.edited = edited
        self.changed = changed
        self.kept: dict[str, str] = {}  # the last build's entries: entry → file
        self.hashes: dict[str, str] = {}  # file → the data hash of its statistics, when worked out
        self.kept_views: str | None = None  # the last build's file of the issues' views (``issueviews``)
        self.views: str | None = None  # this build's
        self.kept_facts: str | None = None  # the last build's file of what each timeline holds at once
        self.facts: str | None = None  # this build's
        self.titles: dict[str, str] | None = None  # the edited issues' titles, when no figure can have changed
        self.recategorised = False  # and an edited issue's category changed: the figures by category can have
        self.moved: frozenset[str] = frozenset()  # then the categories an edited issue left or joined
        if reuse_before is not None:
            self._index()
        self.made: dict[str, str] = {}  # computed by this build (and written): entry → file
        self.unwritten: dict[str, PeriodStats] = {}  # computed while the folder could not be written: for ``commit``
        self.read_back: dict[str, str] = {}  # read back by this build: entry → file
        self.lines: dict[str, dict[str, str]] = {}  # file → the digests of its lines (``line_digests``)

    def _index(self) -> None:
        """Read the last build's entries and data hashes, unless written with other code or for another state."""
        try:
            index = json.loads((self.folder / INDEX).read_text("utf-8"))
        except (OSError, ValueError, RecursionError):
            return
        if not isinstance(index, dict) or index.get("format") != FORMAT or index.get("code") != code_version():
            return
        token = _state_token(self.state_file)
        periods, hashes = index.get("periods"), index.get("hashes")
        if token is None or index.get("state") != token or not isinstance(periods, dict):
            return
        self.kept = {k: v for k, v in periods.items() if _entry_end(k) is not None and _plain_name(v)}
        if isinstance(hashes, dict):
            self.hashes = {k: v for k, v in hashes.items() if _plain_name(k) and _sha256_hex(v)}
        views, facts = index.get("views"), index.get("facts")
        self.kept_views = views if _plain_name(views, VIEWS_SUFFIX) else None
        self.kept_facts = facts if _plain_name(facts, FACTS_SUFFIX) else None

    def settle(self, records: Records, timelines: Sequence[IssueTimeline]) -> None:
        """Keep each issue's view for the next build, and find whether the figures can see this build's edits."""
        old = self._read_views() if self.edited is not None and self.reuse_before not in (None, dt.date.min) else None
        edited = issueviews.records_in(records, self.edited) if old is not None and self.edited else {}
        ids = {record.id for found in edited.values() for record in found if record.kind == "issue"}
        every = list(map(_ID, timelines))
        mine = {t.id: t for t in compress(timelines, map(ids.__contains__, every))} if ids else {}
        fresh = issueviews.digests(mine.values())
        last = old.of(fresh) if old is not None else {}  # the last build's views of the edited issues
        if (
            old is not None
            and self.edited
            and len(edited) == len(self.edited)  # every edited file holds records: issues, and nothing else
            and all(record.kind == "issue" for found in edited.values() for record in found)
            and len(old.ids) == len(every)
            and all(last.get(i) == view or issueviews.recategorised(mine[i], last.get(i)) for i, view in fresh.items())
        ):
            self.titles = {i: t.title for i, t in mine.items()}
            left = {issueviews.recategorised(mine[i], last.get(i)) for i, view in fresh.items() if last.get(i) != view}
            self.recategorised = bool(left)
            joined = {mine[i].category for i, view in fresh.items() if last.get(i) != view}
            self.moved = frozenset(c for c in left | joined if c is not None)
        views = _views(timelines, every, old, fresh)
        self.views = self.kept_views if views == old else self._write_views(views)  # the same views: the same file

    def _read_views(self) -> Views | None:
        """The issues' views the last build kept (None: none, or not intact)."""
        if self.kept_views is None:
            return None
        try:
            content = (self.folder / self.kept_views).read_bytes()
            digest = self.kept_views.rsplit("-", 1)[-1].removesuffix(VIEWS_SUFFIX)
            if hashlib.sha256(content).hexdigest()[:32] != digest:
                return None
            ids, joined = marshal.loads(content)
        except (OSError, ValueError, EOFError, TypeError):
            return None
        if not isinstance(ids, list) or not isinstance(joined, bytes) or len(joined) != len(ids) * issueviews.SIZE:
            return None
        return Views(ids, joined)

    def _write_views(self, views: Views) -> str | None:
        """Write the issues' views in a file named by its content; the name (None: the folder cannot be written)."""
        return self._write_named("views", VIEWS_SUFFIX, marshal.dumps((views.ids, views.joined)))

    def _write_named(self, prefix: str, suffix: str, content: bytes) -> str | None:
        """Write ``content`` named by its digest unless it is there; the name (None: the folder cannot be written)."""
        name = f"{prefix}-{hashlib.sha256(content).hexdigest()[:32]}{suffix}"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if not (self.folder / name).is_file():
                _replace(self.folder / name, content)
        except OSError:
            return None
        return name

    def kept_timelines(self, records: Records, limits: Limits) -> list[IssueTimeline] | None:
        """Every issue's timeline made ``later``, in (raised, id) order, from what the last build kept of them.

        An issue of a file unchanged since the last build has the timeline it had then: the
        fields that place and count it are the ones kept (``timeline.known``: its record's values
        are not read; at 100,000 issues reading them cost 0.45 CPU s), the rest are worked out
        from its record when read.  The issues of changed files are made from their records and
        put in their places.  None: nothing kept, or what was kept does not cover exactly this
        build's issues.  When the changed files' issues hold what they held (an edit of a title,
        a history, a description), what was kept is this build's too (``keep_timelines`` writes
        nothing).
        """
        kept = self._read_facts(records) if self.changed is not None else None
        if kept is None or self.changed is None:
            return None
        every_id, columns = kept
        issues = records.issues
        in_files = issueviews.records_in(records, self.changed).values()  # found by name, not by a pass
        fresh = [record for found in in_files for record in found if record.kind == "issue"]
        fresh_ids = {issue.id for issue in fresh}
        unchanged = list(map(not_, map(fresh_ids.__contains__, every_id)))  # in C: no loop in Python
        # each looked up once; a record is never false, so ``all`` finds a missing one (None) in C
        found = list(map(issues.get, compress(every_id, unchanged)))
        # an issue of an unchanged file gone, or one more: the records are not the ones kept
        if not all(found) or len(found) + len(fresh) != len(issues):
            return None
        kept_issues = cast(list[Record], found)  # none is None now
        timelines = known(kept_issues, [list(compress(column, unchanged)) for column in columns], limits)
        made = [timeline(issue, limits, later=True) for issue in fresh]
        for t in made:
            insort(timelines, t, key=_ORDER)
        rows = (every_id, *columns)
        left = [tuple(row[at] for row in rows) for at in compress(range(len(every_id)), map(not_, unchanged))]
        if sorted(left) == sorted((t.id, *_AT_ONCE(t)) for t in made):
            self.facts = self.kept_facts
        return timelines

    def _read_facts(self, records: Records) -> tuple[list[str], list[list[Any]]] | None:
        """The ids and ``AT_ONCE`` columns of the timelines the last build kept, in its order (None: none kept,
        or not intact).
        """
        if self.kept_facts is None:
            return None
        try:
            content = (self.folder / self.kept_facts).read_bytes()
            if hashlib.sha256(content).hexdigest()[:32] != self.kept_facts.rsplit("-", 1)[-1].removesuffix(
                FACTS_SUFFIX
            ):
                return None
            root, ids, *columns, ordinals = marshal.loads(content)
            raised = array("i", ordinals)  # (bytes: each day raised as a number of 4 bytes, read in C)
            if root != str(records.root) or any(len(column) != len(ids) for column in (*columns, raised)):
                return None
            days = {day: dt.date.fromordinal(day) for day in set(raised)}  # one date a day, as the records share them
        except (OSError, ValueError, EOFError, TypeError, OverflowError):
            return None
        return ids, [*columns, list(map(days.__getitem__, raised))]

    def keep_timelines(self, records: Records, timelines: Sequence[IssueTimeline]) -> None:
        """Keep what each of ``timelines`` holds at once for the next build (``kept_timelines``), in their order.

        In one marshal file, which loads in C: the ids and units as lists of strings (a unit's
        name is written once, then referred to), the days raised as one run of 4-byte numbers.
        """
        if self.facts is not None:  # what the last build kept, unchanged
            return
        content = marshal.dumps(
            (
                str(records.root),
                list(map(_ID, timelines)),
                *(list(map(attrgetter(name), timelines)) for name in AT_ONCE[:-1]),
                array("i", map(dt.date.toordinal, map(_RAISED, timelines))).tobytes(),  # the day raised last
            )
        )
        self.facts = self._write_named("facts", FACTS_SUFFIX, content)

    def reusable(self, period: Period) -> bool:
        """Whether ``period`` ends before the earliest day a change since the last build can affect."""
        return self.reuse_before is not None and period.end < self.reuse_before

    def read(self, period: Period, by_category: Callable[[Period, Rows], Rows] | None = None) -> PeriodStats | None:
        """The period's statistics as the last build kept them, when still valid and intact (else None).

        After edits the figures do not see, the statistics kept are given the new titles;
        after an edit of categories too, their figures by category (``by_category(period, kept)``:
        the figures by category worked out for this build's records, ``kept`` the last build's).
        """
        entry = period_entry(period)
        name = self.kept.get(entry)
        if name is None or not (self.reusable(period) or self.titles is not None):
            return None
        if not self.reusable(period) and self.recategorised and by_category is None:
            return None
        try:
            content = (self.folder / name).read_bytes()
            if hashlib.sha256(content).hexdigest()[:32] != name.rsplit("-", 1)[-1].removesuffix(".json"):
                return None
            stats = read_back(content)  # its lists decoded when read (``readback``)
        except (OSError, ValueError, TypeError, RecursionError):  # damaged or misshapen: computed again
            return None
        if stats.period != period.key or stats.as_of != period.end:
            return None
        if not self.reusable(period) and self.titles is not None:
            spliced = retitled(content, self.titles) if _names_any(content, self.titles) else None
            edited = read_back(spliced) if spliced is not None else stats
            if self.recategorised and by_category is not None:
                edited = with_rows(edited, "by_category", by_category(period, stats.by_category))
            if edited is not stats:
                return self.add(period, edited)
        self.read_back[entry] = name
        self.lines[name] = line_digests(content)  # the bytes in hand: not read again for the site's keys
        return stats

    def add(self, period: Period, stats: PeriodStats) -> PeriodStats:
        """Write statistics this build computed (``commit`` names them in the index); ``stats``."""
        entry = period_entry(period)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.made[entry] = self._write(entry, stats)
        except OSError:  # something in the cache folder's way, which the build clears before ``commit``
            self.unwritten[entry] = stats
        return stats

    def _file(self, period: Period) -> str | None:
        """The file of ``period``'s statistics as this build read them back or wrote them (None: neither yet)."""
        entry = period_entry(period)
        return self.read_back.get(entry) or self.made.get(entry)

    def data_file(self, period: Period) -> str | None:
        """The file of ``period``'s statistics as this build read them back or wrote them (None: neither yet)."""
        return self._file(period)

    def line_digests(self, period: Period) -> dict[str, str] | None:
        """The digest of each line of the file of ``period``'s statistics (``readback.line_digests``); None: no file.

        Of the bytes this build read back or wrote, else (written by another process: ``statswork``) read from the
        file: the same bytes either way, so every build keys alike.
        """
        name = self._file(period)
        if name is None:
            return None
        if name not in self.lines:
            try:
                self.lines[name] = line_digests((self.folder / name).read_bytes())
            except (OSError, TypeError):  # gone or damaged since: the site keys the period's files by its name
                return None
        return self.lines[name]

    def data_hash(self, period: Period) -> str | None:
        """The data hash of ``period``'s statistics when a build worked it out for the same file (else None)."""
        name = self._file(period)
        return self.hashes.get(name) if name is not None else None

    def add_hash(self, period: Period, data_hash: str) -> None:
        """Remember the data hash of ``period``'s statistics (read back or computed), kept by ``commit``."""
        name = self._file(period)
        if name is not None:
            self.hashes[name] = data_hash

    def commit(self) -> None:
        """After the build's state was saved: keep what was read back or computed, and what is still valid.

        The index names the state file as it is now; files no entry names are removed.
        """
        with paused_gc():
            self._commit()

    def _commit(self) -> None:
        periods = dict(self.read_back)
        for entry, name in self.kept.items():  # not asked this time, but still valid
            end = _entry_end(entry)
            if entry not in periods and self.reuse_before is not None and end is not None and end < self.reuse_before:
                periods[entry] = name
        self.folder.mkdir(parents=True, exist_ok=True)
        periods.update(self.made)
        periods.update({entry: self._write(entry, stats) for entry, stats in self.unwritten.items()})
        named = set(periods.values())
        index = {
            "format": FORMAT,
            "code": code_version(),
            "state": _state_token(self.state_file),
            "periods": dict(sorted(periods.items())),
            "hashes": {name: h for name, h in sorted(self.hashes.items()) if name in named},
            "views": self.views,
            "facts": self.facts,
        }
        named.update((self.views or "", self.facts or ""))
        _replace(self.folder / INDEX, json.dumps(index).encode())
        for path in self.folder.iterdir():
            if path.name != INDEX and path.name not in named:
                with contextlib.suppress(OSError):
                    path.unlink()

    def _write(self, entry: str, stats: PeriodStats) -> str:
        """One period's statistics as exact JSON (``readback``), in a file named by its content; the name."""
        content = encoded(stats)
        name = f"{entry}-{hashlib.sha256(content).hexdigest()[:32]}.json"
        self.lines[name] = line_digests(content)
        if not (self.folder / name).is_file():
            _replace(self.folder / name, content)
        return name


def _ORDER(t: IssueTimeline) -> tuple[dt.date, str]:
    """A timeline's place among the others: by day raised, then by id (``StatsEngine.timelines``)."""
    return t.raised, t.id


@dataclass(frozen=True)
class Views:
    """Each issue's view (``issueviews.digest``) in timeline order: the ids, and the views one after another.

    Kept so (in one marshal file) because after an edit it is read and compared whole: a
    list and a bytes load and compare in C, where a dict of 100,000 views cost 0.15 CPU s.
    """

    ids: list[str]
    joined: bytes  # ``issueviews.SIZE`` bytes an issue, in the order of ``ids``

    def of(self, wanted: Collection[str]) -> dict[str, bytes]:
        """The views of those of ``wanted`` it holds, by id (found in one pass over the ids in C)."""
        size = issueviews.SIZE
        return {self.ids[k]: self.joined[k * size : (k + 1) * size] for k in _places(self.ids, wanted)}


def _places(ids: list[str], wanted: Collection[str]) -> Iterable[int]:
    """Where in ``ids`` those of ``wanted`` are."""
    return compress(range(len(ids)), map(wanted.__contains__, ids)) if wanted else ()


def _views(timelines: Sequence[IssueTimeline], ids: list[str], old: Views | None, fresh: dict[str, bytes]) -> Views:
    """Each issue's view (``ids``: the ``timelines``' ids), in timeline order: ``fresh`` where worked out, else as
    ``old`` (the last build's), else worked out from its timeline.

    After an edit the issues are most often the last build's, in its order: its views with
    the fresh ones put in their places.  An issue's view is read from its timeline's history,
    so only when not known.
    """
    size = issueviews.SIZE
    if old is not None and old.ids == ids:
        joined = bytearray(old.joined)
        for k in _places(ids, fresh):
            joined[k * size : (k + 1) * size] = fresh[ids[k]]
        return Views(ids, bytes(joined))
    chunks = (old.joined[k : k + size] for k in range(0, len(old.joined), size)) if old is not None else ()
    known = dict(zip(old.ids, chunks, strict=True)) if old is not None else {}
    views: dict[str, bytes | None] = dict(zip(ids, map(known.get, ids), strict=True))
    views.update(fresh)
    if None in views.values():
        views.update((t.id, issueviews.digest(t)) for t in timelines if views[t.id] is None)
    return Views(ids, b"".join(cast(list[bytes], list(map(views.__getitem__, ids)))))  # none is None now


def _names_any(content: bytes, ids: Iterable[str]) -> bool:
    """Whether the statistics' JSON ``content`` holds any of ``ids`` as a text (else no row is about them)."""
    return any(json.dumps(i, ensure_ascii=False).encode("utf-8") in content for i in ids)


def _replace(path: Path, content: bytes) -> None:
    """Write ``path`` at once (a reader sees the old file or the new one)."""
    tmp = path.with_name(f"{path.name}.tmp")
    tmp.write_bytes(content)
    tmp.replace(path)


class PersistedEngine(StatsEngine):
    """A ``StatsEngine`` whose period statistics come from ``store`` when it has them."""

    def __init__(self, records: Records, store: StatsStore, settled: bool = True) -> None:
        """``settled``: ``settle`` now; False: the caller calls it before ``store.commit``.

        Only a build that reads no period back may settle later (a cold build does it while
        a second process works out periods: ``publish.statswork``): what ``store.settle``
        finds decides which periods are read back.
        """
        self.store = store
        self._settled = False
        with paused_gc():  # 100,000 timelines at once, none of them garbage: no pass over the build's heap meanwhile
            # when periods can be read back, most issues' histories are never read: each is worked out when it is
            super().__init__(records, later=store.reuse_before is not None)
        if settled or store.reuse_before is not None:
            self.settle()
        self._kept: dict[Period, PeriodStats] = {}

    def settle(self) -> None:
        """Keep what the next build reads of the timelines and the issues' views (``StatsStore.settle``); once."""
        if self._settled:
            return
        self._settled = True
        with paused_gc():
            self.store.keep_timelines(self.records, self.timelines)
        self.store.settle(self.records, self.timelines)

    def _made_timelines(self, records: Records, limits: Limits, later: bool) -> list[IssueTimeline]:
        """Every issue's timeline in (raised, id) order: from what the last build kept of them when it can."""
        kept = self.store.kept_timelines(records, limits) if later else None
        return kept if kept is not None else super()._made_timelines(records, limits, later)

    def stats(self, period: Period) -> PeriodStats:
        """The statistics of ``period`` as of its end: read back when still valid, else computed (and kept)."""
        if period not in self._kept:
            with paused_gc():  # many small objects, none of them garbage: no pass over the build's heap meanwhile
                stored = self.store.read(period, self._by_category_again)
                if stored is not None:
                    self.remember(period, stored)  # its figures serve the periods computed later
                self._kept[period] = stored or self.store.add(period, super().stats(period))
        return self._kept[period]

    def keep(self, period: Period, stats: PeriodStats) -> None:
        """``period``'s statistics from elsewhere (another process of this build wrote them): asked, they are these."""
        self.remember(period, stats)  # its figures serve the periods computed later
        self._kept[period] = stats

    def _by_category_again(self, period: Period, kept: Rows) -> Rows:
        """``by_category(period)`` after edits that moved issues between categories (``store.moved``) and nothing else.

        A category no edited issue left or joined counts the same issues, passing the same
        tests, as in the last build: its row is the one kept.  The row of each category in
        ``moved`` is worked out from its own issues' states (``_category_row``), not from a
        snapshot of every issue.
        """
        moved = self.store.moved
        rows = {row.value: row for row in kept if row.value not in moved}
        for value in moved:
            row = self._category_row(period, value)
            if row is not None:
                rows[value] = row
        return tuple(rows[value] for value in CATEGORIES if value in rows)

    def _category_row(self, period: Period, value: str) -> BreakdownRow | None:
        """The row of ``by_category(period)`` of the category ``value`` (None: not listed, no issue counts under it).

        The counts ``breakdown`` takes from the snapshot of the period's end, from the
        category's issues alone: each one's flags then (``snapshots.flags_of``, the tests of
        that day), tallied over the issues raised from the campaign start and from the
        period's start; the previous period's issues raised, counted.
        """
        indices = self._category_indices[value]  # ascending: in raised order
        as_of, previous = period.end, period.previous()

        def raised(start: dt.date, end: dt.date) -> tuple[int, int]:  # where [start, end]'s issues are in ``indices``
            upto = bisect_right(self._raised, end)
            return bisect_left(indices, bisect_left(self._raised, start, 0, upto)), bisect_left(indices, upto)

        lo, upto = raised(self.campaign_start, as_of)
        if lo == upto:
            return None
        tests = issue_tests(self._narrowed(as_of, as_of, []))
        flags = [flags_of(tests, t, t.state_at(as_of)) for t in map(self.timelines.__getitem__, indices[lo:upto])]
        figures = self._unit_figures(self._counted(as_of, count_flags(Counter(flags))))
        start, _ = raised(self.counted_from(period), as_of)
        now = count_flags(Counter(flags[max(start - lo, 0) :]))
        first, last = raised(self.counted_from(previous), previous.end)
        return BreakdownRow("category", value, figures, now[IDENTIFIED], now["resolved"], last - first)

    @cached_property
    def _category_indices(self) -> dict[str, list[int]]:
        """The indices of the timelines of each category, ascending (an empty list for a category with none)."""
        indices: dict[str, list[int]] = {value: [] for value in CATEGORIES}
        for i, value in enumerate(self._units_of["category"]):
            indices.setdefault(str(value), []).append(i)
        return indices

    def stored_name(self, period: Period) -> str | None:
        """The file the store keeps ``period``'s statistics in, named by their exact content (None: not kept)."""
        self.stats(period)
        return self.store.data_file(period)

    def stored_lines(self, period: Period) -> dict[str, str] | None:
        """The digests of the lines of the file the store keeps ``period``'s statistics in, by list ("": the other
        fields); None: not kept (``StatsStore.line_digests``)."""
        self.stats(period)
        return self.store.line_digests(period)

    def data_hash(self, period: Period) -> str:
        """The data hash of ``period``'s statistics: as the store kept it with the same file, else worked out."""
        self.stats(period)
        known = self.store.data_hash(period)
        if known is None:
            with paused_gc():  # the JSON shape is many dicts, garbage only once hashed: no pass over the heap
                known = super().data_hash(period)
            self.store.add_hash(period, known)
        return known
