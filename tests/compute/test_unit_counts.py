"""Every unit's figures, tallied in one pass by (unit, flags), equal a plain pass over the unit's own issues.

``StatsEngine`` gives a department's, team's, category's or level's cohort by its counts
alone (the unit figures are counts and rates of counts); here each is held to a cohort
of the unit's issues with nothing preset, as of every month end, and the breakdowns'
in-period columns to a plain count of the window's issues.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from reportgen.compute.metrics import IDENTIFIED, Pair
from reportgen.compute.periods import periods_between
from reportgen.compute.stats import StatsEngine
from reportgen.model import Records
from reportgen.schema.kinds import CATEGORIES, LEVELS
from reportgen.validate import check_repository
from tests.modules import bench_synth

SAMPLE = Path(__file__).resolve().parents[2] / "records"

synth = bench_synth()
GENERATED = synth.Scale(
    enterprises=30,
    issues=160,
    visits=20,
    staff=24,
    departments=6,
    teams=4,
    legal=5,
    rectifications=5,
    seed=9,
    start=dt.date(2021, 8, 1),
    months=5,
)


@pytest.fixture(scope="module", params=["sample", "generated"])
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> StatsEngine:
    folder = SAMPLE
    if request.param == "generated":
        folder = tmp_path_factory.mktemp("generated") / "records"
        synth.generate(folder, GENERATED)
    validated = check_repository(folder, use_cache=False)
    assert not [p for p in validated.report.problems if p.code.startswith("E")]
    return StatsEngine(validated.records)


def month_ends(records: Records) -> list[dt.date]:
    last = max(i["raised"] for i in records.issues.values())
    return [m.end for m in periods_between(records.config["campaign_start"], last, "month")]


def unit_of(engine: StatsEngine, kind: str) -> Callable[[Pair], str | None]:
    """What an issue (with its state on the day) is counted under."""
    by_kind: dict[str, Callable[[Pair], str | None]] = {
        "department": lambda p: p[0].lead_department,
        "team": lambda p: engine.team_of.get(p[0].enterprise),
        "category": lambda p: p[0].category,
        "level": lambda p: p[1].level,
    }
    return by_kind[kind]


def by_unit(pairs: list[Pair], unit: Callable[[Pair], str | None]) -> dict[str, list[Pair]]:
    grouped: dict[str, list[Pair]] = {}
    for pair in pairs:
        key = unit(pair)
        if key is not None:
            grouped.setdefault(key, []).append(pair)
    return grouped


@pytest.mark.parametrize("kind", ["department", "team", "category", "level"])
def test_cumulative_unit_figures_equal_a_plain_pass(engine: StatsEngine, kind: str) -> None:
    start = engine.campaign_start
    compared = 0
    for as_of in month_ends(engine.records):
        pairs = [p for p in engine.states_at(as_of) if p[0].raised >= start]
        plain = {
            unit: engine._unit_figures(engine._narrowed(start, as_of, issues))  # nothing preset: one plain pass
            for unit, issues in by_unit(pairs, unit_of(engine, kind)).items()
        }
        assert engine._cumulative_units(as_of, kind) == plain, (kind, as_of)
        compared += len(plain)
    assert compared >= 10


@pytest.mark.parametrize(("kind", "values"), [("category", CATEGORIES), ("level", LEVELS)])
def test_breakdown_in_period_columns_are_plain_counts(engine: StatsEngine, kind: str, values: tuple[str, ...]) -> None:
    last = max(i["raised"] for i in engine.records.issues.values())
    for period in periods_between(engine.campaign_start, last, "month"):
        start = engine.counted_from(period)
        window = [p for p in engine.states_at(period.end) if p[0].raised >= start]
        grouped = by_unit(window, unit_of(engine, kind))
        rows = {r.value: r for r in engine.breakdown(period, kind, values, keep_empty=True)}
        for value in values:
            issues = grouped.get(value, [])
            assert rows[value].in_period_identified == len(issues), (period.key, value)
            assert rows[value].in_period_resolved == sum(1 for _, s in issues if s.is_resolved), (period.key, value)


def test_identified_is_a_count_like_the_others(engine: StatsEngine) -> None:
    as_of = month_ends(engine.records)[-1]
    cohort = engine.cohort(engine.campaign_start, as_of)
    assert (
        cohort.count(IDENTIFIED)
        == len(cohort.issues)
        == engine._narrowed(engine.campaign_start, as_of, cohort.issues).count(IDENTIFIED)
    )
    assert len(cohort.issues) > 50
