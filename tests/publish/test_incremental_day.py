"""The build's day (``--as-of``) matters only to periods it cuts short: a later day re-renders no more."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from reportgen import filewalk
from reportgen.publish.build import BuildResult
from tests.publish.test_build import make_office, run


@pytest.fixture(autouse=True)
def trust_listings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Treat every file as older than the racy window (tests cannot age a file's ctime); a cache of our own."""
    monkeypatch.setattr(filewalk, "RACY_NS", 0)
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "check-cache"))


def _settled(records: Path, out: Path, day: dt.date) -> BuildResult:
    """A build as of ``day`` whose listing is saved (the first one writes frozen figures into the records)."""
    assert run(records, out, as_of=day).ok
    return run(records, out, as_of=day)


def test_a_later_day_past_every_period_is_a_noop(tmp_path: Path) -> None:
    records, out = make_office(tmp_path), tmp_path / "output"
    assert _settled(records, out, dt.date(2022, 3, 1)).unchanged
    later = run(records, out, as_of=dt.date(2022, 6, 1))
    assert later.unchanged and later.html_rendered == 0


def test_a_later_day_inside_a_period_renders_only_the_periods_it_cuts(tmp_path: Path) -> None:
    records, out = make_office(tmp_path), tmp_path / "output"
    _settled(records, out, dt.date(2021, 11, 10))
    periods = [entry["period"] for entry in json.loads((out / "manifest.json").read_text("utf-8"))]
    later = run(records, out, as_of=dt.date(2021, 11, 20))
    assert later.ok and not later.unchanged
    assert periods == ["2021-08", "2021-09", "2021-10", "2021-11", "2021-Q3", "2021-Q4", "2021"]
    assert (later.html_rendered, later.html_reused) == (3, 4)  # 2021-11, 2021-Q4 and 2021 are cut at the day
