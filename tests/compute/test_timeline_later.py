"""Timelines made ``later``: their history worked out when first read, every field and figure the same.

After an edit most periods are read back, and the site reads an issue's id, raised day and
units: an engine whose periods can be read back makes its timelines ``later``
(``timeline.timeline``), so the histories nothing reads are never worked out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import pickle
from pathlib import Path

import pytest

from reportgen.compute import freeze, persisted
from reportgen.compute.persisted import PersistedEngine, StatsStore
from reportgen.compute.stats import StatsEngine
from reportgen.compute.timeline import IssueTimeline, Limits, timeline
from reportgen.model import Records
from reportgen.workdays import day_counter
from tests.compute import test_persisted
from tests.compute.test_persisted import edited_copy, every_period, kept, same

sample, generated = test_persisted.sample, test_persisted.generated  # the same offices

AT_ONCE = ("id", "enterprise", "category", "lead_department", "raised")  # what the site reads of every issue


def worked_out(timelines: list[IssueTimeline]) -> list[str]:
    """The ids of the timelines whose history is worked out."""
    return [t.id for t in timelines if t._pending is None]


def days(records: Records) -> list[dt.date]:
    """Every tenth day from the campaign start to a month after the last issue."""
    last = max(i["raised"] for i in records.issues.values()) + dt.timedelta(days=31)
    start: dt.date = records.config["campaign_start"]
    return [start + dt.timedelta(days=d) for d in range(0, (last - start).days, 10)]


@pytest.mark.parametrize("office", ["sample", "generated"])
def test_a_timeline_made_later_reads_the_same_as_one_made_at_once(office: str, request: pytest.FixtureRequest) -> None:
    records: Records = request.getfixturevalue(office)
    now, later = StatsEngine(records).timelines, StatsEngine(records, later=True).timelines
    assert worked_out(now) == [t.id for t in now] and worked_out(later) == []
    assert [t.id for t in later] == [t.id for t in now]  # in the same order
    for a, b in zip(later, now, strict=True):
        for f in dataclasses.fields(IssueTimeline):
            if f.compare:
                value = getattr(a, f.name)
                assert value == getattr(b, f.name) and type(value) is type(getattr(b, f.name)), f.name
        assert a == b and hash(a) == hash(b) and repr(a) == repr(b)
        assert [a.state_at(d) for d in days(records) if d >= a.raised] == [
            b.state_at(d) for d in days(records) if d >= b.raised
        ]
    assert len(now) >= 52


def test_reading_what_is_read_straight_from_the_record_works_out_no_history(sample: Records) -> None:
    timelines = StatsEngine(sample, later=True).timelines
    read = [tuple(getattr(t, name) for name in AT_ONCE) for t in timelines]
    assert read == [
        tuple(i.id if name == "id" else i[name] for name in AT_ONCE) for i in (sample.issues[r[0]] for r in read)
    ]
    assert worked_out(timelines) == []
    assert timelines[1].title == sample.issues[timelines[1].id]["title"]  # the title: with the history
    assert worked_out(timelines) == [timelines[1].id]
    third = timelines[2]
    assert third.deadline >= third.raised  # one field of its history: all of it, for that timeline only
    assert worked_out(timelines) == [timelines[1].id, third.id] and third.dates and third._states == {}
    with pytest.raises(AttributeError, match="no_such_field"):
        third.no_such_field  # type: ignore[attr-defined]  # noqa: B018
    with pytest.raises(AttributeError, match="no_such_field"):
        timelines[3].no_such_field  # type: ignore[attr-defined]  # noqa: B018  (worked out first, then not found)


def test_a_timeline_made_later_is_copied_and_pickled_whole(sample: Records) -> None:
    now, later = StatsEngine(sample).timelines, StatsEngine(sample, later=True).timelines
    copied = pickle.loads(pickle.dumps(later[:5]))
    assert copied == now[:5] and worked_out(copied) == [t.id for t in copied]
    assert dataclasses.replace(later[5]) == now[5] and worked_out(later) == [t.id for t in later[:6]]


@pytest.mark.parametrize("office", ["sample", "generated"])
def test_an_engine_made_later_computes_every_period_the_same(office: str, request: pytest.FixtureRequest) -> None:
    records: Records = request.getfixturevalue(office)
    now, later = StatsEngine(records), StatsEngine(records, later=True)
    for period in every_period(records):
        same(later.stats(period), now.stats(period), period.key)
    assert worked_out(later.timelines) == [t.id for t in later.timelines]  # a snapshot reads every history


def test_a_build_with_nothing_to_read_back_makes_its_timelines_at_once(sample: Records, tmp_path: Path) -> None:
    cold = PersistedEngine(sample, StatsStore(tmp_path, tmp_path / "state.json", None))
    assert worked_out(cold.timelines) == [t.id for t in cold.timelines]
    kept(sample, tmp_path, every_period(sample))
    after = PersistedEngine(sample, StatsStore(tmp_path, tmp_path / "state.json", dt.date.max, frozenset()))
    assert worked_out(after.timelines) == [] and after.store.views == after.store.kept_views is not None


def test_a_title_edit_works_out_the_history_of_the_edited_issue_only(sample: Records, tmp_path: Path) -> None:
    periods = every_period(sample)
    kept(sample, tmp_path, periods)
    issue = sorted(sample.issues.values(), key=lambda i: (i["raised"], i.id))[len(sample.issues) // 2]
    edited = edited_copy(sample, "issue", issue.id, {"title": f"{issue['title']}（核实后）"})
    key = "records/" + os.path.relpath(issue.file, sample.root)
    store = StatsStore(tmp_path, tmp_path / "state.json", issue["raised"], frozenset({key}))
    views = store.kept_views
    engine = PersistedEngine(edited, store)
    assert worked_out(engine.timelines) == [issue.id]  # its view, compared with the last build's
    assert store.views == views is not None  # the same views: the last build's file, not written again
    fresh = StatsEngine(edited)
    for period in periods:
        same(engine.stats(period), fresh.stats(period), period.key)
        assert engine.data_hash(period) == freeze.data_hash(fresh.stats(period).to_json())
    assert worked_out(engine.timelines) == [issue.id] and engine.snapshots._made == {}


def test_the_timelines_of_unchanged_files_are_made_from_what_the_last_build_kept(
    sample: Records, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept(sample, tmp_path, every_period(sample))
    issue = sorted(sample.issues.values(), key=lambda i: (i["raised"], i.id))[len(sample.issues) // 2]
    start: dt.date = sample.config["campaign_start"]
    edited = edited_copy(sample, "issue", issue.id, {"title": "改后的标题", "raised": start})  # to the first place
    key = "records/" + os.path.relpath(issue.file, sample.root)
    made: list[str] = []
    monkeypatch.setattr(persisted, "timeline", lambda i, *args, **kw: made.append(i.id) or timeline(i, *args, **kw))
    store = StatsStore(tmp_path, tmp_path / "state.json", start, frozenset({key}), frozenset({key}))
    engine = PersistedEngine(edited, store)
    assert made == [issue.id]  # the others' values were not read
    assert worked_out(engine.timelines) == [issue.id]  # its view, compared with the last build's
    fresh = StatsEngine(edited).timelines
    assert [t.id for t in engine.timelines] == [t.id for t in fresh] and engine.timelines[0].id == issue.id
    for a, b in zip(engine.timelines, fresh, strict=True):
        assert [getattr(a, name) for name in AT_ONCE] == [getattr(b, name) for name in AT_ONCE]
        assert type(a.raised) is type(b.raised) and a == b
    assert store.facts is not None and store.facts != store.kept_facts  # a day raised changed


def test_timelines_are_made_from_the_records_when_what_was_kept_is_not_their_issues(
    sample: Records, tmp_path: Path
) -> None:
    kept(sample, tmp_path, every_period(sample))
    limits = Limits(day_counter(sample), 15, lambda day: day)
    store = StatsStore(tmp_path, tmp_path / "state.json", dt.date.max, None, frozenset())
    assert [t.id for t in store.kept_timelines(sample, limits) or []] == [t.id for t in StatsEngine(sample).timelines]
    fewer: Records = pickle.loads(pickle.dumps(sample))
    gone = sorted(fewer.issues)[0]
    del fewer.issues[gone]  # its file not named as changed: the records are not the ones the store knows
    assert store.kept_timelines(fewer, limits) is None
    more: Records = pickle.loads(pickle.dumps(sample))
    more.issues["Q-NEW"] = dataclasses.replace(more.issues[gone], id="Q-NEW")  # the same: in an unchanged file
    assert store.kept_timelines(more, limits) is None
    elsewhere = pickle.loads(pickle.dumps(sample))
    elsewhere.root = tmp_path / "another"  # the records read from another folder: their files named otherwise
    assert store.kept_timelines(elsewhere, limits) is None
    engine = PersistedEngine(fewer, StatsStore(tmp_path, tmp_path / "state.json", dt.date.max, None, frozenset()))
    assert [t.id for t in engine.timelines] == [t.id for t in StatsEngine(fewer).timelines]
    assert gone not in {t.id for t in engine.timelines} and len(engine.timelines) == len(sample.issues) - 1


@pytest.mark.parametrize("field", ["description", "title"])
def test_an_edit_that_leaves_what_timelines_hold_at_once_writes_no_facts(
    sample: Records, tmp_path: Path, field: str
) -> None:
    kept(sample, tmp_path, every_period(sample))
    issue = sorted(sample.issues.values(), key=lambda i: (i["raised"], i.id))[len(sample.issues) // 2]
    edited = edited_copy(sample, "issue", issue.id, {field: "补充说明"})
    key = "records/" + os.path.relpath(issue.file, sample.root)
    files = {p.name for p in (tmp_path / "stats").iterdir()}
    store = StatsStore(tmp_path, tmp_path / "state.json", issue["raised"], frozenset({key}), frozenset({key}))
    engine = PersistedEngine(edited, store)
    assert store.facts == store.kept_facts is not None  # the last build's file, not written again
    assert {p.name for p in (tmp_path / "stats").iterdir()} == files
    assert engine.timelines == StatsEngine(edited).timelines
