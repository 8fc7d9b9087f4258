"""Period statistics kept as exact JSON and read back: the same values, of the same types, for every period.

``results.encode``/``decode`` must give back every field exactly (an int stays an int, a
tuple a tuple, a date a date); ``StatsStore`` reads back only what the last successful
build kept for the state it saved, only for periods ending before the earliest change,
and only when the file is intact.  A build after one changed record computes only the
periods that end on or after the record's earliest date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import pickle
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reportgen.compute import freeze, issueviews, persisted
from reportgen.compute.periods import Period, periods_between
from reportgen.compute.persisted import PersistedEngine, StatsStore
from reportgen.compute.readback import ReadBack, encoded, read_back, retitled, with_rows
from reportgen.compute.results import PeriodStats, decode, encode
from reportgen.compute.stats import StatsEngine
from reportgen.model import Records
from reportgen.publish.build import BuildOptions, build
from reportgen.schema.kinds import CATEGORIES
from reportgen.validate import check_repository
from tests.modules import bench_synth

SAMPLE = Path(__file__).resolve().parents[2] / "records"

synth = bench_synth()
GENERATED = synth.Scale(
    enterprises=30,
    issues=150,
    visits=40,
    staff=24,
    departments=5,
    teams=3,
    legal=20,
    rectifications=10,
    seed=5,
    start=dt.date(2021, 8, 1),
    months=5,
)


@pytest.fixture(scope="module")
def sample() -> Records:
    return check_repository(SAMPLE, use_cache=False).records


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Records:
    folder = tmp_path_factory.mktemp("generated") / "records"
    synth.generate(folder, GENERATED)
    validated = check_repository(folder, use_cache=False)
    assert validated.report.valid
    return validated.records


def every_period(records: Records) -> list[Period]:
    """Every month, quarter and year from the campaign start to the last issue, and the last month cut short."""
    last = max(i["raised"] for i in records.issues.values())
    first = records.config["campaign_start"]
    periods = [p for kind in ("month", "quarter", "year") for p in periods_between(first, last, kind)]
    month = periods[len(list(periods_between(first, last, "month"))) - 1]
    return [*periods, month.as_of(min(last, month.start + dt.timedelta(days=14)))]


def _kind(value: Any) -> type:
    """The type of ``value``, statistics read back (their lists decoded when read) counted as statistics."""
    return PeriodStats if isinstance(value, ReadBack) else type(value)


def same(a: Any, b: Any, where: str = "stats") -> None:
    """``a`` and ``b`` are equal field by field, each value of the same type (1 and 1.0 are not the same)."""
    assert _kind(a) is _kind(b), where
    if dataclasses.is_dataclass(a):
        for f in dataclasses.fields(a):
            same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, tuple):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{where}[{i}]")
    else:
        assert a == b, where


def round_trip(stats: PeriodStats) -> PeriodStats:
    return decode(PeriodStats, json.loads(json.dumps(stats, default=encode, ensure_ascii=False)))


@pytest.mark.parametrize("office", ["sample", "generated"])
def test_every_period_round_trips_exactly(office: str, request: pytest.FixtureRequest) -> None:
    records: Records = request.getfixturevalue(office)
    engine = StatsEngine(records)
    periods = every_period(records)
    for period in periods:
        stats = engine.stats(period)
        same(round_trip(stats), stats, period.key)
    assert len(periods) >= 8
    # the lists that matter are there to be compared (not every list empty)
    assert any(engine.stats(p).overdue and engine.stats(p).months for p in periods)


def test_types_the_json_cannot_tell_apart_come_back_as_they_were(sample: Records) -> None:
    stats = StatsEngine(sample).stats(every_period(sample)[2])
    back = round_trip(stats)
    assert isinstance(back.by_department, tuple) and isinstance(back.overdue[0].raised, dt.date)
    assert back.months is None and stats.months is None
    assert [type(r.score) for r in back.by_department] == [type(r.score) for r in stats.by_department]


def test_decode_refuses_a_row_of_the_wrong_length(sample: Records) -> None:
    data = json.loads(json.dumps(StatsEngine(sample).stats(every_period(sample)[2]), default=encode))
    data[-2][0] = data[-2][0][:-1]  # an overdue row without its level
    with pytest.raises(TypeError):
        decode(PeriodStats, data)


# -- the store ------------------------------------------------------------------------------------


def kept(records: Records, folder: Path, periods: list[Period]) -> dict[str, PeriodStats]:
    """Compute ``periods`` through a store with nothing to reuse, save a state file, commit; the fresh stats."""
    store = StatsStore(folder, folder / "state.json", None)
    engine = PersistedEngine(records, store)
    fresh = {p.key + "@" + p.end.isoformat(): engine.stats(p) for p in periods}
    folder.mkdir(parents=True, exist_ok=True)
    saved(store, folder)
    return fresh


def saved(store: StatsStore, folder: Path) -> None:
    """A build's end: its state file saved in ``folder``, then the statistics it computed committed."""
    (folder / "state.json").write_text("{}", "utf-8")
    store.commit()


