"""How fast is ``reportgen check``?  Records/s next to the libyaml floor, from the same run.

    .venv/bin/python bench/check_throughput.py --preset 10k      # generates bench/data/q10k if missing
    .venv/bin/python bench/check_throughput.py --preset 100k
    .venv/bin/python bench/check_throughput.py DIR               # any records folder

Each measurement runs in its own child process, so its peak memory (ru_maxrss from
``os.wait4``) is its own:

1. baseline: ``bench/baseline_libyaml.py`` (read + ``yaml.load(CSafeLoader)`` per file);
2. in-process: a Python child that imports reportgen, then times ``check_repository(DIR)``
   alone (import excluded);
3. cold CLI: ``reportgen check DIR`` from spawn to exit (interpreter start and imports
   included);
4. warm CLI: ``reportgen check DIR`` again with the check cache the previous run left.

Every run gets its own empty ``REPORTGEN_CACHE_DIR`` (reportgen caches per-file results
between checks), so "cold" really parses every file, and nothing lands in ~/.cache.

Before measuring, every file is read once so all runs see a warm page cache.  With
``--runs N`` each measurement is repeated and the fastest run is reported.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
REPORTGEN = str(Path(PYTHON).with_name("reportgen"))

PRESETS: dict[str, dict[str, int]] = {
    "10k": dict(
        enterprises=1000,
        issues=10000,
        visits=5000,
        staff=200,
        departments=40,
        teams=40,
        legal=500,
        rectifications=2000,
    ),
    "100k": dict(
        enterprises=10000,
        issues=100000,
        visits=50000,
        staff=2000,
        departments=40,
        teams=400,
        legal=5000,
        rectifications=20000,
    ),
}

IN_PROCESS = """
import gc, json, sys, time
from pathlib import Path
t0 = time.perf_counter()
from reportgen.validate import check_repository
t1 = time.perf_counter()
report = check_repository(Path(sys.argv[1])).report
t2 = time.perf_counter()
print(json.dumps({
    "import_seconds": t1 - t0,
    "seconds": t2 - t1,
    "files": report.files_checked,
    "records": report.records_checked,
    "errors": len(report.errors),
    "warnings": len(report.warnings),
}))
"""


@dataclass
class Child:
    """One finished child process."""

    seconds: float
    returncode: int
    max_rss_mb: float  # ru_maxrss: the largest single process (the child or a worker of it)
    tree_pss_mb: float  # sampled: the child and its workers together (proportional set size)
    cpu_seconds: float  # user + system time of the child and the workers it waited for
    stdout: str


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Linux /proc)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            text = Path(f"/proc/{current}/task/{current}/children").read_text()
        except OSError:
            continue
        todo.extend(int(c) for c in text.split())
    return found


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def one_issue(records: Path) -> Path:
    """An issue from the middle of the campaign: its change re-renders its month onward."""
    issues = sorted((records / "issues").rglob("*.yaml"))
    return issues[len(issues) // 2]


def with_title_changed(issue: bytes) -> bytes:
    """The issue file with its title changed (still valid)."""
    return issue.replace(b"\ntitle: ", "\ntitle: 核实后：".encode(), 1)


def run_child(cmd: list[str], cache: Path | None = None) -> Child:
    """Run ``cmd``; wall time, exit code, peak memory and its output.

    ``cache`` becomes the child's REPORTGEN_CACHE_DIR (reportgen's per-file check cache):
    a fresh folder for a cold check, one a previous run filled for a warm one.
    """
    env = dict(os.environ)
    if cache is not None:
        env["REPORTGEN_CACHE_DIR"] = str(cache)
    peak = [0]
    done = threading.Event()

    def sample(pid: int) -> None:
        while not done.wait(0.5):
            peak[0] = max(peak[0], sum(_pss_kb(p) for p in _tree(pid)))

    with tempfile.TemporaryFile() as out:
        began = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
        sampler = threading.Thread(target=sample, args=(proc.pid,), daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - began
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    cpu = usage.ru_utime + usage.ru_stime
    return Child(seconds, proc.returncode, usage.ru_maxrss / 1024, peak[0] / 1024, cpu, text)


def best(cmd: list[str], runs: int, warm_cache: bool = False) -> Child:
    """The fastest of ``runs`` runs (peak memory: the largest seen).

    Every run gets an empty check cache; with ``warm_cache`` the timed run is a second
    one that finds the cache its first run filled.
    """
    results = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="reportgen-cache-") as cache:
            if warm_cache:
                run_child(cmd, Path(cache))
            results.append(run_child(cmd, Path(cache)))
    fastest = min(results, key=lambda c: c.seconds)
    fastest.max_rss_mb = max(c.max_rss_mb for c in results)
    fastest.tree_pss_mb = max(c.tree_pss_mb for c in results)
    return fastest


def warm(root: Path) -> tuple[int, int, float]:
    """Read every file once: (files, bytes, seconds)."""
    began = time.perf_counter()
    files = size = 0
    for dirpath, _, names in os.walk(root):
        for name in names:
            with open(os.path.join(dirpath, name), "rb") as f:
                size += len(f.read())
            files += 1
    return files, size, time.perf_counter() - began


def machine() -> str:
    """nproc, CPU model, Python version."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"nproc {os.cpu_count()}, {model}, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", nargs="?", type=Path, help="records folder to check")
    parser.add_argument("--preset", choices=sorted(PRESETS), help="generate/use bench/data/qNNk")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=1, help="repeat each measurement")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if (args.dir is None) == (args.preset is None):
        parser.error("give either DIR or --preset")

    generation: Child | None = None
    root: Path = args.dir
    if args.preset:
        root = HERE / "data" / f"q{args.preset}"
        if not (root / "config.yaml").is_file():
            flags = [f"--{k}={v}" for k, v in PRESETS[args.preset].items()]
            cmd = [PYTHON, str(HERE / "generate"), str(root), "--force", f"--seed={args.seed}"]
            generation = run_child(cmd + flags)
            print(
                f"{generation.stdout.strip()}; CPU {generation.cpu_seconds:.1f} s, "
                f"max RSS {generation.max_rss_mb:.0f} MB"
            )
            if generation.returncode:
                return 1

    print(f"machine: {machine()}")
    print(f"date: {time.strftime('%Y-%m-%d')}")
    print(f"load average before the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    files, size, seconds = warm(root)
    print(f"data: {root} — {files} files, {size / 1e6:.1f} MB (first read {seconds:.2f} s)")

    base = best([PYTHON, str(HERE / "baseline_libyaml.py"), str(root)], args.runs)
    yaml_files = int(base.stdout.split()[0])
    base_rate = yaml_files / float(base.stdout.split(" in ")[1].split()[0])

    inproc = best([PYTHON, "-c", IN_PROCESS, str(root)], args.runs)
    facts = json.loads(inproc.stdout.strip().splitlines()[-1])
    cli = best([REPORTGEN, "check", str(root)], args.runs)
    warm_cli = best([REPORTGEN, "check", str(root)], args.runs, warm_cache=True)

    records = facts["records"]
    rows = [
        ("libyaml baseline (parse only)", base_rate, "files/s", base, base.seconds),
        ("check_repository (in-process)", records / facts["seconds"], "records/s", inproc, facts["seconds"]),
        ("reportgen check (cold CLI)", records / cli.seconds, "records/s", cli, cli.seconds),
        ("reportgen check (warm cache)", records / warm_cli.seconds, "records/s", warm_cli, warm_cli.seconds),
    ]
    print(
        f"records checked: {records} ({facts['errors']} errors, {facts['warnings']} warnings); "
        f"reportgen import {facts['import_seconds']:.2f} s; CLI exit code {cli.returncode}"
    )
    print(f"{'measurement':32} {'seconds':>8} {'rate':>10}           {'CPU s':>7} {'max RSS':>9} {'tree PSS':>9}")
    for name, rate, unit, child, secs in rows:
        print(
            f"{name:32} {secs:8.2f} {rate:10.0f} {unit:9} {child.cpu_seconds:7.2f} "
            f"{child.max_rss_mb:6.0f} MB {child.tree_pss_mb:6.0f} MB"
        )
    print(
        "CPU s: user + system time of the child and its workers (imports included); max RSS: ru_maxrss "
        "of the child (its largest single process); tree PSS: the child and its workers together, "
        "sampled every 0.5 s"
    )
    print(f"load average after the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"check vs baseline: {records / facts['seconds'] / base_rate:.2f}× the parse-only rate")
    # on a shared machine CPU time is the steadier comparison: other processes lengthen wall time only
    print(
        f"cold CLI vs the floor: {cli.seconds / base.seconds:.2f}× its wall time, "
        f"{cli.cpu_seconds / base.cpu_seconds:.2f}× its CPU time (target ≤ 0.6× wall)"
    )
    if args.json:

        def figures(child: Child, rate: float) -> dict[str, float]:
            return {
                "seconds": child.seconds,
                "rate": rate,
                "max_rss_mb": child.max_rss_mb,
                "tree_pss_mb": child.tree_pss_mb,
                "cpu_seconds": child.cpu_seconds,
            }

        summary = {
            "machine": machine(),
            "date": time.strftime("%Y-%m-%d"),
            "dir": str(root),
            "files": files,
            "bytes": size,
            "records": records,
            "errors": facts["errors"],
            "warnings": facts["warnings"],
            "generation": figures(generation, files / generation.seconds) if generation else None,
            "baseline_files_per_s": figures(base, base_rate),
            "in_process_records_per_s": {
                **figures(inproc, records / facts["seconds"]),
                "seconds": facts["seconds"],
            },
            "cli_cold_records_per_s": figures(cli, records / cli.seconds),
            "cli_warm_records_per_s": figures(warm_cli, records / warm_cli.seconds),
            "load_average_after": os.getloadavg(),
        }
        args.json.write_text(json.dumps(summary, indent=2) + "\n")
    return 0 if facts["errors"] == 0 and cli.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
