"""build --as-of: the day unfinished periods are computed as of, and its usage error."""

from __future__ import annotations

import pytest

from reportgen.cli import main


def test_build_as_of_must_be_a_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--as-of", "2021-13-01", "records"]) == 2
    err = capsys.readouterr().err
    assert "reportgen build：错误：参数 --as-of：日期应写成 YYYY-MM-DD，实际写的是“2021-13-01”\n" in err


def test_build_as_of_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--lang", "en", "--as-of", "tomorrow", "records"]) == 2
    err = capsys.readouterr().err
    assert "argument --as-of: a date must be YYYY-MM-DD, not 'tomorrow'\n" in err
