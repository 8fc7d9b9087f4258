#!/usr/bin/env python3
"""Run the hostile corpus, the kill tests and the leak scans; write docs/reliability.md with the figures.

    .venv/bin/python scripts/reliability.py [--kills 10] [--leak-scale 200,1000] [--examples 60]

The tests themselves live in tests/hostile/ and tests/faults/; this script runs them through
pytest with ``REPORTGEN_RELIABILITY_LOG`` set, so every case appends its outcome (status,
seconds, peak memory of the forked child) to a JSON-lines log, and summarises that log.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


# The hostile cases by the class of failure they guard against (issue 12's review), and the test
# files that hold them.  Every case asserts its exact outcome and that no traceback is printed.
CLASSES: dict[str, tuple[str, ...]] = {
    "validation of hostile records (check)": (
        "tests/hostile/test_hostile_check.py",
        "tests/validate/test_invisible.py",
        "tests/load/test_read_regular.py",
    ),
    "private data published": ("tests/hostile/test_hostile_leaks.py", "tests/hostile/test_hostile_privacy.py"),
    "code execution and injection (templates, Markdown for reviews)": (
        "tests/hostile/test_hostile_templates.py",
        "tests/hostile/test_hostile_markdown.py",
    ),
    "data loss (output, schema and docs folders)": (
        "tests/publish/test_output_safety.py",
        "tests/schema/test_out_refusals.py",
    ),
    "hangs and tracebacks in bulletin content": (
        "tests/hostile/test_hostile_content.py",
        "tests/render/test_hostile_markup.py",
    ),
    "command-line arguments (every subcommand, both languages)": ("tests/cli/test_hostile_args.py",),
    "periods, dates and frozen figures": (
        "tests/compute/test_hostile_periods.py",
        "tests/compute/test_hostile_frozen.py",
    ),
    "diff, new and the YAML it writes": (
        "tests/workflow/test_hostile_diff.py",
        "tests/workflow/test_hostile_new.py",
        "tests/workflow/test_hostile_yamlwrite.py",
    ),
    "fonts and PDF failures": ("tests/render/test_fonts_config.py", "tests/render/test_pdf_failures.py"),
    "random record sets (property test)": ("tests/hostile/test_hostile_properties.py",),
    "kills, faults and leak scans": ("tests/faults",),
}


def class_counts(junit: Path) -> dict[str, tuple[int, int, int]]:
    """Class → (test cases, passed, skipped), read from pytest's JUnit XML."""
    import xml.etree.ElementTree as ET

    counts = {name: [0, 0, 0] for name in CLASSES}
    if not junit.exists():
        return {name: (0, 0, 0) for name in CLASSES}
    for case in ET.parse(junit).iter("testcase"):
        path = case.get("classname", "").replace(".", "/")
        for name, paths in CLASSES.items():
            if any(path.startswith(p.removesuffix(".py")) for p in paths):
                outcome = {child.tag for child in case}
                counts[name][0] += 1
                counts[name][1] += not outcome & {"failure", "error", "skipped"}
                counts[name][2] += "skipped" in outcome
                break
    return {name: (c[0], c[1], c[2]) for name, c in counts.items()}


def render_classes(by_class: dict[str, tuple[int, int, int]]) -> str:
    """The table of hostile cases by class."""
    lines = [
        "## Hostile cases by class",
        "",
        "Test cases (one parametrized case each) by the class of failure they guard against; a case",
        "passes only with its exact message and exit code and no traceback.",
        "",
        "| class | cases | passed | skipped |",
        "|---|---|---|---|",
        *[f"| {name} | {total} | {passed} | {skipped} |" for name, (total, passed, skipped) in by_class.items()],
        f"| **all** | {sum(c[0] for c in by_class.values())} | {sum(c[1] for c in by_class.values())} "
        f"| {sum(c[2] for c in by_class.values())} |",
        "",
    ]
    return "\n".join(lines)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=10, help="SIGKILLs of a running build")
    parser.add_argument("--leak-scale", default="200,1000", help="generated office: enterprises,issues")
    parser.add_argument("--examples", type=int, default=60, help="hypothesis examples of the property test")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "reliability.md")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "log.jsonl"
        env = {
            **os.environ,
            "REPORTGEN_RELIABILITY_LOG": str(log),
            "REPORTGEN_KILLS": str(args.kills),
            "REPORTGEN_LEAK_SCALE": args.leak_scale,
            "REPORTGEN_PROPERTY_EXAMPLES": str(args.examples),
        }
        junit = Path(tmp) / "junit.xml"
        paths = sorted({path for paths in CLASSES.values() for path in paths})
        command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", f"--junitxml={junit}", *paths]
        started = dt.datetime.now()
        done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
        seconds = (dt.datetime.now() - started).total_seconds()
        entries = [json.loads(line) for line in log.read_text("utf-8").splitlines()] if log.exists() else []
        by_class = class_counts(junit)
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "(no pytest output)"
    report = render(entries, summary, done.returncode, seconds, args) + render_classes(by_class)
    args.out.write_text(report, "utf-8")
    print(report)
    if done.returncode != 0:
        print(done.stdout[-5000:], file=sys.stderr)
    return done.returncode


