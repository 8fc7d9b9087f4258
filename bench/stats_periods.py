#!/usr/bin/env python3
"""Time ``StatsEngine`` over every month, quarter and year of a records folder.

    .venv/bin/python bench/stats_periods.py bench/data/q100k [--runs 3]

Loading and validating the records is timed apart from the statistics, which is what
this measures: every period's figures as of its end, with rankings and breakdowns.
With ``--runs N`` the engine is made afresh N times from the same loaded records and
the median is reported (the machine may be shared: compare medians run back to back);
CPU seconds are shown too, being less disturbed by other processes than wall time.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import time
from pathlib import Path

from reportgen.compute.periods import periods_between
from reportgen.compute.stats import StatsEngine
from reportgen.validate import check_repository


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("records", type=Path)
    parser.add_argument("--runs", type=int, default=1, help="times to make the engine and compute every period")
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
