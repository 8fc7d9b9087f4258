"""Property-based tests: whatever a record file holds, ``check_repository`` never raises.

Random text, random bytes, random YAML structures built from the schema's real field
names, and random line edits of the minimal valid records are written into a real
repository; validation must come back with located, printable problems every time.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import MINIMAL_FILES, write_minimal_repository
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.commands.check import format_text, github_annotation
from reportgen.problems import CATALOGUE
from reportgen.schema.kinds import KINDS
from reportgen.schema.types import Field
from reportgen.validate import check_repository

FUZZ = settings(
    max_examples=int(os.environ.get("REPORTGEN_FUZZ_EXAMPLES", "150")),  # raise it for a long run
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Where a fuzzed file goes: a new record of each kind, and the existing records (so the
# cross-record rules see the broken file in place of a good one).
NEW_FILES = {
    "config": "config.yaml",
    "calendar": "calendar/2022.yaml",
    "department": "departments/D02.yaml",
    "staff": "staff/S005.yaml",
    "team": "teams/T02.yaml",
    "enterprise": "enterprises/E002.yaml",
    "visit": "visits/2021-09/V0002.yaml",
    "issue": "issues/2021-09/Q0002.yaml",
    "rectification": "rectifications/R0001.yaml",
    "legal": "legal/2021-09/L0002.yaml",
    "bulletin": "bulletins/2021-09-monthly.md",
}
TARGETS = sorted(set(NEW_FILES.values()) | set(MINIMAL_FILES))


def _field_names(fields: tuple[Field, ...]) -> Iterator[str]:
    for f in fields:
        yield f.name
        yield from _field_names(f.fields)
        if f.items is not None:
            yield f.items.name
            yield from _field_names(f.items.fields)


FIELD_NAMES = sorted({name for kind in KINDS for name in _field_names(kind.fields)})
WORDS = ["E001", "S002", "D01", "T01", "V0001", "Q0001", "问题收集", "已解决", "销号", "满意"]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.sampled_from(WORDS),
    st.text(max_size=30),
)
structures = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=10)), children, max_size=6),
    ),
    max_leaves=30,
)
records = st.dictionaries(st.sampled_from(FIELD_NAMES), structures, max_size=12)


@pytest.fixture(scope="module")
def repo() -> Iterator[Path]:
    """One minimal repository for the whole module; each example restores what it touched."""
    base = Path(tempfile.mkdtemp(prefix="reportgen-fuzz-"))
    try:
        yield write_minimal_repository(base / "records")
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _check_with(root: Path, rel: str, content: bytes) -> None:
    """Put ``content`` at ``rel``, validate, check every problem is well formed, restore."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        path.write_bytes(content)
        report = check_repository(root).report
        problems = report.sorted()
        lines = content.count(b"\n") + 1
        for p in problems:
            assert p.code in CATALOGUE
            assert p.line >= 1 and p.column >= 1, p
            if p.file == f"{root}/{rel}":
                assert p.line <= lines + 1, (p, lines)
            p.message()
            p.message("en")
            p.hint()
        format_text(problems)
        json.dumps([p.as_dict() for p in problems], ensure_ascii=False)
        for p in problems:
            github_annotation(p, "zh")
    finally:
        original = MINIMAL_FILES.get(rel)
        if original is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(original, encoding="utf-8")


@FUZZ
@given(rel=st.sampled_from(TARGETS), text=st.text(max_size=400))
def test_arbitrary_text_never_raises(repo: Path, rel: str, text: str) -> None:
    _check_with(repo, rel, text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(rel=st.sampled_from(TARGETS), data=st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(repo: Path, rel: str, data: bytes) -> None:
    _check_with(repo, rel, data)


@FUZZ
@given(rel=st.sampled_from(TARGETS), record=records, front=st.booleans())
def test_arbitrary_yaml_structures_never_raise(repo: Path, rel: str, record: dict[str, object], front: bool) -> None:
    text = yaml.safe_dump(record, allow_unicode=True)
    if rel.endswith(".md") and front:
        text = f"---\n{text}---\n## 典型案例\n\n正文。\n"
    _check_with(repo, rel, text.encode("utf-8"))


@FUZZ
@given(
    rel=st.sampled_from(sorted(MINIMAL_FILES)),
    edits=st.lists(
        st.tuples(
            st.sampled_from(["delete", "duplicate", "insert", "replace"]),
            st.integers(min_value=0, max_value=40),
            st.one_of(
                st.sampled_from(["", "  ", "\t", "- ", ":", "&a x", "*a", "---", "'", '"', "{", "[", "#"]),
                st.sampled_from(WORDS),
                st.text(max_size=12),
            ),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_edited_valid_records_never_raise(repo: Path, rel: str, edits: list[tuple[str, int, str]]) -> None:
    """Near-valid records reach the cross-record and lifecycle rules."""
    lines = MINIMAL_FILES[rel].split("\n")
    for action, where, text in edits:
        i = where % len(lines)
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "insert":
            lines.insert(i, text)
        else:
            col = where % (len(lines[i]) + 1)
            lines[i] = lines[i][:col] + text + lines[i][col:]
        if not lines:
            lines = [""]
    _check_with(repo, rel, "\n".join(lines).encode("utf-8", "surrogatepass"))


def test_an_error_at_the_end_of_input_is_placed_on_the_last_line(repo: Path) -> None:
    """libyaml places this one on a third line of a two-line text (a CR is a line break to it)."""
    path = repo / "calendar/2021.yaml"
    try:
        path.write_bytes(b"?\r0")
        found = [(p.line, p.column, p.code) for p in check_repository(repo).report.sorted() if p.file == str(path)]
    finally:
        path.write_text(MINIMAL_FILES["calendar/2021.yaml"], encoding="utf-8")
    assert found == [(2, 2, "E101")]
