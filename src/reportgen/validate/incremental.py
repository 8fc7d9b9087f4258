"""Rules across records on a warm check: only the records a change can touch are checked again.

The rules themselves (``crossref``, ``lifecycle``, ``bulletins``, ``markdown``,
``calendars``, ``published``) stay the definition: each is called on a set of records.
What this module adds is which set.  A record's problems under a rule across records
depend only on the record and on the records it refers to (up to two steps: a
rectification's date against the enterprise of its issue), plus three things of the whole
set, kept in ``RuleState`` between checks and looked at on their own:

- the ids of every record (``known``, given whole each time) and, for a failing reference,
  the nearest ids and their names: a record with a failing reference is checked again on
  every change;
- the years the working-day calendar must cover: the years each file needs are kept (``yeartable``), and
  when they are all covered nothing is reported (else the rule runs on every record);
- the private values and the public names the privacy search is made of: when a change adds
  or removes a private value, or a public text that holds one, the search is made again and
  every text is searched; else only the touched records' texts are.

So after a change the rules run on the changed records, the records with the same ids,
the records that refer to them (two steps back), all bulletins when one is touched (their
numbers are checked as one series), and what those refer to (two steps on); a change of
``config.yaml`` or a calendar checks everything.  The outcome is the full check's, problem
for problem (``tests/validate/test_incremental_check.py`` compares them after random edits).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import compress
from operator import attrgetter

from reportgen.model import Record, Records
from reportgen.plaintext import compact, visible
from reportgen.privacy import PrivateSearch, PrivateValue, record_texts, share_search
from reportgen.problems import Problem
from reportgen.schema.kinds import CONFIG, KINDS_BY_NAME
from reportgen.validate import Gathered, twocores
from reportgen.validate.bulletins import check_bulletins
from reportgen.validate.calendars import check_calendar_files, coverage_problems, covered, needed_dates
from reportgen.validate.crossref import Refs, check_after_leaving, check_record_dates, check_references, record_refs
from reportgen.validate.fonts import check_fonts
from reportgen.validate.lifecycle import check_lifecycles
from reportgen.validate.markdown import check_bulletin_markdown
from reportgen.validate.published import bad_urls, text_problems
from reportgen.validate.record import FileResult
from reportgen.validate.reftable import RefTable
from reportgen.validate.yeartable import YearTable
from reportgen.workdays import day_counter

WHOLE_SET_KINDS = frozenset({CONFIG.name, "calendar"})  # a change to one of these checks every record
HOPS = 2  # how far a record's rules look through references (rectification → issue → enterprise)
# a problem's place: the fields ``Problem``'s order compares, read at C speed (its ``<`` is Python code: after a title
# edit at 100,000 issues the 4,460 problems kept took ~15 ms to sort by it, ~4 ms by this)
_ORDER = attrgetter("file", "line", "column", "code", "field")


@dataclass(frozen=True)
class RuleState:
    """What the last check found with the rules across records, by file, and the whole-set facts."""

    local: dict[str, tuple[Problem, ...]]  # the per-record rules' problems (not privacy), by file
    texts: dict[str, tuple[Problem, ...]]  # the privacy search's problems in public texts, by file
    refs: RefTable  # what each file's record refers to: kind, id, kind, id, …
    years: YearTable  # the calendar years each file needs (working-day mode only)
    private: list[PrivateValue]
    search: PrivateSearch


def check_all(gathered: Gathered) -> tuple[list[Problem], RuleState]:
    """Every rule across records on every record, and the state a later check starts from.

    The per-record rules and the privacy search are independent: a large check does them at
    once on two cores (``twocores``); one after the other, the per-record rules come first (the
    two peaks of memory do not add up).
    """
    (local, years, coverage, refs), (texts, private, search) = twocores.both(
        lambda: _per_record(gathered), lambda: _all_texts(gathered), len(gathered.results)
    )
    state = RuleState(_by_file(local), _by_file(texts), refs, years, private, search)
    share_search(gathered.records, search)  # the build searches its files with it
    return sorted(local + texts + coverage + _config_rules(gathered), key=_ORDER), state


def _per_record(gathered: Gathered) -> tuple[list[Problem], YearTable, list[Problem], RefTable]:
    """The per-record rules' problems, the calendar years by file and their problems, each file's references."""
    local = _local_rules(gathered.records, gathered, gathered.incomplete)
    years, coverage = _coverage(gathered)
    # by the record's own file text (its file's name): the one the records hold
    refs = RefTable.made((r.record.file, _refs(r)) for r in gathered.results if r.record is not None)
    return local, years, coverage, refs


def _all_texts(gathered: Gathered) -> tuple[list[Problem], list[PrivateValue], PrivateSearch]:
    """The privacy search's problems in every public text, the private values and the search made of them."""
    found = record_texts(gathered.records)  # every public text of every record: not kept
    search = PrivateSearch(found.private, found.public)
    return text_problems(found.public, search, gathered.locator), found.private, search


