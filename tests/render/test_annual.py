"""年考核: the annual assessment ranks and grades units on the printed score, by the configured thresholds."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from reportgen.compute.periods import parse_period
from reportgen.compute.results import UnitRow
from reportgen.compute.stats import StatsEngine
from reportgen.model import Records
from reportgen.render.annual import Grade, configured_grades, grade_of, printed_score, thresholds_text
from reportgen.render.bulletins import bulletin_periods
from reportgen.validate import check_repository
from tests.render.fixture import load, render

SAMPLE = Path(__file__).resolve().parents[2] / "records"


@pytest.fixture(scope="module")
def unit(records: Records) -> UnitRow:
    """A ranked department of the render office, its score set by each test."""
    return next(r for r in StatsEngine(records).stats(parse_period("2021")).by_department if r.ranked)


@pytest.mark.parametrize(
    ("score", "printed", "grade"),
    [
        (100.0, "100.0", "优秀"),
        (90.0, "90.0", "优秀"),
        (89.95, "90.0", "优秀"),  # printed 90.0: graded on what the page says
        (89.94, "89.9", "良好"),
        (80.0, "80.0", "良好"),
        (79.95, "80.0", "良好"),
        (79.9, "79.9", "一般"),
        (60.0, "60.0", "一般"),
        (59.95, "60.0", "一般"),
        (59.94, "59.9", "较差"),
        (0.0, "0.0", "较差"),
    ],
)
def test_grades_follow_the_default_thresholds_on_the_printed_score(
    records: Records, unit: UnitRow, score: float, printed: str, grade: str
) -> None:
    assert str(printed_score(score)) == printed
    assert grade_of(replace(unit, score=score), configured_grades(records)) == grade


def test_an_unranked_unit_is_not_graded(records: Records, unit: UnitRow) -> None:
    assert grade_of(replace(unit, ranked=False, score=95.0), configured_grades(records)) == "不评定"


def test_the_configured_grades_replace_the_defaults(tmp_path: Path, unit: UnitRow) -> None:
    config = {"grades": [{"name": "不达标", "min": 0}, {"name": "达标", "min": 75}]}
    records = load(tmp_path / "records", config=config)
    grades = configured_grades(records)
    assert [g.name for g in grades] == ["达标", "不达标"]  # highest threshold first, whatever the order given
    assert grade_of(replace(unit, score=74.95), grades) == "达标"
    assert grade_of(replace(unit, score=74.94), grades) == "不达标"
    assert thresholds_text(grades) == "75分及以上为达标，75分以下为不达标"


def test_thresholds_are_written_from_the_grades() -> None:
    grades = [Grade(n, Decimal(m)) for n, m in (("优秀", 90), ("良好", 80), ("一般", 60), ("较差", 0))]
    assert thresholds_text(grades) == (
        "90分及以上为优秀，80分至90分（不含）为良好，60分至80分（不含）为一般，60分以下为较差"
    )


def test_every_year_of_the_campaign_has_an_annual_assessment(records: Records) -> None:
    assert [p.key for kind, p in bulletin_periods(records) if kind == "annual"] == ["2021"]


def test_the_samples_2021_annual_assessment_grades_every_unit_by_its_printed_score() -> None:
    validated = check_repository(SAMPLE)
    assert validated.report.valid
    records = validated.records
    info, html = render(records, "annual", "2021")
    assert (info.id, info.title, info.issued) == ("2021-annual", "关于2021年度“万人助万企”活动考核情况的通报", None)
    assert '<p class="docno">（草稿）</p>' in html  # number 20 is proposed, not yet issued
    assert "90分及以上为优秀，80分至90分（不含）为良好，60分至80分（不含）为一般，60分以下为较差" in html
    assert "考核结果作为单位年度目标考核和干部评先评优的重要依据。" in html  # the office's commentary
    graded = 0
    for table in re.findall(r'<table class="ranking grades">(.*?)</table>', html, re.S):
        for cells in re.findall(r"<tr[^>]*>(<td.*?)</tr>", table):
            rank, _name, *_figures, score, grade = re.findall(r"<td[^>]*>(.*?)</td>", cells)
            if rank == "不排名":
                assert (score, grade) == ("—", "不评定")
                continue
            points = float(score)
            expected = "优秀" if points >= 90 else "良好" if points >= 80 else "一般" if points >= 60 else "较差"
            assert grade == expected
            graded += 1
    year = StatsEngine(records).stats(parse_period("2021"))
    assert graded == sum(r.ranked for r in year.by_department + year.by_team) > 0
