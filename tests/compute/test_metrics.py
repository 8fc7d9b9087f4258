"""Every metric against figures worked out by hand for the scenario in scenario.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reportgen.compute import compute_stats
from reportgen.compute.periods import parse_period
from reportgen.model import Records
from reportgen.validate import check_repository
from tests.compute.scenario import scenario_files, write_repository


def load(tmp_path: Path, **config: Any) -> Records:
    validated = check_repository(write_repository(tmp_path / "records", scenario_files(config)))
    assert validated.report.problems == []
    return validated.records


@pytest.fixture
def records(tmp_path: Path) -> Records:
    return load(tmp_path)


def test_september_cumulative(records: Records) -> None:
    cum = compute_stats(records, parse_period("2021-09"))["cumulative"]
    expected = {
        "enterprises_in_library": 3,
        "enterprises_joined": 3,
        "enterprises_visited": 2,
        "visits": 3,
        "issues_identified": 5,
        "issues_resolved": 2,
        "issues_closed": 1,
        "issues_open": 1,
        "issues_long_term": 1,
        "issues_answered": 1,
        "issues_finished": 4,
        "issues_overdue": 1,
        "issues_finished_late": 1,
        "issues_escalated": 0,
        "issues_resolved_during": 2,
        "resolution_rate": 0.4,
        "completion_rate": 0.8,
        "on_time_rate": 0.75,
        "response_rate": 0.8,
        "satisfaction_rate": 0.5,
        "issues_rated": 2,
        "median_days_to_resolve": 13.0,
        "mean_days_to_resolve": 13.0,
    }
    assert {k: cum[k] for k in expected} == expected
    assert cum["legal"]["lectures"] == 3
    assert cum["legal"]["money_recovered_yuan"] == 100000
    assert cum["legal"]["contracts_reviewed"] == 0  # dated in October: does not exist yet


def test_september_in_period_and_previous(records: Records) -> None:
    stats = compute_stats(records, parse_period("2021-09"))
    cur, prev = stats["in_period"], stats["previous"]
    assert (cur["issues_identified"], cur["issues_resolved"], cur["resolution_rate"]) == (3, 0, 0.0)
    assert (cur["visits"], cur["enterprises_visited"], cur["enterprises_joined"]) == (1, 1, 1)
    assert cur["issues_resolved_during"] == 1  # Q0002, raised in August, resolved 9-10
    assert cur["satisfaction_rate"] is None  # no rating among September's issues: no division by zero
    assert stats["previous_period"] == "2021-08"
    # August as of 8-31: Q0002 was still only assigned then
    assert (prev["issues_identified"], prev["issues_resolved"], prev["issues_open"]) == (2, 1, 1)


def test_as_of_replay_later_resolution_does_not_change_september(records: Records) -> None:
    september = compute_stats(records, parse_period("2021-09"))
    october = compute_stats(records, parse_period("2021-10"))
    assert september["cumulative"]["issues_resolved"] == 2
    assert october["cumulative"]["issues_resolved"] == 3  # Q0003 resolved 10-03
    assert october["cumulative"]["issues_finished_late"] == 2  # ... after its 9-25 deadline
    assert [row["issue"] for row in september["overdue"]] == ["Q0003"]
    assert september["overdue"][0]["days_overdue"] == 5
    assert october["overdue"] == []


def test_enterprise_that_left_counts_before_leaving(records: Records) -> None:
    assert compute_stats(records, parse_period("2021-10"))["cumulative"]["enterprises_in_library"] == 3
    assert compute_stats(records, parse_period("2021-11"))["cumulative"]["enterprises_in_library"] == 2


def test_as_of_date_cuts_the_period(records: Records) -> None:
    stats = compute_stats(records, parse_period("2021-09").as_of(__import__("datetime").date(2021, 9, 14)))
    assert stats["as_of"] == "2021-09-14"
    assert stats["cumulative"]["issues_identified"] == 3  # Q0004, Q0005 not raised yet
    assert stats["in_period"]["issues_identified"] == 1


def test_empty_period_has_zero_counts_and_null_rates(records: Records) -> None:
    stats = compute_stats(records, parse_period("2021-07"))
    cur = stats["in_period"]
    assert cur["issues_identified"] == 0 and cur["visits"] == 0
    assert cur["resolution_rate"] is None and cur["on_time_rate"] is None
    assert cur["median_days_to_resolve"] is None
    assert stats["overdue"] == []
    # every department is listed, with no issues, no rates and no rank
    assert [(r["id"], r["issues_identified"], r["resolution_rate"], r["rank"]) for r in stats["by_department"]] == [
        ("D01", 0, None, None),
        ("D02", 0, None, None),
        ("D03", 0, None, None),
    ]


def test_department_ranking_with_minimum_sample(records: Records) -> None:
    rows = compute_stats(records, parse_period("2021-09"))["by_department"]
    summary = [(r["id"], r["rank"], r["score"], r["ranked"]) for r in rows]
    # D01: 100*(0.4*1 + 0.3*0.5 + 0.3*0.5) = 70.0; D02: no rating → (0.4*0 + 0.3*1)/0.7 = 42.9
    assert summary == [("D01", 1, 70.0, True), ("D02", 2, 42.9, True), ("D03", None, 42.9, False)]
    assert rows[2]["not_ranked_reason"] == "问题数少于 2 件，不参与排名"


def test_satisfied_only_formula(tmp_path: Path) -> None:
    records = load(tmp_path, satisfaction="satisfied_only")
    cum = compute_stats(records, parse_period("2021-10"))["cumulative"]
    assert cum["satisfaction_rate"] == 0.5  # 满意 1 of 2 ratings either way here
    files = scenario_files({"satisfaction": "satisfied_only"})
    files["issues/2021-08/Q0002.yaml"]["rating"]["result"] = "基本满意"
    both = scenario_files()
    both["issues/2021-08/Q0002.yaml"]["rating"]["result"] = "基本满意"
    only = check_repository(write_repository(tmp_path / "only", files)).records
    default = check_repository(write_repository(tmp_path / "both", both)).records
    period = parse_period("2021-09")
    assert compute_stats(only, period)["cumulative"]["satisfaction_rate"] == 0.5
    assert compute_stats(default, period)["cumulative"]["satisfaction_rate"] == 1.0


def test_quarter_lists_its_months(records: Records) -> None:
    stats = compute_stats(records, parse_period("2021-Q3"))
    assert [m["period"] for m in stats["months"]] == ["2021-07", "2021-08", "2021-09"]
    assert [m["in_period"]["issues_identified"] for m in stats["months"]] == [0, 2, 3]
    assert stats["previous_period"] == "2021-Q2"


def test_category_breakdown(records: Records) -> None:
    rows = compute_stats(records, parse_period("2021-09"))["by_category"]
    water = next(r for r in rows if r["category"] == "水电")
    assert (water["issues_identified"], water["issues_resolved"], water["resolution_rate"]) == (
        2,
        2,
        1.0,
    )
    assert (water["in_period_identified"], water["previous_identified"]) == (0, 2)