def check_changed(
    gathered: Gathered,
    state: RuleState,
    changed: set[str],
    before: dict[str, Record | None],
    complete: set[str],
) -> tuple[list[Problem], RuleState]:
    """The problems ``check_all`` would give, running the rules only where ``changed`` files can matter.

    ``changed`` are the files added, changed or deleted since ``state`` was made;
    ``before`` their records then (None when there was none); ``complete``, those of them
    whose record was whole then (no field errors: in the set unless another holds its id).
    """
    if not changed:
        kept = [p for by_file in (state.local, state.texts) for problems in by_file.values() for p in problems]
        years, coverage = _coverage(gathered, state.years, gathered.records, set())
        share_search(gathered.records, state.search)
        return sorted(kept + coverage + _config_rules(gathered), key=_ORDER), state
    now = gathered.by_display
    after = {f: now[f].record for f in changed if f in now}
    kinds = {r.kind for r in [*before.values(), *after.values()] if r is not None}
    kinds |= {now[f].source.kind.name for f in after}
    if kinds & WHOLE_SET_KINDS:
        return check_all(gathered)
    refs = state.refs.replaced(changed, {f: _refs(now[f]) for f, r in after.items() if r is not None})
    ids = {r.id for r in [*before.values(), *after.values()] if r is not None}
    same, touched = _touched(gathered, state, ids | {_stem(f) for f in changed}, refs, now)
    sub = _neighbourhood(gathered.records, touched, now)
    found = _local_rules(sub, gathered, [r for r in gathered.incomplete if r.file in touched])
    local = _replaced(state.local, changed | touched, [p for p in found if p.file in touched])
    moved = same | changed
    was = [r for r in before.values() if r is not None]
    is_now = [r for r in (now[f].record for f in moved if f in now) if r is not None]
    # each side is the set's for sure: no other file holds a changed id, each record whole then and in the set now
    held = gathered.records
    in_set = all(f in now and (r := now[f].record) is not None and held.of(r.kind).get(r.id) is r for f in changed)
    sure = same <= changed and complete >= changed and in_set
    texts, private, search = _texts(gathered, state, sub, touched, moved, (was, is_now, sure))
    years, coverage = _coverage(gathered, state.years, sub, touched | changed)
    new = RuleState(local, texts, refs, years, private, search)
    if _same_state(new, state):  # kept as it is: not written again
        new = state
    share_search(gathered.records, search)
    kept = [p for by_file in (local, texts) for problems in by_file.values() for p in problems]
    return sorted(kept + coverage + _config_rules(gathered), key=_ORDER), new


def _same_state(new: RuleState, old: RuleState) -> bool:
    """Whether ``new`` holds exactly what ``old`` does (problems with their words: ``Problem``'s == leaves them out)."""
    if new.search is not old.search or (new.refs, new.private) != (old.refs, old.private):
        return False
    if new.years is not old.years and new.years != old.years:  # the same table when no file's years changed
        return False
    return all(
        mine.keys() == theirs.keys() and all(_same_problems(mine[f], theirs[f]) for f in mine)
        for mine, theirs in ((new.local, old.local), (new.texts, old.texts))
    )


def _same_problems(new: tuple[Problem, ...], old: tuple[Problem, ...]) -> bool:
    return new is old or [(p, dict(p.params), p.record) for p in new] == [(p, dict(p.params), p.record) for p in old]


def _local_rules(records: Records, gathered: Gathered, incomplete: list[Record]) -> list[Problem]:
    """The rules whose problems are each about one record and the records it refers to."""
    locator = gathered.locator
    return [
        *check_references(records, gathered.known, incomplete, locator, names_from=gathered.records),
        *check_record_dates(records, locator),
        *check_lifecycles(records, locator),
        *check_bulletins(records, locator),
        *check_bulletin_markdown(records, locator),
        *check_calendar_files(records, locator),
        *check_after_leaving(records, locator),
    ]


