"""The typed results hold exactly the registry's keys, and ``to_json`` keeps the JSON contract."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from reportgen.compute.metrics import LEGAL_METRICS, METRICS, group
from reportgen.compute.periods import parse_period
from reportgen.compute.results import Figures, LegalFigures, UnitFigures
from reportgen.compute.stats import StatsEngine
from reportgen.validate import check_repository
from tests.compute.scenario import scenario_files, write_repository


def _names(cls: type) -> list[str]:
    return [f.name for f in fields(cls)]


def test_figures_fields_are_the_registry_keys_in_order() -> None:
    assert _names(Figures) == [m.key for m in METRICS] + ["legal"]
    assert _names(LegalFigures) == [m.key for m in LEGAL_METRICS]
    assert tuple(_names(UnitFigures)) == group("unit")


def test_to_json_keeps_the_stats_keys(tmp_path: Path) -> None:
    records = check_repository(write_repository(tmp_path / "records", scenario_files())).records
    stats = StatsEngine(records).stats(parse_period("2021-Q3"))
    data = stats.to_json()
    assert list(data) == [
        "period",
        "kind",
        "name",
        "start",
        "counted_from",
        "end",
        "as_of",
        "campaign_start",
        "day_unit",
        "cumulative",
        "in_period",
        "previous_period",
        "has_previous",
        "previous",
        "by_department",
        "by_team",
        "by_category",
        "by_level",
        "by_enterprise",
        "overdue",
        "months",
    ]
    row = data["by_department"][0]
    assert list(row)[:4] == ["id", "name", "short_name", "issues_identified"]
    assert list(row)[-5:] == ["score", "ranked", "not_ranked_reason", "rank", "tied"]
    assert data["cumulative"]["issues_resolved"] == stats.cumulative.issues_resolved == 2
    assert data["overdue"][0] == {
        "issue": "Q0003",
        "title": "用地问题",
        "enterprise": "E002",
        "enterprise_name": "企业2有限公司",
        "department": "D02",
        "department_name": "区自然资源局",
        "raised": "2021-09-12",
        "deadline": "2021-09-25",
        "days_overdue": 5,
        "days_overdue_unit": "天",
        "status": "办理中",
        "level": "区级",
    }