@pytest.mark.parametrize("office", ["sample", "generated"])
def test_read_back_equals_fresh_for_every_period(office: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    records: Records = request.getfixturevalue(office)
    periods = every_period(records)
    fresh = kept(records, tmp_path, periods)
    store = StatsStore(tmp_path, tmp_path / "state.json", dt.date.max)
    engine = PersistedEngine(records, store)
    for period in periods:
        same(engine.stats(period), fresh[f"{period.key}@{period.end.isoformat()}"], period.key)
    assert sorted(store.read_back) == sorted(fresh)
    assert store.made == {}
    assert engine.snapshots._made == {}  # nothing was worked out


def test_periods_ending_on_or_after_the_change_are_computed(sample: Records, tmp_path: Path) -> None:
    periods = every_period(sample)
    kept(sample, tmp_path, periods)
    changed = dt.date(2021, 10, 31)
    store = StatsStore(tmp_path, tmp_path / "state.json", changed)
    engine = PersistedEngine(sample, store)
    for period in periods:
        engine.stats(period)
    assert sorted(store.read_back) == sorted(f"{p.key}@{p.end}" for p in periods if p.end < changed)
    assert sorted(store.made) == sorted(f"{p.key}@{p.end}" for p in periods if p.end >= changed)
    assert len(store.read_back) >= 3 and len(store.made) >= 3


@pytest.mark.parametrize("office", ["sample", "generated"])
def test_periods_computed_after_others_were_remembered_equal_fresh_ones(
    office: str, request: pytest.FixtureRequest
) -> None:
    records: Records = request.getfixturevalue(office)
    periods = every_period(records)
    fresh = {p: StatsEngine(records).stats(p) for p in periods}  # each in an engine of its own
    ends = sorted({p.end for p in periods})
    for changed in ends:
        engine = StatsEngine(records)
        for period in periods:
            if period.end < changed:
                engine.remember(period, fresh[period])
        for period in sorted(periods, key=lambda p: -p.end.toordinal()):  # later ones first: their months remembered
            same(engine.stats(period), fresh[period], f"{period.key} after {changed}")


def reads_back(folder: Path, records: Records, period: Period) -> bool:
    store = StatsStore(folder, folder / "state.json", dt.date.max)
    PersistedEngine(records, store).stats(period)
    return bool(store.read_back)


def test_another_state_another_code_or_a_damaged_file_is_computed_again(
    sample: Records, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    period = every_period(sample)[0]
    kept(sample, tmp_path, [period])
    assert reads_back(tmp_path, sample, period)
    (tmp_path / "state.json.tmp").write_text("{} ", "utf-8")  # another build saved its state (replaced)
    (tmp_path / "state.json.tmp").replace(tmp_path / "state.json")
    assert not reads_back(tmp_path, sample, period)

    kept(sample, tmp_path, [period])
    monkeypatch.setattr(persisted, "code_version", lambda: "other code")
    assert not reads_back(tmp_path, sample, period)
    monkeypatch.undo()

    kept(sample, tmp_path, [period])
    (entry,) = (p for p in (tmp_path / "stats").iterdir() if p.suffix == ".json" and p.name != "index.json")
    entry.write_bytes(entry.read_bytes() + b" ")  # still JSON, but not what was kept
    assert not reads_back(tmp_path, sample, period)
    entry.unlink()
    assert not reads_back(tmp_path, sample, period)
    (tmp_path / "stats" / "index.json").write_text("[", "utf-8")
    assert not reads_back(tmp_path, sample, period)


def test_commit_keeps_what_is_still_valid_and_removes_the_rest(sample: Records, tmp_path: Path) -> None:
    periods = every_period(sample)
    kept(sample, tmp_path, periods)
    (tmp_path / "stats" / "left-by-a-failed-build.json").write_text("{}", "utf-8")
    changed = dt.date(2021, 10, 31)
    store = StatsStore(tmp_path, tmp_path / "state.json", changed)
    PersistedEngine(sample, store).stats(periods[-1])  # one period asked; the others not
    store.commit()
    index = json.loads((tmp_path / "stats" / "index.json").read_text("utf-8"))
    valid = sorted(f"{p.key}@{p.end}" for p in periods if p.end < changed)
    assert sorted(index["periods"]) == sorted([*valid, f"{periods[-1].key}@{periods[-1].end}"])
    named = ["index.json", index["views"], index["facts"], *index["periods"].values()]
    assert sorted(p.name for p in (tmp_path / "stats").iterdir()) == sorted(named)


def test_a_build_after_one_change_computes_only_the_periods_it_can_alter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "check-cache"))
    records = tmp_path / "records"
    synth.generate(records, GENERATED)
    computed: list[str] = []
    original = StatsEngine._stats

    def counted(engine: StatsEngine, period: Period) -> PeriodStats:
        computed.append(period.key)
        return original(engine, period)

    monkeypatch.setattr(StatsEngine, "_stats", counted)
    options = BuildOptions(records, tmp_path / "out", pdf=False, as_of=dt.date(2021, 12, 31))
    assert build(options).ok
    everything = sorted(computed)
    assert "2021-08" in everything and "2021-Q4" in everything
    computed.clear()
    issue = next(p for p in sorted((records / "issues" / "2021-12").glob("*.yaml")))
    issue.write_text(issue.read_text("utf-8").replace("title: ", "title: 改", 1), "utf-8")
    assert build(options).ok
    assert computed == []  # a title: no figure sees it (the overdue lists are given it)
    text = issue.read_text("utf-8")
    category = re.search(r"\ncategory: (\S+)", text)
    assert category is not None
    issue.write_text(text.replace(category[0], "\ncategory: " + ("其他" if category[1] != "其他" else "水电")), "utf-8")
    assert build(options).ok
    assert computed == []  # a category: the figures by category worked out again, the rest read back
    text = issue.read_text("utf-8")
    issue.write_text(text.replace("\ncategory: ", "\nlevel: 市级\ncategory: ", 1), "utf-8")  # a level: every figure
    assert build(options).ok
    earliest = min(re.findall(r"\b\d{4}-\d{2}-\d{2}\b", issue.read_text("utf-8")))
    assert earliest >= "2021-12-01"
    assert set(computed) == {k for k in everything if k in ("2021", "2021-Q4", "2021-12")}
    assert len(computed) == len(set(computed)) >= 2


