"""``docs/guide.md``: the office's guide, in plain Chinese for clerks, with every problem code explained.

The walk-through (add an enterprise, record a visit, log an issue and its progress, close it,
write a bulletin text, check, build) uses the record texts below; a test writes them into a
minimal office and checks that they are valid, so the guide never shows a record that
``check`` would refuse.  The code section is generated from ``problems.CATALOGUE`` and the
examples beside it (``problem_examples.EXAMPLES``): no code can be missing from it.
"""

from __future__ import annotations

from reportgen.problem_examples import EXAMPLES
from reportgen.problems import CATALOGUE, Message, Problem, Severity
from reportgen.schema import kinds

# The guide's example records, by path under records/ (they refer to the sample office's T01, S002, D01).
ENTERPRISE_TEXT = """\
id: E002
name: 周口市示例食品有限公司
uscc: 91411602MA9GK3RT50
industry: 食品加工
park: 川汇区产业集聚区
scale: 中型
contact:
  name: 李明
  phone: "13800001002"
team: T01
joined: 2021-08-10
"""
VISIT_TEXT = """\
id: V0002
date: 2021-08-12
enterprise: E002
staff:
  - S002
kind: 走访
summary: 了解企业扩建进度，企业反映新厂房的动力电尚未接通。
"""
ISSUE_OPENED = """\
id: Q0002
enterprise: E002
raised: 2021-08-12
source: 走访
visit: V0002
category: 水电
title: 新厂房动力电尚未接通
description: 新厂房已建成，动力电线路未接入，影响设备调试。
lead_department: D01
history:
  - date: 2021-08-12
    status: 问题收集
"""
ISSUE_PROGRESS = """\
  - date: 2021-08-13
    status: 分办交办
    note: 交区供电公司办理。
  - date: 2021-08-16
    status: 办理中
    note: 区供电公司现场勘查，确定接入方案。
"""
ISSUE_CLOSING = """\
  - date: 2021-08-25
    status: 已解决
    note: 线路接入，设备开始调试。
  - date: 2021-08-30
    status: 销号
    note: 经企业确认，予以销号。
resolution: 区供电公司完成新厂房线路接入，已通电。
rating:
  date: 2021-08-30
  result: 满意
  comment: 办理及时。
"""
BULLETIN_TEXT = """\
---
kind: monthly
period: "2021-09"
number: 9
issued: 2021-10-08
recipients: 各乡镇（街道）、区直各有关单位
cc: 区委办公室，区政府办公室
unit_comments:
  - unit: D01
    comment: 响应迅速，办结及时。
---

## 工作亮点

本月各服务队伍深入企业走访，问题收集更加及时。

## 典型案例

**新厂房通电。** 区供电公司半个月内为企业新厂房接通动力电。

## 下步工作

1. 对超期未办结问题下发督办通知。
"""
FONTS_TEXT = """\
fonts:
  xiaobiaosong: fonts/方正小标宋简体.ttf
  fangsong: fonts/仿宋_GB2312.ttf
  kaiti: fonts/楷体_GB2312.ttf
"""
GUIDE_RECORDS: dict[str, str] = {
    "enterprises/E002.yaml": ENTERPRISE_TEXT,
    "visits/2021-08/V0002.yaml": VISIT_TEXT,
    "issues/2021-08/Q0002.yaml": ISSUE_OPENED + ISSUE_PROGRESS + ISSUE_CLOSING,
    "bulletins/2021-09-monthly.md": BULLETIN_TEXT,
}

CHECK_IMAGE = "images/check.png"
NOTICE_IMAGE = "images/notice-2021-09.png"


def _block(text: str, lang: str = "yaml") -> list[str]:
    return [f"```{lang}", *text.rstrip("\n").splitlines(), "```", ""]


