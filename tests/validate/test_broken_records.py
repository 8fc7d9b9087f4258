"""The broken-record corpus: the minimal valid repository with one thing wrong, and exactly
what ``reportgen check`` must say about it.

Each ``Case`` overrides (or adds, or deletes) files of the minimal repository from
``conftest.py`` and lists every problem expected, as (code, file relative to the records
folder, line, column), in the order the report sorts them.  To add a case, append a
``Case`` to ``CASES``; ``edit`` derives a file from a minimal one by exact replacement,
so the unchanged lines keep the line numbers you can read in ``conftest.py``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
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
    USCC,
    USCC_FIRST17,
    VISIT,
    VISIT_FILE,
    Found,
    OfficeRepo,
    edit,
)

from reportgen.problems import CATALOGUE
from reportgen.validate.identifiers import USCC_ALPHABET

DEPT_FILE = "departments/D01.yaml"
TEAM_FILE = "teams/T01.yaml"
CONFIG_FILE = "config.yaml"
STAFF_FILE = "staff/S002.yaml"


@dataclass(frozen=True)
class Case:
    """One broken record set and the exact problems it must produce."""

    name: str
    files: dict[str, str | bytes | None]  # path under records/ → new text, raw bytes, or delete
    expected: list[Found]
    # optional: code → words its (Chinese) message must contain
    message_has: dict[str, str] = field(default_factory=dict)
    setup: Callable[[OfficeRepo], None] | None = None  # for what files cannot express


def _wrong_check_char() -> str:
    good = USCC[-1]
    return USCC_FIRST17 + next(ch for ch in USCC_ALPHABET if ch != good)


def _bomb() -> str:
    """A billion-laughs document: 10 levels of 10 aliases each (10¹⁰ leaves if expanded)."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "id: E001\n" + "\n".join(lines) + "\n"


def _symlink_outside(repo: OfficeRepo) -> None:
    outside = repo.root.parent / "secret.yaml"
    outside.write_text(DEPARTMENT.replace("D01", "D02"), encoding="utf-8")
    os.symlink(outside, repo.root / "departments" / "D02.yaml")


WORKING = edit(CONFIG, ("day_kind: calendar", "day_kind: working"))