def _config_rules(gathered: Gathered) -> list[Problem]:
    """The rules on config.yaml alone (its web address, its fonts): quick, run every time."""
    return [
        *bad_urls(gathered.records, gathered.locator),
        *check_fonts(gathered.records, gathered.config_file, gathered.locator),
    ]


def _stem(file: str) -> str:
    """A file's name without its suffix: the id its record should carry."""
    return file.rsplit("/", 1)[-1].split(".", 1)[0]


def _own(result: FileResult) -> str:
    """A file's id: its record's, else the file's name without its suffix."""
    return result.record.id if result.record is not None else result.source.stem


def _touched(
    gathered: Gathered, state: RuleState, ids: set[str], refs: RefTable, now: Mapping[str, FileResult]
) -> tuple[set[str], set[str]]:
    """(the files holding one of ``ids``, every file whose problems a change of those ids can alter)."""
    records = gathered.records
    held = (records.of(kind).get(i) for kind in records.by_kind for i in ids)  # the set's records: by their ids
    same = {r.file for r in held if r is not None} | {r.source.display for r in gathered.others if _own(r) in ids}
    touched = set(same)
    for _ in range(HOPS):
        referrers = refs.referrers(ids)
        touched |= referrers
        ids = {_own(now[f]) for f in referrers if f in now}
    touched |= {f for f, problems in state.local.items() if any(p.code == "E302" for p in problems)}
    bulletins = {r.file for r in gathered.records.bulletins.values()}
    if touched & bulletins:  # numbered as one series
        touched |= bulletins
    return same, touched & now.keys()


def _neighbourhood(records: Records, touched: set[str], now: Mapping[str, FileResult]) -> Records:
    """The records of ``touched`` files and what they refer to, up to ``HOPS`` steps.

    What a record refers to is found from the record (``_refs``): these records are read by
    the rules anyway, and the kept ``RefTable`` is searched by id, not by file.
    """
    held = (now[f].record for f in touched)
    chosen = {r.file: r for r in held if r is not None and records.of(r.kind).get(r.id) is r}  # in the set
    edge = set(chosen)
    for _ in range(HOPS):
        pairs = [(rs[::2], rs[1::2]) for rs in map(_refs, map(now.__getitem__, edge))]
        found = {
            t.file: t
            for kinds, ids in pairs
            for kind, i in zip(kinds, ids, strict=True)
            if (t := records.of(kind).get(i)) is not None
        }
        edge = found.keys() - chosen.keys()
        chosen.update(found)
    ids: dict[str, set[str]] = {}  # by kind: in the set, an id is one record, so the chosen ones are their ids
    for record in chosen.values():
        ids.setdefault(record.kind, set()).add(record.id)
    sub = Records(records.root, records.config)
    for kind in KINDS_BY_NAME:  # the order of the full set, so each rule meets them as it would there
        mine, wanted = records.of(kind), ids.get(kind)
        sub.by_kind[kind] = dict(compress(mine.items(), map(wanted.__contains__, mine))) if wanted else {}
    return sub


# the moved files' records before (of the changed files) and now, and whether each side is what the set held
Moved = tuple[list[Record], list[Record], bool]


def _texts(
    gathered: Gathered, state: RuleState, sub: Records, touched: set[str], moved: set[str], records: Moved
) -> tuple[dict[str, tuple[Problem, ...]], list[PrivateValue], PrivateSearch]:
    """The privacy search's problems: in the touched records' texts, or everywhere when the search itself changed.

    ``moved``: the files whose records may have entered or left the set (changed, or holding
    a changed id); ``records``: their records before and after, whose names and titles may
    have entered or left the public names the search is made of (``_reshapes``).
    """
    found = record_texts(sub)
    private = [e for e in found.private if e.file in touched]
    kept = [e for e in state.private if e.file not in touched and e.file not in moved]
    was = [e for e in state.private if e.file in touched or e.file in moved]
    names = {e.key for e in state.private if not e.phone}
    if private != was or _reshapes(gathered.records, records, names):
        everything = record_texts(gathered.records)
        search = PrivateSearch(everything.private, everything.public)
        problems = text_problems(everything.public, search, gathered.locator)
        return _by_file(problems), everything.private, search
    mine = [t for t in found.public if t.record.file in touched]
    problems = text_problems(mine, state.search, gathered.locator)
    private = sorted([*kept, *private], key=_PLACE)
    return _replaced(state.texts, touched | moved, problems), private, state.search


