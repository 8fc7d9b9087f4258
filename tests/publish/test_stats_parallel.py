"""A cold build's periods worked out by two processes (``publish/statswork.py``) are those one process works out.

The child works out the earlier share of the periods and writes their files; the build
reads them back.  Every statistic and data hash, every file the build writes and every
file it keeps for the next build must be the same as a serial build's.  A defect fails the
build as it fails a serial one; a child killed by the system fails it with a message,
leaving the output as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
from pathlib import Path
from typing import Any

import pytest

from reportgen.compute.periods import Period, periods_between
from reportgen.compute.readback import ReadBack
from reportgen.compute.results import PeriodStats
from reportgen.compute.stats import StatsEngine
from reportgen.model import Records
from reportgen.publish import cache, statswork
from reportgen.publish.build import BuildOptions, BuildResult, build
from reportgen.publish.statswork import SplitEngine, SplitStore, shares, work_out
from reportgen.render.site import parallel
from reportgen.validate import check_repository
from tests.compute.scenario import scenario_files, write_repository
from tests.publish.forks import counted_forks
from tests.publish.test_build import SEPTEMBER_TEXT, make_office, tree

SAMPLE = Path(__file__).resolve().parents[2] / "records"
SEPTEMBER = {"bulletins/2021-09-monthly.md": SEPTEMBER_TEXT}  # issued
PROFILES = ("public", "internal")


@pytest.fixture(scope="module")
def sample() -> Records:
    return check_repository(SAMPLE, use_cache=False).records


def _periods(records: Records) -> list[Period]:
    """Every month, quarter and year of the sample, the last month twice (cut short too), as a build asks."""
    first, last = records.config["campaign_start"], max(i["raised"] for i in records.issues.values())
    periods = [p for kind in ("month", "quarter", "year") for p in periods_between(first, last, kind)]
    month = next(p for p in periods if p.kind == "month" and p.contains(last))
    return [*periods, month, month.as_of(month.start + dt.timedelta(days=14))]


def _engine(records: Records, folder: Path) -> SplitEngine:
    """A cold build's engine: nothing can be read back."""
    return SplitEngine(records, SplitStore(folder, folder / "state.json", None))


def test_the_shares_split_the_distinct_periods_by_day_into_halves_of_work(sample: Records, tmp_path: Path) -> None:
    engine = _engine(sample, tmp_path)
    periods = _periods(sample)
    earlier, later = shares(engine, periods)
    assert [(p.key, p.end.day) for p in earlier] == [
        ("2021-08", 31),
        ("2021-09", 30),
        ("2021-Q3", 30),
        ("2021-10", 31),
        ("2021-11", 30),
    ]
    assert [(p.key, p.end.day) for p in later] == [("2021-12", 15), ("2021", 31), ("2021-12", 31), ("2021-Q4", 31)]
    raised = [t.raised for t in engine.timelines]
    work = [[1 + sum(day <= p.end for day in raised) for p in share] for share in (earlier, later)]
    assert work == [[29, 53, 53, 75, 95], [104, 113, 113, 113]]  # 305 and 443: the next period would pass half
    assert sorted(earlier + later) == sorted(set(periods))