def test_an_index_edited_by_hand_names_nothing_outside_and_breaks_nothing(sample: Records, tmp_path: Path) -> None:
    period = every_period(sample)[0]
    kept(sample, tmp_path, [period])
    index_file = tmp_path / "stats" / "index.json"
    index = json.loads(index_file.read_text("utf-8"))
    outside = tmp_path / "outside.json"
    outside.write_text("[]", "utf-8")
    (name,) = index["periods"].values()
    index["periods"] = {"no date": name, f"{period.key}@{period.end}": "../outside.json", "2021-08@2021-13-01": name}
    index_file.write_text(json.dumps(index), "utf-8")
    store = StatsStore(tmp_path, tmp_path / "state.json", dt.date.max)
    assert store.kept == {}
    PersistedEngine(sample, store).stats(period)
    store.commit()
    assert outside.read_text("utf-8") == "[]"
    assert list(json.loads(index_file.read_text("utf-8"))["periods"]) == [f"{period.key}@{period.end}"]


def hashed_first(
    sample: Records, tmp_path: Path, hashed: int | None = None
) -> tuple[list[Period], dict[Period, str], StatsStore, PersistedEngine]:
    """Every period, their data hashes worked out afresh, and a first build's store whose engine hashed the first
    ``hashed`` periods (None: all), each equal to the fresh one."""
    periods = every_period(sample)
    fresh = {p: StatsEngine(sample).data_hash(p) for p in periods}
    store = StatsStore(tmp_path, tmp_path / "state.json", None)
    engine = PersistedEngine(sample, store)
    asked = periods[:hashed]
    assert [engine.data_hash(p) for p in asked] == [fresh[p] for p in asked]
    return periods, fresh, store, engine