def _intro() -> list[str]:
    return [
        "# 办公室使用指南（docs/guide.md）",
        "",
        "本文件由 `reportgen docs` 自动生成，请勿手工修改。它写给办公室负责录入和发布的同志，"
        "不需要懂编程：照着做，每一步都有例子。字段的完整说明见 [records.md](records.md)，"
        "各项统计数字的口径见 [metrics.md](metrics.md)。",
        "",
        "## 一、这个仓库是什么",
        "",
        "“万人助万企”活动的全部台账——企业服务库、助企人员、“1+3”工作队伍、责任单位、走访、问题清单、"
        "整改事项、法治服务和每期通报的正文——都以文字文件的形式保存在 `records/` 文件夹里，"
        "**一条记录一个文件**，文件名就是记录的编号（例如企业 E002 保存在 `records/enterprises/E002.yaml`）。"
        "两个人改不同的记录，互不影响。",
        "",
        "每次修改后，程序会检查所有记录（`reportgen check`），再算出统计数字、生成月通报和季点评"
        "（网页和可打印的 PDF）以及对外公开的网站（`reportgen build`）。"
        "联系人电话等个人信息只留在台账里，不会出现在公开的网站上。",
        "",
        "记录文件用 YAML 格式书写，只需记住三条：",
        "",
        "1. 每行写成“字段: 值”，**冒号后面有一个空格**；",
        "2. 列表的每一项另起一行，以“- ”开头，前面空两格；",
        "3. 日期写成 `2021-08-12` 这样的 年-月-日；以 0 开头的号码（如电话）要加引号。",
        "",
        "最省事的办法是复制一条同类记录，再逐项改写；也可以用 `reportgen new 种类` 生成一个带说明的新文件，"
        "种类写中文名或英文名，例如 `reportgen new 问题 --enterprise E002`。",
        "",
    ]


def _records_part() -> list[str]:
    return [
        "## 二、添加一家企业",
        "",
        "在 `records/enterprises/` 里新建文件，文件名用下一个空着的编号，例如 `E002.yaml`：",
        "",
        *_block(ENTERPRISE_TEXT),
        "统一社会信用代码照营业执照抄写，程序会核对最后一位校验位；`team` 写负责这家企业的服务队伍编号；"
        "`joined` 是入库日期。企业出库时，加一行 `left: 出库日期`，不要删除文件（以前的统计要用到它）。",
        "",
        "## 三、记录一次走访",
        "",
        "走访、座谈、送法进企业和调研都记作走访，按月份放在 `records/visits/年-月/` 下，"
        "例如 `records/visits/2021-08/V0002.yaml`：",
        "",
        *_block(VISIT_TEXT),
        f"`kind` 只能是：{'、'.join(kinds.VISIT_KINDS)}。`staff` 列出参加走访的人员编号，每人一行。",
        "",
    ]


def _transition_rows() -> list[str]:
    return [f"| {status} | {'、'.join(after) or '（已终结）'} |" for status, after in kinds.TRANSITIONS.items()]


def _issue_part() -> list[str]:
    return [
        "## 四、登记问题，记录办理进展",
        "",
        "企业反映的每个问题一条记录，按提出月份放在 `records/issues/年-月/` 下。"
        "刚收集到时，办理记录（`history`）只有“问题收集”一条，日期与提出日期相同：",
        "",
        *_block(ISSUE_OPENED),
        f"问题类别只能是：{'、'.join(kinds.CATEGORIES)}。办结期限可以写 `deadline: 2021-08-27`（最后办结日期），"
        "或 `time_limit_days: 15`（从提出之日起的天数）；都不写时按 config.yaml 里的默认时限计算。"
        "过了期限仍未办结的问题，会列入通报的超期督办名单。",
        "",
        "以后每有进展，就在 `history` 末尾**添加**一条（不要改动以前的条目），写明日期、状态和简要说明：",
        "",
        *_block(ISSUE_PROGRESS),
        "问题按“问题收集 → 分办交办 → 办理中 → 已解决 → 销号”推进；解决不了的，可以转入“长期推进”，"
        "或在答复企业后记为“已答复”。每个状态之后允许的下一步如下，跳步时 `check` 会报错（E403）：",
        "",
        "| 当前状态 | 可以变为 |",
        "|---|---|",
        *_transition_rows(),
        "",
        "因为每一步都有日期，任何一天的办理情况都能还原：九月的通报到十二月重新生成，数字也不会变。",
        "",
        "## 五、问题办结与销号",
        "",
        "问题解决后添加“已解决”，企业确认后再添加“销号”，并写上解决情况和企业评价"
        f"（评价结果只能是：{'、'.join(kinds.RATINGS)}；评价日期不能早于解决日期）：",
        "",
        *_block(ISSUE_CLOSING),
        "“问题解决一件销号一件”：销号只是确认结果，不改变结果——“已答复”后销号的问题不算已解决。",
        "",
    ]


