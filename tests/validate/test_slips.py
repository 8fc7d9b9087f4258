"""The slips clerks make when they edit a record by hand: each named, on its own line, with the fix written out.

Every test breaks the minimal issue (tests/conftest.py, ``ISSUE``) the way a clerk would and
asserts the whole of what check says: code, line, column, message and hint, in Chinese
and in English.
"""

from __future__ import annotations

from conftest import (
    BULLETIN,
    BULLETIN_FILE,
    CONFIG,
    DEPARTMENT,
    ISSUE,
    ISSUE_FILE,
    TEAM,
    VISIT,
    VISIT_FILE,
    OfficeRepo,
    edit,
)

from reportgen.schema.kinds import STATUSES
from reportgen.validate.nearest import nearest_choices

Said = tuple[str, str, int, int, str, str]


def _said(office: OfficeRepo, files: dict[str, str], lang: str = "zh") -> list[Said]:
    for rel, text in files.items():
        office.write(rel, text)
    return [
        (p.code, office.relative(p), p.line, p.column, p.message(lang), p.hint(lang))
        for p in office.check().report.sorted()
    ]


def _issue(office: OfficeRepo, old: str, new: str, lang: str = "zh") -> list[Said]:
    return _said(office, {ISSUE_FILE: edit(ISSUE, (old, new))}, lang)


# ---- typing slips YAML cannot read: on the slip's own line, not the line below ----------------


def test_a_chinese_colon_is_named_on_its_line_with_the_corrected_line(office: OfficeRepo) -> None:
    assert _issue(office, "source: 走访", "source： 走访") == [
        (
            "E112",
            ISSUE_FILE,
            4,
            7,
            "这一行的冒号是全角冒号“：”，YAML 只认半角冒号“:”",
            "把“：”换成半角冒号（英文输入法下的冒号），冒号后面空一格，改为：“source: 走访”",
        )
    ]


def test_a_chinese_colon_in_a_history_entry_keeps_the_indentation(office: OfficeRepo) -> None:
    assert _issue(office, "    note: 交区供电公司办理。", "    note：交区供电公司办理。") == [
        (
            "E112",
            ISSUE_FILE,
            17,
            9,
            "这一行的冒号是全角冒号“：”，YAML 只认半角冒号“:”",
            "把“：”换成半角冒号（英文输入法下的冒号），冒号后面空一格，改为：“    note: 交区供电公司办理。”",
        )
    ]


def test_a_chinese_colon_on_the_last_line(office: OfficeRepo) -> None:
    found = _issue(office, "  comment: 非常满意。", "  comment： 非常满意。")
    assert [(code, line, column) for code, _, line, column, _, _ in found] == [("E112", 28, 10)]


def test_a_chinese_colon_in_english(office: OfficeRepo) -> None:
    assert _issue(office, "source: 走访", "source： 走访", "en") == [
        (
            "E112",
            ISSUE_FILE,
            4,
            7,
            "this line has the full-width colon '：'; YAML needs the ASCII colon ':'",
            "Type an ASCII colon followed by a space: 'source: 走访'",
        )
    ]


def test_a_full_width_space_after_the_colon(office: OfficeRepo) -> None:
    assert _issue(office, "category: 水电", "category:\u3000水电") == [
        (
            "E113",
            ISSUE_FILE,
            6,
            10,
            "冒号后面是全角空格“\u3000”（中文输入法下的空格），YAML 只认半角空格",
            "把全角空格换成一个半角空格（英文输入法下的空格），改为：“category: 水电”",
        )
    ]
    assert _issue(office, "category: 水电", "category:\u3000水电", "en")[0][4:] == (
        "a full-width space (U+3000) follows the colon; YAML needs an ASCII space",
        "Replace it with one ASCII space: 'category: 水电'",
    )


def test_a_tab_indenting_a_history_entry_gets_the_spaces_of_its_siblings(office: OfficeRepo) -> None:
    assert _issue(office, "    status: 问题收集", "\tstatus: 问题收集") == [
        (
            "E114",
            ISSUE_FILE,
            14,
            1,
            "这一行开头的缩进用了制表符（Tab），YAML 只能用半角空格缩进",
            "去掉行首的制表符（Tab），改用 4 个半角空格缩进，与上下文对齐，改为：“    status: 问题收集”",
        )
    ]
    assert _issue(office, "    status: 问题收集", "\tstatus: 问题收集", "en")[0][4:] == (
        "this line is indented with a tab; YAML indents with spaces only",
        "Remove the tab; indent it with 4 spaces: '    status: 问题收集'",
    )