def test_a_data_hash_worked_out_once_is_read_back_with_its_statistics(
    sample: Records, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    periods, fresh, first, engine = hashed_first(sample, tmp_path, 3)
    for period in periods[3:]:
        engine.stats(period)  # computed, but its hash never asked: none is kept
    saved(first, tmp_path)
    second = StatsStore(tmp_path, tmp_path / "state.json", dt.date.max)
    engine = PersistedEngine(sample, second)
    with monkeypatch.context() as patched:
        patched.setattr(PeriodStats, "to_json", lambda self: pytest.fail("turned into JSON again"))
        assert [engine.data_hash(p) for p in periods[:3]] == [fresh[p] for p in periods[:3]]
    assert [engine.data_hash(p) for p in periods[3:]] == [fresh[p] for p in periods[3:]]  # worked out on reading
    second.commit()
    third = StatsStore(tmp_path, tmp_path / "state.json", dt.date.max)
    assert sorted(third.hashes) == sorted(third.kept.values())
    assert sorted(third.hashes.values()) == sorted(fresh.values())


def test_statistics_computed_again_the_same_keep_their_data_hash(
    sample: Records, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    periods, fresh, first, engine = hashed_first(sample, tmp_path)
    saved(first, tmp_path)
    changed = periods[3].end  # an edit on that day that alters no figure (a title, say)
    second = StatsStore(tmp_path, tmp_path / "state.json", changed)
    engine = PersistedEngine(sample, second)
    with monkeypatch.context() as patched:
        patched.setattr(PeriodStats, "to_json", lambda self: pytest.fail("turned into JSON again"))
        assert [engine.data_hash(p) for p in periods] == [fresh[p] for p in periods]
    assert sorted(second.made) == sorted(f"{p.key}@{p.end}" for p in periods if p.end >= changed)
    assert len(second.made) >= 3
    second.commit()
    # statistics that differ (another day unit, say) are another file: their hash is worked out
    original = StatsEngine._stats
    monkeypatch.setattr(StatsEngine, "_stats", lambda e, p: dataclasses.replace(original(e, p), day_unit="日"))
    third = StatsStore(tmp_path, tmp_path / "state.json", changed)
    engine = PersistedEngine(sample, third)
    for period in periods:
        if period.end < changed:
            assert engine.data_hash(period) == fresh[period]
        else:
            assert engine.data_hash(period) == freeze.data_hash(engine.stats(period).to_json()) != fresh[period]


def edited_copy(records: Records, kind: str, record_id: str, values: dict[str, Any]) -> Records:
    """A copy of ``records`` with one record's values changed."""
    copy: Records = pickle.loads(pickle.dumps(records))
    copy.of(kind)[record_id].data.update(values)
    return copy


@pytest.mark.parametrize("edit", ["title", "description", "lead department", "enterprise name"])
def test_edits_the_figures_do_not_see_are_not_worked_out_again(
    sample: Records, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: str
) -> None:
    periods = every_period(sample)
    kept(sample, tmp_path, periods)
    issue = sample.issues[next(row.issue for p in periods for row in StatsEngine(sample).stats(p).overdue)]
    kind, record, values = {
        "title": ("issue", issue, {"title": f"{issue['title']}（核实后）"}),
        "description": ("issue", issue, {"description": "企业反映的情况已核实。"}),
        "lead department": ("issue", issue, {"lead_department": sorted(sample.departments)[-1]}),
        "enterprise name": ("enterprise", sample.enterprises[issue["enterprise"]], {"name": "周口某企业"}),
    }[edit]
    edited = edited_copy(sample, kind, record.id, values)
    fresh = {p: StatsEngine(edited).stats(p) for p in periods}
    computed: list[str] = []
    original = StatsEngine._stats
    monkeypatch.setattr(StatsEngine, "_stats", lambda e, p: computed.append(p.key) or original(e, p))
    key = "records/" + os.path.relpath(record.file, sample.root)
    store = StatsStore(tmp_path, tmp_path / "state.json", issue["raised"], frozenset({key}))
    engine = PersistedEngine(edited, store)
    for period in periods:
        same(engine.stats(period), fresh[period], period.key)
        assert engine.data_hash(period) == freeze.data_hash(fresh[period].to_json())
    after = [p.key for p in periods if p.end >= issue["raised"]]
    assert len(after) >= 3
    if edit in ("title", "description"):
        assert computed == [] and store.titles == {issue.id: edited.issues[issue.id]["title"]}
    else:
        assert sorted(computed) == sorted(after) and store.titles is None
    shown = {row.title for p in periods for row in engine.stats(p).overdue if row.issue == issue.id}
    assert shown == {edited.issues[issue.id]["title"]}


# -- read back: the lists decoded when first read ------------------------------------------------


def pending(stats: PeriodStats) -> list[str]:
    """The lists of statistics read back that are not decoded yet."""
    return sorted(stats.__dict__.get("_lines", {}))


LISTS = ["by_category", "by_department", "by_enterprise", "by_level", "by_team", "overdue"]


def worked_out(office: str, request: pytest.FixtureRequest) -> Iterator[tuple[Period, PeriodStats]]:
    """Each period of the office fixture ``office``, and its statistics worked out."""
    records: Records = request.getfixturevalue(office)
    engine = StatsEngine(records)
    return ((period, engine.stats(period)) for period in every_period(records))


@pytest.mark.parametrize("office", ["sample", "generated"])
def test_a_period_read_back_decodes_each_list_when_first_read(office: str, request: pytest.FixtureRequest) -> None:
    for period, fresh in worked_out(office, request):
        back = read_back(encoded(fresh))
        assert (back.period, back.as_of, back.cumulative) == (fresh.period, fresh.as_of, fresh.cumulative)
        assert back.list_lengths() == fresh.list_lengths() and pending(back) == LISTS  # counted, not decoded
        assert back.overdue == fresh.overdue and pending(back) == [n for n in LISTS if n != "overdue"]
        same(back, fresh, period.key)
        assert pending(back) == [] and back == fresh and fresh == back and hash(back) == hash(fresh)
        assert "_content" not in back.__dict__  # the file's bytes let go once every list is decoded
        again = read_back(encoded(fresh))
        assert dataclasses.replace(again, overdue=()) == dataclasses.replace(fresh, overdue=())


@pytest.mark.parametrize("office", ["sample", "generated"])
def test_a_list_replaced_leaves_the_others_as_read_and_encodes_as_the_whole(
    office: str, request: pytest.FixtureRequest
) -> None:
    for _, fresh in worked_out(office, request):
        rows = tuple(dataclasses.replace(row, title=f"{row.title}（核实后）") for row in fresh.overdue[::-2])
        expected = dataclasses.replace(fresh, overdue=rows)
        edited = with_rows(read_back(encoded(fresh)), "overdue", rows)
        assert pending(edited) == [n for n in LISTS if n != "overdue"]  # the others not decoded …
        assert edited.list_lengths() == expected.list_lengths()
        assert encoded(edited) == encoded(expected)  # … but written as a full encoding writes them
        assert pending(edited) == [n for n in LISTS if n != "overdue"]
        assert edited == expected and read_back(encoded(edited)) == expected
        assert with_rows(fresh, "overdue", rows) == expected  # statistics worked out: ``dataclasses.replace``


@pytest.mark.parametrize("office", ["sample", "generated"])
def test_titles_put_into_the_line_read_back_are_those_put_into_the_rows(
    office: str, request: pytest.FixtureRequest
) -> None:
    for _, fresh in worked_out(office, request):
        titles = {row.issue: f'{row.title}（核实后，"已"办\\结）' for row in fresh.overdue[::3]} | {"Q9999": "无"}
        titles |= {row.issue: f"{row.title}\\" for row in fresh.overdue[1::3]}  # a backslash before the quote
        rows = tuple(dataclasses.replace(row, title=titles.get(row.issue, row.title)) for row in fresh.overdue)
        expected = encoded(dataclasses.replace(fresh, overdue=rows))
        assert retitled(encoded(fresh), titles) == (expected if fresh.overdue else None)
        assert retitled(expected, titles) is None  # nothing to change: no new file
        assert retitled(encoded(fresh), {}) is None


@pytest.mark.parametrize("office", ["sample", "generated"])
def test_the_json_of_a_list_read_back_is_made_from_its_line_as_from_its_rows(
    office: str, request: pytest.FixtureRequest
) -> None:
    for _, fresh in worked_out(office, request):
        back = read_back(encoded(fresh))
        assert [back.list_json(name) for name in LISTS] == [fresh.list_json(name) for name in LISTS]
        assert pending(back) == ["by_enterprise", "overdue"]  # the flat lists: never decoded
        assert back.to_json() == fresh.to_json() and json.dumps(back.to_json()) == json.dumps(fresh.to_json())


@pytest.mark.parametrize("content", [b"", b"[]", b"[[1], []]", b'{"a": 1}', b"[[], []]\n[]"])
def test_content_of_another_shape_is_refused(content: bytes) -> None:
    with pytest.raises((TypeError, ValueError)):
        read_back(content)


def test_content_with_a_line_more_is_refused(sample: Records) -> None:
    content = encoded(StatsEngine(sample).stats(every_period(sample)[-1]))
    assert read_back(content).period == every_period(sample)[-1].key
    with pytest.raises(TypeError):
        read_back(content + b"\n[]")


def test_a_title_edit_decodes_no_list_that_does_not_name_the_issue(
    sample: Records, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    periods, _, first, _ = hashed_first(sample, tmp_path)
    saved(first, tmp_path)
    listed = {row.issue for p in periods for row in StatsEngine(sample).stats(p).overdue}
    issue = next(i for i in sorted(sample.issues.values(), key=lambda i: i["raised"]) if i.id not in listed)
    edited = edited_copy(sample, "issue", issue.id, {"title": f"{issue['title']}（核实后）"})
    key = "records/" + os.path.relpath(issue.file, sample.root)
    store = StatsStore(tmp_path, tmp_path / "state.json", issue["raised"], frozenset({key}))
    engine = PersistedEngine(edited, store)
    monkeypatch.setattr(PeriodStats, "to_json", lambda self: pytest.fail("turned into JSON again"))
    hashes = [engine.data_hash(p) for p in periods]
    assert store.titles == {issue.id: edited.issues[issue.id]["title"]} and store.made == {}
    assert [pending(engine.stats(p)) for p in periods] == [LISTS] * len(periods)
    monkeypatch.undo()
    assert hashes == [freeze.data_hash(StatsEngine(edited).stats(p).to_json()) for p in periods]


# -- a category edit: the figures by category worked out again, the rest read back -----------------


def after_edits(
    records: Records, folder: Path, edits: dict[str, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> tuple[Records, StatsStore, PersistedEngine, list[str]]:
    """``records`` with the issues' ``edits``, a store after them and its engine; the periods the engine computes."""
    edited: Records = pickle.loads(pickle.dumps(records))
    for issue, values in edits.items():
        edited.issues[issue].data.update(values)
    computed: list[str] = []
    original = StatsEngine._stats
    # only the persisted engine's: a fresh engine's are the expected statistics
    patched = lambda e, p: (isinstance(e, PersistedEngine) and computed.append(p.key)) or original(e, p)  # noqa: E731
    monkeypatch.setattr(StatsEngine, "_stats", patched)
    keys = frozenset("records/" + os.path.relpath(records.issues[i].file, records.root) for i in edits)
    earliest = min(records.issues[i]["raised"] for i in edits)
    store = StatsStore(folder, folder / "state.json", earliest, keys)
    return edited, store, PersistedEngine(edited, store), computed


@pytest.mark.parametrize("seed", range(8))
def test_category_edits_equal_a_full_recompute(
    sample: Records, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    periods, _, first, _ = hashed_first(sample, tmp_path)
    saved(first, tmp_path)
    rng = random.Random(seed)
    edits: dict[str, dict[str, Any]] = {}
    for issue in rng.sample(sorted(sample.issues), rng.randint(1, 3)):
        category = rng.choice([c for c in CATEGORIES if c != sample.issues[issue]["category"]])
        edits[issue] = {"category": category} | ({"title": "核实后的问题"} if rng.random() < 0.5 else {})
    edited, store, engine, computed = after_edits(sample, tmp_path, edits, monkeypatch)
    for period in periods:
        fresh = StatsEngine(edited).stats(period)
        same(engine.stats(period), fresh, period.key)
        assert engine.data_hash(period) == freeze.data_hash(fresh.to_json())
    assert store.recategorised and computed == []  # read back, the figures by category worked out again
    assert engine.snapshots._made == {}  # from the moved categories' own issues
    assert store.moved == {sample.issues[i]["category"] for i in edits} | {e["category"] for e in edits.values()}
    earliest = min(sample.issues[i]["raised"] for i in edits)
    assert sorted(store.made) == sorted(f"{p.key}@{p.end}" for p in periods if p.end >= earliest)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("office", ["sample", "generated"])
def test_every_issue_of_a_category_moved_away_or_into_an_empty_one_equals_a_full_recompute(
    office: str, request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    records: Records = request.getfixturevalue(office)
    periods = every_period(records)
    kept(records, tmp_path, periods)
    rng = random.Random(seed)
    used = sorted({i["category"] for i in records.issues.values()})
    left = rng.choice(used)  # emptied: its row goes from the periods after its first issue
    joined = rng.choice([c for c in CATEGORIES if c != left])  # perhaps one no issue was under
    edits = {i.id: {"category": joined} for i in records.issues.values() if i["category"] == left}
    edited, store, engine, computed = after_edits(records, tmp_path, edits, monkeypatch)
    for period in periods:
        fresh = StatsEngine(edited).stats(period)
        same(engine.stats(period), fresh, period.key)
        assert engine.data_hash(period) == freeze.data_hash(fresh.to_json())
        assert left not in {row.value for row in fresh.by_category}
    assert computed == [] and engine.snapshots._made == {} and store.moved == {left, joined}


def test_a_category_edit_with_another_the_figures_see_is_computed(
    sample: Records, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    periods = every_period(sample)
    kept(sample, tmp_path, periods)
    issue = sorted(sample.issues.values(), key=lambda i: i["raised"])[len(sample.issues) // 2]
    category = next(c for c in CATEGORIES if c != issue["category"])
    edits = {issue.id: {"category": category, "level": "市级"}}
    edited, store, engine, computed = after_edits(sample, tmp_path, edits, monkeypatch)
    for period in periods:
        same(engine.stats(period), StatsEngine(edited).stats(period), period.key)
    assert not store.recategorised and store.titles is None
    assert sorted(computed) == sorted(p.key for p in periods if p.end >= issue["raised"]) != []


def test_the_views_are_the_edited_ones_fresh_the_others_as_kept_and_a_new_one_worked_out(sample: Records) -> None:
    """``persisted._views``: in timeline order; a view kept is taken as it is, one not kept is worked out."""
    timelines = StatsEngine(sample).timelines
    ids = [t.id for t in timelines]
    kept_ids = [*ids[1:-1], "gone"]  # the last issue is new since the last build, "gone" is not an issue now
    old = persisted.Views(kept_ids, b"k" * 16 * (len(ids) - 2) + b"g" * 16)
    views = persisted._views(timelines, ids, old, {ids[1]: b"f" * 16})
    assert views.ids == ids and len(views.joined) == 16 * len(ids)
    of = views.of(ids)
    assert list(of) == ids and of == views.of(set(ids)) and views.of(set()) == {}
    assert of[ids[0]] == issueviews.digest(timelines[0]) and of[ids[-1]] == issueviews.digest(timelines[-1])
    assert of[ids[1]] == b"f" * 16 and all(of[i] == b"k" * 16 for i in ids[2:-1])


def test_the_views_of_the_same_issues_in_the_same_order_are_the_kept_ones_with_the_fresh_in_place(
    sample: Records,
) -> None:
    timelines = StatsEngine(sample).timelines
    ids = [t.id for t in timelines]
    old = persisted.Views(list(ids), bytes(range(16)) * len(ids))
    assert persisted._views(timelines, ids, old, {}) == old
    views = persisted._views(timelines, ids, old, {ids[2]: b"f" * 16, ids[-1]: b"l" * 16})
    assert views.ids == ids and views.of({ids[2], ids[-1], ids[0]}) == {
        ids[0]: bytes(range(16)),
        ids[2]: b"f" * 16,
        ids[-1]: b"l" * 16,
    }
    assert views.joined[16 * 3 : -16] == old.joined[16 * 3 : -16]