def _bulletin_part() -> list[str]:
    return [
        "## 六、撰写通报正文",
        "",
        "每期通报的数字和表格由程序生成，办公室只写文字部分。月通报的正文放在 `records/bulletins/2021-09-monthly.md`，"
        "季点评放在 `records/bulletins/2021-Q3-quarterly.md`。文件开头两行 `---` 之间是信息块（文号、印发日期、"
        "主送、抄送、对各单位的点评），下面是正文：",
        "",
        *_block(BULLETIN_TEXT, "markdown"),
        f"正文用“## 标题”分章节，可用的章节有：{'、'.join(kinds.BULLETIN_SECTIONS)}；"
        "写在第一个标题之前的文字归入“工作亮点”。**加粗**写成 `**文字**`，编号列表写成 `1. `。",
        "",
        "没有 `number` 和 `issued` 的通报是草稿，印出来标“草稿”、不带文号。写上这两项就是已印发："
        "下一次构建会把印发时的数字记在 `records/frozen/2021-09-monthly.json`，请把这个文件一并提交；"
        "以后如有修改会改变已印发的数字，`check` 会提醒（W606）。",
        "",
    ]


def _check_part() -> list[str]:
    return [
        "## 七、运行检查，读懂结果",
        "",
        "在仓库根目录运行：",
        "",
        *_block("reportgen check records", "bash"),
        f"![reportgen check 的输出]({CHECK_IMAGE})",
        "",
        "每个问题两行：第一行是 **文件:行:列**、“错误”或“警告”、代码和说明，方括号里是记录编号；"
        "第二行“提示”告诉你怎么改。打开那个文件，找到那一行、那一列，按提示修改，再运行一次，直到最后一行显示“通过”。"
        "错误必须改正，否则不能发布；警告提醒你核对，不改也能发布"
        "（用 `reportgen check records --strict` 时警告也算不通过）。每个代码的例子和改法见本文第九部分。",
        "",
        "提交到仓库后，持续集成会自动运行同样的检查，并把问题标在改动的那一行上。",
        "",
    ]


def _build_part() -> list[str]:
    first, *others = kinds.BULLETIN_KIND_NAMES.values()
    return [
        "## 八、构建和发布",
        "",
        *_block("reportgen build records --out output", "bash"),
        "程序先检查记录，有错误就停下，原来的 `output/` 不会被改动。通过后生成：每期通报的网页和 PDF"
        "（`output/bulletins/`）、公开网站和 `manifest.json`。只想预览时，用 `reportgen serve records` "
        "在本机打开网站，改动记录后页面会自动刷新；只要网页、不要 PDF 时加 `--no-pdf`，速度更快。"
        f"只生成一种通报时加 `--kind {first}`（{'、'.join(others)}同样写），这时的输出只有这一种通报，"
        "不带 `--kind` 再构建一次即可恢复。",
        "",
        "PDF 按党政机关公文格式（GB/T 9704-2012）排版：红色发文机关标志、文号、标题、主送、正文、落款和附件台账。"
        "2021 年 9 月通报的第一页：",
        "",
        f"![2021年9月通报 PDF 第一页]({NOTICE_IMAGE})",
        "",
        "本单位有正式字体（方正小标宋、仿宋_GB2312、楷体_GB2312）时，把字体文件放在 `records/fonts/`，"
        "并在 `records/config.yaml` 中写明：",
        "",
        *_block(FONTS_TEXT),
        "不写时使用免费的替代字体。字体文件找不到或不能用时，`check` 会指出是哪一行（E702、E704–E706）。",
        "",
        "推送到仓库的主分支后，持续集成会自动构建并发布网站。",
        "",
    ]


def _example_problem(code: str) -> Problem:
    return Problem("", 0, 0, code, dict(EXAMPLES[code].params))


def _code_section(code: str, entry: Message) -> list[str]:
    example = EXAMPLES.get(code)
    word = "错误" if entry.severity is Severity.ERROR else "警告"
    if example is None:  # a code added without an example (tests/test_catalogue.py fails on it)
        return [f"### {code}（{word}）", "", f"会看到：{entry.zh}", "", f"怎么改：{entry.zh_hint}", ""]
    problem = _example_problem(code)
    lines = [f"### {code}（{word}）{problem.message()}", "", f"**什么时候出现：** {example.situation}", ""]
    if example.snippet:
        lines += _block(example.snippet, example.lang)
    return [*lines, f"**怎么改：** {problem.hint()}", ""]