def test_a_tab_before_a_list_item_lines_up_with_the_item_above(office: OfficeRepo) -> None:
    found = _issue(office, "  - date: 2021-08-06", "\t- date: 2021-08-06")
    assert [(code, line, column, hint) for code, _, line, column, _, hint in found] == [
        ("E114", 15, 1, "去掉行首的制表符（Tab），改用 2 个半角空格缩进，与上下文对齐，改为：“  - date: 2021-08-06”")
    ]


def test_a_tab_under_a_key_becomes_its_child(office: OfficeRepo) -> None:
    found = _issue(office, "  date: 2021-08-25", "\tdate: 2021-08-25")
    assert [(code, line, column, hint) for code, _, line, column, _, hint in found] == [
        ("E114", 26, 1, "去掉行首的制表符（Tab），改用 2 个半角空格缩进，与上下文对齐，改为：“  date: 2021-08-25”")
    ]


def test_full_width_spaces_as_indentation(office: OfficeRepo) -> None:
    found = _issue(office, "    status: 分办交办", "\u3000\u3000status: 分办交办")
    assert [(code, line, column, message) for code, _, line, column, message, _ in found] == [
        ("E114", 16, 1, "这一行开头的缩进用了全角空格，YAML 只能用半角空格缩进")
    ]


def test_no_space_after_the_colon(office: OfficeRepo) -> None:
    assert _issue(office, "  date: 2021-08-25", "  date:2021-08-25") == [
        (
            "E115",
            ISSUE_FILE,
            26,
            7,
            "冒号后面缺少空格，YAML 读不出这是“字段: 值”",
            "在冒号后面加一个半角空格，改为：“  date: 2021-08-25”",
        )
    ]


def test_a_slip_in_a_bulletin_front_matter_is_on_the_file_line(office: OfficeRepo) -> None:
    bulletin = "bulletins/2021-08-monthly.md"
    text = (office.root / bulletin).read_text("utf-8")
    found = _said(office, {bulletin: edit(text, ("kind: monthly", "kind： monthly"))})
    assert [(code, line, column, hint) for code, _, line, column, _, hint in found] == [
        ("E112", 2, 5, "把“：”换成半角冒号（英文输入法下的冒号），冒号后面空一格，改为：“kind: monthly”")
    ]


# ---- dates written another way: the corrected date, at the value ------------------------------


def test_dates_written_otherwise_get_the_corrected_date(office: OfficeRepo) -> None:
    hint = "日期一律用半角数字写成 年-月-日，月和日都写两位，例如 2021-09-03。"
    for written, fixed in (
        ("2021.8.6", "2021-08-06"),
        ("2021年8月6日", "2021-08-06"),
        ("2021-8-6", "2021-08-06"),
        ("２０21-08-06", "2021-08-06"),
        ("2021/08/06", "2021-08-06"),
    ):
        assert _issue(office, "  - date: 2021-08-06", f"  - date: {written}") == [
            ("E116", ISSUE_FILE, 15, 11, f"第2条办理记录的日期写成了 {written}，应写成 {fixed}", hint)
        ], written


def test_a_date_written_otherwise_in_english(office: OfficeRepo) -> None:
    assert _issue(office, "  - date: 2021-08-06", "  - date: 2021.8.6", "en") == [
        (
            "E116",
            ISSUE_FILE,
            15,
            11,
            "'history item 2, date' is written 2021.8.6; write it as 2021-08-06",
            "Dates are YYYY-MM-DD in ASCII digits, e.g. 2021-09-03.",
        )
    ]


def test_a_date_written_otherwise_that_does_not_exist_says_why(office: OfficeRepo) -> None:
    assert _issue(office, "raised: 2021-08-05", "raised: 2021.2.30")[0][:5] == (
        "E205",
        ISSUE_FILE,
        3,
        9,
        "提出日期不是有效日期：2021.2.30（2021年2月只有 28 天）",
    )


# ---- references and choices: what was probably meant ----------------------------------------


def test_a_reference_with_an_extra_zero_names_the_record_meant(office: OfficeRepo) -> None:
    assert _issue(office, "enterprise: E001", "enterprise: E0001") == [
        (
            "E302",
            ISSUE_FILE,
            2,
            13,
            "企业“E0001”不存在，是否指 E001 富士康(周口)科技工业园？",
            "检查编号是否写对，或先添加这条企业记录。",
        )
    ]
    assert _issue(office, "enterprise: E001", "enterprise: E0001", "en")[0][4] == (
        "'enterprise' refers to enterprise 'E0001', which does not exist; did you mean E001 富士康(周口)科技工业园?"
    )