CASES: list[Case] = [
    # ---- E101 YAML syntax -----------------------------------------------------------
    Case(
        "e114_tab_indentation",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("  name: 雷雨", "\tname: 雷雨"))},
        [("E114", ENTERPRISE_FILE, 11, 1)],
        {"E114": "制表符"},
    ),
    Case(
        "e101_unclosed_double_quote",
        {DEPT_FILE: edit(DEPARTMENT, ("name: 国网", 'name: "国网'))},
        [("E101", DEPT_FILE, 2, 7)],  # where the quote opens
    ),
    Case(
        "e101_unclosed_single_quote_in_list",
        {VISIT_FILE: edit(VISIT, ("  - S003", "  - 'S003"))},
        [("E101", VISIT_FILE, 6, 5)],
    ),
    Case(
        "e101_list_item_dedented",
        {VISIT_FILE: edit(VISIT, ("  - S003", " - S003"))},
        [("E101", VISIT_FILE, 6, 2)],
        {"E101": "缩进不一致"},
    ),
    Case(
        # over-indented, the "- S003" continues the plain scalar "S002 - S003"
        "e302_list_item_over_indented_becomes_part_of_the_previous_item",
        {VISIT_FILE: edit(VISIT, ("  - S003", "    - S003"))},
        [("E302", VISIT_FILE, 5, 5)],
        {"E302": "“S002 - S003”不存在"},
    ),
    Case(
        "e101_key_indented_too_far",
        {DEPT_FILE: edit(DEPARTMENT, ("type: 公用事业", "  type: 公用事业"))},
        [("E101", DEPT_FILE, 4, 7)],
    ),
    Case(
        "e101_stray_colon_in_value",
        {VISIT_FILE: edit(VISIT, ("summary: 了解企业用电需求。", "summary: 了解: 企业用电需求。"))},
        [("E101", VISIT_FILE, 8, 12)],
        {"E101": "冒号"},
    ),
    Case(
        "e115_missing_space_after_colon_then_nested",
        {DEPT_FILE: "id: D01\nname:国网\n  type: 公用事业\n"},
        [("E115", DEPT_FILE, 2, 5)],
    ),
    Case(
        "e101_unclosed_flow_list",
        {VISIT_FILE: edit(VISIT, ("  - S002\n  - S003\n", "  [S002, S003\n"))},
        [("E101", VISIT_FILE, 6, 5)],
        {"E101": "方括号 [ ] 没有闭合"},
    ),
    Case(
        "e101_undefined_alias",
        {DEPT_FILE: edit(DEPARTMENT, ("short_name: 区供电公司", "short_name: *供电"))},
        [("E101", DEPT_FILE, 3, 14)],
        {"E101": "别名"},
    ),
    Case(
        "e101_control_character",
        {DEPT_FILE: edit(DEPARTMENT, ("short_name: 区供电公司", "short_name: 区供电\x07公司"))},
        [("E101", DEPT_FILE, 3, 16)],
        {"E101": "控制字符"},
    ),
    Case(
        "e101_in_bulletin_front_matter_counts_the_opening_line",
        {BULLETIN_FILE: edit(BULLETIN, ("period: 2021-08", 'period: "2021-08'))},
        [("E101", BULLETIN_FILE, 3, 9)],  # where the quote opens, counted from the file's first line
    ),
    # ---- E102 duplicate keys --------------------------------------------------------
    Case(
        "e102_top_level",
        {DEPT_FILE: DEPARTMENT + "name: 区供电公司\n"},
        [("E102", DEPT_FILE, 5, 1)],
        {"E102": "第一次在第 2 行"},
    ),
    Case(
        "e102_inside_history_entry",
        {ISSUE_FILE: edit(ISSUE, ("    status: 办理中\n", "    status: 办理中\n    status: 已解决\n"))},
        [("E102", ISSUE_FILE, 20, 5)],
        {"E102": "第一次在第 19 行"},
    ),
    Case(
        "e102_inside_contact",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("  title: 项目负责人\n", '  phone: "13800000002"\n'))},
        [("E102", ENTERPRISE_FILE, 13, 3)],
    ),
    # ---- E103 encodings -------------------------------------------------------------
    Case(
        "e103_gbk",
        {DEPT_FILE: DEPARTMENT.encode("gbk")},
        [("E103", DEPT_FILE, 2, 7)],
        {"E103": "GBK/GB18030"},
    ),
    Case(
        "e103_invalid_utf8",
        {DEPT_FILE: b"id: D01\nname: \xff\xfe\ntype: \xe5\xbd\n"},
        [("E103", DEPT_FILE, 2, 7)],
        {"E103": "无效字节"},
    ),
    Case(
        "e103_binary_png",
        {DEPT_FILE: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"},
        [("E103", DEPT_FILE, 1, 1)],
        {"E103": "二进制"},
    ),
    Case(
        "e103_nul_in_valid_utf8",
        {DEPT_FILE: b"id: D01\nname: a\x00b\n"},
        [("E103", DEPT_FILE, 2, 1)],
        {"E103": "NUL"},
    ),
    # ---- E104 empty -----------------------------------------------------------------
    Case("e104_empty", {DEPT_FILE: ""}, [("E104", DEPT_FILE, 1, 1)]),
    Case(
        "e104_comment_only",
        {DEPT_FILE: "# 责任单位，待填写\n\n   # 还没有内容\n"},
        [("E104", DEPT_FILE, 1, 1)],
    ),
    Case("e104_only_document_marker", {DEPT_FILE: "---\n...\n"}, [("E104", DEPT_FILE, 1, 1)]),
    # ---- E105 shapes ----------------------------------------------------------------
    Case(
        "e105_whole_file_is_a_list",
        {DEPT_FILE: "- id: D01\n- name: 国网\n"},
        [("E105", DEPT_FILE, 1, 1)],
    ),
    Case(
        "e105_whole_file_is_a_scalar",
        {DEPT_FILE: "D01 国网周口市川汇区供电公司\n"},
        [("E105", DEPT_FILE, 1, 1)],
    ),
    Case(
        "e105_list_field_written_as_text",
        {VISIT_FILE: edit(VISIT, ("staff:\n  - S002\n  - S003\n", "staff: S002、S003\n"))},
        [("E105", VISIT_FILE, 4, 8)],
    ),
    Case(
        "e105_mapping_written_as_list",
        {
            ENTERPRISE_FILE: edit(ENTERPRISE, ("  name: 雷雨\n  phone:", "  - name: 雷雨\n  - phone:")).replace(
                "  title: 项目负责人\n", ""
            )
        },
        [("E105", ENTERPRISE_FILE, 11, 3)],
    ),
    Case(
        "e105_history_entry_is_a_scalar",
        {ISSUE_FILE: edit(ISSUE, ("  - date: 2021-08-10\n    status: 办理中\n", "  - 办理中\n"))},
        [("E105", ISSUE_FILE, 18, 5)],
    ),
    Case(
        "e105_text_field_given_a_mapping",
        {DEPT_FILE: edit(DEPARTMENT, ("short_name: 区供电公司", "short_name: {简称: 区供电公司}"))},
        [("E105", DEPT_FILE, 3, 13)],
    ),
    # ---- E106 anchors and aliases ---------------------------------------------------
    Case(
        "e106_alias_in_staff_list",
        {VISIT_FILE: edit(VISIT, ("  - S002\n  - S003\n", "  - &who S002\n  - *who\n"))},
        [("E106", VISIT_FILE, 5, 5)],
    ),
    Case(
        "e106_anchor_without_alias",
        {DEPT_FILE: edit(DEPARTMENT, ("short_name: 区供电公司", "short_name: &short 区供电公司"))},
        [("E106", DEPT_FILE, 3, 13)],
    ),
    Case(
        "e106_billion_laughs",
        {ENTERPRISE_FILE: _bomb()},
        [("E106", ENTERPRISE_FILE, 2, 5)],
    ),
    # ---- E107 several documents -----------------------------------------------------
    Case(
        "e107_two_documents",
        {DEPT_FILE: DEPARTMENT + "---\nid: D02\nname: 区自来水公司\ntype: 公用事业\n"},
        [("E107", DEPT_FILE, 6, 1)],
    ),
    # ---- E108 too large / too deep --------------------------------------------------
    Case(
        "e108_file_over_2_mb",
        {DEPT_FILE: DEPARTMENT + "notes: " + "很长的备注。" * 120_000 + "\n"},
        [("E108", DEPT_FILE, 1, 1)],
        {"E108": "MB"},
    ),
    Case(
        "e108_nested_too_deeply",
        {DEPT_FILE: DEPARTMENT + "notes: " + "[" * 60 + "]" * 60 + "\n"},
        [("E108", DEPT_FILE, 5, 47)],
        {"E108": "嵌套"},
    ),
    Case(
        "e108_nesting_beyond_libyaml_limit",
        {DEPT_FILE: DEPARTMENT + "notes: " + "[" * 5000 + "]" * 5000 + "\n"},
        [("E108", DEPT_FILE, 5, 1007)],
        {"E108": "嵌套"},
    ),
    # ---- E109 unreadable ------------------------------------------------------------
    Case(
        "e109_symlink_outside_records",
        {},
        [("E109", "departments/D02.yaml", 1, 1)],
        {"E109": "之外"},
        setup=_symlink_outside,
    ),
    Case(
        "e118_no_config",
        {CONFIG_FILE: None},
        [("E118", CONFIG_FILE, 1, 1)],
        {"E118": "config.yaml"},
    ),
    # ---- E111 bulletin without front matter -----------------------------------------
    Case(
        "e111_no_front_matter",
        {BULLETIN_FILE: "本月走访企业 1 家。\n\n## 典型案例\n\n无。\n"},
        [("E111", BULLETIN_FILE, 1, 1)],
    ),
    Case(
        "e111_front_matter_never_closed",
        {BULLETIN_FILE: "---\nkind: monthly\nperiod: 2021-08\n本月走访企业 1 家。\n"},
        [("E111", BULLETIN_FILE, 1, 1)],
    ),
    # ---- E201 missing required ------------------------------------------------------
    Case(
        "e201_missing_top_level",
        {DEPT_FILE: edit(DEPARTMENT, ("type: 公用事业\n", ""))},
        [("E201", DEPT_FILE, 1, 1)],
        {"E201": "缺少必填项：单位类型"},
    ),
    Case(
        "e201_missing_in_history_entry",
        {ISSUE_FILE: edit(ISSUE, ("    status: 办理中\n", ""))},
        [("E201", ISSUE_FILE, 18, 5)],
        {"E201": "缺少必填项：第3条办理记录的状态"},
    ),
    Case(
        "e201_missing_contact_phone",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ('  phone: "13800000001"\n', ""))},
        [("E201", ENTERPRISE_FILE, 11, 3)],
    ),
    Case(
        "e201_money_recovered_without_amount",
        {LEGAL_FILE: edit(LEGAL, ("kind: 法治讲座", "kind: 追回款项"))},
        [("E201", LEGAL_FILE, 1, 1)],
        {"E201": "缺少必填项：金额（元）"},
    ),
    # ---- E202 unknown field ---------------------------------------------------------
    Case(
        "e202_unknown_top_level",
        {STAFF_FILE: STAFF["S002"] + "email: wangfang@example.cn\n"},
        [("E202", STAFF_FILE, 6, 1)],
        {"E202": "email"},
    ),
    Case(
        "e202_misspelt_nested",
        {ISSUE_FILE: edit(ISSUE, ("  result: 满意", "  resutl: 满意"))},
        [("E201", ISSUE_FILE, 26, 3), ("E202", ISSUE_FILE, 27, 3)],
    ),
    # ---- E203 wrong types -----------------------------------------------------------
    Case(
        "e203_quoted_int",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("employees: 2000", 'employees: "2000"'))},
        [("E203", ENTERPRISE_FILE, 9, 12)],
        {"E203": '实际写的是 "2000"（加了引号，是文字）'},
    ),
    Case(
        "e203_yes_for_bool",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("key_project: true", "key_project: yes"))},
        [("E203", ENTERPRISE_FILE, 7, 14)],
        {"E203": "true 或 false"},
    ),
    Case(
        "e203_float_for_int",
        {LEGAL_FILE: edit(LEGAL, ("count: 1", "count: 1.5"))},
        [("E203", LEGAL_FILE, 5, 8)],
    ),
    Case(
        "e203_octal_looking_int",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("employees: 2000", "employees: 012"))},
        [("E203", ENTERPRISE_FILE, 9, 12)],
    ),
    Case(
        "e203_money_with_unit",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("investment_yuan: 3000000000", "investment_yuan: 30亿"))},
        [("E203", ENTERPRISE_FILE, 8, 18)],
    ),
    Case(
        "e211_explicit_tag",
        {DEPT_FILE: edit(DEPARTMENT, ("short_name: 区供电公司", "short_name: !!binary aGk="))},
        [("E211", DEPT_FILE, 3, 13)],
    ),
    # ---- E204 enums -----------------------------------------------------------------
    Case(
        "e204_scale",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("scale: 大型", "scale: 特大型"))},
        [("E204", ENTERPRISE_FILE, 6, 8)],
    ),
    Case(
        "e204_history_status",
        {ISSUE_FILE: edit(ISSUE, ("status: 办理中", "status: 已完成"))},
        [("E204", ISSUE_FILE, 19, 13)],
    ),
    # ---- E205 dates -----------------------------------------------------------------
    Case(
        "e205_february_30",
        {VISIT_FILE: edit(VISIT, ("date: 2021-08-05", "date: 2021-02-30"))},
        [("E205", VISIT_FILE, 2, 7)],
    ),
    Case(
        "e205_month_13",
        {LEGAL_FILE: edit(LEGAL, ("date: 2021-08-20", "date: 2021-13-01"))},
        [("E205", LEGAL_FILE, 2, 7)],
    ),
    Case(
        "e205_year_0",
        {TEAM_FILE: edit(TEAM, ("formed: 2021-08-01", "formed: 0000-08-01"))},
        [("E205", TEAM_FILE, 7, 9)],
    ),
    Case(
        "e205_year_9999",
        {TEAM_FILE: edit(TEAM, ("formed: 2021-08-01", "formed: 9999-08-01"))},
        [("E205", TEAM_FILE, 7, 9)],
    ),
    Case(
        "e205_datetime_with_time",
        {ISSUE_FILE: edit(ISSUE, ("  date: 2021-08-25", "  date: 2021-08-25 10:30:00"))},
        [("E205", ISSUE_FILE, 26, 9)],
    ),
    Case(
        "e116_slashes",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("joined: 2021-08-02", "joined: 2021/8/2"))},
        [("E116", ENTERPRISE_FILE, 15, 9)],
        {"E116": "入库日期写成了 2021/8/2，应写成 2021-08-02"},
    ),
    # ---- E206 formats ---------------------------------------------------------------
    Case(
        "e206_id_pattern",
        {"departments/D1.yaml": edit(DEPARTMENT, ("id: D01", "id: D1"))},
        [("E206", "departments/D1.yaml", 1, 5)],
    ),
    Case(
        "e206_full_width_id",
        {"departments/Ｄ01.yaml": edit(DEPARTMENT, ("id: D01", "id: Ｄ01"))},
        [("E206", "departments/Ｄ01.yaml", 1, 5)],
    ),
    Case(
        "e206_bulletin_period_of_the_wrong_kind",
        {BULLETIN_FILE: edit(BULLETIN, ("period: 2021-08", "period: 2021-Q3"))},
        [("E206", BULLETIN_FILE, 3, 9)],
    ),
    Case(
        "e206_title_too_long",
        {ISSUE_FILE: edit(ISSUE, ("title: 需增加第二路供电线路", "title: " + "长" * 201))},
        [("E206", ISSUE_FILE, 7, 8)],
    ),
    # ---- E207 ranges ----------------------------------------------------------------
    Case(
        "e207_negative_money",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("investment_yuan: 3000000000", "investment_yuan: -5"))},
        [("E207", ENTERPRISE_FILE, 8, 18)],
    ),
    Case(
        "e207_int_out_of_range",
        {ISSUE_FILE: edit(ISSUE, ("time_limit_days: 15", "time_limit_days: 0"))},
        [("E207", ISSUE_FILE, 11, 18)],
        {"E207": "办理时限（天）不能为负数或超出范围：0"},
    ),
    Case(
        "e207_weights_do_not_add_up",
        {
            CONFIG_FILE: CONFIG
            + "ranking_weights:\n  resolution_rate: 0.5\n  on_time_rate: 0.3\n"
            + "  satisfaction_rate: 0.3\n"
        },
        [("E207", CONFIG_FILE, 7, 3)],
        {"E207": "合计 1.1"},
    ),
    Case(
        "e207_weight_above_one",
        {CONFIG_FILE: CONFIG + "ranking_weights:\n  resolution_rate: 1.5\n"},
        [("E207", CONFIG_FILE, 7, 20)],
    ),
    # ---- E208 YAML would change the value -------------------------------------------
    Case(
        "e208_unquoted_phone",
        {"staff/S001.yaml": edit(STAFF["S001"], ('phone: "13800000011"', "phone: 13800000011"))},
        [("E208", "staff/S001.yaml", 5, 8)],
        {"E208": "数字"},
    ),
    Case(
        "e208_no_in_text_field",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ("  title: 项目负责人", "  title: no"))},
        [("E208", ENTERPRISE_FILE, 13, 10)],
        {"E208": "true/false"},
    ),
    Case(
        "e208_date_in_text_field",
        {BULLETIN_FILE: edit(BULLETIN, ("period: 2021-08\n", "period: 2021-08\ntitle: 2021-08-31\n"))},
        [("E208", BULLETIN_FILE, 4, 8)],
    ),
    # ---- E209 empty -----------------------------------------------------------------
    Case(
        "e209_required_left_blank",
        {DEPT_FILE: edit(DEPARTMENT, ("name: 国网周口市川汇区供电公司", "name:"))},
        [("E209", DEPT_FILE, 2, 6)],
    ),
    Case(
        "e209_empty_quotes",
        {VISIT_FILE: edit(VISIT, ("summary: 了解企业用电需求。", 'summary: ""'))},
        [("E209", VISIT_FILE, 8, 10)],
    ),
    Case(
        "e209_empty_staff_list",
        {VISIT_FILE: edit(VISIT, ("staff:\n  - S002\n  - S003\n", "staff: []\n"))},
        [("E209", VISIT_FILE, 4, 8)],
    ),
    # ---- E210 invisible characters --------------------------------------------------
    Case(
        "e210_zero_width_in_reference",
        {VISIT_FILE: edit(VISIT, ("enterprise: E001", 'enterprise: "E001\u200b"'))},
        [("E210", VISIT_FILE, 3, 13)],
        {"E210": "U+200B"},
    ),
    Case(
        "e210_bidi_override_in_id",
        {DEPT_FILE: edit(DEPARTMENT, ("id: D01", "id: \u202eD01"))},
        [("E210", DEPT_FILE, 1, 5)],
    ),
    Case(
        "e210_bidi_override_in_text",
        {DEPT_FILE: edit(DEPARTMENT, ("short_name: 区供电公司", "short_name: 区供电\u202e公司"))},
        [("E210", DEPT_FILE, 3, 13)],
    ),
    # ---- E301 duplicate ids ---------------------------------------------------------
    Case(
        "e301_same_id_in_two_months",
        {"visits/2021-09/V0001.yaml": edit(VISIT, ("date: 2021-08-05", "date: 2021-09-05"))},
        [("E301", "visits/2021-09/V0001.yaml", 1, 5)],
        {"E301": "visits/2021-08/V0001.yaml"},
    ),
    Case(
        "e301_calendar_year_twice",
        {"calendar/2021/2021.yaml": CALENDAR_2021},
        [("E301", "calendar/2021/2021.yaml", 1, 7)],
    ),
    # ---- E302 dangling references ---------------------------------------------------
    Case(
        "e302_visit_enterprise",
        {VISIT_FILE: edit(VISIT, ("enterprise: E001", "enterprise: E999"))},
        [("E302", VISIT_FILE, 3, 13)],
        {"E302": "企业“E999”不存在"},
    ),
    Case(
        "e302_visit_staff_item",
        {VISIT_FILE: edit(VISIT, ("  - S003", "  - S030"))},
        [("E302", VISIT_FILE, 6, 5)],
    ),
    Case(
        "e302_issue_lead_department",
        {ISSUE_FILE: edit(ISSUE, ("lead_department: D01", "lead_department: D07"))},
        [("E302", ISSUE_FILE, 9, 18)],
    ),
    Case(
        "e302_co_departments_item",
        {ISSUE_FILE: edit(ISSUE, ("responsible:", "co_departments: [D01, D09]\nresponsible:"))},
        [("E302", ISSUE_FILE, 10, 23)],
    ),
    Case(
        "e302_team_member",
        {TEAM_FILE: edit(TEAM, ("leader: S001", "leader: S009"))},
        [("E302", TEAM_FILE, 3, 9)],
    ),
    Case(
        "e302_bulletin_unit_comment",
        {BULLETIN_FILE: edit(BULLETIN, ("  - unit: D01", "  - unit: D99"))},
        [("E302", BULLETIN_FILE, 7, 11)],
    ),
    Case(
        "e302_reference_to_a_broken_record_is_not_dangling",
        {DEPT_FILE: DEPARTMENT + "colour: red\n"},
        [("E202", DEPT_FILE, 5, 1)],
    ),
    Case(
        # the file name still tells which record it is: no dangling references cascade
        "e302_reference_to_an_unparseable_record_is_not_dangling",
        {"staff/S003.yaml": edit(STAFF["S003"], ("name: 李强", 'name: "李强'))},
        [("E101", "staff/S003.yaml", 5, 9)],
    ),
    # ---- E303 file name ≠ id --------------------------------------------------------
    Case(
        "e303_file_name_differs",
        {DEPT_FILE: edit(DEPARTMENT, ("id: D01", "id: D02"))},
        [  # the record is D02 now, so D01 is gone
            ("E302", BULLETIN_FILE, 7, 11),
            ("E303", DEPT_FILE, 1, 5),
            ("E302", ISSUE_FILE, 9, 18),
            ("E302", LEGAL_FILE, 3, 7),
        ],
        {"E303": "文件名“D01.yaml”与编号“D02”不一致"},
    ),
    Case(
        "e303_bulletin_file_name_differs_from_period",
        {BULLETIN_FILE: edit(BULLETIN, ("period: 2021-08", "period: 2021-09"))},
        [("E303", BULLETIN_FILE, 3, 9)],
    ),
    # ---- E304 wrong role ------------------------------------------------------------
    Case(
        "e304_judge_is_a_chief_officer",
        {TEAM_FILE: edit(TEAM, ("judge: S003", "judge: S002"))},
        [("E304", TEAM_FILE, 5, 8)],
        {"E304": "角色是“首席服务官”，这里需要“驻企法官”"},
    ),
    # ---- E4xx dates and lifecycle ---------------------------------------------------
    Case(
        "e401_left_before_joined",
        {ENTERPRISE_FILE: ENTERPRISE + "left: 2021-08-01\n"},
        [("E401", ENTERPRISE_FILE, 16, 7)],
    ),
    Case(
        "e401_deadline_before_raised",
        {ISSUE_FILE: edit(ISSUE, ("time_limit_days: 15", "deadline: 2021-08-01"))},
        [("E401", ISSUE_FILE, 11, 11)],
    ),
    Case(
        "e402_history_out_of_order",
        {ISSUE_FILE: edit(ISSUE, ("date: 2021-08-10", "date: 2021-08-04"))},
        [("E402", ISSUE_FILE, 18, 11)],
        {"E402": "2021-08-04 早于上一条的 2021-08-06"},
    ),
    Case(
        "e403_collected_straight_to_resolved",
        {
            ISSUE_FILE: edit(
                ISSUE,
                (
                    "  - date: 2021-08-06\n    status: 分办交办\n    note: 交区供电公司办理。\n"
                    "  - date: 2021-08-10\n    status: 办理中\n",
                    "",
                ),
            )
        },
        [("E403", ISSUE_FILE, 16, 13)],
        {"E403": "状态不能从“问题收集”直接变为“已解决”"},
    ),
    Case(
        "e403_reopened_after_closure",
        {ISSUE_FILE: edit(ISSUE, ("resolution:", "  - date: 2021-08-26\n    status: 办理中\nresolution:"))},
        [("E403", ISSUE_FILE, 25, 13)],
        {"E403": "状态不能从“销号”直接变为“办理中”"},
    ),
    Case(
        "e404_rating_before_resolution",
        {ISSUE_FILE: edit(ISSUE, ("  date: 2021-08-25\n  result", "  date: 2021-08-15\n  result"))},
        [("E404", ISSUE_FILE, 26, 9)],
    ),
    Case(
        "e404_rating_of_unresolved_issue",
        {
            ISSUE_FILE: edit(
                ISSUE,
                (
                    "  - date: 2021-08-18\n    status: 已解决\n  - date: 2021-08-25\n    status: 销号\n",
                    "",
                ),
            )
        },
        [("E404", ISSUE_FILE, 22, 9)],
        {"E404": "尚未解决"},
    ),
    Case(
        "e405_raised_before_campaign",
        {
            CONFIG_FILE: edit(CONFIG, ("campaign_start: 2021-08-01", "campaign_start: 2021-08-05")),
            ISSUE_FILE: edit(
                ISSUE,
                ("raised: 2021-08-05", "raised: 2021-08-04"),
                ("  - date: 2021-08-05", "  - date: 2021-08-04"),
                ("visit: V0001\n", ""),
            ),
        },
        [("E405", ISSUE_FILE, 3, 9)],
    ),
    Case(
        "e406_history_starts_with_assignment",
        {ISSUE_FILE: edit(ISSUE, ("    status: 问题收集", "    status: 分办交办"))},
        [("E406", ISSUE_FILE, 13, 5), ("E403", ISSUE_FILE, 16, 13)],
    ),
    Case(
        "e406_collection_not_on_raised_date",
        {ISSUE_FILE: edit(ISSUE, ("  - date: 2021-08-05", "  - date: 2021-08-06"))},
        [("E406", ISSUE_FILE, 13, 5)],
        {"E406": "2021-08-05"},
    ),
    Case(
        "e407_visit_before_enterprise_joined",
        {VISIT_FILE: edit(VISIT, ("date: 2021-08-05", "date: 2021-08-01"))},
        [("E407", VISIT_FILE, 2, 7)],
        {"E407": "走访的日期 2021-08-01 早于企业入库日期（2021-08-02）"},
    ),
    Case(
        "e407_issue_raised_before_its_visit",
        {
            VISIT_FILE: edit(VISIT, ("date: 2021-08-05", "date: 2021-08-06")),
        },
        [("E407", ISSUE_FILE, 3, 9)],
    ),
    Case(
        "e407_rectification_due_before_raised",
        {
            "rectifications/R0001.yaml": "id: R0001\nissue: Q0001\naction: 架设第二路线路。\n"
            "department: D01\ndue: 2021-08-01\n"
        },
        [("E407", "rectifications/R0001.yaml", 5, 6)],
    ),
    Case(
        "e408_working_days_beyond_the_calendar",
        {
            CONFIG_FILE: WORKING,
            "issues/2021-12/Q0002.yaml": "id: Q0002\nenterprise: E001\nraised: 2021-12-24\n"
            "source: 电话\ncategory: 用工\ntitle: 招工难\ndescription: 春节前用工缺口大。\n"
            "lead_department: D01\nhistory:\n  - {date: 2021-12-24, status: 问题收集}\n",
        },
        [("E408", "issues/2021-12/Q0002.yaml", 3, 9)],
        {"E408": "2021"},
    ),
    Case(
        "e408_a_late_history_entry_needs_next_years_calendar",
        {
            CONFIG_FILE: WORKING,
            ISSUE_FILE: edit(ISSUE, ("date: 2021-08-25\n    status: 销号", "date: 2022-01-05\n    status: 销号")),
        },
        [("E408", ISSUE_FILE, 22, 11)],
        {"E408": "日期 2022-01-05 超出工作日历覆盖的年份（2021）"},
    ),
    # ---- E409 work with an enterprise after it left ---------------------------------
    Case(
        "e409_legal_service_after_the_enterprise_left",
        {
            ENTERPRISE_FILE: ENTERPRISE + "left: 2021-08-25\n",
            LEGAL_FILE: edit(LEGAL, ("date: 2021-08-20", "date: 2021-08-28")),
        },
        [("E409", LEGAL_FILE, 2, 7)],
        {"E409": "法治服务的日期 2021-08-28 晚于企业“E001”的出库日期（2021-08-25）"},
    ),
    Case(
        "e409_leaving_day_itself_is_fine",
        {ENTERPRISE_FILE: ENTERPRISE + "left: 2021-08-25\n"},
        [],
    ),
    # ---- E410 a calendar day of another year ----------------------------------------
    Case(
        "e410_holiday_of_another_year",
        {"calendar/2021.yaml": edit(CALENDAR_2021, ("  - 2021-10-01", "  - 2022-10-01"))},
        [("E410", "calendar/2021.yaml", 4, 5)],
        {"E410": "放假日期 2022-10-01 不在本日历的年份 2021 年内"},
    ),
    # ---- E306 a copied record whose id was not changed ------------------------------
    Case(
        "e306_copied_file_keeps_the_id",
        {"departments/D02.yaml": DEPARTMENT},
        [("E306", "departments/D02.yaml", 1, 5)],
        {"E306": "编号“D01”已被"},
    ),
    # ---- E5xx identifiers -----------------------------------------------------------
    Case(
        "e501_uscc_too_short",
        {ENTERPRISE_FILE: edit(ENTERPRISE, (f"uscc: {USCC}", f"uscc: {USCC[:17]}"))},
        [("E501", ENTERPRISE_FILE, 3, 7)],
        {"E501": "应为 18 位，实际 17 位"},
    ),
    Case(
        "e501_uscc_with_letter_o",
        {ENTERPRISE_FILE: edit(ENTERPRISE, (f"uscc: {USCC}", f"uscc: {USCC[:8]}MO{USCC[10:]}"))},
        [("E501", ENTERPRISE_FILE, 3, 7)],
        {"E501": "“O”"},
    ),
    Case(
        "e502_uscc_wrong_check_character",
        {ENTERPRISE_FILE: edit(ENTERPRISE, (f"uscc: {USCC}", f"uscc: {_wrong_check_char()}"))},
        [("E502", ENTERPRISE_FILE, 3, 7)],
        {"E502": f"应为 {USCC[-1]}"},
    ),
    Case(
        "e503_short_mobile",
        {ENTERPRISE_FILE: edit(ENTERPRISE, ('"13800000001"', '"1380000001"'))},
        [("E503", ENTERPRISE_FILE, 12, 10)],
        {"E503": "11 位"},
    ),
    Case(
        "e503_landline_too_short",
        {"staff/S004.yaml": edit(STAFF["S004"], ('"0394-8234567"', '"0394-123"'))},
        [("E503", "staff/S004.yaml", 5, 8)],
    ),
    Case(
        "e503_not_a_number",
        {"staff/S004.yaml": edit(STAFF["S004"], ('"0394-8234567"', "见通讯录"))},
        [("E503", "staff/S004.yaml", 5, 8)],
    ),
    Case(  # more frozen-file cases: tests/compute/test_hostile_frozen.py
        "e511_frozen_figures_not_an_object",
        {"frozen/2021-08-monthly.json": "[]\n"},
        [("E511", "frozen/2021-08-monthly.json", 1, 1)],
        {"E511": "实际是列表"},
    ),
    Case(  # more document-number cases: tests/workflow/test_document_numbers.py
        "e531_document_number_used_twice_in_a_year",
        {
            BULLETIN_FILE: edit(BULLETIN, ("number: 8\n", "number: 8\nissued: 2021-09-03\n")),
            "bulletins/2021-09-monthly.md": edit(
                BULLETIN, ("period: 2021-08", "period: 2021-09"), ("number: 8\n", "number: 8\nissued: 2021-10-08\n")
            ),
        },
        [("E531", "bulletins/2021-09-monthly.md", 4, 9)],
    ),
    # ---- W6xx warnings --------------------------------------------------------------
    Case(
        "w604_stray_text_file",
        {"departments/说明.txt": "这里放责任单位。\n"},
        [("W604", "departments/说明.txt", 1, 1)],
    ),
    Case(
        "w604_yml_suffix",
        {"departments/D02.yml": DEPARTMENT.replace("D01", "D02")},
        [("W604", "departments/D02.yml", 1, 1)],
    ),
    Case(
        "w605_unknown_bulletin_section",
        {BULLETIN_FILE: BULLETIN + "\n## 其他事项\n\n无。\n"},
        [("W605", BULLETIN_FILE, 20, 1)],
        {"W605": "其他事项"},
    ),
    # ---- several problems at once ---------------------------------------------------
    Case(
        "many_in_one_issue",
        {
            ISSUE_FILE: edit(
                ISSUE,
                ("source: 走访", "source: 微信"),
                ("category: 水电", "category: 水电\npriority: 高"),
                ("date: 2021-08-10", "date: 2021-08-32"),
                ("  result: 满意", "  result: 非常满意"),
            )
        },
        [
            ("E204", ISSUE_FILE, 4, 9),
            ("E202", ISSUE_FILE, 7, 1),
            ("E205", ISSUE_FILE, 19, 11),
            ("E204", ISSUE_FILE, 28, 11),
        ],
    ),
    Case(
        "many_across_files",
        {
            DEPT_FILE: edit(DEPARTMENT, ("type: 公用事业", "type: 国企")),
            VISIT_FILE: edit(VISIT, ("kind: 走访", "kind: 走访\nkind: 座谈"), ("  - S003", "  - S300")),
            "staff/S002.yaml": edit(STAFF["S002"], ('phone: "13800000012"', 'phone: "138"')),
            "teams/README.txt": "队伍说明\n",
            ENTERPRISE_FILE: edit(ENTERPRISE, ("joined: 2021-08-02", "joined: 2021-08-10")),
        },
        [  # the visit has a field error, so only the issue is checked against joined
            ("E204", DEPT_FILE, 4, 7),
            ("E407", ISSUE_FILE, 3, 9),
            ("E503", STAFF_FILE, 5, 8),
            ("W604", "teams/README.txt", 1, 1),
            ("E302", VISIT_FILE, 6, 5),
            ("E102", VISIT_FILE, 8, 1),
        ],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_broken_record_set(office: OfficeRepo, case: Case) -> None:
    for rel, content in case.files.items():
        if content is None:
            office.remove(rel)
        else:
            office.write(rel, content)
    if case.setup:
        case.setup(office)
    problems = office.check().report.sorted()
    found = [(p.code, office.relative(p), p.line, p.column) for p in problems]
    assert found == case.expected
    for code, words in case.message_has.items():
        messages = [p.message() for p in problems if p.code == code]
        assert messages, f"no {code}"
        assert any(words in m for m in messages), messages


def test_case_names_are_unique() -> None:
    names = [c.name for c in CASES]
    assert len(names) == len(set(names))


# The validator's codes: E1xx–E5xx and the W60x it reports (later stages own the rest).  The E55x
# codes are the Excel import's, located at workbook cells (tests/excel).
VALIDATION_CODES = {c for c in CATALOGUE if c[:2] in ("E1", "E2", "E3", "E4", "E5") and not c.startswith("E55")} | {
    "W601",
    "W603",
    "W604",
    "W605",
}
# Codes whose located cases live in other corpora: E110 (a file name) in tests/hostile/corpus.py,
# E305 and W601 in tests/test_catalogue_cases.py, W603 in tests/hostile/test_hostile_leaks.py,
# E112, E113 (a clerk's full-width colon and space) and E117 (a copied bulletin text) in tests/validate/test_slips.py.
COVERED_ELSEWHERE = {"E110", "E112", "E113", "E117", "E305", "W601", "W603"}


def test_every_reachable_code_is_covered() -> None:
    covered = {code for case in CASES for code, *_ in case.expected}
    missing = VALIDATION_CODES - COVERED_ELSEWHERE - covered
    assert not missing, missing


def test_case_count() -> None:
    assert len(CASES) >= 60
