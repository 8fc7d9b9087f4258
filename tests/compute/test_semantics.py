"""The settled semantics of issue 13, one test per rule, on hand-built records.

Each test builds a small office (the scenario's enterprises, departments and calendar,
with its own issues) and checks figures worked out by hand in the comments.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from reportgen.compute import compute_stats
from reportgen.compute.periods import parse_period
from reportgen.compute.stats import StatsEngine
from reportgen.formatting import half_up, percent
from reportgen.model import Records
from reportgen.render.wording import days_text
from reportgen.validate import check_repository
from tests.compute.scenario import D, history, scenario_files, write_repository

Step = tuple[dt.date, str]


def issue(
    issue_id: str, raised: dt.date, steps: list[Step], dept: str = "D01", enterprise: str = "E001", **extra: Any
) -> dict[str, Any]:
    """An issue record raised on ``raised`` with the given (date, status) history."""
    return {
        "id": issue_id,
        "enterprise": enterprise,
        "raised": raised,
        "source": "走访",
        "category": "水电",
        "title": "问题",
        "description": "情况说明。",
        "lead_department": dept,
        **extra,
        "history": history(*steps),
    }


def office(tmp_path: Path, issues: list[dict[str, Any]], **config: Any) -> Records:
    """The scenario's office with exactly ``issues`` (and its other records), validated."""
    files = {k: v for k, v in scenario_files(config).items() if not k.startswith("issues/")}
    for record in issues:
        files[f"issues/{record['raised']:%Y-%m}/{record['id']}.yaml"] = record
    validated = check_repository(write_repository(tmp_path / "records", files))
    assert validated.report.problems == []
    return validated.records


def cumulative(records: Records, period: str, as_of: dt.date | None = None) -> dict[str, Any]:
    """The cumulative figures of ``period`` (cut at ``as_of`` when given)."""
    p = parse_period(period)
    result: dict[str, Any] = compute_stats(records, p.as_of(as_of) if as_of else p)["cumulative"]
    return result


# 1. Outcome versus closure ---------------------------------------------------------------


def test_closure_confirms_the_ending_and_never_changes_it(tmp_path: Path) -> None:
    records = office(
        tmp_path,
        [
            # a refusal, answered 9-05 and closed 9-12: answered, never resolved; finished 9-05 ≤ 9-10
            issue(
                "Q0001",
                D(2021, 9, 1),
                [
                    (D(2021, 9, 1), "问题收集"),
                    (D(2021, 9, 2), "分办交办"),
                    (D(2021, 9, 5), "已答复"),
                    (D(2021, 9, 12), "销号"),
                ],
                deadline=D(2021, 9, 10),
            ),
            # resolved 9-08, closed 9-15: resolved (7 days from 9-01), finished 9-08 ≤ 9-10
            issue(
                "Q0002",
                D(2021, 9, 1),
                [
                    (D(2021, 9, 1), "问题收集"),
                    (D(2021, 9, 2), "分办交办"),
                    (D(2021, 9, 8), "已解决"),
                    (D(2021, 9, 15), "销号"),
                ],
                deadline=D(2021, 9, 10),
            ),
        ],
    )
    cum = cumulative(records, "2021-09")
    # identified 2; resolved 1 (Q0002); answered 1 (Q0001); both closed and finished, both on time
    assert (cum["issues_identified"], cum["issues_resolved"], cum["issues_answered"]) == (2, 1, 1)
    assert (cum["issues_closed"], cum["issues_finished"], cum["issues_finished_late"]) == (2, 2, 0)
    assert cum["resolution_rate"] == 0.5  # 1 ÷ 2: the closed refusal does not raise it
    assert cum["on_time_rate"] == 1.0  # 2 ÷ 2: Q0001 finished on its answer (9-05), not its closure (9-12)
    assert cum["issues_resolved_during"] == 1  # only Q0002's 9-08
    assert cum["median_days_to_resolve"] == 7.0  # Q0002: 9-01 → 9-08


# 2. The finish date and the resolution date ------------------------------------------------