def render(entries: list[dict], summary: str, code: int, seconds: float, args: argparse.Namespace) -> str:
    check = [e for e in entries if e["suite"] == "check"]
    content = [e for e in entries if e["suite"] == "content" and e["case"] != "build --no-pdf"]
    isolated = [e for e in entries if "status" in e]
    tracebacks = sum(e["status"] == "traceback" for e in isolated)
    hangs = sum(e["status"] == "hang" for e in isolated)
    bombs = sorted((e for e in check if e.get("bomb")), key=lambda e: -e["growth_mb"])
    kills = [e for e in entries if e["suite"] == "kill" and not e["case"].startswith("reportgen new")]
    new_kills = [e for e in entries if e["suite"] == "kill" and e["case"].startswith("reportgen new")]
    leaks = [e for e in entries if e["suite"] == "leak"]
    faults = [e for e in entries if e["suite"] in ("fault", "pdf")]
    lines = [
        "# Reliability report",
        "",
        "Generated by `scripts/reliability.py`; the cases are the hostile tests listed by class at",
        "the end (`tests/hostile/`, `tests/faults/` and the hostile tests of each stage). Every",
        "`check` case and the content build run in a forked child with a time limit; peak memory",
        "is the child's own `ru_maxrss` (from `os.wait4`).",
        "",
        "| figure | value |",
        "|---|---|",
        f"| validation cases tried (`check`) | {len(check)} |",
        f"| content cases tried (`build --no-pdf`, PDF) | {len(content)} |",
        f"| cases passed | {sum(e['passed'] for e in check + content)} of {len(check) + len(content)} |",
        f"| tracebacks | {tracebacks} |",
        f"| hangs | {hangs} |",
        f"| bomb cases (memory measured) | {len(bombs)} |",
        f"| largest memory growth of a bomb case | {bombs[0]['growth_mb']:.1f} MB ({bombs[0]['case']}) |"
        if bombs
        else "| largest memory growth of a bomb case | – |",
        f"| largest peak RSS of a bomb case | {max((b['peak_rss_mb'] for b in bombs), default=0):.1f} MB |",
        f"| builds killed with SIGKILL | {len(kills)} |",
        f"| kills survived (output old or complete new) | {sum(k['passed'] for k in kills)} |",
        f"| `reportgen new` killed | {len(new_kills)} |",
        f"| `reportgen new` kills leaving no half-written record | {sum(k['passed'] for k in new_kills)} |",
        f"| leak scans | {len(leaks)} |",
        f"| leaks | {sum(not e['passed'] for e in leaks)} |",
        f"| pytest | {summary} (exit {code}) |",
        "",
        "## Bomb cases",
        "",
        "| case | seconds | peak RSS (MB) | growth (MB) |",
        "|---|---|---|---|",
        *[f"| {b['case']} | {b['seconds']:.2f} | {b['peak_rss_mb']:.1f} | {b['growth_mb']:.1f} |" for b in bombs],
        "",
        "## Kills, faults and leak scans",
        "",
        *[
            f"- {'ok' if e['passed'] else 'FAILED'} — {e['suite']}: {e['case']}"
            for e in kills + new_kills + faults + leaks
        ],
        "",
        "## Run",
        "",
        f"- date: {dt.date.today().isoformat()}",
        f"- machine: {os.cpu_count()} CPUs (nproc), {cpu_model()}, {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}",
        f"- command: `.venv/bin/python scripts/reliability.py --kills {args.kills} --leak-scale {args.leak_scale} "
        f"--examples {args.examples}` ({seconds:.0f} s)",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