_PLACE = attrgetter("file", "path")  # a private value's file and path: the order the state keeps them in


def _reshapes(like: Records, records: Moved, names: set[str]) -> bool:
    """Whether the moved records may change the search: the public names and titles that hold a private text
    shape it (``PrivateSearch``), so when those of the records before differ from those of the records now.

    Compared so only when each side is what the set held (``check_changed``: each record whole
    and sharing its id with no other file, before and now): else any such name or title of either
    side counts.  A title edit or a step added to an issue whose title holds a contact's name (a
    common word) searched every text again: ~3 s at 100,000 issues.
    """
    before, now, sure = records
    held = _holding(like, before, names), _holding(like, now, names)
    if sure and all(len({(r.kind, r.id) for r in side}) == len(side) for side in (before, now)):
        return sorted(held[0]) != sorted(held[1])
    return bool(held[0] or held[1])


def _holding(like: Records, records: list[Record], names: set[str]) -> list[str]:
    """The public names and titles of ``records`` (as the search compares them) that hold one of ``names``."""
    shown = [compact(visible(t.text)) for t in record_texts(_records_of(like, records)).public if not t.markdown]
    return [text for text in shown if any(name in text for name in names)]


def _coverage(
    gathered: Gathered,
    years: YearTable | None = None,
    sub: Records | None = None,
    touched: set[str] = frozenset(),  # type: ignore[assignment]
) -> tuple[YearTable, list[Problem]]:
    """Each file's calendar years and E408 for the missing ones: from ``years`` updated for ``touched`` when covered."""
    counter = day_counter(gathered.records)
    if not counter.working:
        return YearTable(), []
    if years is not None and sub is not None:
        needed = needed_dates(sub, counter) if touched else ()  # none touched: no date looked at
        update = _years_by_file((r, p, d) for r, p, d in needed if r.file in touched)
        mine = years.replaced(touched, update)  # itself when the touched files' years are as they were (a title edit)
        if covered(mine.all_years(), counter):
            return mine, []
    table = YearTable.made(_years_by_file(needed_dates(gathered.records, counter)))  # every date once, none kept
    if covered(table.all_years(), counter):
        return table, []
    return table, coverage_problems(list(needed_dates(gathered.records, counter)), counter, gathered.locator)


def _years_by_file(needed: Iterable[tuple[Record, str, object]]) -> dict[str, tuple[int, ...]]:
    """The years each file needs the calendar for (one shared tuple per set of years, made when a year is new)."""
    found: dict[str, tuple[int, ...]] = {}
    shared: dict[tuple[int, ...], tuple[int, ...]] = {}
    for record, _, day in needed:
        years = found.get(record.file, ())
        if (year := day.year) not in years:  # type: ignore[attr-defined]
            grown = tuple(sorted((*years, year)))
            found[record.file] = shared.setdefault(grown, grown)
    return found


def _refs(result: FileResult) -> Refs:
    """What the result's record refers to: as the worker that parsed it found, else found now."""
    assert result.record is not None
    return result.refs if result.refs is not None else record_refs(result.record)


def _records_of(like: Records, records: list[Record]) -> Records:
    """``records`` as a record set (with ``like``'s folder and config), one per file even where ids repeat."""
    made = Records(like.root, like.config)
    for record in records:
        if record.kind != CONFIG.name:
            made.by_kind.setdefault(record.kind, {})[record.file] = record
    return made


def _by_file(problems: list[Problem]) -> dict[str, tuple[Problem, ...]]:
    grouped: dict[str, list[Problem]] = {}
    for problem in problems:
        grouped.setdefault(problem.file, []).append(problem)
    return {f: tuple(p) for f, p in grouped.items()}


def _replaced(
    old: dict[str, tuple[Problem, ...]], redone: set[str], problems: list[Problem]
) -> dict[str, tuple[Problem, ...]]:
    """``old`` without the files in ``redone``, with ``problems`` (theirs, found again) in their place."""
    kept = {f: p for f, p in old.items() if f not in redone}
    kept.update(_by_file(problems))
    return kept
