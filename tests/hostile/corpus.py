"""The hostile-input corpus for ``reportgen check``: files an attacker, a careless copy-paste or a
broken editor could put in the records folder, and exactly what ``check`` must report.

Every case starts from the minimal valid repository (``tests/conftest.py``), changes a few
files (text, raw bytes, ``None`` to delete) and may run a ``setup`` for what files cannot
express (symlinks, FIFOs).  ``expected`` is every problem as (code, file relative to the
records folder, line, column), sorted as the report sorts them.  ``bomb`` marks the cases
whose memory is measured and bounded (alias bombs, huge and deeply nested files).
"""

from __future__ import annotations

import gzip
import io
import os
import shutil
import signal
import socket
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from conftest import (
    BULLETIN,
    BULLETIN_FILE,
    CALENDAR_2021,
    CONFIG,
    DEPARTMENT,
    ENTERPRISE,
    ENTERPRISE_FILE,
    ISSUE,
    ISSUE_FILE,
    LEGAL,
    LEGAL_FILE,
    STAFF,
    TEAM,
    VISIT,
    VISIT_FILE,
    Found,
    OfficeRepo,
    edit,
)

DEPT = "departments/D01.yaml"
DEPT2 = "departments/D02.yaml"
TEAM_FILE = "teams/T01.yaml"
STAFF2 = "staff/S002.yaml"
CAL = "calendar/2021.yaml"
CFG = "config.yaml"
RECT = "rectifications/R0001.yaml"


@dataclass(frozen=True)
class Case:
    """One hostile record set and the exact problems ``check`` must report."""

    name: str
    files: dict[str, str | bytes | None]
    expected: list[Found]
    setup: Callable[[OfficeRepo], None] | None = None
    bomb: bool = False
    timeout: float = 30.0


DEPT2_TEXT = edit(DEPARTMENT, ("id: D01", "id: D02"))
RECTIFICATION = """\
id: R0001
issue: Q0001
action: 架设第二路线路。
responsible: D01
due: 2021-08-20
done: true
done_on: 2021-08-18
"""


def _dept2(text: str) -> dict[str, str | bytes | None]:
    return {DEPT2: text}


# -- generated hostile files ---------------------------------------------------------------


def billion_laughs(levels: int = 9, fan: int = 9) -> str:
    """Aliases of aliases: ``fan ** levels`` leaves if anything expanded them."""
    lines = ["id: D02", 'a0: &a0 "lol"']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * fan) + "]")
    return "\n".join(lines) + "\n"


def quadratic_blowup(size: int = 200_000, refs: int = 5_000) -> str:
    """One large anchored string referenced thousands of times (a ~1 GB expansion)."""
    return f'id: D02\nname: &big "{"x" * size}"\nshort_name: [{", ".join(["*big"] * refs)}]\n'


def flow_nesting(depth: int, opener: str = "[", closer: str = "]") -> str:
    return DEPT2_TEXT + "notes: " + opener * depth + closer * depth + "\n"


def block_nesting(depth: int) -> str:
    lines = [DEPT2_TEXT.rstrip("\n"), "notes:"]
    lines += [" " * (2 * i) + f"k{i}:" for i in range(1, depth + 1)]
    lines.append(" " * (2 * depth + 2) + "x")
    return "\n".join(lines) + "\n"


def block_sequence_nesting(depth: int) -> str:
    return DEPT2_TEXT + "notes:\n" + "".join(" " * (2 * i) + "-\n" for i in range(depth)) + " " * 2 * depth + "x\n"


def png_bytes() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("D02.yaml", date_time=(2021, 9, 1, 0, 0, 0)), DEPT2_TEXT)
    return buffer.getvalue()


