"""build --as-of: the day unfinished periods are computed as of, and its usage error."""

from __future__ import annotations

import pytest

from reportgen.cli import main


def test_build_as_of_must_be_a_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--as-of", "2021-13-01", "records"]) == 2
    err = capsys.readouterr().err
    assert "reportgen build：错误：参数 --as-of：截止日期“2021-13-01”的月份 13 不存在：月份从 1 到 12\n" in err


def test_build_as_of_names_a_day_its_month_does_not_have(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--as-of", "2026-11-31", "records"]) == 2  # as stats --as-of says it
    assert "参数 --as-of：截止日期“2026-11-31”不存在：2026年11月只有 30 天\n" in capsys.readouterr().err


def test_build_as_of_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--lang", "en", "--as-of", "tomorrow", "records"]) == 2
    err = capsys.readouterr().err
    assert (
        "argument --as-of: the cut-off date 'tomorrow' is not recognised: "
        "write the date as YEAR-MONTH-DAY, e.g. 2021-09-15\n" in err
    )
