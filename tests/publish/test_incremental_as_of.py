"""A bulletin cut short at its as-of day is stamped with the hash of the figures it prints.

Its data hash was once worked out for the whole period, so it counted issues raised after
the as-of day; deleting such an issue left the bulletin of an incremental build with the old
hash while a cold build had a new one (found by ``bench/incremental_property`` at 10k).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from reportgen import filewalk
from reportgen.compute import freeze
from reportgen.compute.periods import parse_period
from reportgen.compute.stats import StatsEngine
from reportgen.publish.build import BuildOptions, build
from reportgen.validate import check_repository, filecache
from tests.publish.test_incremental_property import SMALL, _tree, prepared, synth

AS_OF = dt.date(2021, 11, 20)
LATE = "issues/2021-11/Q0070.yaml"  # raised 2021-11-29, after the as-of day


def _built(records: Path, out: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> str | None:
    """Build; the data hash the November notice is stamped with."""
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(cache))
    result = build(BuildOptions(records, out, pdf=False, as_of=AS_OF))
    assert result.ok
    return next(info.data_hash for info in result.bulletins if info.id == "2021-11-monthly")


def test_deleting_an_issue_raised_after_the_as_of_day_leaves_the_bulletins_as_a_cold_build_makes_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(filewalk, "RACY_NS", 0)
    monkeypatch.setattr(filecache, "RACY_NS", 0, raising=False)
    records = tmp_path / "records"
    synth.generate(records, SMALL)
    prepared(records)  # drafts published: the November notice, cut short at the as-of day, is on the site
    assert re.search(r"^raised: 2021-11-29$", (records / LATE).read_text("utf-8"), re.M)
    _built(records, tmp_path / "out", tmp_path / "cache", monkeypatch)
    (records / LATE).unlink()
    stamped = _built(records, tmp_path / "out", tmp_path / "cache", monkeypatch)
    _built(records, tmp_path / "cold", tmp_path / "cold-cache", monkeypatch)
    assert _tree(tmp_path / "out") == _tree(tmp_path / "cold")
    period = parse_period("2021-11").as_of(AS_OF)
    printed = StatsEngine(check_repository(records).records).stats(period).to_json()
    assert stamped == freeze.data_hash(printed)
