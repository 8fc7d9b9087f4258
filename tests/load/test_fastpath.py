"""The fast path (``load/fastpath.py``) and the exact path give the same records and problems.

The exact path is ``check_file(load_file(source))``.  The fast path may decline any file
(the exact path then runs on it, so its problems are the exact ones by construction); when
it vouches for a file, the exact path must find no problem in it and make the very same
record: same kind, id and file, same keys in the same order, same values of the same types.

The corpus: every record file under ``records/`` and ``tests/``, the minimal office, every
file of the hostile and broken-record corpora, a generated office, a table of hostile
shapes (each with whether the fast path must vouch for it), and property-style edits.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ENTERPRISE, ISSUE, LEGAL, MINIMAL_FILES, STAFF, VISIT, edit, write_minimal_repository
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.load import SourceFile, fastpath, load_file
from reportgen.load.fastpath import plain_tag, read_plain, record_of
from reportgen.model import Record
from reportgen.schema.kinds import CONFIG, KINDS_BY_FOLDER
from reportgen.schema.types import Kind
from reportgen.validate import check_repository, parallel
from reportgen.validate.record import check_file
from tests.modules import bench_synth, load_module

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
PROPERTY = settings(
    max_examples=int(os.environ.get("REPORTGEN_FUZZ_EXAMPLES", "300")),  # raise it for a long run
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _kind(rel: str) -> Kind | None:
    """The kind of the record file at ``rel`` (relative to the records folder), None for any other file."""
    if rel == "config.yaml":
        return CONFIG
    kind = KINDS_BY_FOLDER.get(rel.split("/", 1)[0])
    return kind if kind is not None and rel.endswith(kind.suffix) else None


def _typed(value: Any) -> Any:
    """``value`` with every type and every key order spelt out, so equal means identical."""
    if isinstance(value, dict):
        return ("dict", [(key, _typed(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(item) for item in value])
    return (type(value).__name__, repr(value))


def _shape(record: Record) -> tuple[str, str, str, Any]:
    return record.kind, record.id, record.file, _typed(record.data)


def agree(root: Path, rel: str, content: str | bytes) -> bool:
    """Write ``content`` at ``rel``; assert both paths agree on it; whether the fast path vouched for it."""
    kind = _kind(rel)
    assert kind is not None, rel
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
    source = SourceFile(path, rel, kind)
    data = read_plain(source)
    fast = record_of(data, source) if data is not None else None
    record, problems = check_file(load_file(source))
    if fast is None:
        return False
    assert [p.code for p in problems] == [], (rel, content)
    assert record is not None
    assert _shape(fast) == _shape(record), (rel, content)
    return True


def _record_files(root: Path) -> Iterator[tuple[str, bytes]]:
    """(path relative to ``root``, bytes) of every record file below ``root``."""
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and _kind(rel) is not None:
            yield rel, path.read_bytes()


def test_sample_records_agree_and_all_but_config_and_bulletins_are_vouched_for(tmp_path: Path) -> None:
    refused = [rel for rel, data in _record_files(REPO / "records") if not agree(tmp_path, rel, data)]
    bulletins = sorted(p.relative_to(REPO / "records").as_posix() for p in (REPO / "records/bulletins").glob("*.md"))
    assert sorted(refused) == sorted(["config.yaml", *bulletins])  # weights, and Markdown: always the exact path


def test_minimal_office_agrees(tmp_path: Path) -> None:
    vouched = {rel for rel, text in MINIMAL_FILES.items() if agree(tmp_path, rel, text)}
    assert sorted(set(MINIMAL_FILES) - vouched) == ["bulletins/2021-08-monthly.md"]  # its config has no weights


def test_yaml_files_under_tests_agree_as_any_kind(tmp_path: Path) -> None:
    """Files of other formats (the Excel import's map) are read as each kind in turn."""
    files = sorted(p for p in TESTS.rglob("*.yaml") if "__pycache__" not in p.parts)
    assert files
    for path in files:
        for folder, kind in sorted(KINDS_BY_FOLDER.items()):
            if kind.suffix == ".yaml":
                agree(tmp_path, f"{folder}/{path.name}", path.read_bytes())


@pytest.mark.parametrize("corpus", ["hostile/corpus.py", "validate/test_broken_records.py"])
def test_every_file_of_the_hostile_and_broken_corpora_agrees(tmp_path: Path, corpus: str) -> None:
    cases = load_module(f"fastpath_{Path(corpus).stem}", TESTS / corpus).CASES
    checked = vouched = 0
    for i, case in enumerate(cases):
        for rel, content in case.files.items():
            if content is not None and _kind(rel) is not None:
                checked += 1
                vouched += agree(tmp_path / str(i), rel, content)
    assert checked > 100
    assert 0 < vouched < checked  # both paths were taken


def test_generated_office_agrees_and_is_vouched_for(tmp_path: Path) -> None:
    synth = bench_synth()
    scale = synth.Scale(
        enterprises=20, issues=80, visits=40, staff=12, departments=6, teams=3, legal=20, rectifications=20, seed=3
    )
    synth.generate(tmp_path / "records", scale)
    files = list(_record_files(tmp_path / "records"))
    refused = [rel for rel, data in files if not agree(tmp_path / "copy", rel, data)]
    assert len(files) > 200
    assert [rel for rel in refused if not rel.startswith("bulletins/")] == ["config.yaml"]


ISSUE_FILE = "issues/2021-08/Q0001.yaml"
ENTERPRISE_FILE = "enterprises/E001.yaml"
LEGAL_FILE = "legal/2021-08/L0001.yaml"
VISIT_FILE = "visits/2021-08/V0001.yaml"
STAFF_FILE = "staff/S004.yaml"
TITLE = "title: 需增加第二路供电线路"

# (name, file, content, whether the fast path vouches for it)
SHAPES: list[tuple[str, str, str | bytes, bool]] = [
    ("as written", ISSUE_FILE, ISSUE, True),
    ("double quotes", ISSUE_FILE, edit(ISSUE, (TITLE, 'title: "需增加第二路供电线路"')), True),
    ("single quotes, a doubled quote", ISSUE_FILE, edit(ISSUE, (TITLE, "title: '企业''诉求'")), True),
    ("colon and space inside quotes", ISSUE_FILE, edit(ISSUE, (TITLE, 'title: "问题: 供电"')), True),
    ("colon and space in a plain value", ISSUE_FILE, edit(ISSUE, (TITLE, "title: 问题: 供电")), False),
    ("colon without space in a plain value", ISSUE_FILE, edit(ISSUE, (TITLE, "title: 问题:供电")), True),
    ("value ending in a colon", ISSUE_FILE, edit(ISSUE, (TITLE, "title: 问题:")), False),
    ("escape in double quotes", ISSUE_FILE, edit(ISSUE, (TITLE, 'title: "供电\\t线路"')), False),
    ("quotes not closed", ISSUE_FILE, edit(ISSUE, (TITLE, 'title: "供电线路')), False),
    ("text after the closing quote", ISSUE_FILE, edit(ISSUE, (TITLE, 'title: "供电" 线路')), False),
    ("literal block", ISSUE_FILE, edit(ISSUE, (TITLE, "title: |\n  需增加\n  第二路")), False),
    ("folded block", ISSUE_FILE, edit(ISSUE, (TITLE, "title: >\n  需增加\n  第二路")), False),
    ("multi-line plain value", ISSUE_FILE, edit(ISSUE, (TITLE, "title: 需增加\n  第二路供电线路")), False),
    ("multi-line quoted value", ISSUE_FILE, edit(ISSUE, (TITLE, 'title: "需增加\n  第二路"')), False),
    ("comment lines", ISSUE_FILE, "# 问题记录\n" + edit(ISSUE, (TITLE, f"  # 标题\n{TITLE}\n#")), True),
    ("comment after a value", ISSUE_FILE, edit(ISSUE, (TITLE, f"{TITLE} # 备注")), False),
    ("comment after a key", ISSUE_FILE, edit(ISSUE, ("history:", "history: # 经过")), False),
    ("hash inside a plain value", ISSUE_FILE, edit(ISSUE, (TITLE, "title: 第2#线路")), True),
    (
        "anchor and alias",
        ISSUE_FILE,
        edit(ISSUE, ("resolution: 第二路线路已送电。", "resolution: &r 已送电\nx: *r")),
        False,
    ),
    ("alias as a value", ISSUE_FILE, edit(ISSUE, (TITLE, "title: *t")), False),
    ("tag", ISSUE_FILE, edit(ISSUE, (TITLE, "title: !!str 供电")), False),
    ("tab indentation", ISSUE_FILE, edit(ISSUE, ("    status: 问题收集", "\tstatus: 问题收集")), False),
    ("tab inside a quoted value", ISSUE_FILE, edit(ISSUE, (TITLE, 'title: "供电\t线路"')), False),
    ("byte order mark", ISSUE_FILE, b"\xef\xbb\xbf" + ISSUE.encode(), True),
    ("CRLF line ends", ISSUE_FILE, ISSUE.replace("\n", "\r\n"), True),
    ("BOM and CRLF", ISSUE_FILE, b"\xef\xbb\xbf" + ISSUE.replace("\n", "\r\n").encode(), True),
    ("a lone CR", ISSUE_FILE, edit(ISSUE, (TITLE, "title: 需增加\r第二路")), False),
    ("BOM inside the text", ISSUE_FILE, edit(ISSUE, (TITLE, f"{TITLE}\ufeff")), False),
    ("line separator", ISSUE_FILE, edit(ISSUE, (TITLE, f"{TITLE}\u2028")), False),
    ("zero-width space", ISSUE_FILE, edit(ISSUE, (TITLE, "title: 供电\u200b线路")), False),
    ("GBK bytes", ISSUE_FILE, ISSUE.encode("gb18030"), False),
    ("full-width text and spaces", ISSUE_FILE, edit(ISSUE, (TITLE, "title: ＡＢＣ　供电（全角）　")), True),
    ("full-width id", ISSUE_FILE, edit(ISSUE, ("enterprise: E001", "enterprise: Ｅ００１")), False),
    ("duplicate key", ISSUE_FILE, edit(ISSUE, (TITLE, f"{TITLE}\n{TITLE}")), False),
    ("unknown key", ISSUE_FILE, edit(ISSUE, (TITLE, f"{TITLE}\nowner: 王芳")), False),
    ("id not the file's name", ISSUE_FILE, edit(ISSUE, ("id: Q0001", "id: Q0002")), False),
    ("leading zero in a number", ISSUE_FILE, edit(ISSUE, ("time_limit_days: 15", "time_limit_days: 015")), False),
    ("plus sign in a number", ISSUE_FILE, edit(ISSUE, ("time_limit_days: 15", "time_limit_days: +15")), True),
    ("underscore in a number", ISSUE_FILE, edit(ISSUE, ("time_limit_days: 15", "time_limit_days: 1_5")), False),
    ("quoted number", ISSUE_FILE, edit(ISSUE, ("time_limit_days: 15", 'time_limit_days: "15"')), False),
    ("sexagesimal number as text", ISSUE_FILE, edit(ISSUE, (TITLE, "title: 1:30")), False),
    ("leading zeros as text", ISSUE_FILE, edit(ISSUE, (TITLE, "title: 0371")), False),
    ("quoted leading zeros", ISSUE_FILE, edit(ISSUE, (TITLE, 'title: "0371"')), True),
    ("yes as text", ISSUE_FILE, edit(ISSUE, (TITLE, "title: yes")), False),
    ("quoted yes", ISSUE_FILE, edit(ISSUE, (TITLE, 'title: "yes"')), True),
    ("on as a flag", ENTERPRISE_FILE, edit(ENTERPRISE, ("key_project: true", "key_project: on")), False),
    ("no as a flag", ENTERPRISE_FILE, edit(ENTERPRISE, ("key_project: true", "key_project: no")), False),
    ("True as a flag", ENTERPRISE_FILE, edit(ENTERPRISE, ("key_project: true", "key_project: True")), True),
    ("quoted flag", ENTERPRISE_FILE, edit(ENTERPRISE, ("key_project: true", 'key_project: "true"')), False),
    ("date and time", ISSUE_FILE, edit(ISSUE, ("raised: 2021-08-05", "raised: 2021-08-05 10:30:00")), False),
    ("timestamp as text", ISSUE_FILE, edit(ISSUE, (TITLE, "title: 2021-08-05T10:30:00")), False),
    ("quoted date", ISSUE_FILE, edit(ISSUE, ("raised: 2021-08-05", 'raised: "2021-08-05"')), True),
    ("single digit month", ISSUE_FILE, edit(ISSUE, ("raised: 2021-08-05", "raised: 2021-8-5")), False),
    ("impossible date", ISSUE_FILE, edit(ISSUE, ("raised: 2021-08-05", "raised: 2021-02-30")), False),
    ("tilde", ISSUE_FILE, edit(ISSUE, ("resolution: 第二路线路已送电。", "resolution: ~")), False),
    ("null", ISSUE_FILE, edit(ISSUE, ("resolution: 第二路线路已送电。", "resolution: null")), False),
    ("empty value", ISSUE_FILE, edit(ISSUE, ("resolution: 第二路线路已送电。", "resolution:")), False),
    ("empty quotes", ISSUE_FILE, edit(ISSUE, ("resolution: 第二路线路已送电。", 'resolution: ""')), False),
    ("empty list item", VISIT_FILE, edit(VISIT, ("  - S003", "  -")), False),
    ("flow list", VISIT_FILE, edit(VISIT, ("staff:\n  - S002\n  - S003", "staff: [S002, S003]")), False),
    ("flow mapping", ISSUE_FILE, edit(ISSUE, ("rating:\n  date: 2021-08-25", "rating: {date: 2021-08-25}")), False),
    ("list at its key's column", ISSUE_FILE, edit(ISSUE, ("history:\n  - date", "history:\n- date")), False),
    ("document start", ISSUE_FILE, "---\n" + ISSUE, False),
    ("document end", ISSUE_FILE, ISSUE + "...\n", False),
    ("two documents", ISSUE_FILE, ISSUE + "---\n" + ISSUE, False),
    ("trailing spaces", ISSUE_FILE, ISSUE.replace("\n", "   \n"), True),
    ("blank lines", ISSUE_FILE, ISSUE.replace("\n", "\n\n"), True),
    ("no final line break", ISSUE_FILE, ISSUE.rstrip("\n"), True),
    ("space before the colon", ISSUE_FILE, edit(ISSUE, (TITLE, "title : 需增加")), False),
    ("quoted key", ISSUE_FILE, edit(ISSUE, (TITLE, '"title": 需增加')), False),
    (
        "wider dash spacing",
        ISSUE_FILE,
        ISSUE.replace("  - date", "  -   date").replace("    status", "      status").replace("    note", "      note"),
        True,
    ),
    ("misaligned key in an item", ISSUE_FILE, edit(ISSUE, ("    status: 问题收集", "     status: 问题收集")), False),
    ("item under a plain value", VISIT_FILE, edit(VISIT, ("  - S003", "  - S003\n    - S004")), False),
    ("key under a plain value", ISSUE_FILE, edit(ISSUE, (TITLE, f"{TITLE}\n  note: x")), False),
    ("mapping not at the margin", ISSUE_FILE, "".join(f"  {line}\n" for line in ISSUE.splitlines()), False),
    ("an example record", ISSUE_FILE, ISSUE + "example: true\n", False),
    ("not an example", ISSUE_FILE, ISSUE + "example: false\n", True),
    ("phone unquoted", ENTERPRISE_FILE, edit(ENTERPRISE, ('phone: "13800000001"', "phone: 13800000001")), False),
    ("landline unquoted", STAFF_FILE, edit(STAFF["S004"], ('phone: "0394-8234567"', "phone: 0394-8234567")), True),
    ("amount in yuan and fen", LEGAL_FILE, LEGAL + "amount_yuan: 1500.50\n", True),
    ("a sign before an amount", LEGAL_FILE, LEGAL + "amount_yuan: -0.00\n", False),  # "-": left to libyaml
    ("quoted amount", LEGAL_FILE, LEGAL + 'amount_yuan: "1500"\n', False),
    ("amount with three decimals", LEGAL_FILE, LEGAL + "amount_yuan: 1.005\n", False),
    ("empty file", ISSUE_FILE, "", False),
    ("comments only", ISSUE_FILE, "# 空\n", False),
]


@pytest.mark.parametrize(("name", "rel", "content", "vouched"), SHAPES, ids=[s[0] for s in SHAPES])
def test_hostile_shapes(tmp_path: Path, name: str, rel: str, content: str | bytes, vouched: bool) -> None:
    assert agree(tmp_path, rel, content) is vouched


def test_plain_tags_are_yaml_1_1s() -> None:
    tags = {
        v: plain_tag(v).rsplit(":", 1)[1] for v in ("yes", "On", "0371", "1:30", "2021-08-05", "~", "", "E001", "T01")
    }
    assert tags == {
        "yes": "bool",
        "On": "bool",
        "0371": "int",
        "1:30": "int",
        "2021-08-05": "timestamp",
        "~": "null",
        "": "null",
        "E001": "str",
        "T01": "str",
    }


# -- property style: random edits and random values in the minimal office's files ---------------

FRAGMENTS = st.one_of(
    st.sampled_from(
        [
            *("", " ", "  ", "\t", "- ", "-", ":", ": ", " #", "#", "&a ", "*a", "!", "!!str ", "---", "...", "'", '"'),
            *("''", '""', "{", "}", "[", "]", ",", "|", ">", "~", "null", "yes", "no", "on", "0", "07", "1_0", "1:2"),
            *("2021-08-05", "2021-08-05 10:00", "\u3000", "\ufeff", "\u200b", "\r", "\\", "Ｅ", "E001", "S002", "满意"),
        ]
    ),
    st.text(max_size=8),
)
VALUES = st.one_of(
    FRAGMENTS,
    st.lists(FRAGMENTS, min_size=1, max_size=4).map("".join),
    st.lists(FRAGMENTS, max_size=3).map(lambda parts: '"' + "".join(parts) + '"'),
    st.lists(FRAGMENTS, max_size=3).map(lambda parts: "'" + "".join(parts) + "'"),
    st.integers(min_value=-(10**13), max_value=10**14).map(str),
    st.decimals(min_value=-(10**13), max_value=10**13, places=2).map(str),
    st.dates().map(str),
)
YAML_FILES = sorted(rel for rel in MINIMAL_FILES if rel.endswith(".yaml"))


def _lines(rel: str) -> list[str]:
    return MINIMAL_FILES[rel].split("\n")


@PROPERTY
@given(rel=st.sampled_from(YAML_FILES), where=st.integers(min_value=0, max_value=60), value=VALUES)
def test_any_value_in_any_field_agrees(tmp_path: Path, rel: str, where: int, value: str) -> None:
    lines = _lines(rel)
    keyed = [i for i, line in enumerate(lines) if ":" in line]
    i = keyed[where % len(keyed)]
    head = lines[i].split(":", 1)[0]
    lines[i] = f"{head}: {value}"
    agree(tmp_path, rel, "\n".join(lines))


@PROPERTY
@given(
    rel=st.sampled_from(YAML_FILES),
    edits=st.lists(
        st.tuples(
            st.sampled_from(["delete", "duplicate", "insert", "replace", "indent", "dedent"]),
            st.integers(min_value=0, max_value=60),
            FRAGMENTS,
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_any_edit_of_a_valid_file_agrees(tmp_path: Path, rel: str, edits: list[tuple[str, int, str]]) -> None:
    lines = _lines(rel)
    for action, where, text in edits:
        i = where % len(lines)
        if action == "delete" and len(lines) > 1:
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "insert":
            lines.insert(i, text)
        elif action == "indent":
            lines[i] = " " * (1 + where % 4) + lines[i]
        elif action == "dedent":
            lines[i] = lines[i][1 + where % 2 :] if lines[i].startswith(" ") else lines[i]
        else:
            column = where % (len(lines[i]) + 1)
            lines[i] = lines[i][:column] + text + lines[i][column:]
    agree(tmp_path, rel, "\n".join(lines))


# -- the whole check, with the fast path and without it ---------------------------------------


def _outcome(root: Path, jobs: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    validated = check_repository(root, jobs=jobs, use_cache=False)
    records = {kind: [_shape(r) for r in by_id.values()] for kind, by_id in validated.records.by_kind.items()}
    return [p.as_dict("en") for p in validated.report.sorted()], {"records": records, **validated.records.config}


@pytest.mark.parametrize("jobs", [1, 2])
def test_check_is_the_same_with_and_without_the_fast_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """The sample office and a broken copy of the minimal one: same problems and records, in one process or two."""
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)  # workers even for a few files
    shutil.copytree(REPO / "records", tmp_path / "sample")
    broken = write_minimal_repository(tmp_path / "broken")
    (broken / VISIT_FILE).write_text(edit(VISIT, ("enterprise: E001", "enterprise: E404")), encoding="utf-8")
    (broken / ISSUE_FILE).write_text(edit(ISSUE, (TITLE, f"{TITLE}\n{TITLE}")), encoding="utf-8")
    fast = [_outcome(root, jobs) for root in (tmp_path / "sample", broken)]
    monkeypatch.setattr(fastpath, "record_of", lambda data, source: None)
    exact = [_outcome(root, jobs) for root in (tmp_path / "sample", broken)]
    assert fast == exact
    assert [p["code"] for p in fast[0][0]] == [p["code"] for p in exact[0][0]]
    assert sorted({p["code"] for p in fast[1][0]}) == ["E102", "E302"]


@pytest.mark.parametrize("first", ["reportgen.load.fastpath", "reportgen.validate"])
def test_either_package_can_be_imported_first(first: str) -> None:
    """fastpath reads the exact path's helpers in validate, whose workers call fastpath."""
    code = f"import {first}; from reportgen.validate import parallel; print(parallel.fastpath.record_of.__name__)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "record_of\n", "")


def test_check_takes_the_fast_path_where_it_vouches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vouched: list[str] = []

    def counted(data: bytes, source: SourceFile) -> Record | None:
        record = record_of(data, source)
        if record is not None:
            vouched.append(source.display.rsplit("/records/", 1)[1])
        return record

    monkeypatch.setattr(fastpath, "record_of", counted)
    root = write_minimal_repository(tmp_path / "records")
    assert check_repository(root, jobs=1, use_cache=False).report.problems == []
    assert sorted(vouched) == sorted(rel for rel in MINIMAL_FILES if rel.endswith(".yaml"))