def _excel_part() -> list[str]:
    return [
        "## 九、用 Excel 填报和导入",
        "",
        "不用 git 的单位可以用 Excel 报送。先生成填报模板：",
        "",
        *_block("reportgen workbook --out 填报模板.xlsx records --with-records", "bash"),
        "模板里每类记录一张表：企业、走访、问题、办理记录（一个问题的每一步办理占一行）、法治服务。"
        "表头带“＊”的列必须填写；点一下表头，会显示这一列的含义和例子。"
        "单位、企业、人员和服务队伍从下拉列表中选，显示为“编号 名称”，如“E001 富士康(周口)科技工业园”，"
        "也可以只写编号或全称；走访的参加人员可写多人，用“、”隔开。日期写成 2021-09-05，"
        "或 2021.9.5、2021年9月5日、2021/9/5 都可以（另存为 CSV 时带上的“0:00”也可以）。"
        "不加 `--with-records` 时是空白模板。"
        "填入记录的模板里有企业联系人的姓名和电话等个人信息，只在单位之间传递，不要公开发布。",
        "",
        "“编号”一列：修改已有的记录时不要改动；新增的记录留空，导入时自动编上下一个空闲的编号。收回的表格这样导入：",
        "",
        *_block(
            "reportgen import 填报模板.xlsx records --dry-run   # 先看看会改哪些文件\n"
            "reportgen import 填报模板.xlsx records             # 确认无误后正式导入",
            "bash",
        ),
        "导入前会把全部内容连同现有记录一起检查一遍：只要还有一个错误，就一个文件也不写。"
        "每个问题都指明在表格的哪一格，如 `填报模板.xlsx!问题!F12`，说明和改法与 `check` 的一样。"
        "已有的记录只改动变了的字段，文件里的说明行保留；没有改动的表格再导入一次，什么也不会变。",
        "",
        "本单位原有的台账（列名与模板不同，有标题行、序号列，办理进展写成一段文字）也能导入，"
        "只需写一次对照表 `import-map.yaml`，说明哪一列对应哪个字段、本单位的说法对应哪个状态：",
        "",
        *_block(
            "sheets:\n  问题清单:\n    kind: issue\n    columns:\n      反映时间: raised\n"
            "      问题概述: title\n      办理进展: progress\n      序号: ~\n    defaults:\n      source: 走访\n"
            "values:\n  已办结: 已解决\n  正在办理: 办理中"
        ),
        *_block("reportgen import 问题清单台账.xlsx records --map import-map.yaml", "bash"),
        "“办理进展”里每一段以日期开头，段与段之间用分号隔开，如“9月6日已交办区供电公司；9月20日已办结”，"
        "每一段成为一条办理记录，状态按其中的词判断（已交办 → 分办交办，已办结 → 已解决）。"
        "台账只有“办理状态”和它的日期两列时，写 `办理状态: history.status` 和 `状态日期: history.date`，"
        "成为最后一条办理记录。"
        "CSV 文件可以是 UTF-8 或 GBK 编码；单独一张表时用 `--kind 问题`（或 `--kind issue`）等说明是哪类记录。",
        "",
    ]


def _codes_part() -> list[str]:
    lines = [
        "## 十、错误和警告代码一览",
        "",
        "`check` 和 `build` 报告的每个代码都在这里：标题是 `check` 会显示的说明（以一个例子填写），"
        "然后是会出现这个问题的情形和改法。以 E 开头的是错误，以 W 开头的是警告。"
        "E1 开头的与文件本身有关，E2 与字段有关，E3 与编号和引用有关，E4 与日期和办理流程有关，"
        "E5 与信用代码和电话有关，W6 是提醒，E7/W7 与通报的排版和字体有关，E8/W8 与公开网站上的个人信息有关；"
        "E55 和 W74 与 Excel 导入有关。",
        "",
    ]
    for code, entry in sorted(CATALOGUE.items(), key=lambda item: (item[0][1:], item[0])):  # E701 beside W701
        lines += _code_section(code, entry)
    return lines


def guide_markdown() -> str:
    """The whole of docs/guide.md."""
    from reportgen.cms.guide import editor_part

    parts = [_intro(), editor_part(), _records_part(), _issue_part(), _bulletin_part(), _check_part(), _build_part()]
    parts += [_excel_part(), _codes_part()]
    return "\n".join(line for part in parts for line in part).rstrip("\n") + "\n"
