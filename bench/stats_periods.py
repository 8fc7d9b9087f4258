#!/usr/bin/env python3
"""Time ``StatsEngine`` over every month, quarter and year of a records folder.

    .venv/bin/python bench/stats_periods.py bench/data/q100k [--runs 3]
    .venv/bin/python bench/stats_periods.py bench/data/q100k --runs 3 --against 7910831


Loading and validating the records is timed apart from the statistics, which is what
this measures: every period's figures as of its end, with rankings and breakdowns.
With ``--runs N`` the engine is made afresh N times from the same loaded records and
the median is reported (the machine may be shared: compare medians run back to back);
CPU seconds are shown too, being less disturbed by other processes than wall time.
With ``--against REV`` the same measurement runs twice in one go, in children: first
with the code of git revision REV (exported with ``git archive``), then with this
working tree's, and the two reports are printed with the ratio of their medians.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reportgen.compute.periods import periods_between
from reportgen.compute.stats import StatsEngine
from reportgen.validate import check_repository


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("records", type=Path)
    parser.add_argument("--runs", type=int, default=1, help="times to make the engine and compute every period")
    parser.add_argument("--against", metavar="REV", help="also measure git revision REV's code, in the same run")
    args = parser.parse_args()
    if args.against:
        compare(args.records, args.runs, args.against)
        return
    started = time.perf_counter()
    validated = check_repository(args.records)
    loaded = time.perf_counter() - started
    records = validated.records
    assert validated.report.valid, "the records must be valid"
    last = max(i["raised"] for i in records.issues.values())
    first = records.config["campaign_start"]
    periods = [p for kind in ("month", "quarter", "year") for p in periods_between(first, last, kind)]
    gc.disable()
    prepares, runs, cpus = [], [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        engine = StatsEngine(records)
        prepares.append(time.perf_counter() - started)
        started, cpu = time.perf_counter(), time.process_time()
        for period in periods:
            engine.stats(period)
        runs.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
        del engine
        gc.collect()
    prepared, computed, cpu_time = statistics.median(prepares), statistics.median(runs), statistics.median(cpus)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"records: {len(records.issues)} issues, {len(records.enterprises)} enterprises, {len(records.visits)} visits"
    )
    print(f"load + validate            {loaded:8.2f} s")
    print(f"prepare timelines          {prepared:8.2f} s")
    print(f"stats of {len(periods):3d} periods       {computed:8.2f} s  ({computed / len(periods):.2f} s a period)")
    print(f"  CPU                      {cpu_time:8.2f} s  ({cpu_time / len(periods):.2f} s a period)")
    if args.runs > 1:
        print(f"  runs (wall)              {' '.join(f'{r:.2f}' for r in runs)}  median of {args.runs}")
    print(f"load average               {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"peak memory                {peak:8.0f} MB")


def compare(records: Path, runs: int, revision: str) -> None:
    """Measure REV's code and then this tree's on ``records``, each in a child, and print both."""
    root = Path(__file__).resolve().parent.parent
    measured: dict[str, tuple[float, float]] = {}  # (wall, CPU) medians of the statistics
    with tempfile.TemporaryDirectory() as exported:
        archive = subprocess.run(["git", "-C", str(root), "archive", revision], check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", exported], input=archive.stdout, check=True)
        for label, src in ((revision, Path(exported) / "src"), ("this tree", root / "src")):
            child = subprocess.run(
                [sys.executable, __file__, str(records), "--runs", str(runs)],
                env={**os.environ, "PYTHONPATH": str(src)},
                capture_output=True,
                text=True,
            )
            if child.returncode:
                raise SystemExit(f"{label}: failed\n{child.stdout}{child.stderr}")
            print(f"== {label}\n{child.stdout}")
            measured[label] = (_seconds(child.stdout, "stats of"), _seconds(child.stdout, "  CPU"))
    (wall_before, cpu_before), (wall_after, cpu_after) = measured[revision], measured["this tree"]
    print(f"this tree / {revision}: wall {wall_after / wall_before:.2f}, CPU {cpu_after / cpu_before:.2f}")


def _seconds(report: str, label: str) -> float:
    """The seconds printed on the report's line starting with ``label``."""
    line = next(line for line in report.splitlines() if line.startswith(label))
    return float(line.split(" s")[0].split()[-1])


if __name__ == "__main__":
    main()