def test_a_reference_one_digit_off_lists_the_closest_ids_with_their_names(office: OfficeRepo) -> None:
    office.write("departments/D02.yaml", edit(DEPARTMENT, ("id: D01", "id: D02"), ("name: 国网", "name: 第二")))
    found = _issue(office, "lead_department: D01", "lead_department: D00")
    assert [(code, line, column, message) for code, _, line, column, message, _ in found] == [
        ("E302", 9, 18, "牵头单位“D00”不存在，是否指 D01 国网周口市川汇区供电公司、D02 第二周口市川汇区供电公司？")
    ]


def test_a_name_written_where_the_id_belongs_names_the_id(office: OfficeRepo) -> None:
    found = _issue(office, "enterprise: E001", "enterprise: 富士康")
    assert [message for _, _, _, _, message, _ in found] == ["企业“富士康”不存在，是否指 E001 富士康(周口)科技工业园？"]


def test_a_reference_like_nothing_suggests_nothing(office: OfficeRepo) -> None:
    found = _issue(office, "responsible: S002", "responsible: S999")
    assert [message for _, _, _, _, message, _ in found] == ["责任人“S999”不存在"]


def test_a_staff_reference_names_the_person(office: OfficeRepo) -> None:
    found = _said(office, {"teams/T01.yaml": edit(TEAM, ("judge: S003", "judge: S0003"))})
    assert [message for _, _, _, _, message, _ in found] == ["驻企法官“S0003”不存在，是否指 S003 李强？"]


def test_a_reference_in_a_list_counts_its_position_from_one(office: OfficeRepo) -> None:
    found = _said(office, {VISIT_FILE: edit(VISIT, ("  - S003", "  - S03"))})
    assert [(code, line, column, message) for code, _, line, column, message, _ in found] == [
        ("E302", 6, 5, "参加人员第2项“S03”不存在，是否指 S003 李强？")
    ]


def test_a_status_not_in_the_list_suggests_the_nearest_then_lists_all(office: OfficeRepo) -> None:
    assert _issue(office, "    status: 销号", "    status: 已办结") == [
        (
            "E204",
            ISSUE_FILE,
            23,
            13,
            "第5条办理记录的状态“已办结”不在可选范围内，是否指“已解决”或“已答复”？",
            "只能填写以下之一：问题收集、分办交办、办理中、已解决、销号、长期推进、已答复。",
        )
    ]
    assert _issue(office, "    status: 销号", "    status: 已办结", "en")[0][4] == (
        "'history item 5, status' value '已办结' is not one of the allowed values; did you mean '已解决' or '已答复'?"
    )


def test_a_word_sharing_nothing_with_the_choices_gets_only_the_list(office: OfficeRepo) -> None:
    found = _issue(office, "source: 走访", "source: 上门")
    assert [message for _, _, _, _, message, _ in found] == ["发现途径“上门”不在可选范围内"]


# ---- copies: never told to take the name of the file they were copied from ------------------


def test_a_copied_bulletin_text_is_told_to_change_its_period_not_its_name(office: OfficeRepo) -> None:
    copy = "bulletins/2021-09-monthly.md"
    original = f"{office.root}/{BULLETIN_FILE}"
    assert _said(office, {copy: edit(BULLETIN, ("number: 8", "number: 9"))}) == [
        (
            "E117",
            copy,
            3,
            9,
            f"通报正文的时期“2021-08”与文件名“2021-09-monthly.md”不一致，{original} 已经是这一期的通报正文",
            '看起来是复制了那份通报正文后没有改时期：把时期改为 2021-09（period: "2021-09"），与文件名一致；'
            f"不要把文件改名，那样会和 {original} 重名。",
        )
    ]
    assert _said(office, {}, "en")[0][4:] == (
        f"this bulletin text's period '2021-08' does not match its file name '2021-09-monthly.md'; {original} is that"
        " period's text",
        f"A copy whose period was not changed: set the period to 2021-09; do not rename the file onto {original}.",
    )


def test_a_bulletin_text_whose_period_names_no_file_may_be_renamed_to_it(office: OfficeRepo) -> None:
    found = _said(office, {BULLETIN_FILE: edit(BULLETIN, ("period: 2021-08", "period: 2021-09"))})
    assert [(code, line, column, hint) for code, _, line, column, _, hint in found] == [
        ("E303", 3, 9, "把文件改名为 2021-09-monthly.md，或改正编号。")
    ]