def test_periods_worked_out_by_two_processes_are_those_one_works_out(
    sample: Records, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(statswork, "SPLIT_FROM", 0)
    forked = counted_forks(monkeypatch, statswork)
    periods = _periods(sample)
    split, serial = _engine(sample, tmp_path / "split"), StatsEngine(sample)
    work_out(split, periods)
    assert len(forked) == 1
    earlier, _ = shares(split, periods)
    for period in periods:  # asked in the order a build asks: the figures remembered serve the later ones
        stats = split.stats(period)
        assert isinstance(stats, ReadBack) == (period in earlier)  # the child's, read back
        assert stats == serial.stats(period)
        assert split.data_hash(period) == serial.data_hash(period)
    alone = _engine(sample, tmp_path / "alone")
    for period in periods:
        alone.data_hash(period)
    assert split.store.made == alone.store.made  # the same files, of the same content
    assert split.store.hashes == alone.store.hashes
    assert sorted(p.name for p in split.store.folder.iterdir()) == sorted(p.name for p in alone.store.folder.iterdir())


def test_periods_are_split_only_when_none_can_be_read_back_in_a_large_office(
    sample: Records, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forked = counted_forks(monkeypatch, statswork)
    work_out(_engine(sample, tmp_path / "small"), _periods(sample))
    assert forked == []  # 20 issues: one process
    monkeypatch.setattr(statswork, "SPLIT_FROM", 0)
    kept = SplitEngine(sample, SplitStore(tmp_path, tmp_path / "state.json", dt.date(2021, 10, 1)))
    work_out(kept, _periods(sample))
    assert forked == []  # periods before the change can be read back: one process
    work_out(_engine(sample, tmp_path / "cold"), _periods(sample)[:1])
    assert forked == []  # one period: nothing to share


def _build(records: Path, out: Path, profile: str, split: bool, monkeypatch: pytest.MonkeyPatch) -> BuildResult:
    """Build with the periods split between two processes (every office splits) or worked out by one; a serial site."""
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(out.parent / f"check-cache-{out.name}"))
    monkeypatch.setattr(statswork, "SPLIT_FROM", 0 if split else 10**9)
    monkeypatch.setattr(parallel, "FORK_FROM", 10**9)
    return build(BuildOptions(records, out, pdf=False, profile=profile))


def _stats_kept(out: Path) -> tuple[dict[str, str], dict[str, Any]]:
    """The statistics the build kept for the next (``compute.persisted``): each file's digest, the index less its state.

    The index names the build's state file by its inode and time: another for each build.
    """
    folder = cache.cache_folder(out) / "stats"
    index = json.loads((folder / "index.json").read_text("utf-8"))
    del index["state"]
    return tree(folder), index


@pytest.mark.parametrize("profile", ["public", "internal"])
def test_a_cold_build_with_its_periods_split_is_the_serial_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, profile: str
) -> None:
    records = make_office(tmp_path)
    forked = counted_forks(monkeypatch, statswork)
    split = _build(records, tmp_path / "split", profile, True, monkeypatch)
    assert len(forked) == 1
    serial = _build(records, tmp_path / "serial", profile, False, monkeypatch)
    assert len(forked) == 1
    assert split.ok and serial.ok
    assert split.bulletins == serial.bulletins  # data hashes stamped, figures changed since issue
    assert all(info.data_hash for info in split.bulletins)
    assert tree(tmp_path / "split") == tree(tmp_path / "serial")
    split_files, split_index = _stats_kept(tmp_path / "split")
    serial_files, serial_index = _stats_kept(tmp_path / "serial")
    split_hashes, serial_hashes = split_index.pop("hashes"), serial_index.pop("hashes")
    assert split_index == serial_index
    # the split works out every period's data hash; a serial build those asked for (its bulletins')
    assert serial_hashes.items() <= split_hashes.items()
    assert split_files.keys() == serial_files.keys()
    assert {k: v for k, v in split_files.items() if k != "index.json"} == {
        k: v for k, v in serial_files.items() if k != "index.json"
    }
    issue = records / "issues/2021-09/Q0004.yaml"  # the next build reads back the periods the child wrote
    issue.write_text(issue.read_text("utf-8").replace("\ntitle: ", "\ntitle: 核实后：", 1), "utf-8")
    again = _build(records, tmp_path / "split", profile, True, monkeypatch)
    assert len(forked) == 1  # a title edit: periods read back, not split
    cold = _build(records, tmp_path / "cold", profile, False, monkeypatch)
    assert again.ok and cold.ok
    assert tree(tmp_path / "split") == tree(tmp_path / "cold")


@pytest.fixture
def cold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, dict[str, str]]:
    """An office built once, its build cache then removed: the next build works out every period."""
    records, out = make_office(tmp_path), tmp_path / "output"
    assert _build(records, out, "public", False, monkeypatch).ok
    for path in sorted(cache.cache_folder(out).rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    return records, out, tree(out)


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.staging-"))


def test_a_defect_met_by_the_child_fails_the_build_as_serially(
    cold: tuple[Path, Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    records, out, before = cold
    real = StatsEngine.stats

    def broken(self: StatsEngine, period: Period) -> PeriodStats:
        if period.key == "2021-08":  # the child's: the earliest
            raise RuntimeError(f"defect in {period.key}")
        return real(self, period)

    monkeypatch.setattr(StatsEngine, "stats", broken)
    forked = counted_forks(monkeypatch, statswork)
    for split in (True, False):
        with pytest.raises(RuntimeError, match=r"^defect in 2021-08$"):
            _build(records, out, "public", split, monkeypatch)
        assert tree(out) == before
        assert _leftovers(out) == []
    assert len(forked) == 1


def test_a_child_killed_fails_the_build_with_a_message(
    cold: tuple[Path, Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    records, out, before = cold
    build_pid, real = os.getpid(), StatsEngine.stats

    def killed(self: StatsEngine, period: Period) -> PeriodStats:
        if os.getpid() != build_pid:  # in the child: as the system stops a process out of memory
            os.kill(os.getpid(), signal.SIGKILL)
        return real(self, period)

    monkeypatch.setattr(StatsEngine, "stats", killed)
    result = _build(records, out, "public", True, monkeypatch)
    assert not result.ok
    assert (
        str(result.error)
        == "计算各期统计数字的后台进程意外中止（被系统终止，可能是内存不足），请关闭其他程序后重新构建"
    )
    assert tree(out) == before
    assert _leftovers(out) == []


def test_a_public_build_works_out_no_period_only_its_unpublished_drafts_ask_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = write_repository(tmp_path / "records", {**scenario_files({"publish_drafts": False}), **SEPTEMBER})
    built = {profile: _build(records, tmp_path / profile, profile, True, monkeypatch) for profile in PROFILES}
    assert [info.id for info in built["public"].bulletins] == ["2021-09-monthly"]  # issued; the rest are drafts
    assert len(built["internal"].bulletins) == 7
    public, internal = (set(_stats_kept(tmp_path / profile)[1]["periods"]) for profile in PROFILES)
    # the site's months and quarters, cut at its last record's day (2021-11-15); the drafts' full periods are not
    assert sorted(internal - public) == ["2021-11@2021-11-30", "2021-Q4@2021-12-31", "2021@2021-12-31"]
    assert sorted(public) == [
        "2021-08@2021-08-31",
        "2021-09@2021-09-30",
        "2021-10@2021-10-31",
        "2021-11@2021-11-15",
        "2021-Q3@2021-09-30",
        "2021-Q4@2021-11-15",
    ]