def test_finish_date_and_resolution_date(tmp_path: Path) -> None:
    records = office(
        tmp_path,
        [
            # long-term 8-10 (deadline 8-20), resolved 9-20: finished 8-10 (on time), resolved 9-20 (49 days)
            issue(
                "Q0001",
                D(2021, 8, 2),
                [
                    (D(2021, 8, 2), "问题收集"),
                    (D(2021, 8, 3), "分办交办"),
                    (D(2021, 8, 10), "长期推进"),
                    (D(2021, 9, 20), "已解决"),
                ],
                deadline=D(2021, 8, 20),
            ),
            # resolved 8-05, reopened 8-09, resolved again 9-10 (deadline 8-31): the latest run counts,
            # finished 9-10 (late), resolved 9-10 (39 days from 8-02)
            issue(
                "Q0002",
                D(2021, 8, 2),
                [
                    (D(2021, 8, 2), "问题收集"),
                    (D(2021, 8, 3), "分办交办"),
                    (D(2021, 8, 5), "已解决"),
                    (D(2021, 8, 9), "办理中"),
                    (D(2021, 9, 10), "已解决"),
                ],
                deadline=D(2021, 8, 31),
            ),
        ],
    )
    september = compute_stats(records, parse_period("2021-09"))
    cum = september["cumulative"]
    assert (cum["issues_resolved"], cum["issues_finished"], cum["issues_finished_late"]) == (2, 2, 1)
    assert cum["on_time_rate"] == 0.5  # Q0001 on time (8-10 ≤ 8-20), Q0002 late (9-10 > 8-31)
    assert (cum["median_days_to_resolve"], cum["mean_days_to_resolve"]) == (44.0, 44.0)  # (49 + 39) ÷ 2
    assert september["in_period"]["issues_resolved_during"] == 2  # 9-20 and 9-10, both in September
    # as of 8-31: Q0001 long-term, Q0002 reopened — nothing resolved during August
    august = compute_stats(records, parse_period("2021-08"))["in_period"]
    assert (august["issues_resolved_during"], august["issues_long_term"], august["issues_open"]) == (0, 1, 1)
    # August's finished: Q0001 since 8-10, on time; the reopened Q0002 is not finished
    assert (august["issues_finished"], august["on_time_rate"]) == (1, 1.0)


# 3. Time limits are dates ------------------------------------------------------------------


def test_response_window_and_deadline_are_both_last_allowed_dates(tmp_path: Path) -> None:
    # Working days, 3 for a response.  Raised Tuesday 9-07: the third working day after is Friday 9-10.
    records = office(
        tmp_path,
        [
            # first action Saturday 9-11: after Friday 9-10, not responded (counting elapsed working
            # days would have said Wed, Thu, Fri = 3 ≤ 3); finished the same Saturday with a
            # 3-working-day limit (last day 9-10): late — the same date, the same answer
            issue(
                "Q0001",
                D(2021, 9, 7),
                [(D(2021, 9, 7), "问题收集"), (D(2021, 9, 11), "已答复")],
                time_limit_days=3,
            ),
            # first action Friday 9-10: the last allowed day, responded
            issue(
                "Q0002",
                D(2021, 9, 7),
                [(D(2021, 9, 7), "问题收集"), (D(2021, 9, 10), "分办交办"), (D(2021, 9, 10), "已解决")],
                time_limit_days=3,
            ),
        ],
        day_kind="working",
    )
    cum = cumulative(records, "2021-09")
    assert cum["response_rate"] == 0.5  # Q0002 only
    assert (cum["issues_finished"], cum["issues_finished_late"], cum["on_time_rate"]) == (2, 1, 0.5)


# 4. The overdue count and the overdue list ---------------------------------------------------


def test_overdue_count_and_list_are_the_same_issues(tmp_path: Path) -> None:
    steps = [(D(2021, 9, 6), "问题收集"), (D(2021, 9, 7), "分办交办")]
    records = office(
        tmp_path,
        [
            issue("Q0001", D(2021, 9, 6), steps, deadline=D(2021, 9, 10)),  # Friday
            issue("Q0002", D(2021, 9, 6), steps, deadline=D(2021, 9, 8)),  # Wednesday
        ],
        day_kind="working",
    )
    # as of Sunday 9-12, both open past their deadlines: both overdue
    stats = compute_stats(records, parse_period("2021-09").as_of(D(2021, 9, 12)))
    assert stats["cumulative"]["issues_overdue"] == 2
    listed = [(r["issue"], r["days_overdue"], r["days_overdue_unit"]) for r in stats["overdue"]]
    # Q0001: working days after Friday up to Sunday: none; Q0002: Thursday and Friday
    assert listed == [("Q0001", 0, "个工作日"), ("Q0002", 2, "个工作日")]
    assert [days_text(n, unit) for _, n, unit in listed] == ["不足1个工作日", "2个工作日"]
    ledger = StatsEngine(records).ledger(D(2021, 9, 12))
    assert [(r.issue.id, r.overdue, r.days_overdue) for r in ledger] == [("Q0001", True, 0), ("Q0002", True, 2)]


