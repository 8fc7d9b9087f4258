#!/usr/bin/env python3
"""Time ``StatsEngine`` over every month, quarter and year of a records folder.

    .venv/bin/python bench/stats_periods.py bench/data/q100k

Loading and validating the records is timed apart from the statistics, which is what
this measures: every period's figures as of its end, with rankings and breakdowns.
"""

from __future__ import annotations

import argparse
import gc
import resource
import time
from pathlib import Path

from reportgen.compute.periods import periods_between
from reportgen.compute.stats import StatsEngine
from reportgen.validate import check_repository


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("records", type=Path)
    args = parser.parse_args()
    started = time.perf_counter()
    validated = check_repository(args.records)
    loaded = time.perf_counter() - started
    records = validated.records
    assert validated.report.valid, "the records must be valid"
    gc.disable()
    started = time.perf_counter()
    engine = StatsEngine(records)
    prepared = time.perf_counter() - started
    last = max(i["raised"] for i in records.issues.values())
    first = records.config["campaign_start"]
    periods = [p for kind in ("month", "quarter", "year") for p in periods_between(first, last, kind)]
    started = time.perf_counter()
    for period in periods:
        engine.stats(period)
    computed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"records: {len(records.issues)} issues, {len(records.enterprises)} enterprises, {len(records.visits)} visits"
    )
    print(f"load + validate            {loaded:8.2f} s")
    print(f"prepare timelines          {prepared:8.2f} s")
    print(f"stats of {len(periods):3d} periods       {computed:8.2f} s  ({computed / len(periods):.2f} s a period)")
    print(f"peak memory                {peak:8.0f} MB")


if __name__ == "__main__":
    main()
