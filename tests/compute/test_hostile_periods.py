"""Hostile periods and as-of dates: every user-typed period or day is refused with the reason and the
accepted (or corrected) form, exit 2, never a traceback."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CONFIG, OfficeRepo, edit

from reportgen.cli import main
from reportgen.compute.periods import PeriodError, check_calendar, parse_day, parse_period
from reportgen.workdays import DayCounter

FORMS = "月份写成 2021-09，季度写成 2021-Q3，年度写成 2021"
RANGE = "年份在 1990 到 2100 之间"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", f"没有给出时期：{FORMS}"),
        ("   ", f"没有给出时期：{FORMS}"),
        ("-1", f"时期“-1”无法识别：{FORMS}"),
        ("10000", f"时期“10000”无法识别：{FORMS}"),
        ("0000", f"时期“0000”的年份 0 超出范围：{RANGE}"),
        ("0001", f"时期“0001”的年份 1 超出范围：{RANGE}"),
        ("9999", f"时期“9999”的年份 9999 超出范围：{RANGE}"),
        ("9999-12", f"时期“9999-12”的年份 9999 超出范围：{RANGE}"),
        ("0001-Q1", f"时期“0001-Q1”的年份 1 超出范围：{RANGE}"),
        ("1989-12", f"时期“1989-12”的年份 1989 超出范围：{RANGE}"),
        ("2021-Q0", "时期“2021-Q0”的季度 Q0 不存在：季度从 Q1 到 Q4，如 2021-Q3"),
        ("2021-Q5", "时期“2021-Q5”的季度 Q5 不存在：季度从 Q1 到 Q4，如 2021-Q3"),
        ("2021-00", "时期“2021-00”的月份 0 不存在：月份从 01 到 12，如 2021-09"),
        ("2021-13", "时期“2021-13”的月份 13 不存在：月份从 01 到 12，如 2021-09"),
        ("2021-9", "时期“2021-9”的写法不对，请写成 2021-09"),
        ("2021/09", "时期“2021/09”的写法不对，请写成 2021-09"),
        ("2021.9", "时期“2021.9”的写法不对，请写成 2021-09"),
        ("202109", "时期“202109”的写法不对，请写成 2021-09"),
        ("2021年9月", "时期“2021年9月”的写法不对，请写成 2021-09"),
        ("２０２１-０９", "时期“２０２１-０９”的写法不对，请写成 2021-09"),
        ("2021q3", "时期“2021q3”的写法不对，请写成 2021-Q3"),
        ("2021 Q3", "时期“2021 Q3”的写法不对，请写成 2021-Q3"),
        ("2021年第三季度", "时期“2021年第三季度”的写法不对，请写成 2021-Q3"),
        ("2021年", "时期“2021年”的写法不对，请写成 2021"),
        ("2021/13", "时期“2021/13”的月份 13 不存在：月份从 01 到 12，如 2021-09"),
        ("٢٠٢١-09", f"时期“٢٠٢١-09”无法识别：{FORMS}"),  # Arabic-Indic digits are digits to \d, not to us
        ("../../x", f"时期“../../x”无法识别：{FORMS}"),
        ("2021-09\x1b[2J", f"时期“2021-09\\x1b[2J”无法识别：{FORMS}"),  # no terminal escape echoed raw
        ("2021-09\u202e", f"时期“2021-09\\u202e”无法识别：{FORMS}"),
        ("x" * 100_000, f"时期“{'x' * 40}…（共 100000 个字符）”无法识别：{FORMS}"),
    ],
)
def test_bad_period_is_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("text", "key", "start", "end", "previous"),
    [
        ("1990", "1990", dt.date(1990, 1, 1), dt.date(1990, 12, 31), "1989"),
        ("1990-01", "1990-01", dt.date(1990, 1, 1), dt.date(1990, 1, 31), "1989-12"),
        ("2100-12", "2100-12", dt.date(2100, 12, 1), dt.date(2100, 12, 31), "2100-11"),
        ("2100-Q4", "2100-Q4", dt.date(2100, 10, 1), dt.date(2100, 12, 31), "2100-Q3"),
        (" 2021-09\n", "2021-09", dt.date(2021, 9, 1), dt.date(2021, 9, 30), "2021-08"),
    ],
)
def test_periods_at_the_edges_of_the_range_work(
    text: str, key: str, start: dt.date, end: dt.date, previous: str
) -> None:
    period = parse_period(text)
    assert (period.key, period.start, period.end, period.previous().key) == (key, start, end, previous)
    assert [p.key for p in period.months()][-1] == end.strftime("%Y-%m")


DAY_FORM = "日期写成 年-月-日，如 2021-09-15"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", f"没有给出截止日期：{DAY_FORM}"),
        ("-1", f"截止日期“-1”无法识别：{DAY_FORM}"),
        ("2021-02-30", "截止日期“2021-02-30”不存在：2021年2月只有 28 天"),
        ("2021-02-29", "截止日期“2021-02-29”不存在：2021年2月只有 28 天"),
        ("2021-09-31", "截止日期“2021-09-31”不存在：2021年9月只有 30 天"),
        ("2021-09-00", "截止日期“2021-09-00”不存在：2021年9月只有 30 天"),
        ("2021-13-01", "截止日期“2021-13-01”的月份 13 不存在：月份从 1 到 12"),
        ("0000-01-01", f"截止日期“0000-01-01”的年份 0 超出范围：{RANGE}"),
        ("0001-01-01", f"截止日期“0001-01-01”的年份 1 超出范围：{RANGE}"),
        ("9999-12-31", f"截止日期“9999-12-31”的年份 9999 超出范围：{RANGE}"),
        ("10000-01-01", f"截止日期“10000-01-01”无法识别：{DAY_FORM}"),
        ("2021-W37-3", f"截止日期“2021-W37-3”无法识别：{DAY_FORM}"),  # ISO week dates: fromisoformat would take it
        ("2021-09-15T00:00", f"截止日期“2021-09-15T00:00”无法识别：{DAY_FORM}"),
        ("2021-9-15", "截止日期“2021-9-15”的写法不对，请写成 2021-09-15"),
        ("20210915", "截止日期“20210915”的写法不对，请写成 2021-09-15"),  # fromisoformat would take it
        ("2021/9/15", "截止日期“2021/9/15”的写法不对，请写成 2021-09-15"),
        ("2021年9月15日", "截止日期“2021年9月15日”的写法不对，请写成 2021-09-15"),
        ("2021年2月30日", "截止日期“2021年2月30日”不存在：2021年2月只有 28 天"),
    ],
)
def test_bad_as_of_date_is_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_day(text)
    assert str(caught.value) == message


def test_leap_day_is_a_day() -> None:
    assert parse_day("2020-02-29") == dt.date(2020, 2, 29)


def test_loose_patterns_stay_linear_on_long_input() -> None:
    """A 100,000-character value of spaces and digits is refused at once (no regex backtracking blow-up)."""
    code = (
        "from reportgen.compute.periods import parse_period, parse_day, PeriodError\n"
        "for text in ['2021' + ' ' * 100000 + 'x', '2021-' + '9' * 100000, '2021年' + '第' * 100000]:\n"
        "    for parse in (parse_period, parse_day):\n"
        "        try:\n"
        "            parse(text)\n"
        "        except PeriodError:\n"
        "            pass\n"
        "print('done')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, done.stdout) == (0, "done\n"), done.stderr


def test_period_past_the_working_day_calendar() -> None:
    counter = DayCounter(working=True, years=frozenset({2021, 2022}))
    with pytest.raises(PeriodError) as caught:
        check_calendar(parse_period("2023-01"), counter)
    assert str(caught.value) == (
        "2023年1月统计到 2023年1月31日，超期天数按工作日计算，需要 2023 年的节假日安排，"
        "但工作日历只有 2021、2022 年：请选择日历覆盖的时期，或在 calendar 目录中补充 2023.yaml"
    )
    check_calendar(parse_period("2022-12"), counter)  # inside: no error
    check_calendar(parse_period("2023-01"), DayCounter(working=False))  # calendar days need no calendar
    with pytest.raises(PeriodError) as caught:
        check_calendar(parse_period("2021-Q4"), DayCounter(working=True))
    assert str(caught.value) == (
        "2021年第四季度统计到 2021年12月31日，超期天数按工作日计算，需要 2021 年的节假日安排，"
        "但工作日历还没有任何年份：请选择日历覆盖的时期，或在 calendar 目录中补充 2021.yaml"
    )


# -- through the command line: exit 2, one line, no traceback ---------------------------------------


@pytest.fixture
def working(office: OfficeRepo, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The minimal repository counting working days (its calendar covers 2021 only), run from its parent."""
    office.write("config.yaml", edit(CONFIG, ("day_kind: calendar", "day_kind: working")))
    monkeypatch.chdir(office.root.parent)
    return office.root


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2022-01"], "2022年1月统计到 2022年1月31日，超期天数按工作日计算，需要 2022 年的节假日安排，"
         "但工作日历只有 2021 年：请选择日历覆盖的时期，或在 calendar 目录中补充 2022.yaml"),
        (["--period", "2021-9"], "时期“2021-9”的写法不对，请写成 2021-09"),
        (["--period", "0001"], f"时期“0001”的年份 1 超出范围：{RANGE}"),
        (["--period", "2021-Q0"], "时期“2021-Q0”的季度 Q0 不存在：季度从 Q1 到 Q4，如 2021-Q3"),
        (["--period", ""], f"没有给出时期：{FORMS}"),
        (["--period=-1"], f"时期“-1”无法识别：{FORMS}"),
        (["--as-of", "2021-02-30"], "截止日期“2021-02-30”不存在：2021年2月只有 28 天"),
        (["--as-of", "9999-12-31"], f"截止日期“9999-12-31”的年份 9999 超出范围：{RANGE}"),
        (["--as-of", "20210915"], "截止日期“20210915”的写法不对，请写成 2021-09-15"),
        (["--as-of="], f"没有给出截止日期：{DAY_FORM}"),
        (["--period", "2021-09", "--as-of", "2021-10-01"],
         "截止日期 2021-10-01 不在 2021年9月（2021-09-01 至 2021-09-30）之内"),
    ],
)  # fmt: skip
def test_stats_refuses_with_exit_2(
    working: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["stats", *args, "records"]) == 2
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", f"reportgen: {message}\n")


def test_stats_inside_the_calendar_still_works(working: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--as-of", "2021-08-31", "records"]) == 0
    assert capsys.readouterr().out.startswith("2021年8月（2021年8月1日至2021年8月31日，截至2021年8月31日）\n")


def test_stats_table_gives_a_unit_without_issues_a_dash(capsys: pytest.CaptureFixture[str]) -> None:
    sample = Path(__file__).resolve().parents[2] / "records"  # August: units with no issue yet have no score
    assert main(["stats", "--period", "2021-08", str(sample)]) == 0
    out = capsys.readouterr().out
    assert "问题   0 件  解决率      —  得分 —\n" in out


@pytest.mark.parametrize(
    ("period", "message"),
    [("2021-9", "时期“2021-9”的写法不对，请写成 2021-09"), ("9999-12", f"时期“9999-12”的年份 9999 超出范围：{RANGE}")],
)
def test_build_period_is_checked_before_anything_is_built(
    working: Path, capsys: pytest.CaptureFixture[str], period: str, message: str
) -> None:
    assert main(["build", "records", "--out", "out", "--period", period, "--no-pdf"]) == 2
    assert capsys.readouterr().err == f"reportgen: {message}\n"
    assert not (working.parent / "out").exists()
