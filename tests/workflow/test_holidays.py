"""The holidays init seeds calendars with come from chinese-calendar; the sample's calendar files agree with it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from chinese_calendar import constants

from reportgen.workflow.holidays import calendar_for, covered_years, package_label, uncovered_note

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_CALENDARS = sorted((ROOT / "records" / "calendar").glob("*.yaml"))


@pytest.mark.parametrize("path", SAMPLE_CALENDARS, ids=lambda p: p.name)
def test_the_sample_calendars_agree_with_the_state_councils_notices(path: Path) -> None:
    data = yaml.safe_load(path.read_text("utf-8"))
    known = calendar_for(data["year"])
    assert known is not None
    assert sorted(data["holidays"]) == list(known.holidays)
    assert sorted(data.get("workdays", [])) == list(known.workdays)  # 调休 make-up workdays


def test_2026_as_announced() -> None:
    known = calendar_for(2026)
    assert known is not None and known.source == "国务院办公厅关于2026年部分节假日安排的通知"
    assert known.holidays[:3] == (dt.date(2026, 1, 1), dt.date(2026, 1, 2), dt.date(2026, 1, 3))
    assert dt.date(2026, 2, 17) in known.holidays and dt.date(2026, 10, 7) in known.holidays  # 春节, 国庆
    assert known.workdays == tuple(
        dt.date(2026, m, d) for m, d in ((1, 4), (2, 14), (2, 28), (5, 9), (9, 20), (10, 10))
    )


def test_years_the_package_does_not_cover() -> None:
    years = covered_years()
    assert years[0] == min(day.year for day in constants.holidays) and 2021 in years
    assert calendar_for(years[0] - 1) is None and calendar_for(years[-1] + 1) is None
    assert uncovered_note(1999) == (
        f"reportgen 附带的节假日数据（{package_label()}）只有 {years[0]} 至 {years[-1]} 年，"
        "没有 1999 年的放假安排：请按国务院办公厅的通知填写 1999 年的放假日期和调休上班日。"
    )
    assert package_label().startswith("chinese-calendar ")