def stored_zip_bytes() -> bytes:
    """A zip whose only member is stored uncompressed: bytes that are valid UTF-8 except the header."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr(zipfile.ZipInfo("a.txt", date_time=(2021, 9, 1, 0, 0, 0)), "id: D02\n")
    return buffer.getvalue()


def huge_file(megabytes: int) -> Callable[[OfficeRepo], None]:
    """Write a file of ``megabytes`` MB (a comment line repeated) without building it in memory."""

    def setup(repo: OfficeRepo) -> None:
        line = b"# " + b"x" * 1021 + b"\n"
        with open(repo.root / DEPT2, "wb") as handle:
            handle.write(DEPT2_TEXT.encode())
            for _ in range(megabytes * 1024):
                handle.write(line)

    return setup


def symlink(target: str, link: str) -> Callable[[OfficeRepo], None]:
    """``link`` (under records/) pointing at ``target``; ``target`` may start with ``../``."""

    def setup(repo: OfficeRepo) -> None:
        path = repo.root / link
        path.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, path)

    return setup


def outside_file(name: str, text: str) -> Callable[[OfficeRepo], None]:
    def setup(repo: OfficeRepo) -> None:
        (repo.root.parent / name).write_text(text, encoding="utf-8")

    return setup


def chain(*steps: Callable[[OfficeRepo], None]) -> Callable[[OfficeRepo], None]:
    def setup(repo: OfficeRepo) -> None:
        for step in steps:
            step(repo)

    return setup


def fifo(link: str) -> Callable[[OfficeRepo], None]:
    def setup(repo: OfficeRepo) -> None:
        os.mkfifo(repo.root / link)

    return setup


def staff_list(count: int, ref: str = "S002") -> str:
    return edit(VISIT, ("  - S002\n  - S003\n", "".join(f"  - {ref}\n" for _ in range(count))))


def long_history(entries: int) -> str:
    head = ISSUE.split("history:\n")[0]
    lines = ["history:", "  - date: 2021-08-05", "    status: 问题收集"]
    for _ in range(entries):
        lines += ["  - date: 2021-08-06", "    status: 办理中"]
    return head + "\n".join(lines) + "\n"


def many_keys(count: int) -> str:
    return DEPT2_TEXT + "".join(f"k{i}: v\n" for i in range(count))


CRLF = "\r\n"


def crlf(text: str) -> str:
    return text.replace("\n", CRLF)


BOM = "\ufeff"

CASES: list[Case] = [
    # ---- YAML syntax errors of every kind (E101) ------------------------------------------------
    Case(
        "syntax_unclosed_flow_mapping", _dept2(DEPT2_TEXT + "notes: {a: 1\n"), [("E101", "departments/D02.yaml", 6, 1)]
    ),
    Case(
        "syntax_unclosed_flow_list_in_history",
        {ISSUE_FILE: edit(ISSUE, ("  - date: 2021-08-10\n", "  - date: [2021-08-10\n"))},
        [("E101", "issues/2021-08/Q0001.yaml", 19, 11)],
    ),
    Case(
        "syntax_double_quote_runs_to_eof",
        _dept2(DEPT2_TEXT + 'notes: "未闭合\n'),
        [("E101", "departments/D02.yaml", 5, 8)],
    ),
    Case(
        "syntax_single_quote_runs_to_eof",
        _dept2(DEPT2_TEXT + "notes: '未闭合\n"),
        [("E101", "departments/D02.yaml", 5, 8)],
    ),
    Case(
        "syntax_stray_closing_bracket",
        _dept2(DEPT2_TEXT + "notes: a]\nx: ]\n"),
        [("E101", "departments/D02.yaml", 6, 4)],
    ),
    Case(
        "syntax_value_value",
        _dept2(edit(DEPT2_TEXT, ("short_name: 区供电公司", "short_name: 区供电公司: 供电"))),
        [("E101", "departments/D02.yaml", 3, 18)],
    ),
    Case(
        "syntax_list_item_in_mapping", _dept2(DEPT2_TEXT + "- 多余的列表项\n"), [("E101", "departments/D02.yaml", 5, 1)]
    ),
    Case("syntax_bad_escape", _dept2(DEPT2_TEXT + 'notes: "C:\\q\\路径"\n'), [("E101", "departments/D02.yaml", 5, 11)]),
    Case(
        "syntax_bad_unicode_escape",
        _dept2(DEPT2_TEXT + 'notes: "\\U00110000"\n'),
        [("E101", "departments/D02.yaml", 5, 11)],
    ),
    Case("syntax_unknown_directive", _dept2("%FOO bar\n---\n" + DEPT2_TEXT), [("E101", "departments/D02.yaml", 1, 5)]),
    Case("syntax_yaml_2_directive", _dept2("%YAML 2.0\n---\n" + DEPT2_TEXT), [("E101", "departments/D02.yaml", 1, 1)]),
    Case(
        "syntax_directive_without_document",
        _dept2("%YAML 1.1\n" + DEPT2_TEXT),
        [("E101", "departments/D02.yaml", 2, 1)],
    ),
    Case(
        "syntax_at_sign_starts_value", _dept2(DEPT2_TEXT + "notes: @张三\n"), [("E101", "departments/D02.yaml", 5, 8)]
    ),
    Case(
        "syntax_backtick_starts_value", _dept2(DEPT2_TEXT + "notes: `code`\n"), [("E101", "departments/D02.yaml", 5, 8)]
    ),
    Case("syntax_percent_in_block", _dept2(DEPT2_TEXT + "%notes: x\n"), [("E101", "departments/D02.yaml", 5, 7)]),
    Case(
        "syntax_tab_indents_list",
        {VISIT_FILE: edit(VISIT, ("  - S003", "\t- S003"))},
        [("E114", "visits/2021-08/V0001.yaml", 6, 1)],
    ),
    Case(
        "syntax_tab_indents_front_matter",
        {BULLETIN_FILE: edit(BULLETIN, ("    comment: 响应迅速。", "\tcomment: 响应迅速。"))},
        [("E114", "bulletins/2021-08-monthly.md", 8, 1)],
    ),
    Case("syntax_tab_after_colon_is_allowed", _dept2(edit(DEPT2_TEXT, ("type: 公用事业", "type:\t公用事业"))), []),
    Case("syntax_tab_inside_flow", _dept2(DEPT2_TEXT + "notes: [a,\tb]\n"), [("E105", "departments/D02.yaml", 5, 8)]),
    Case("syntax_complex_key", _dept2(DEPT2_TEXT + "? [a, b]\n: c\n"), [("E105", "departments/D02.yaml", 5, 3)]),
    Case("syntax_anchor_without_name", _dept2(DEPT2_TEXT + "notes: & x\n"), [("E101", "departments/D02.yaml", 5, 9)]),
    Case("syntax_alias_without_name", _dept2(DEPT2_TEXT + "notes: * x\n"), [("E101", "departments/D02.yaml", 5, 9)]),
    Case(
        "syntax_binary_tag", _dept2(DEPT2_TEXT + "notes: !!binary aGVsbG8=\n"), [("E211", "departments/D02.yaml", 5, 8)]
    ),
    Case(
        "syntax_python_object_tag",
        _dept2(DEPT2_TEXT + "notes: !!python/object/apply:os.system [echo pwned]\n"),
        [("E211", "departments/D02.yaml", 5, 8)],
    ),
    Case("syntax_local_tag", _dept2(DEPT2_TEXT + "notes: !secret 内容\n"), [("E211", "departments/D02.yaml", 5, 8)]),
    Case(
        "syntax_set_tag_on_list",
        {VISIT_FILE: edit(VISIT, ("staff:\n", "staff: !!set\n"))},
        [("E211", "visits/2021-08/V0001.yaml", 4, 8)],
    ),
    Case(
        "syntax_error_after_crlf_lines",
        _dept2(crlf(DEPT2_TEXT + 'notes: "未闭合\n')),
        [("E101", "departments/D02.yaml", 5, 8)],
    ),
    Case("syntax_error_after_bom", _dept2(BOM + DEPT2_TEXT + "notes: {a\n"), [("E101", "departments/D02.yaml", 6, 1)]),
    Case(
        "syntax_error_after_lone_cr_lines",
        _dept2(DEPT2_TEXT.replace("\n", "\r") + "notes: {a\r"),
        [("E101", "departments/D02.yaml", 6, 1)],
    ),
    Case("syntax_bell_character", _dept2(DEPT2_TEXT + "notes: 响铃\x07\n"), [("E101", "departments/D02.yaml", 5, 10)]),
    Case(
        "syntax_delete_character", _dept2(DEPT2_TEXT + "notes: 删除\x7f\n"), [("E101", "departments/D02.yaml", 5, 10)]
    ),
    Case(
        "syntax_escape_character_after_chinese",
        _dept2(DEPT2_TEXT + "notes: 中文中文\x1b[31m\n"),
        [("E101", "departments/D02.yaml", 5, 12)],
    ),
    Case("syntax_c1_control", _dept2(DEPT2_TEXT + "notes: 控制\x9b\n"), [("E101", "departments/D02.yaml", 5, 10)]),
    Case(
        "syntax_nel_line_break",
        _dept2(DEPT2_TEXT + "notes: 换行\x85x\nshort_name: [\n"),
        [("E101", "departments/D02.yaml", 5, 10)],
    ),
    Case(
        "syntax_line_separator",
        _dept2(DEPT2_TEXT + "notes: 行\u2028分隔\nx: [\n"),
        [("E101", "departments/D02.yaml", 5, 9)],
    ),
    Case(
        "syntax_paragraph_separator_hides_a_key",
        _dept2(DEPT2_TEXT + "notes: 正常\u2029name: 伪造\n"),
        [("E101", "departments/D02.yaml", 5, 10)],
    ),
    Case(
        "syntax_nel_in_front_matter",
        {BULLETIN_FILE: edit(BULLETIN, ("number: 8", "number: 8\x85x: 1"))},
        [("E101", "bulletins/2021-08-monthly.md", 4, 10)],
    ),
    Case(
        "syntax_line_separator_in_bulletin_body_is_fine",
        {BULLETIN_FILE: edit(BULLETIN, ("继续做好服务。", "继续\u2028做好服务。"))},
        [],
    ),
    Case(
        "syntax_noncharacter", _dept2(DEPT2_TEXT + "notes: 非字符\ufffe\n"), [("E101", "departments/D02.yaml", 5, 11)]
    ),
    Case("syntax_doubled_bom", _dept2(BOM + BOM + DEPT2_TEXT), []),
    Case("syntax_bom_in_the_middle", _dept2(DEPT2_TEXT + "notes: 中间" + BOM + "\n"), [("E210", DEPT2, 5, 8)]),
    Case(
        "syntax_unclosed_front_matter_flow",
        {BULLETIN_FILE: edit(BULLETIN, ("number: 8", "number: [8"))},
        [("E101", "bulletins/2021-08-monthly.md", 5, 11)],
    ),
    Case(
        "syntax_block_scalar_bad_indent",
        _dept2(DEPT2_TEXT + "notes: |\n  第一行\n 第二行\nx: 1\n"),
        [("E101", "departments/D02.yaml", 7, 2)],
    ),
    Case(
        "syntax_block_scalar_indicator_junk",
        _dept2(DEPT2_TEXT + "notes: |x\n  文字\n"),
        [("E101", "departments/D02.yaml", 5, 9)],
    ),
    # ---- duplicate keys at every depth (E102) --------------------------------------------------
    Case("dup_key_config", {CFG: CONFIG + "district: 川汇区\n"}, [("E102", "config.yaml", 6, 1)]),
    Case("dup_key_calendar_holidays", {CAL: CALENDAR_2021 + "holidays: []\n"}, [("E102", "calendar/2021.yaml", 8, 1)]),
    Case(
        "dup_key_rating",
        {ISSUE_FILE: edit(ISSUE, ("  result: 满意\n", "  result: 满意\n  result: 不满意\n"))},
        [("E102", "issues/2021-08/Q0001.yaml", 28, 3)],
    ),
    Case(
        "dup_key_flow_mapping",
        {
            ISSUE_FILE: edit(
                ISSUE,
                (
                    "  - date: 2021-08-10\n    status: 办理中\n",
                    "  - {date: 2021-08-10, status: 办理中, date: 2021-08-11}\n",
                ),
            )
        },
        [("E102", "issues/2021-08/Q0001.yaml", 18, 37)],
    ),
    Case(
        "dup_key_front_matter",
        {BULLETIN_FILE: edit(BULLETIN, ("number: 8\n", "number: 8\nnumber: 9\n"))},
        [("E102", "bulletins/2021-08-monthly.md", 5, 1)],
    ),
    Case(
        "dup_key_unit_comment",
        {BULLETIN_FILE: edit(BULLETIN, ("    comment: 响应迅速。\n", "    comment: 响应迅速。\n    unit: D01\n"))},
        [("E102", "bulletins/2021-08-monthly.md", 9, 5)],
    ),
    Case(
        "dup_key_quoted_and_plain",
        _dept2(edit(DEPT2_TEXT, ("type: 公用事业", 'type: 公用事业\n"type": 公用事业'))),
        [("E102", "departments/D02.yaml", 5, 1)],
    ),
    Case(
        "dup_key_three_times",
        _dept2(DEPT2_TEXT + "name: 甲\nname: 乙\n"),
        [("E102", "departments/D02.yaml", 5, 1), ("E102", "departments/D02.yaml", 6, 1)],
    ),
    Case(
        "dup_key_ranking_weights",
        {CFG: CONFIG + "ranking_weights:\n  resolution_rate: 0.5\n  resolution_rate: 0.5\n"},
        [("E207", "config.yaml", 7, 3), ("E102", "config.yaml", 8, 3)],
    ),
    Case(
        "dup_key_fonts",
        {CFG: CONFIG + "fonts:\n  fangsong: a.ttf\n  fangsong: b.ttf\n"},
        [("E102", "config.yaml", 8, 3)],
    ),
    Case(
        "dup_key_unknown_field_twice",
        _dept2(DEPT2_TEXT + "colour: red\ncolour: blue\n"),
        [("E202", "departments/D02.yaml", 5, 1), ("E102", "departments/D02.yaml", 6, 1)],
    ),
    Case(
        "dup_key_int_and_str",
        _dept2(DEPT2_TEXT + '1: a\n"1": b\n'),
        [("E202", "departments/D02.yaml", 5, 1), ("E102", "departments/D02.yaml", 6, 1)],
    ),
    # ---- anchors, aliases and bombs (E106) -----------------------------------------------------
    Case("bomb_billion_laughs_9x9", _dept2(billion_laughs()), [("E106", "departments/D02.yaml", 2, 5)], bomb=True),
    Case(
        "bomb_billion_laughs_in_flow",
        _dept2("{id: D02, a: &a [x, x], b: &b [*a, *a, *a], c: [*b, *b, *b]}\n"),
        [("E106", "departments/D02.yaml", 1, 14)],
        bomb=True,
    ),
    Case("bomb_quadratic_blowup", _dept2(quadratic_blowup()), [("E106", "departments/D02.yaml", 2, 7)], bomb=True),
    Case(
        "bomb_merge_key",
        _dept2("base: &b {name: 甲, type: 公用事业}\n<<: *b\nid: D02\n"),
        [("E106", "departments/D02.yaml", 1, 7)],
        bomb=True,
    ),
    Case(
        "bomb_alias_in_front_matter",
        {BULLETIN_FILE: edit(BULLETIN, ("number: 8\n", "number: &n 8\nx: *n\n"))},
        [("E106", "bulletins/2021-08-monthly.md", 4, 9)],
        bomb=True,
    ),
    Case(
        "bomb_recursive_alias", _dept2("id: D02\nnotes: &a [*a]\n"), [("E106", "departments/D02.yaml", 2, 8)], bomb=True
    ),
    Case(
        "bomb_anchor_on_whole_record",
        _dept2("&whole\n" + DEPT2_TEXT),
        [("E106", "departments/D02.yaml", 1, 1)],
        bomb=True,
    ),
    Case("bomb_alias_as_key", _dept2("id: &k D02\n*k : x\n"), [("E106", "departments/D02.yaml", 1, 5)], bomb=True),
    # ---- deep nesting (E108) -------------------------------------------------------------------
    Case("deep_flow_lists_41", _dept2(flow_nesting(41)), [("E108", "departments/D02.yaml", 5, 47)], bomb=True),
    Case(
        "deep_flow_lists_100000", _dept2(flow_nesting(100_000)), [("E108", "departments/D02.yaml", 5, 1007)], bomb=True
    ),
    Case(
        "deep_flow_mappings_5000",
        _dept2(DEPT2_TEXT + "notes: " + "{a: " * 5000 + "x" + "}" * 5000 + "\n"),
        [("E108", "departments/D02.yaml", 5, 4004)],
        bomb=True,
    ),
    Case("deep_block_mappings_60", _dept2(block_nesting(60)), [("E108", "departments/D02.yaml", 44, 79)], bomb=True),
    Case("deep_block_mappings_3000", _dept2(block_nesting(3000)), [("E108", "departments/D02.yaml", 1, 1)], bomb=True),
    Case(
        "deep_block_mappings_1000",
        _dept2(block_nesting(1000)),
        [("E108", "departments/D02.yaml", 1004, 2003)],
        bomb=True,
    ),
    Case(
        "deep_block_sequences_60",
        _dept2(block_sequence_nesting(60)),
        [("E108", "departments/D02.yaml", 45, 79)],
        bomb=True,
    ),
    Case(
        "deep_inline_dashes",
        _dept2(DEPT2_TEXT + "notes: " + "- " * 200 + "x\n"),
        [("E101", "departments/D02.yaml", 5, 8)],
        bomb=True,
    ),
    Case(
        "deep_flow_unclosed_10000",
        _dept2(DEPT2_TEXT + "notes: " + "[" * 10_000 + "\n"),
        [("E108", "departments/D02.yaml", 5, 1007)],
        bomb=True,
    ),
    Case("deep_39_levels_is_fine_but_not_a_field", _dept2(flow_nesting(38)), [("E105", "departments/D02.yaml", 5, 8)]),
    # ---- large files (E108 and friends) --------------------------------------------------------
    Case("large_50_mb_file", {}, [("E108", "departments/D02.yaml", 1, 1)], setup=huge_file(50), bomb=True),
    Case("large_3_mb_file", {}, [("E108", "departments/D02.yaml", 1, 1)], setup=huge_file(3), bomb=True),
    Case(
        "large_scalar_just_under_limit",
        _dept2(DEPT2_TEXT + "notes: " + "长" * 600_000 + "\n"),
        [("E206", "departments/D02.yaml", 5, 8)],
        bomb=True,
    ),
    Case(
        "large_one_line_without_newline",
        _dept2(DEPT2_TEXT + "notes: " + "x" * 1_900_000),
        [("E206", "departments/D02.yaml", 5, 8)],
        bomb=True,
    ),
    Case(
        "large_many_unknown_keys",
        _dept2(many_keys(40_000)),
        [("E202", DEPT2, 5 + i, 1) for i in range(40_000)],
        bomb=True,
        timeout=60,
    ),
    Case("large_staff_list_valid", {VISIT_FILE: staff_list(20_000)}, [], bomb=True),
    Case(
        "large_staff_list_dangling",
        {VISIT_FILE: staff_list(5_000, "S999")},
        [("E302", VISIT_FILE, 5 + i, 5) for i in range(5_000)],
        bomb=True,
        timeout=60,
    ),
    Case(
        "large_history", {ISSUE_FILE: long_history(5_000)}, [("E403", "issues/2021-08/Q0001.yaml", 16, 13)], bomb=True
    ),
    # ---- binary files and encodings (E103) -----------------------------------------------------
    Case("binary_png", _dept2(png_bytes()), [("E103", "departments/D02.yaml", 1, 1)]),
    Case("binary_zip", _dept2(zip_bytes()), [("E103", "departments/D02.yaml", 1, 15)]),
    Case("binary_stored_zip", _dept2(stored_zip_bytes()), [("E103", "departments/D02.yaml", 1, 16)]),
    Case("binary_gzip", _dept2(gzip.compress(DEPT2_TEXT.encode(), mtime=0)), [("E103", "departments/D02.yaml", 1, 2)]),
    Case(
        "binary_pdf_header",
        _dept2(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"),
        [("E103", "departments/D02.yaml", 2, 2)],
    ),
    Case("binary_elf", _dept2(b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8), [("E103", "departments/D02.yaml", 1, 1)]),
    Case("binary_jpeg", _dept2(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"), [("E103", "departments/D02.yaml", 1, 1)]),
    Case("binary_png_as_bulletin", {BULLETIN_FILE: png_bytes()}, [("E103", "bulletins/2021-08-monthly.md", 1, 1)]),
    Case("encoding_utf16_le_with_bom", _dept2(DEPT2_TEXT.encode("utf-16")), [("E103", "departments/D02.yaml", 1, 1)]),
    Case(
        "encoding_utf16_be_without_bom",
        _dept2(DEPT2_TEXT.encode("utf-16-be")),
        [("E103", "departments/D02.yaml", 2, 14)],
    ),
    Case("encoding_utf32", _dept2(DEPT2_TEXT.encode("utf-32")), [("E103", "departments/D02.yaml", 1, 1)]),
    Case(
        "encoding_gbk_bulletin",
        {BULLETIN_FILE: BULLETIN.encode("gbk")},
        [("E103", "bulletins/2021-08-monthly.md", 5, 13)],
    ),
    Case(
        "encoding_gb18030_four_byte",
        _dept2(edit(DEPT2_TEXT, ("type: 公用事业", "type: 公用事业\nnotes: 𠀀")).encode("gb18030")),
        [("E103", "departments/D02.yaml", 2, 7)],
    ),
    Case(
        "encoding_one_gbk_line_at_line_6",
        _dept2(DEPT2_TEXT.encode() + "notes: 供电".encode("gbk") + b"\n"),
        [("E103", "departments/D02.yaml", 5, 8)],
    ),
    Case(
        "encoding_latin1",
        _dept2(DEPT2_TEXT.encode() + "notes: café\n".encode("latin-1")),
        [("E103", "departments/D02.yaml", 5, 11)],
    ),
    Case(
        "encoding_big5",
        _dept2(DEPT2_TEXT.encode() + "notes: 供電公司\n".encode("big5")),
        [("E103", "departments/D02.yaml", 5, 8)],
    ),
    Case(
        "encoding_overlong_slash",
        _dept2(DEPT2_TEXT.encode() + b"notes: \xc0\xaf\n"),
        [("E103", "departments/D02.yaml", 5, 8)],
    ),
    Case(
        "encoding_truncated_at_eof",
        _dept2(DEPT2_TEXT.encode() + "notes: 中".encode()[:-1]),
        [("E103", "departments/D02.yaml", 5, 8)],
    ),
    Case(
        "encoding_utf8_encoded_surrogate",
        _dept2(DEPT2_TEXT.encode() + b"notes: \xed\xa0\x80\n"),
        [("E103", "departments/D02.yaml", 5, 8)],
    ),
    Case(
        "encoding_bom_then_gbk",
        _dept2(b"\xef\xbb\xbf" + DEPT2_TEXT.encode("gbk")),
        [("E103", "departments/D02.yaml", 2, 7)],
    ),
    Case("encoding_bom_only", _dept2(BOM), [("E104", "departments/D02.yaml", 1, 1)]),
    Case("encoding_nul_after_bom", _dept2(BOM + "\x00" + DEPT2_TEXT), [("E103", "departments/D02.yaml", 1, 1)]),
    Case(
        "encoding_lone_surrogate_escape",
        _dept2(DEPT2_TEXT + 'notes: "坏\\ud800字"\n'),
        [("E101", "departments/D02.yaml", 5, 12)],
    ),
    Case(
        "encoding_surrogate_pair_escape",
        _dept2(DEPT2_TEXT + 'notes: "\\ud83d\\ude00"\n'),
        [("E101", "departments/D02.yaml", 5, 11)],
    ),
    Case(
        "encoding_surrogate_in_id",
        _dept2(edit(DEPT2_TEXT, ("id: D02", 'id: "D0\\udc802"'))),
        [("E101", "departments/D02.yaml", 1, 10)],
    ),
    Case(
        "encoding_nul_escape_in_name",
        _dept2(edit(DEPT2_TEXT, ("short_name: 区供电公司", 'short_name: "区\\0供电"'))),
        [("E210", DEPT2, 3, 13)],
    ),
    Case(
        "encoding_escape_bell_in_issue_title",
        {ISSUE_FILE: edit(ISSUE, ("title: 需增加第二路供电线路", 'title: "标题\\a响铃"'))},
        [("E210", ISSUE_FILE, 7, 8)],
    ),
    Case(
        "encoding_escape_c1_in_enterprise_name",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("name: 富士康(周口)科技工业园", 'name: "富士康\\x85园"'))},
        [("E210", ENTERPRISE_FILE, 2, 7)],
    ),
    Case(
        "encoding_tab_and_newline_escapes_are_fine_in_text",
        {ISSUE_FILE: edit(ISSUE, ("description: 园区用电负荷大，需双回路供电。", 'description: "第一行\\n\\t第二行"'))},
        [],
    ),
    Case(
        "encoding_escape_control_in_name",
        _dept2(edit(DEPT2_TEXT, ("short_name: 区供电公司", 'short_name: "区\\x01供电"'))),
        [("E210", DEPT2, 3, 13)],
    ),
    # ---- CRLF and BOM that are fine -------------------------------------------------------------
    Case("crlf_whole_repository_file", {ISSUE_FILE: crlf(ISSUE)}, []),
    Case("crlf_bulletin", {BULLETIN_FILE: crlf(BULLETIN)}, []),
    Case("bom_record", {ISSUE_FILE: BOM + ISSUE}, []),
    Case("bom_bulletin", {BULLETIN_FILE: BOM + BULLETIN}, []),
    Case("bom_and_crlf", {ENTERPRISE_FILE: BOM + crlf(ENTERPRISE)}, []),
    Case(
        "crlf_error_position",
        {ISSUE_FILE: crlf(edit(ISSUE, ("    status: 办理中", "    status: 办里中")))},
        [("E204", "issues/2021-08/Q0001.yaml", 19, 13)],
    ),
    Case(
        "crlf_bulletin_section_position",
        {BULLETIN_FILE: crlf(edit(BULLETIN, ("## 下步工作", "## 下一步")))},
        [("W605", "bulletins/2021-08-monthly.md", 16, 1)],
    ),
    # ---- empty, comment-only and multi-document files (E104, E107) -----------------------------
    Case("empty_whitespace_only", _dept2("   \n\n  \n"), [("E104", "departments/D02.yaml", 1, 1)]),
    Case("empty_document_end_marker_only", _dept2("...\n"), [("E101", "departments/D02.yaml", 1, 1)]),
    Case("empty_two_markers", _dept2("---\n---\n"), [("E104", "departments/D02.yaml", 1, 1)]),
    Case("empty_tilde", _dept2("~\n"), [("E105", "departments/D02.yaml", 1, 1)]),
    Case("empty_null_word", _dept2("null\n"), [("E105", "departments/D02.yaml", 1, 1)]),
    Case(
        "empty_comment_with_bom_and_crlf",
        _dept2(BOM + "# 说明\r\n# 第二行\r\n"),
        [("E104", "departments/D02.yaml", 1, 1)],
    ),
    Case("empty_front_matter", {BULLETIN_FILE: "---\n---\n正文。\n"}, [("E104", "bulletins/2021-08-monthly.md", 2, 1)]),
    Case("empty_bulletin_file", {BULLETIN_FILE: ""}, [("E111", "bulletins/2021-08-monthly.md", 1, 1)]),
    Case(
        "multi_document_after_end_marker",
        _dept2(DEPT2_TEXT + "...\n---\nid: D03\n"),
        [("E107", "departments/D02.yaml", 7, 1)],
    ),
    Case(
        "multi_document_three",
        _dept2("---\n" + DEPT2_TEXT + "---\n" + DEPT2_TEXT + "---\n" + DEPT2_TEXT),
        [("E107", "departments/D02.yaml", 7, 1)],
    ),
    Case("multi_document_second_empty_is_fine", _dept2(DEPT2_TEXT + "---\n# 空\n"), []),
    Case(
        "multi_document_text_after_end_marker",
        _dept2(DEPT2_TEXT + "...\n多余的文字\n"),
        [("E101", "departments/D02.yaml", 6, 1)],
    ),
    Case(
        "multi_document_in_front_matter",
        {BULLETIN_FILE: edit(BULLETIN, ("number: 8\n", "number: 8\n...\n"))},
        [("E101", "bulletins/2021-08-monthly.md", 6, 1)],
    ),
    # ---- file names, symlinks and special files (E109, E303, W604) -----------------------------
    Case("name_with_space", {"departments/D 02.yaml": DEPT2_TEXT}, [("E303", "departments/D 02.yaml", 1, 5)]),
    Case("name_in_chinese", {"departments/供电公司.yaml": DEPT2_TEXT}, [("E303", "departments/供电公司.yaml", 1, 5)]),
    Case(
        "name_trailing_space_before_suffix",
        {"departments/D02 .yaml": DEPT2_TEXT},
        [("E303", "departments/D02 .yaml", 1, 5)],
    ),
    Case("name_upper_case_suffix", {"departments/D02.YAML": DEPT2_TEXT}, [("W604", "departments/D02.YAML", 1, 1)]),
    Case(
        "name_backup_suffix",
        {"departments/D02.yaml.bak": DEPT2_TEXT, "departments/D02.yaml~": DEPT2_TEXT},
        [("W604", "departments/D02.yaml.bak", 1, 1), ("W604", "departments/D02.yaml~", 1, 1)],
    ),
    Case(
        "name_lower_case_id",
        {"departments/d02.yaml": edit(DEPT2_TEXT, ("id: D02", "id: d02"))},
        [("E206", "departments/d02.yaml", 1, 5)],
    ),
    Case("name_only_suffix_is_hidden", {"departments/.yaml": DEPT2_TEXT}, []),
    Case(
        "name_folder_named_like_a_record",
        {"departments/D03.yaml/D02.yaml": DEPT2_TEXT},
        [("W620", "departments/D03.yaml", 1, 1)],
    ),
    Case("name_in_chinese_folder", {"visits/九月/V0002.yaml": edit(VISIT, ("id: V0001", "id: V0002"))}, []),
    Case(
        "name_newline_in_file_name",
        {"departments/D0\n2.yaml": DEPT2_TEXT},
        [("E110", "departments/D0\\x0a2.yaml", 1, 1)],
    ),
    Case(
        "name_forging_an_annotation",
        {"departments/x\n::error file=a.yaml::伪造.yaml": DEPT2_TEXT},
        [("E110", "departments/x\\x0a::error file=a.yaml::伪造.yaml", 1, 1)],
    ),
    Case(
        "name_with_carriage_return_folder",
        {"visits/2021\r08/V0002.yaml": edit(VISIT, ("id: V0001", "id: V0002"))},
        [("E110", "visits/2021\\x0d08/V0002.yaml", 1, 1)],
    ),
    Case(
        "name_bulletin_with_space",
        {"bulletins/2021-08 monthly.md": BULLETIN},
        [("E303", "bulletins/2021-08 monthly.md", 3, 9)],
    ),
    Case("symlink_to_etc_passwd", {}, [("E109", "departments/D02.yaml", 1, 1)], setup=symlink("/etc/passwd", DEPT2)),
    Case(
        "symlink_relative_outside",
        {},
        [("E109", "departments/D02.yaml", 1, 1)],
        setup=chain(outside_file("d.yaml", DEPT2_TEXT), symlink("../../d.yaml", DEPT2)),
    ),
    Case(
        "symlink_to_dev_zero",
        {},
        [("E109", "departments/D02.yaml", 1, 1)],
        setup=symlink("/dev/zero", DEPT2),
        bomb=True,
    ),
    Case(
        "symlink_loop",
        {},
        [("E109", "departments/D02.yaml", 1, 1), ("E109", "departments/D03.yaml", 1, 1)],
        setup=chain(symlink("D03.yaml", DEPT2), symlink("D02.yaml", "departments/D03.yaml")),
    ),
    Case("symlink_dangling_inside", {}, [("E109", "departments/D02.yaml", 1, 1)], setup=symlink("D09.yaml", DEPT2)),
    Case(
        "symlink_inside_duplicates_a_record",
        {},
        [("E301", "departments/D02.yaml", 1, 5), ("E303", "departments/D02.yaml", 1, 5)],
        setup=symlink("D01.yaml", DEPT2),
    ),
    Case("symlink_folder_outside_is_not_followed", {}, [], setup=symlink("/etc", "departments/etc")),
    Case(
        "symlink_to_proc_self", {}, [("E109", "departments/D02.yaml", 1, 1)], setup=symlink("/proc/self/environ", DEPT2)
    ),
    Case("fifo_named_like_a_record", {}, [("E109", "departments/D02.yaml", 1, 1)], setup=fifo(DEPT2)),
    Case("directory_config_yaml", {CFG: None, "config.yaml/x": "a"}, [("E109", "config.yaml", 1, 1)]),
    # ---- dates --------------------------------------------------------------------------------
    Case(
        "date_feb_29_non_leap",
        {VISIT_FILE: edit(VISIT, ("date: 2021-08-05", "date: 2021-02-29"))},
        [("E205", "visits/2021-08/V0001.yaml", 2, 7)],
    ),
    Case(
        "date_april_31",
        {VISIT_FILE: edit(VISIT, ("date: 2021-08-05", "date: 2021-04-31"))},
        [("E205", "visits/2021-08/V0001.yaml", 2, 7)],
    ),
    Case(
        "date_month_00",
        {VISIT_FILE: edit(VISIT, ("date: 2021-08-05", "date: 2021-00-10"))},
        [("E205", "visits/2021-08/V0001.yaml", 2, 7)],
    ),
    Case(
        "date_day_00",
        {VISIT_FILE: edit(VISIT, ("date: 2021-08-05", "date: 2021-08-00"))},
        [("E205", "visits/2021-08/V0001.yaml", 2, 7)],
    ),
    Case(
        "date_without_zero_padding",
        {VISIT_FILE: edit(VISIT, ("date: 2021-08-05", "date: 2021-8-5"))},
        [("E116", "visits/2021-08/V0001.yaml", 2, 7)],
    ),
    Case(
        "date_year_1989",
        {VISIT_FILE: edit(VISIT, ("date: 2021-08-05", "date: 1989-12-31"))},
        [("E205", "visits/2021-08/V0001.yaml", 2, 7)],
    ),
    Case(
        "date_year_2101",
        {VISIT_FILE: edit(VISIT, ("date: 2021-08-05", "date: 2101-01-01"))},
        [("E205", "visits/2021-08/V0001.yaml", 2, 7)],
    ),
    Case(
        "date_five_digit_year",
        {VISIT_FILE: edit(VISIT, ("date: 2021-08-05", "date: 99999-01-01"))},
        [("E205", "visits/2021-08/V0001.yaml", 2, 7)],
    ),
    Case(
        "date_with_plus_sign",
        {VISIT_FILE: edit(VISIT, ("date: 2021-08-05", "date: +2021-08-05"))},
        [("E205", "visits/2021-08/V0001.yaml", 2, 7)],
    ),
    Case(
        "date_with_time_zone",
        {VISIT_FILE: edit(VISIT, ("date: 2021-08-05", "date: 2021-08-05T10:00:00+08:00"))},
        [("E205", "visits/2021-08/V0001.yaml", 2, 7)],
    ),
    Case(
        "date_as_list",
        {VISIT_FILE: edit(VISIT, ("date: 2021-08-05", "date: [2021-08-05]"))},
        [("E105", "visits/2021-08/V0001.yaml", 2, 7)],
    ),
    Case(
        "date_chinese",
        {VISIT_FILE: edit(VISIT, ("date: 2021-08-05", "date: 2021年8月5日"))},
        [("E116", "visits/2021-08/V0001.yaml", 2, 7)],
    ),
    Case(
        "date_full_width_digits",
        {VISIT_FILE: edit(VISIT, ("date: 2021-08-05", "date: ２０２１-０８-０５"))},
        [("E116", "visits/2021-08/V0001.yaml", 2, 7)],
    ),
    Case("date_quoted_is_fine", {VISIT_FILE: edit(VISIT, ("date: 2021-08-05", 'date: "2021-08-05"'))}, []),
    Case(
        "date_deadline_year_9999",
        {ISSUE_FILE: ISSUE + "deadline: 9999-12-31\n"},
        [("E205", "issues/2021-08/Q0001.yaml", 29, 11)],
    ),
    Case(
        "date_holiday_feb_30",
        {CAL: edit(CALENDAR_2021, ("  - 2021-09-20", "  - 2021-02-30"))},
        [("E205", "calendar/2021.yaml", 3, 5)],
    ),
    # ---- money and numbers ----------------------------------------------------------------------
    Case(
        "money_negative_cent",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("3000000000", "-0.01"))},
        [("E207", "enterprises/E001.yaml", 8, 18)],
    ),
    Case(
        "money_nan",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("3000000000", ".nan"))},
        [("E203", "enterprises/E001.yaml", 8, 18)],
    ),
    Case(
        "money_NaN_word",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("3000000000", "NaN"))},
        [("E203", "enterprises/E001.yaml", 8, 18)],
    ),
    Case(
        "money_inf",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("3000000000", ".inf"))},
        [("E203", "enterprises/E001.yaml", 8, 18)],
    ),
    Case(
        "money_negative_inf",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("3000000000", "-.inf"))},
        [("E203", "enterprises/E001.yaml", 8, 18)],
    ),
    Case(
        "money_1e400",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("3000000000", "1e400"))},
        [("E203", "enterprises/E001.yaml", 8, 18)],
    ),
    Case(
        "money_10_to_30",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("3000000000", "1" + "0" * 30))},
        [("E207", "enterprises/E001.yaml", 8, 18)],
    ),
    Case(
        "money_just_over_limit",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("3000000000", "10000000000000.01"))},
        [("E207", "enterprises/E001.yaml", 8, 18)],
    ),
    Case("money_at_limit_is_fine", {ENTERPRISE_FILE: edit(ENTERPRISE, ("3000000000", "10000000000000"))}, []),
    Case(
        "money_hex",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("3000000000", "0x10"))},
        [("E203", "enterprises/E001.yaml", 8, 18)],
    ),
    Case(
        "money_underscores",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("3000000000", "3_000_000_000"))},
        [("E203", "enterprises/E001.yaml", 8, 18)],
    ),
    Case(
        "money_thousands_commas",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("3000000000", "3,000,000,000"))},
        [("E203", "enterprises/E001.yaml", 8, 18)],
    ),
    Case(
        "money_three_decimals",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("3000000000", "1.005"))},
        [("E203", "enterprises/E001.yaml", 8, 18)],
    ),
    Case(
        "money_ten_thousand_digits",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("3000000000", "9" * 10_000))},
        [("E207", "enterprises/E001.yaml", 8, 18)],
    ),
    Case(
        "money_full_width",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("3000000000", "３０００"))},
        [("E203", "enterprises/E001.yaml", 8, 18)],
    ),
    Case(
        "money_legal_amount_nan",
        {LEGAL_FILE: edit(LEGAL, ("kind: 法治讲座", "kind: 法治讲座\namount_yuan: .NaN"))},
        [("E203", "legal/2021-08/L0001.yaml", 5, 14)],
    ),
    Case(
        "int_10_to_30",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("employees: 2000", "employees: " + "1" + "0" * 30))},
        [("E207", "enterprises/E001.yaml", 9, 12)],
    ),
    Case(
        "int_huge_digit_string",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("employees: 2000", "employees: " + "7" * 5000))},
        [("E207", "enterprises/E001.yaml", 9, 12)],
    ),
    Case(
        "int_negative",
        {LEGAL_FILE: edit(LEGAL, ("count: 1", "count: -1"))},
        [("E207", "legal/2021-08/L0001.yaml", 5, 8)],
    ),
    Case(
        "int_zero_below_minimum",
        {LEGAL_FILE: edit(LEGAL, ("count: 1", "count: 0"))},
        [("E207", "legal/2021-08/L0001.yaml", 5, 8)],
    ),
    Case(
        "int_exponent",
        {LEGAL_FILE: edit(LEGAL, ("count: 1", "count: 1e2"))},
        [("E203", "legal/2021-08/L0001.yaml", 5, 8)],
    ),
    Case(
        "int_leading_zero",
        {LEGAL_FILE: edit(LEGAL, ("count: 1", "count: 08"))},
        [("E203", "legal/2021-08/L0001.yaml", 5, 8)],
    ),
    Case(
        "int_sexagesimal",
        {LEGAL_FILE: edit(LEGAL, ("count: 1", "count: 1:30"))},
        [("E203", "legal/2021-08/L0001.yaml", 5, 8)],
    ),
    Case(
        "int_inf", {LEGAL_FILE: edit(LEGAL, ("count: 1", "count: .inf"))}, [("E203", "legal/2021-08/L0001.yaml", 5, 8)]
    ),
    Case(
        "int_time_limit_huge",
        {ISSUE_FILE: edit(ISSUE, ("time_limit_days: 15", "time_limit_days: 99999999999"))},
        [("E207", "issues/2021-08/Q0001.yaml", 11, 18)],
    ),
    Case(
        "weights_nan", {CFG: CONFIG + "ranking_weights:\n  resolution_rate: .nan\n"}, [("E203", "config.yaml", 7, 20)]
    ),
    Case(
        "weights_negative",
        {CFG: CONFIG + "ranking_weights:\n  resolution_rate: 1.5\n  on_time_rate: -0.5\n"},
        [("E207", "config.yaml", 7, 20), ("E207", "config.yaml", 8, 17)],
    ),
    Case(
        "bool_quoted_true",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("key_project: true", 'key_project: "true"'))},
        [("E203", "enterprises/E001.yaml", 7, 14)],
    ),
    Case(
        "bool_chinese",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("key_project: true", "key_project: 是"))},
        [("E203", "enterprises/E001.yaml", 7, 14)],
    ),
    # ---- ids, references and normalisation --------------------------------------------------------
    Case(
        "id_full_width_collides_after_nfkc",
        _dept2(edit(DEPT2_TEXT, ("id: D02", "id: Ｄ０１"))),
        [("E206", "departments/D02.yaml", 1, 5)],
    ),
    Case(
        "id_arabic_indic_digits",
        _dept2(edit(DEPT2_TEXT, ("id: D02", "id: D٠٢"))),
        [("E206", "departments/D02.yaml", 1, 5)],
    ),
    Case("id_ideographic_space", _dept2(edit(DEPT2_TEXT, ("id: D02", "id: D02\u3000"))), []),
    Case(
        "id_zero_width_joiner",
        _dept2(edit(DEPT2_TEXT, ("id: D02", "id: D0\u200d2"))),
        [("E210", "departments/D02.yaml", 1, 5)],
    ),
    Case(
        "id_word_joiner",
        _dept2(edit(DEPT2_TEXT, ("id: D02", "id: D\u206002"))),
        [("E210", "departments/D02.yaml", 1, 5)],
    ),
    Case(
        "id_bom_inside",
        _dept2(edit(DEPT2_TEXT, ("id: D02", "id: D\ufeff02"))),
        [("E210", "departments/D02.yaml", 1, 5)],
    ),
    Case(
        "id_soft_hyphen",
        _dept2(edit(DEPT2_TEXT, ("id: D02", "id: D0\u00ad2"))),
        [("E210", "departments/D02.yaml", 1, 5)],
    ),
    Case(
        "id_tag_characters",
        _dept2(edit(DEPT2_TEXT, ("id: D02", "id: D02\U000e0041"))),
        [("E206", "departments/D02.yaml", 1, 5)],
    ),
    Case(
        "id_rtl_isolate",
        _dept2(edit(DEPT2_TEXT, ("id: D02", "id: \u2067D02\u2069"))),
        [("E210", "departments/D02.yaml", 1, 5)],
    ),
    Case(
        "id_combining_mark",
        _dept2(edit(DEPT2_TEXT, ("id: D02", "id: D02\u0301"))),
        [("E206", "departments/D02.yaml", 1, 5)],
    ),
    Case("id_as_integer", _dept2(edit(DEPT2_TEXT, ("id: D02", "id: 2"))), [("E208", "departments/D02.yaml", 1, 5)]),
    Case(
        "id_as_mapping", _dept2(edit(DEPT2_TEXT, ("id: D02", "id: {D: 2}"))), [("E105", "departments/D02.yaml", 1, 5)]
    ),
    Case(
        "id_newline_in_quoted",
        _dept2(edit(DEPT2_TEXT, ("id: D02", 'id: "D0\\n2"'))),
        [("E206", "departments/D02.yaml", 1, 5)],
    ),
    Case(
        "ref_lower_case_enterprise",
        {VISIT_FILE: edit(VISIT, ("enterprise: E001", "enterprise: e001"))},
        [("E302", "visits/2021-08/V0001.yaml", 3, 13)],
    ),
    Case(
        "ref_lower_case_team",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("team: T01", "team: t01"))},
        [("E302", "enterprises/E001.yaml", 14, 7)],
    ),
    Case(
        "ref_lower_case_staff_item",
        {VISIT_FILE: edit(VISIT, ("  - S003", "  - s003"))},
        [("E302", "visits/2021-08/V0001.yaml", 6, 5)],
    ),
    Case(
        "ref_full_width",
        {VISIT_FILE: edit(VISIT, ("enterprise: E001", "enterprise: Ｅ００１"))},
        [("E206", "visits/2021-08/V0001.yaml", 3, 13)],
    ),
    Case(
        "ref_trailing_zero_width_space",
        {ISSUE_FILE: edit(ISSUE, ("lead_department: D01", "lead_department: D01\u200b"))},
        [("E210", "issues/2021-08/Q0001.yaml", 9, 18)],
    ),
    Case(
        "ref_left_to_right_mark",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("team: T01", "team: \u200eT01"))},
        [("E210", "enterprises/E001.yaml", 14, 7)],
    ),
    Case(
        "ref_pop_directional_isolate",
        {VISIT_FILE: edit(VISIT, ("  - S002", "  - S002\u2069"))},
        [("E210", "visits/2021-08/V0001.yaml", 5, 5)],
    ),
    Case(
        "ref_rlo_in_co_department",
        {ISSUE_FILE: edit(ISSUE, ("lead_department: D01", "lead_department: D01\nco_departments: [\u202eD01]"))},
        [("E210", "issues/2021-08/Q0001.yaml", 10, 18)],
    ),
    Case(
        "ref_zero_width_in_unit_comment",
        {BULLETIN_FILE: edit(BULLETIN, ("  - unit: D01", "  - unit: D\u200b01"))},
        [("E210", "bulletins/2021-08-monthly.md", 7, 11)],
    ),
    Case(
        "ref_rlo_in_enterprise_name",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("name: 富士康", "name: \u202e富士康"))},
        [("E210", "enterprises/E001.yaml", 2, 7)],
    ),
    Case(
        "ref_issue_to_itself_via_rectification",
        {RECT: RECTIFICATION, ISSUE_FILE: edit(ISSUE, ("visit: V0001", "visit: R0001"))},
        [
            ("E302", "issues/2021-08/Q0001.yaml", 5, 8),
            ("E201", "rectifications/R0001.yaml", 1, 1),
            ("E302", "rectifications/R0001.yaml", 4, 14),
            ("E202", "rectifications/R0001.yaml", 6, 1),
        ],
    ),
    Case(
        "ref_rectification_cycle_to_missing_issue",
        {RECT: edit(RECTIFICATION, ("issue: Q0001", "issue: R0001"))},
        [
            ("E201", "rectifications/R0001.yaml", 1, 1),
            ("E302", "rectifications/R0001.yaml", 2, 8),
            ("E302", "rectifications/R0001.yaml", 4, 14),
            ("E202", "rectifications/R0001.yaml", 6, 1),
        ],
    ),
    Case(
        "ref_team_leader_is_the_enterprise",
        {TEAM_FILE: edit(TEAM, ("leader: S001", "leader: E001"))},
        [("E302", "teams/T01.yaml", 3, 9)],
    ),
    Case(
        "ref_visit_staff_is_a_team",
        {VISIT_FILE: edit(VISIT, ("  - S003", "  - T01"))},
        [("E302", "visits/2021-08/V0001.yaml", 6, 5)],
    ),
    Case(
        "ref_enterprise_team_self",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("team: T01", "team: E001"))},
        [("E302", "enterprises/E001.yaml", 14, 7)],
    ),
    Case(
        "ref_huge_dangling_list",
        {
            ISSUE_FILE: edit(
                ISSUE,
                ("lead_department: D01", "lead_department: D01\nco_departments: [" + ", ".join(["D99"] * 3000) + "]"),
            )
        },
        [("E302", ISSUE_FILE, 10, 18 + 5 * i) for i in range(3_000)],
        bomb=True,
        timeout=60,
    ),
    Case(
        "ref_very_long_id",
        {VISIT_FILE: edit(VISIT, ("enterprise: E001", "enterprise: E" + "1" * 100_000))},
        [("E206", "visits/2021-08/V0001.yaml", 3, 13)],
        bomb=True,
    ),
    # ---- text values -------------------------------------------------------------------------
    Case(
        "text_only_spaces",
        _dept2(edit(DEPT2_TEXT, ("short_name: 区供电公司", 'short_name: "   "'))),
        [("E209", "departments/D02.yaml", 3, 13)],
    ),
    Case(
        "text_only_ideographic_space",
        _dept2(edit(DEPT2_TEXT, ("short_name: 区供电公司", "short_name: \u3000\u3000"))),
        [("E209", "departments/D02.yaml", 3, 13)],
    ),
    Case(
        "text_too_long_title",
        {ISSUE_FILE: edit(ISSUE, ("title: 需增加第二路供电线路", "title: " + "长" * 50_000))},
        [("E206", "issues/2021-08/Q0001.yaml", 7, 8)],
    ),
    Case(
        "text_phone_with_letters",
        {STAFF2: edit(STAFF["S002"], ('phone: "13800000012"', 'phone: "1380000001O"'))},
        [("E503", "staff/S002.yaml", 5, 8)],
    ),
    Case(
        "text_phone_full_width",
        {STAFF2: edit(STAFF["S002"], ('phone: "13800000012"', 'phone: "１３８００００００１２"'))},
        [],
    ),
    Case(
        "text_phone_with_zero_width",
        {STAFF2: edit(STAFF["S002"], ('phone: "13800000012"', 'phone: "138\u200b00000012"'))},
        [("E210", "staff/S002.yaml", 5, 8)],
    ),
    Case(
        "text_uscc_lower_case",
        {ENTERPRISE_FILE: ENTERPRISE.replace("uscc: 91411602MA9GJ8QX7", "uscc: 91411602ma9gj8qx7")},
        [("E501", "enterprises/E001.yaml", 3, 7)],
    ),
    Case(
        "text_enum_with_trailing_zero_width",
        {VISIT_FILE: edit(VISIT, ("kind: 走访", "kind: 走访\u200b"))},
        [("E210", "visits/2021-08/V0001.yaml", 7, 7)],
    ),
    Case(
        "text_enum_traditional_chinese",
        {VISIT_FILE: edit(VISIT, ("kind: 走访", "kind: 走訪"))},
        [("E204", "visits/2021-08/V0001.yaml", 7, 7)],
    ),
    Case(
        "text_status_nfd_lookalike",
        {ISSUE_FILE: edit(ISSUE, ("    status: 销号", "    status: 銷號"))},
        [("E204", "issues/2021-08/Q0001.yaml", 23, 13)],
    ),
    Case("text_key_in_chinese", _dept2(DEPT2_TEXT + "名称: 供电\n"), [("E202", "departments/D02.yaml", 5, 1)]),
    Case(
        "text_key_with_zero_width",
        _dept2(edit(DEPT2_TEXT, ("name: 国网", "na\u200bme: 国网"))),
        [("E210", "departments/D02.yaml", 2, 1)],
    ),
    Case("text_null_key", _dept2(DEPT2_TEXT + "~: x\n"), [("E105", "departments/D02.yaml", 5, 1)]),
    Case("text_float_key", _dept2(DEPT2_TEXT + "1.5: x\n"), [("E105", "departments/D02.yaml", 5, 1)]),
]


# == Hostile records (issue 12): special files, tags, invisible characters, numbers, dates =========
# Each class fixed at its depth (the loader, the field checker, the cross-record rules); these
# cases pin the class, not one example of it.

FROZEN = "frozen/2021-08-monthly.json"


def special_file(rel: str, make: Callable[[str], None]) -> Callable[[OfficeRepo], None]:
    """A FIFO, socket or other special file at ``rel`` (its folder made first)."""

    def setup(repo: OfficeRepo) -> None:
        path = repo.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        make(os.fspath(path))

    return setup


def folder_replaced(folder: str, make: Callable[[str], None]) -> Callable[[OfficeRepo], None]:
    """The record folder ``folder`` replaced by what ``make`` puts at its path (a file, a pipe, a link loop)."""

    def setup(repo: OfficeRepo) -> None:
        shutil.rmtree(repo.root / folder)
        make(os.fspath(repo.root / folder))

    return setup


def _link_to_itself(path: str) -> None:
    os.symlink(os.path.basename(path), path)


def _socket(path: str) -> None:
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(path)


def _fifo_with_a_writer(path: str) -> None:
    """A FIFO whose writer keeps it open: a reader that waited for its end would wait for ever.

    The writer is a grandchild (no zombie is left behind) that dies after 20 seconds whatever
    happens, even if nothing ever opens the pipe.
    """
    os.mkfifo(path)
    child = os.fork()
    if child == 0:
        if os.fork() == 0:
            signal.alarm(20)
            try:
                fd = os.open(path, os.O_WRONLY)
                os.write(fd, b"id: D02\n")
                time.sleep(20)
            finally:
                os._exit(0)
        os._exit(0)
    os.waitpid(child, 0)


def _issue(raised: str, *history: str, extra: str = "") -> str:
    """A minimal second issue Q0002 raised on ``raised`` with the given history dates (collected first)."""
    steps = "".join(
        f"  - {{date: {d}, status: {s}}}\n" for d, s in zip(history, ("问题收集", "分办交办", "办理中"), strict=False)
    )
    return (
        f"id: Q0002\nenterprise: E001\nraised: {raised}\nsource: 电话\ncategory: 用工\ntitle: 招工难\n"
        f"description: 用工缺口大。\nlead_department: D01\n{extra}history:\n{steps}"
    )


WORKING_CONFIG = edit(CONFIG, ("day_kind: calendar", "day_kind: working"))
Q2 = "issues/2021-12/Q0002.yaml"
LEFT_0825 = {ENTERPRISE_FILE: ENTERPRISE + "left: 2021-08-25\n"}
RECTIFIED_LATE = (
    "id: R0001\nissue: Q0001\naction: 架设第二路线路。\ndepartment: D01\ndue: 2021-08-31\ndone_on: 2021-08-30\n"
)


def _bulletin_period(period: str, kind: str = "monthly") -> str:
    return edit(BULLETIN, ("kind: monthly\nperiod: 2021-08", f"kind: {kind}\nperiod: {period}"))


CASES += [
    # -- special files: never opened for a blocking read, each said for what it is ---------------
    Case(
        "special_fifo_in_frozen_folder", {}, [("E511", FROZEN, 1, 1)], setup=special_file(FROZEN, os.mkfifo), timeout=10
    ),
    Case(
        "special_fifo_with_a_writer_named_like_a_record",
        {},
        [("E109", DEPT2, 1, 1)],
        setup=special_file(DEPT2, _fifo_with_a_writer),
        timeout=10,
    ),
    Case("special_fifo_as_config", {CFG: None}, [("E109", CFG, 1, 1)], setup=special_file(CFG, os.mkfifo), timeout=10),
    Case(
        "special_fifo_as_calendar",
        {},
        [("E109", "calendar/2022.yaml", 1, 1)],
        setup=special_file("calendar/2022.yaml", os.mkfifo),
        timeout=10,
    ),
    Case(
        "special_fifo_as_bulletin",
        {},
        [("E109", "bulletins/2021-09-monthly.md", 1, 1)],
        setup=special_file("bulletins/2021-09-monthly.md", os.mkfifo),
        timeout=10,
    ),
    Case(
        "special_fifo_stray_name",
        {},
        [("W604", "departments/pipe", 1, 1)],
        setup=special_file("departments/pipe", os.mkfifo),
        timeout=10,
    ),
    Case(
        "special_socket_named_like_a_record",
        {},
        [("E109", DEPT2, 1, 1)],
        setup=special_file(DEPT2, _socket),
        timeout=10,
    ),
    Case("special_link_to_itself", {}, [("E109", DEPT2, 1, 1)], setup=symlink("D02.yaml", DEPT2)),
    Case(
        "special_link_to_a_fifo",
        {},
        [("E109", DEPT2, 1, 1), ("W604", "departments/p", 1, 1)],
        setup=chain(special_file("departments/p", os.mkfifo), symlink("p", DEPT2)),
        timeout=10,
    ),
    Case(
        "special_folder_named_like_a_calendar",
        {"calendar/2022.yaml/.gitkeep": ""},
        [("W620", "calendar/2022.yaml", 1, 1)],
    ),
    Case(
        "special_folder_named_like_a_bulletin",
        {"bulletins/2021-09-monthly.md/a.md": BULLETIN},
        [("W620", "bulletins/2021-09-monthly.md", 1, 1), ("E303", "bulletins/2021-09-monthly.md/a.md", 3, 9)],
    ),
    Case(  # the team it names cannot be looked up: a dangling reference, after the cause
        "special_record_folder_is_a_link_loop",
        {},
        [("E302", ENTERPRISE_FILE, 14, 7), ("E109", "teams", 1, 1)],
        setup=folder_replaced("teams", _link_to_itself),
    ),
    Case(
        "special_record_folder_is_a_fifo",
        {},
        [("E302", ENTERPRISE_FILE, 14, 7), ("E109", "teams", 1, 1)],
        setup=folder_replaced("teams", os.mkfifo),
        timeout=10,
    ),
    Case(
        "special_zero_width_in_a_file_name",
        {"departments/D0\u200b2.yaml": DEPT2_TEXT},
        [("E110", "departments/D0\\u200b2.yaml", 1, 1)],
    ),
    Case(
        "special_bidi_override_in_a_file_name",
        {"departments/D02\u202elmth.yaml": DEPT2_TEXT},
        [("E110", "departments/D02\\u202elmth.yaml", 1, 1)],
    ),
    # -- YAML tags: refused wherever they stand, named as written ----------------------------------
    Case("tag_on_a_key", _dept2(DEPT2_TEXT + "!!str notes: 内容\n"), [("E211", DEPT2, 5, 1)]),
    Case("tag_on_the_document", _dept2("--- !!map\n" + DEPT2_TEXT), [("E211", DEPT2, 1, 5)]),
    Case(
        "tag_declared_by_a_directive",
        _dept2("%TAG !e! tag:example.com,2000:\n---\n" + DEPT2_TEXT + "notes: !e!x 内容\n"),
        [("E211", DEPT2, 7, 8)],
    ),
    Case("tag_verbatim", _dept2(DEPT2_TEXT + "notes: !<tag:yaml.org,2002:str> 内容\n"), [("E211", DEPT2, 5, 8)]),
    Case("tag_non_specific", _dept2(DEPT2_TEXT + "notes: ! 内容\n"), [("E211", DEPT2, 5, 8)]),
    Case(
        "tag_inside_a_flow_list",
        {VISIT_FILE: edit(VISIT, ("staff:\n  - S002\n  - S003\n", "staff: [S002, !!str S003]\n"))},
        [("E211", VISIT_FILE, 4, 15)],
    ),
    Case(
        "tag_in_bulletin_front_matter",
        {BULLETIN_FILE: edit(BULLETIN, ("number: 8", "number: !!int 8"))},
        [("E211", BULLETIN_FILE, 4, 9)],
    ),
    Case(
        "tag_on_a_mapping_value",
        {ISSUE_FILE: edit(ISSUE, ("rating:\n", "rating: !!omap\n"))},
        [("E211", ISSUE_FILE, 25, 9)],
    ),
    Case("tag_exclamation_inside_text_is_fine", _dept2(DEPT2_TEXT + "notes: 注意!重要 !\n"), []),
    # -- invisible characters: one set, every text field and key, tab only in free text -----------
    Case("invisible_zero_width_in_free_text", _dept2(DEPT2_TEXT + "notes: 供\u200b电\n"), [("E210", DEPT2, 5, 8)]),
    Case(
        "invisible_soft_hyphen_in_a_name",
        _dept2(edit(DEPT2_TEXT, ("name: 国网", "name: 国\u00adq网"))),
        [("E210", DEPT2, 2, 7)],
    ),
    Case("invisible_arabic_letter_mark", _dept2(DEPT2_TEXT + "notes: 供电\u061c\n"), [("E210", DEPT2, 5, 8)]),
    Case("invisible_mongolian_vowel_separator", _dept2(DEPT2_TEXT + "notes: 供\u180e电\n"), [("E210", DEPT2, 5, 8)]),
    Case("invisible_bidi_isolate", _dept2(DEPT2_TEXT + "notes: \u2066供电\u2069\n"), [("E210", DEPT2, 5, 8)]),
    Case("invisible_interlinear_annotation", _dept2(DEPT2_TEXT + "notes: 供\ufff9电\n"), [("E210", DEPT2, 5, 8)]),
    Case("invisible_deprecated_format_control", _dept2(DEPT2_TEXT + "notes: 供\u206a电\n"), [("E210", DEPT2, 5, 8)]),
    Case("invisible_c1_control_escaped", _dept2(DEPT2_TEXT + 'notes: "供\\u0080电"\n'), [("E210", DEPT2, 5, 8)]),
    Case("invisible_delete_escaped", _dept2(DEPT2_TEXT + 'notes: "供\\x7f电"\n'), [("E210", DEPT2, 5, 8)]),
    Case(
        "invisible_escape_sequence_in_a_title",
        {ISSUE_FILE: edit(ISSUE, ("title: 需增加第二路供电线路", 'title: "需增加\\e[31m第二路"'))},
        [("E210", ISSUE_FILE, 7, 8)],
    ),
    Case("invisible_tab_in_an_id", _dept2(edit(DEPT2_TEXT, ("id: D02", 'id: "D0\\t2"'))), [("E210", DEPT2, 1, 5)]),
    Case("invisible_tab_in_free_text_is_fine", _dept2(DEPT2_TEXT + 'notes: "供\\t电"\n'), []),
    Case("invisible_soft_hyphen_in_a_key", _dept2(DEPT2_TEXT + "no\u00adtes: 内容\n"), [("E210", DEPT2, 5, 1)]),
    Case(
        "invisible_zero_width_in_a_nested_key",
        {ISSUE_FILE: edit(ISSUE, ("  result: 满意", "  re\u200bsult: 满意"))},
        [("E210", ISSUE_FILE, 27, 3)],
    ),
    Case(
        "invisible_bidi_override_in_bulletin_body",
        {BULLETIN_FILE: BULLETIN + "继续\u202e服务。\n"},
        [("E210", BULLETIN_FILE, 19, 3)],
    ),
    Case(
        "invisible_form_feed_in_bulletin_body",
        {BULLETIN_FILE: edit(BULLETIN, ("本月走访企业 1 家。", "本月走访\x0c企业 1 家。"))},
        [("E210", BULLETIN_FILE, 10, 5)],
    ),
    Case(
        "invisible_zero_width_in_unit_comment",
        {BULLETIN_FILE: edit(BULLETIN, ("comment: 响应迅速。", "comment: 响应\u200b迅速。"))},
        [("E210", BULLETIN_FILE, 8, 14)],
    ),
    Case(
        "invisible_in_a_date_is_shown_escaped",
        {VISIT_FILE: edit(VISIT, ("date: 2021-08-05", 'date: "2021-08-0\\e5"'))},
        [("E205", VISIT_FILE, 2, 7)],
    ),
    # -- numbers past every range, and negative zero ---------------------------------------------------
    Case(
        "number_money_exponent_1e400",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("3000000000", "1e400"))},
        [("E203", ENTERPRISE_FILE, 8, 18)],
    ),
    Case(
        "number_money_5000_digits",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("3000000000", "9" * 5000))},
        [("E207", ENTERPRISE_FILE, 8, 18)],
    ),
    Case(
        "number_int_5000_digits",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("employees: 2000", "employees: " + "9" * 5000))},
        [("E207", ENTERPRISE_FILE, 9, 12)],
    ),
    Case(
        "number_int_negative_5000_digits",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("employees: 2000", "employees: -" + "9" * 5000))},
        [("E207", ENTERPRISE_FILE, 9, 12)],
    ),
    Case("number_money_negative_zero", {ENTERPRISE_FILE: edit(ENTERPRISE, ("3000000000", "-0.00"))}, []),
    Case("number_int_negative_zero", {ENTERPRISE_FILE: edit(ENTERPRISE, ("employees: 2000", "employees: -0"))}, []),
    Case(
        "number_money_negative_infinity",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("3000000000", "-.inf"))},
        [("E203", ENTERPRISE_FILE, 8, 18)],
    ),
    Case(
        "number_money_nan",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("3000000000", ".NaN"))},
        [("E203", ENTERPRISE_FILE, 8, 18)],
    ),
    Case(
        "number_legal_amount_5000_digits",
        {LEGAL_FILE: edit(LEGAL, ("kind: 法治讲座", "kind: 追回款项\namount_yuan: " + "1" * 5000))},
        [("E207", LEGAL_FILE, 5, 14)],
    ),
    Case("number_count_exponent", {LEGAL_FILE: edit(LEGAL, ("count: 1", "count: 1e3"))}, [("E203", LEGAL_FILE, 5, 8)]),
    # -- years the calendar of dates cannot hold ------------------------------------------------------
    Case(
        "year_0_in_a_visit",
        {VISIT_FILE: edit(VISIT, ("date: 2021-08-05", "date: 0000-08-05"))},
        [("E205", VISIT_FILE, 2, 7)],
    ),
    Case(
        "year_1_in_a_history",
        {ISSUE_FILE: edit(ISSUE, ("date: 2021-08-10", "date: 0001-08-10"))},
        [("E205", ISSUE_FILE, 18, 11)],
    ),
    Case(
        "year_9999_in_a_rating",
        {ISSUE_FILE: edit(ISSUE, ("date: 2021-08-25\n  result", "date: 9999-12-31\n  result"))},
        [("E205", ISSUE_FILE, 26, 9)],
    ),
    Case(
        "year_9999_campaign_start",
        {CFG: edit(CONFIG, ("campaign_start: 2021-08-01", "campaign_start: 9999-12-31"))},
        [("E205", CFG, 4, 17)],
    ),
    Case(
        "year_5_digits_in_a_holiday",
        {CAL: edit(CALENDAR_2021, ("  - 2021-10-01", "  - 20210-10-01"))},
        [("E205", CAL, 4, 5)],
    ),
    # -- work with an enterprise after it left the library ------------------------------------------
    Case(
        "left_visit_after",
        {
            **LEFT_0825,
            VISIT_FILE: edit(VISIT, ("date: 2021-08-05", "date: 2021-08-26")),
            ISSUE_FILE: edit(ISSUE, ("visit: V0001\n", "")),
        },
        [("E409", VISIT_FILE, 2, 7)],
    ),
    Case(
        "left_issue_raised_after",
        {
            ENTERPRISE_FILE: ENTERPRISE + "left: 2021-08-04\n",
            ISSUE_FILE: edit(ISSUE, ("visit: V0001\n", ""), ("raised: 2021-08-05", "raised: 2021-08-05")),
        },
        [
            ("E409", ISSUE_FILE, 3, 9),
            ("E409", ISSUE_FILE, 25, 9),
            ("E409", LEGAL_FILE, 2, 7),
            ("E409", VISIT_FILE, 2, 7),
        ],
    ),
    Case("left_rating_after", {ENTERPRISE_FILE: ENTERPRISE + "left: 2021-08-24\n"}, [("E409", ISSUE_FILE, 26, 9)]),
    Case(
        "left_legal_after",
        {**LEFT_0825, LEGAL_FILE: edit(LEGAL, ("date: 2021-08-20", "date: 2021-09-20"))},
        [("E409", LEGAL_FILE, 2, 7)],
    ),
    Case(
        "left_rectification_done_after",
        {
            **LEFT_0825,
            RECT: RECTIFIED_LATE,
        },
        [("E409", RECT, 6, 10)],
    ),
    Case("left_on_the_day_itself_is_fine", {ENTERPRISE_FILE: ENTERPRISE + "left: 2021-08-25\n"}, []),
    Case(
        "left_before_joined_is_one_error",
        {ENTERPRISE_FILE: ENTERPRISE + "left: 2021-08-01\n"},
        [("E401", ENTERPRISE_FILE, 16, 7)],
    ),
    # -- a calendar holds only its own year -----------------------------------------------------------
    Case(
        "calendar_holiday_of_next_year",
        {CAL: edit(CALENDAR_2021, ("  - 2021-10-01", "  - 2022-10-01"))},
        [("E410", CAL, 4, 5)],
    ),
    Case(
        "calendar_workday_of_last_year",
        {CAL: edit(CALENDAR_2021, ("  - 2021-09-18", "  - 2020-09-18"))},
        [("E410", CAL, 6, 5)],
    ),
    Case(
        "calendar_year_differs_from_file_name",
        {CAL: edit(CALENDAR_2021, ("year: 2021", "year: 2022"))},
        [("E303", CAL, 1, 7), ("E410", CAL, 3, 5), ("E410", CAL, 4, 5), ("E410", CAL, 6, 5)],
    ),
    # -- bulletin periods that name no real month or quarter --------------------------------------------
    Case(
        "period_year_0",
        {BULLETIN_FILE: None, "bulletins/0000-08-monthly.md": _bulletin_period("0000-08")},
        [("E206", "bulletins/0000-08-monthly.md", 3, 9)],
    ),
    Case(
        "period_year_1989",
        {BULLETIN_FILE: None, "bulletins/1989-08-monthly.md": _bulletin_period("1989-08")},
        [("E206", "bulletins/1989-08-monthly.md", 3, 9)],
    ),
    Case("period_year_10000", {BULLETIN_FILE: _bulletin_period("10000-08")}, [("E206", BULLETIN_FILE, 3, 9)]),
    Case("period_month_13", {BULLETIN_FILE: _bulletin_period("2021-13")}, [("E206", BULLETIN_FILE, 3, 9)]),
    Case("period_month_00", {BULLETIN_FILE: _bulletin_period("2021-00")}, [("E206", BULLETIN_FILE, 3, 9)]),
    Case(
        "period_quarter_5",
        {BULLETIN_FILE: None, "bulletins/2021-Q3-quarterly.md": _bulletin_period("2021-Q5", "quarterly")},
        [("E206", "bulletins/2021-Q3-quarterly.md", 3, 9)],
    ),
    Case(
        "period_quarter_0",
        {BULLETIN_FILE: None, "bulletins/2021-Q3-quarterly.md": _bulletin_period("2021-Q0", "quarterly")},
        [("E206", "bulletins/2021-Q3-quarterly.md", 3, 9)],
    ),
    Case("period_quarter_in_a_monthly", {BULLETIN_FILE: _bulletin_period("2021-Q3")}, [("E206", BULLETIN_FILE, 3, 9)]),
    Case("period_full_width_digits", {BULLETIN_FILE: _bulletin_period("２０２１-08")}, [("E206", BULLETIN_FILE, 3, 9)]),
    Case("period_with_zero_width", {BULLETIN_FILE: _bulletin_period("2021-0\u200b8")}, [("E210", BULLETIN_FILE, 3, 9)]),
    Case(
        "period_before_the_campaign",
        {BULLETIN_FILE: None, "bulletins/2021-07-monthly.md": _bulletin_period("2021-07")},
        [("E405", "bulletins/2021-07-monthly.md", 3, 9)],
    ),
    Case(
        "period_quarter_before_the_campaign",
        {BULLETIN_FILE: None, "bulletins/2021-Q2-quarterly.md": _bulletin_period("2021-Q2", "quarterly")},
        [("E405", "bulletins/2021-Q2-quarterly.md", 3, 9)],
    ),
    Case(
        "period_quarter_the_campaign_starts_in",
        {BULLETIN_FILE: None, "bulletins/2021-Q3-quarterly.md": _bulletin_period("2021-Q3", "quarterly")},
        [],
    ),
    # -- working days: every date the statistics count on needs its year's calendar ------------------
    Case(
        "workdays_history_entry_next_year",
        {
            CFG: WORKING_CONFIG,
            ISSUE_FILE: edit(ISSUE, ("date: 2021-08-25\n    status: 销号", "date: 2022-01-05\n    status: 销号")),
        },
        [("E408", ISSUE_FILE, 22, 11)],
    ),
    Case(
        "workdays_response_window_next_year",
        {CFG: WORKING_CONFIG, Q2: _issue("2021-12-30", "2021-12-30", extra="deadline: 2021-12-31\n")},
        [("E408", Q2, 3, 9)],
    ),
    Case(
        "workdays_rating_next_year",
        {CFG: WORKING_CONFIG, ISSUE_FILE: edit(ISSUE, ("date: 2021-08-25\n  result", "date: 2022-02-01\n  result"))},
        [("E408", ISSUE_FILE, 26, 9)],
    ),
    Case(
        "workdays_visit_next_year_once_per_year",
        {
            CFG: WORKING_CONFIG,
            "visits/2022-01/V0002.yaml": edit(
                VISIT, ("id: V0001", "id: V0002"), ("date: 2021-08-05", "date: 2022-01-05")
            ),
            "visits/2022-01/V0003.yaml": edit(
                VISIT, ("id: V0001", "id: V0003"), ("date: 2021-08-05", "date: 2022-01-06")
            ),
        },
        [("E408", "visits/2022-01/V0002.yaml", 2, 7)],
    ),
    Case(
        "workdays_gap_year_in_the_calendar",
        {
            CFG: WORKING_CONFIG,
            "calendar/2023.yaml": "year: 2023\nholidays: [2023-01-02]\n",
            "visits/2023-01/V0002.yaml": edit(
                VISIT, ("id: V0001", "id: V0002"), ("date: 2021-08-05", "date: 2023-01-05")
            ),
        },
        [("E408", "visits/2023-01/V0002.yaml", 2, 7)],
    ),
    Case(
        "workdays_a_written_deadline_years_ahead_needs_no_calendar",
        {CFG: WORKING_CONFIG, Q2: _issue("2021-12-01", "2021-12-01", extra="deadline: 2030-06-30\n")},
        [],
    ),
    Case(
        "workdays_calendar_mode_needs_no_calendar",
        {
            "visits/2023-01/V0002.yaml": edit(
                VISIT, ("id: V0001", "id: V0002"), ("date: 2021-08-05", "date: 2023-01-05")
            )
        },
        [],
    ),
    # -- ids: copies, case and width ----------------------------------------------------------------
    Case("id_copy_under_the_next_name", {DEPT2: DEPARTMENT}, [("E306", DEPT2, 1, 5)]),
    Case(
        "id_copy_under_a_free_name",
        {"departments/D01 副本.yaml": DEPARTMENT},
        [("E306", "departments/D01 副本.yaml", 1, 5)],
    ),
    Case(
        "id_copy_of_an_unreadable_original",
        {DEPT: DEPARTMENT + "name: [\n", DEPT2: DEPARTMENT + "name: 重复\n"},
        [("E101", DEPT, 6, 1), ("E306", DEPT2, 1, 5), ("E102", DEPT2, 5, 1)],
    ),
    Case(
        "id_copy_of_a_broken_original",
        {DEPT: DEPARTMENT + "name: [\n", DEPT2: DEPARTMENT},
        [("E101", DEPT, 6, 1), ("E306", DEPT2, 1, 5)],
    ),
    Case("id_full_width_digits", _dept2(edit(DEPT2_TEXT, ("id: D02", "id: D０2"))), [("E206", DEPT2, 1, 5)]),
    Case(
        "id_lower_case_duplicate",
        {"departments/d01.yaml": edit(DEPARTMENT, ("id: D01", "id: d01"))},
        [("E206", "departments/d01.yaml", 1, 5)],
    ),
    Case(
        "id_lower_case_reference",
        {VISIT_FILE: edit(VISIT, ("enterprise: E001", "enterprise: e001"))},
        [("E302", VISIT_FILE, 3, 13)],
    ),
    # -- enormous line counts -------------------------------------------------------------------------
    Case("lines_900k_comment_lines", _dept2(DEPT2_TEXT + "#\n" * 900_000), [], bomb=True),
    Case("lines_2m_blank_lines", _dept2(DEPT2_TEXT + "\n" * 2_100_000), [("E108", DEPT2, 1, 1)], bomb=True),
]