def test_overdue_days_in_calendar_days_say_so(tmp_path: Path) -> None:
    steps = [(D(2021, 9, 6), "问题收集"), (D(2021, 9, 7), "分办交办")]
    records = office(tmp_path, [issue("Q0001", D(2021, 9, 6), steps, deadline=D(2021, 9, 10))])
    stats = compute_stats(records, parse_period("2021-09").as_of(D(2021, 9, 12)))
    row = stats["overdue"][0]
    assert days_text(row["days_overdue"], row["days_overdue_unit"]) == "2天"  # 9-11 and 9-12


# 5. Rounding is 四舍五入 --------------------------------------------------------------------


def test_scores_and_percentages_round_half_up_and_ties_are_on_the_printed_score(tmp_path: Path) -> None:
    open_steps = [(D(2021, 9, 1), "问题收集"), (D(2021, 9, 2), "分办交办")]
    done_steps = [*open_steps, (D(2021, 9, 3), "已解决")]

    def unit(dept: str, count: int, resolved: int, first: int) -> list[dict[str, Any]]:
        return [
            issue(f"Q{first + i:04d}", D(2021, 9, 1), done_steps if i < resolved else open_steps, dept=dept)
            for i in range(count)
        ]

    records = office(
        tmp_path,
        unit("D01", 16, 1, 1) + unit("D02", 63, 4, 101),
        ranking_weights={"resolution_rate": 1.0},
    )
    rows = {r["id"]: r for r in compute_stats(records, parse_period("2021-09"))["by_department"]}
    # D01: 1 ÷ 16 = 0.0625 → 6.25 → 6.3 (Python's round gives 6.2)
    assert rows["D01"]["score"] == 6.3 and round(6.25, 1) == 6.2
    assert percent(rows["D01"]["resolution_rate"]) == "6.3%"
    # D02: 4 ÷ 63 = 0.063492… → 6.3: the same printed score, so the same rank, both marked tied
    assert rows["D02"]["score"] == 6.3
    assert [(r["rank"], r["tied"]) for r in (rows["D01"], rows["D02"])] == [(1, True), (1, True)]
    assert str(half_up(88.25)) == "88.3" and percent(0.8825) == "88.3%"


# 6. Units with no issues are listed ---------------------------------------------------------


def test_units_and_levels_with_no_issues_are_listed(tmp_path: Path) -> None:
    steps = [(D(2021, 9, 1), "问题收集"), (D(2021, 9, 2), "分办交办"), (D(2021, 9, 3), "已解决")]
    records = office(tmp_path, [issue("Q0001", D(2021, 9, 1), steps), issue("Q0002", D(2021, 9, 1), steps)])
    stats = compute_stats(records, parse_period("2021-09"))
    # D01 has both issues (ranked: 2 ≥ the minimum 2); D02 and D03 none: listed, 0, no rates, no rank
    departments = [(r["id"], r["issues_identified"], r["resolution_rate"], r["rank"]) for r in stats["by_department"]]
    assert departments == [("D01", 2, 1.0, 1), ("D02", 0, None, None), ("D03", 0, None, None)]
    assert stats["by_department"][1]["not_ranked_reason"] == "问题数少于 2 件，不参与排名"
    levels = [(r["level"], r["issues_identified"], r["in_period_identified"]) for r in stats["by_level"]]
    assert levels == [("区级", 2, 2), ("市级", 0, 0), ("省级", 0, 0)]


# 7. Windows are clipped to the campaign -----------------------------------------------------


def test_windows_are_clipped_to_the_campaign_start(tmp_path: Path) -> None:
    files = {k: v for k, v in scenario_files().items() if not k.startswith("issues/")}
    files["enterprises/E001.yaml"]["joined"] = D(2021, 7, 15)  # before the campaign (8-01)
    records = check_repository(write_repository(tmp_path / "records", files)).records
    year = compute_stats(records, parse_period("2021"))
    # joined on or after 8-01: E002 (8-10) and E003 (9-05); E001 joined before the campaign
    assert year["counted_from"] == "2021-08-01"
    assert (year["in_period"]["enterprises_joined"], year["cumulative"]["enterprises_joined"]) == (2, 2)
    assert year["cumulative"]["enterprises_in_library"] == 2  # E003 left 11-15
    # August's 环比 would compare with July, before the campaign: no figures to compare with
    august = compute_stats(records, parse_period("2021-08"))
    assert august["has_previous"] is False
    assert august["previous"]["visits"] is None and august["previous"]["legal"]["lectures"] is None
    assert compute_stats(records, parse_period("2021-09"))["has_previous"] is True