def test_a_copied_issue_in_another_month_is_told_the_next_free_id_and_its_file_name(office: OfficeRepo) -> None:
    copy = "issues/2021-09/Q0002.yaml"
    found = _said(office, {copy: ISSUE})
    assert [(code, file, line, column, hint) for code, file, line, column, _, hint in found] == [
        (
            "E306",
            copy,
            1,
            5,
            "看起来是复制了那条记录后没有改编号：把编号改为 Q0002，文件名改为 Q0002.yaml；"
            "不要把文件改名为 Q0001.yaml，那样会和原记录重复。",
        )
    ]


def test_a_full_width_space_before_a_key_yaml_reads_is_named_and_the_key_still_read(office: OfficeRepo) -> None:
    assert _issue(office, "category: 水电", "\u3000category: 水电") == [
        (
            "E114",
            ISSUE_FILE,
            6,
            1,
            "这一行开头的缩进用了全角空格，YAML 只能用半角空格缩进",
            "去掉行首的全角空格，这一行不缩进，与上下文对齐，改为：“category: 水电”",
        )
    ]
    found = _issue(office, "  result: 满意", "  \u3000result: 满意", "en")
    assert [(code, line, column, hint) for code, _, line, column, _, hint in found] == [
        ("E114", 27, 3, "Remove the full-width space (U+3000); indent it with 2 spaces: '  result: 满意'")
    ]


def test_a_number_in_full_width_digits_gets_its_half_width_spelling(office: OfficeRepo) -> None:
    assert _issue(office, "time_limit_days: 15", "time_limit_days: １５") == [
        (
            "E203",
            ISSUE_FILE,
            11,
            18,
            "办理时限（天）应当是整数，实际写的是 １５（用了全角字符，应写成 15）",
            "按整数的格式改写这个值。",
        )
    ]


def test_a_negated_status_is_never_offered_its_opposite() -> None:
    assert nearest_choices("不予解决", STATUSES) == []  # it shares 解决 with 已解决, and means the opposite
    assert nearest_choices("以解决", STATUSES) == ["已解决"]


def test_a_misspelt_field_name_gets_the_field_meant_and_every_fields_label(office: OfficeRepo) -> None:
    office.write(ISSUE_FILE, edit(ISSUE, ("\ntitle: ", "\ntitel: ")))
    (problem,) = [p for p in office.check().report.sorted() if p.code == "E202"]
    assert problem.hint().startswith("检查“titel”的拼写，是否指“title”（问题标题）；这里可用的字段有：id（编号）、")


def test_a_quote_never_closed_is_placed_where_it_opens(office: OfficeRepo) -> None:
    office.write(ISSUE_FILE, edit(ISSUE, ("\ntitle: 需增加", '\ntitle: "需增加')))
    (problem,) = office.check().report.sorted()
    line = ISSUE.split("\n").index("title: 需增加第二路供电线路") + 1
    assert (problem.code, problem.line, problem.column) == ("E101", line, 8)
    assert problem.message() == "YAML 语法错误：文件在引号或括号闭合之前就结束了"


def test_an_english_choice_is_shown_with_its_meaning(office: OfficeRepo) -> None:
    office.write("config.yaml", edit(CONFIG, ("day_kind: calendar", "day_kind: workday")))
    (problem,) = [p for p in office.check().report.sorted() if p.code == "E204"]
    assert problem.message() == "期限计算口径“workday”不在可选范围内，是否指“working（工作日）”？"
    office.write("config.yaml", edit(CONFIG, ("day_kind: calendar", "day_kind: 工作日")))  # its Chinese name
    (problem,) = [p for p in office.check().report.sorted() if p.code == "E204"]
    assert problem.message() == "期限计算口径“工作日”不在可选范围内，是否指“working（工作日）”？"
    assert problem.hint() == "只能填写以下之一：calendar（自然日）、working（工作日）。"


def test_every_slip_of_a_file_is_reported_at_once(office: OfficeRepo) -> None:
    text = edit(ISSUE, ("    status: 问题收集", "\tstatus: 问题收集"), ("    status: 办理中", "\tstatus: 办理中"))
    text = edit(text, ("source: 走访", "source： 走访"))
    found = [(code, line, column) for code, _, line, column, *_ in _said(office, {ISSUE_FILE: text})]
    assert found == [("E112", 4, 7), ("E114", 14, 1), ("E114", 19, 1)]  # not one a run
