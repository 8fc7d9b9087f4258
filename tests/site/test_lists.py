"""Every figure's list holds exactly the records the figure counts."""

from __future__ import annotations

import pytest

from reportgen.compute.metrics import ISSUE_TESTS, LEGAL_METRICS, METRICS
from reportgen.compute.stats import StatsEngine
from reportgen.model import Records
from reportgen.render.site.context import cumulative_window, data_as_of, month_window, periods
from reportgen.render.site.keptanswers import KeptAnswers, packed, unpacked
from reportgen.render.site.lists import DERIVED, ISSUE_LISTS, LEGAL_KEYS, RESOLVED_DURING, ListIndex, Unit, Window

pytest_plugins = ["tests.site.fixtures"]

COUNTED = [m.key for m in METRICS if m.key not in DERIVED and m.unit != "%"]


def _windows(records: Records) -> list[Window]:
    start = records.config["campaign_start"]
    months = periods(start, data_as_of(records), "month")
    return [month_window(m) for m in months] + [cumulative_window(start, m) for m in months]


def test_list_lengths_equal_figures(records: Records) -> None:
    index = ListIndex(records, StatsEngine(records))
    for window in _windows(records):
        for metric in COUNTED:
            assert len(index.items(None, window, metric)) == index.figure(None, window, metric), (window, metric)


def test_legal_lists_sum_to_figures(records: Records) -> None:
    index = ListIndex(records, StatsEngine(records))
    for window in _windows(records):
        for metric in LEGAL_METRICS:
            items = index.items(None, window, metric.key)
            if metric.key == "money_recovered_yuan":
                total = sum(r.get("amount_yuan") or 0 for r in items)
            else:
                total = sum(int(r.get("count", 1)) for r in items)
            assert total == index.figure(None, window, metric.key)
            assert all(r["kind"] == LEGAL_KEYS[metric.key] for r in items)


@pytest.mark.parametrize("kind", ["department", "team"])
def test_unit_lists_equal_ranking_figures(records: Records, kind: str) -> None:
    engine = StatsEngine(records)
    index = ListIndex(records, engine)
    window = _windows(records)[-1]
    start = records.config["campaign_start"]
    month = periods(start, data_as_of(records), "month")[-1]
    stats = engine.stats(month)
    assert window == cumulative_window(start, month)
    for row in stats.by_department if kind == "department" else stats.by_team:
        unit = Unit(kind, row.id, row.name)
        for metric in ("issues_identified", "issues_resolved", "issues_open", "issues_overdue", "issues_finished"):
            assert len(index.items(unit, window, metric)) == row.figures.value(metric), (row.id, metric)


def test_rate_numerators_and_denominators(records: Records) -> None:
    index = ListIndex(records, StatsEngine(records))
    for window in _windows(records):
        for rate, (top, bottom) in DERIVED.items():
            if bottom is None:
                continue
            value = index.figure(None, window, rate)
            n, d = len(index.items(None, window, top)), len(index.items(None, window, bottom))
            assert value == (n / d if d else None), (window, rate)


def test_every_linked_list_page_exists(public_site: dict[str, bytes]) -> None:
    lists = [p for p in public_site if p.startswith("lists/")]
    assert lists
    assert all(public_site[p].startswith(b"<!DOCTYPE html>") for p in lists)


def _units(records: Records) -> list[Unit | None]:
    return [
        None,
        *(Unit("department", d, d) for d in records.departments),
        *(Unit("team", t, t) for t in records.teams),
        Unit("team", "no-such-team", "无"),
    ]


def test_counts_equal_list_lengths(records: Records) -> None:
    counted = ListIndex(records, StatsEngine(records))  # counts asked first: from the cohorts' tallies
    listed = ListIndex(records, StatsEngine(records))
    for window in _windows(records):
        for unit in _units(records):
            for metric in ISSUE_LISTS:
                expected = len(listed.items(unit, window, metric))
                assert counted.count(unit, window, metric) == expected, (window.key, unit, metric)
                assert listed.count(unit, window, metric) == expected


@pytest.mark.parametrize("kind", ["department", "team"])
def test_unit_cohorts_are_picked_out_as_a_pass_over_the_issues_would(records: Records, kind: str) -> None:
    index = ListIndex(records, StatsEngine(records))
    for window in _windows(records):
        cohort = index.cohort(None, window)
        slow = index._split_slowly(cohort, index._unit_of(kind))
        units = sorted(records.departments if kind == "department" else records.teams)
        assert set(slow) <= set(units)
        for unit in units:
            (part,) = index._split(cohort, Unit(kind, unit, unit)).values()  # one unit's, picked out alone
            whole = slow.get(unit)
            if whole is None:  # no issue raised by the window's end
                assert part.issues == [] and part.all_issues == []
                continue
            assert part.issues == whole.issues and part.all_issues == whole.all_issues
            assert {t: part.count(t) for t in ISSUE_TESTS} == {t: whole.count(t) for t in ISSUE_TESTS}


def _kept_and_own(
    records: Records, windows: list[Window], every: bool, monkeypatch: pytest.MonkeyPatch
) -> tuple[ListIndex, ListIndex]:
    """An index that placed each window in the snapshot (as a build keeps it), and one given those places whose
    engine refuses any snapshot of every issue."""
    snapshots = ListIndex(records, StatsEngine(records))
    for window in windows:
        snapshots.candidates(None, window, every=every)
    engine = StatsEngine(records)
    own = ListIndex(records, engine)
    own.remember(unpacked(packed("figures", snapshots.answers)) or KeptAnswers())

    def no_snapshot(day: object) -> None:
        raise AssertionError(f"a snapshot of every issue on {day}")

    monkeypatch.setattr(engine, "snapshot", no_snapshot)
    return snapshots, own


@pytest.mark.parametrize("kind", ["department", "team"])
def test_a_unit_cohort_from_its_own_issues_equals_the_snapshots(
    records: Records, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    windows = _windows(records)
    snapshots, own = _kept_and_own(records, windows, True, monkeypatch)
    units = [Unit(kind, u, u) for u in sorted(records.departments if kind == "department" else records.teams)]
    for window in windows:
        for unit in units:
            mine, split = own.cohort(unit, window), snapshots.cohort(unit, window)
            assert mine.issues == split.issues and mine.all_issues == split.all_issues, (window.key, unit.id)
            assert {t: mine.count(t) for t in ISSUE_TESTS} == {t: split.count(t) for t in ISSUE_TESTS}
            for metric in ISSUE_LISTS:
                assert own.items(unit, window, metric) == snapshots.items(unit, window, metric)


def test_a_window_list_from_its_own_issues_equals_the_snapshots(
    records: Records, monkeypatch: pytest.MonkeyPatch
) -> None:
    windows = _windows(records)
    snapshots, own = _kept_and_own(records, windows, False, monkeypatch)
    for window in windows:
        for metric in [*ISSUE_LISTS, RESOLVED_DURING]:
            assert own.items(None, window, metric) == snapshots.items(None, window, metric), (window.key, metric)
