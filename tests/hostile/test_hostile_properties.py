"""Property: structurally valid records with random values and random mutations never make check,
stats or the HTML build raise, and every statistics identity holds for every month.

Start from ``MINIMAL_FILES``; add random issues whose histories walk the allowed transitions
with random dates; mutate random fields of the minimal records with random values (which may
break them: then check must report, not raise).  ``REPORTGEN_PROPERTY_EXAMPLES`` raises the count.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from conftest import ENTERPRISE, ISSUE, MINIMAL_FILES, VISIT, write_minimal_repository
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.compute.periods import parse_period
from reportgen.compute.stats import StatsEngine
from reportgen.publish.build import BuildOptions, build
from reportgen.schema.kinds import TRANSITIONS
from reportgen.validate import check_repository

EXAMPLES = int(os.environ.get("REPORTGEN_PROPERTY_EXAMPLES", "12"))
MONTHS = ("2021-08", "2021-09", "2021-10", "2021-11", "2021-12")
START = dt.date(2021, 8, 2)

# (file, text in it) → replaced by a random scalar: the mutation points
SLOTS = [
    ("enterprises/E001.yaml", "investment_yuan: 3000000000"),
    ("enterprises/E001.yaml", "employees: 2000"),
    ("enterprises/E001.yaml", "joined: 2021-08-02"),
    ("visits/2021-08/V0001.yaml", "date: 2021-08-05"),
    ("visits/2021-08/V0001.yaml", "enterprise: E001"),
    ("issues/2021-08/Q0001.yaml", "time_limit_days: 15"),
    ("issues/2021-08/Q0001.yaml", "  result: 满意"),
    ("legal/2021-08/L0001.yaml", "count: 1"),
    ("config.yaml", "campaign_start: 2021-08-01"),
    ("bulletins/2021-08-monthly.md", "number: 8"),
]
scalars = st.one_of(
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(str),
    st.sampled_from([".nan", ".inf", "-.inf", "1e400", "~", "''", "[]", "{}", "E001", "e001", "满意", "是", "0x1F"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12).map(lambda t: json.dumps(t)),
)


@st.composite
def issue_text(draw: st.DrawFn, number: int) -> str:
    """A structurally valid issue with a random walk through the allowed statuses."""
    raised = START + dt.timedelta(days=draw(st.integers(0, 140)))
    day = raised
    lines = ["history:", f"  - date: {day}", "    status: 问题收集"]
    status = "问题收集"
    resolved_on = None
    for _ in range(draw(st.integers(0, 5))):
        options = sorted(TRANSITIONS[status])
        if not options:
            break
        status = draw(st.sampled_from(options))
        day += dt.timedelta(days=draw(st.integers(0, 40)))
        lines += [f"  - date: {day}", f"    status: {status}"]
        if status == "已解决":
            resolved_on = day
    head = ISSUE.split("history:\n")[0]
    head = head.replace("id: Q0001", f"id: Q{number:04d}").replace("raised: 2021-08-05", f"raised: {raised}")
    head = head.replace("visit: V0001\n", "")
    head = head.replace("time_limit_days: 15", f"time_limit_days: {draw(st.integers(0, 60))}")
    text = head + "\n".join(lines) + "\n"
    if resolved_on and draw(st.booleans()):
        rating = draw(st.sampled_from(["满意", "基本满意", "不满意"]))
        text += f"resolution: 已办结。\nrating:\n  date: {resolved_on}\n  result: {rating}\n"
    return text


@st.composite
def repositories(draw: st.DrawFn) -> dict[str, str]:
    files = dict(MINIMAL_FILES)
    for number in range(2, 2 + draw(st.integers(0, 8))):
        files[f"issues/2021-08/Q{number:04d}.yaml"] = draw(issue_text(number))
    for number in range(2, 2 + draw(st.integers(0, 3))):
        joined = START + dt.timedelta(days=draw(st.integers(0, 120)))
        files[f"enterprises/E{number:03d}.yaml"] = ENTERPRISE.replace("id: E001", f"id: E{number:03d}").replace(
            "joined: 2021-08-02", f"joined: {joined}"
        )
        visit = joined + dt.timedelta(days=draw(st.integers(0, 30)))
        files[f"visits/2021-08/V{number:04d}.yaml"] = (
            VISIT.replace("id: V0001", f"id: V{number:04d}")
            .replace("enterprise: E001", f"enterprise: E{number:03d}")
            .replace("date: 2021-08-05", f"date: {visit}")
        )
    for file, old in draw(st.lists(st.sampled_from(SLOTS), max_size=3, unique=True)):
        key = old.split(":")[0]
        files[file] = files[file].replace(old, f"{key}: {draw(scalars)}", 1)
    return files


def assert_identities(block: dict[str, Any], where: str) -> None:
    parts = ("issues_resolved", "issues_open", "issues_long_term", "issues_answered")
    assert block["issues_identified"] == sum(block[p] for p in parts), (where, block)
    for name, value in block.items():
        if name.endswith("_rate"):
            assert value is None or 0 <= value <= 1, (where, name, value)
    assert block["visits"] >= block["enterprises_visited"], (where, block)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(repositories())
def test_random_records_never_raise_and_statistics_add_up(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = write_minimal_repository(Path(tmp) / "records", files)
        validated = check_repository(root)
        for problem in validated.report.problems:  # every problem formats
            problem.message()
            problem.hint("en")
        if not validated.report.valid:
            return
        engine = StatsEngine(validated.records)
        for month in MONTHS:
            stats = engine.stats(parse_period(month)).to_json()
            assert_identities(stats["cumulative"], f"{month} cumulative")
            assert_identities(stats["in_period"], f"{month} in_period")
        result = build(BuildOptions(root, Path(tmp) / "out", pdf=False))
        assert result.error is None, result.error
