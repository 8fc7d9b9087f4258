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
from reportgen.publish.statswork import Claims, SplitEngine, SplitStore, day_groups, work_out
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


def test_the_periods_are_grouped_by_their_as_of_day(sample: Records) -> None:
    groups = day_groups(_periods(sample))
    assert [[(p.key, p.end.day) for p in group] for group in groups] == [
        [("2021-08", 31)],
        [("2021-09", 30), ("2021-Q3", 30)],
        [("2021-10", 31)],
        [("2021-11", 30)],
        [("2021-12", 15)],
        [("2021", 31), ("2021-12", 31), ("2021-Q4", 31)],
    ]


def test_the_claims_give_each_group_once_the_first_to_the_child_the_later_half_to_the_build(tmp_path: Path) -> None:
    with (tmp_path / "claims").open("w+b") as shared:
        claims = Claims(shared.fileno(), 6)
        assert claims.take(front=True) == 1
        assert claims.start([1, 1, 1, 1, 1, 1]) == 4  # of 2 to 5 (4 in all): the build's 4 and 5, half
        assert claims.take(front=False) == 3
        assert claims.take(front=True) == 2
        assert claims.take(front=True) is None
        assert claims.take(front=False) is None
    with (tmp_path / "heavy").open("w+b") as shared:
        claims = Claims(shared.fileno(), 4)
        assert claims.start([1, 1, 1, 9]) == 3  # the last group alone is more than half: the build's still
        assert claims.take(front=False) == 2
    with (tmp_path / "two").open("w+b") as shared:
        claims = Claims(shared.fileno(), 2)  # the child's and the build's own: none to take
        assert claims.start([1, 1]) == 1
        assert claims.take(front=True) is None
        assert claims.take(front=False) is None


def test_periods_worked_out_by_two_processes_are_those_one_works_out(
    sample: Records, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(statswork, "SPLIT_FROM", 0)
    forked = counted_forks(monkeypatch, statswork)
    periods = _periods(sample)
    split, serial = _engine(sample, tmp_path / "split"), StatsEngine(sample)
    work_out(split, periods)
    assert len(forked) == 1
    groups = day_groups(periods)
    read_back = [all(isinstance(split.stats(p), ReadBack) for p in group) for group in groups]  # the child's
    assert read_back[0] and not read_back[-1]  # the first day's the child's, the last day's the build's
    assert read_back == sorted(read_back, reverse=True)  # the child's days come first
    assert all(isinstance(split.stats(p), ReadBack) == read_back[k] for k, group in enumerate(groups) for p in group)
    for period in periods:  # asked in the order a build asks: the figures remembered serve the later ones
        stats = split.stats(period)
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


@pytest.mark.parametrize("split", [True, False])
def test_the_builds_own_work_is_done_once_and_the_engine_settled_either_way(
    sample: Records, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, split: bool
) -> None:
    monkeypatch.setattr(statswork, "SPLIT_FROM", 0 if split else 10**9)
    forked = counted_forks(monkeypatch, statswork)
    engine = SplitEngine(sample, SplitStore(tmp_path, tmp_path / "state.json", None), settled=False)
    assert engine.store.views is None and engine.store.facts is None  # settled later: nothing kept yet
    calls: list[int] = []
    work_out(engine, _periods(sample), lambda: calls.append(os.getpid()))
    assert calls == [os.getpid()]  # in the build, once
    assert len(forked) == int(split)
    kept = SplitEngine(sample, SplitStore(tmp_path / "at-once", tmp_path / "state.json", None))
    assert (engine.store.views, engine.store.facts) == (kept.store.views, kept.store.facts) != (None, None)


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
