"""An example for every catalogue code (``problems.CATALOGUE``): what triggers it, for docs/guide.md.

Kept beside the catalogue as data: the situation in plain words, a short snippet of the
record (or text) that triggers it, and the parameters that fill the message and hint as
``check`` would print them.  ``tests/test_catalogue.py`` fails when a code has no example
or an example leaves a placeholder of its message or hint unfilled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reportgen.privacy import COMMON_WORDS_NAMED
from reportgen.schema.kinds import BULLETIN_SECTIONS, TRANSITIONS, VISIT_KINDS


@dataclass(frozen=True)
class Example:
    """One situation that triggers a code."""

    situation: str  # in plain Chinese, for an office clerk
    snippet: str = ""  # the YAML (or other text) that triggers it; empty when words say it better
    params: Mapping[str, Any] = field(default_factory=dict)  # fill the message and hint as check prints them
    lang: str = "yaml"  # the snippet's language: yaml, markdown (a bulletin text) or json


EXAMPLES: dict[str, Example] = {
    # E1xx — the file itself
    "E101": Example(
        "冒号后面少了空格，或引号没有成对。",
        'name:富士康(周口)科技工业园\ntitle: "需增加第二路供电线路',
        {"detail": "这一行的冒号后面缺少空格"},
    ),
    "E102": Example(
        "同一个字段写了两遍。",
        "kind: 走访\nkind: 座谈",
        {"key": "kind", "first_line": 6},
    ),
    "E103": Example("文件用 GBK/GB18030 编码保存（常见于 Windows 记事本的“ANSI”）。", "", {"detail": "（第 3 行）"}),
    "E104": Example("新建了文件却没有填写内容，或者只写了以 # 开头的注释。", "# 待填写"),
    "E105": Example(
        "把一组人员写成了一行文字，而这里应当是列表。",
        "staff: S002, S003",
        {"expected": "列表", "actual": "文字"},
    ),
    "E106": Example("用 & 和 * 复用了另一段内容。", "contact: &c\n  name: 雷雨\nbackup: *c"),
    "E107": Example("一个文件里用 --- 隔开写了两条记录。", "id: E001\nname: 甲公司\n---\nid: E002\nname: 乙公司"),
    "E108": Example("把一个很大的表格或其他文件改名成 .yaml 放进了记录目录。", "", {"detail": "超过 1 MB"}),
    "E118": Example("在仓库根目录或别的目录上运行了 check，而不是记录目录（records/）。", "", {"file": "config.yaml"}),
    "E109": Example("文件没有读取权限，或是一个指向记录目录之外的链接。", "", {"detail": "没有权限"}),
    "E110": Example(
        "文件名里带有换行等看不见的控制字符（多见于从聊天软件复制文件名）。",
        "",
        {"name": "E001\\n.yaml", "detail": "含有换行等控制字符"},
    ),
    "E111": Example(
        "通报正文文件直接从正文开始，没有开头的 --- 信息块。", "## 工作亮点\n\n本月走访企业 29 次。", lang="markdown"
    ),
    "E112": Example(
        "用中文输入法打字，字段名后面的冒号打成了全角冒号“：”。",
        "source： 走访",
        {"fixed": "“source: 走访”"},
    ),
    "E113": Example(
        "冒号后面的空格是中文输入法打出的全角空格，看上去和半角空格一样。",
        "category:\u3000其他",
        {"fixed": "“category: 其他”"},
    ),
    "E114": Example(
        "用 Tab 键缩进了一行。",
        "history:\n  - date: 2021-09-01\n\tstatus: 问题收集",
        {
            "char": "制表符（Tab）",
            "char_en": "tab",
            "indent": "改用 4 个半角空格缩进",
            "fixed": "“    status: 问题收集”",
        },
    ),
    "E115": Example(
        "冒号后面忘了空一格。",
        "raised:2021-09-01\nsource: 走访",
        {"fixed": "“raised: 2021-09-01”"},
    ),
    "E116": Example(
        "日期写成了 2021.9.3、2021年9月3日、2021-9-3，或用了全角数字。",
        "history:\n  - date: 2021.9.3",
        {"field": "第1条办理记录的日期", "value": "2021.9.3", "fixed": "2021-09-03"},
    ),
    "E117": Example(
        "复制了上个月的通报正文另存为本月的文件，却没有改里面的时期。",
        '# bulletins/2021-10-monthly.md\n---\nkind: monthly\nperiod: "2021-09"',
        {
            "period": "2021-09",
            "name": "2021-10-monthly.md",
            "other": "records/bulletins/2021-09-monthly.md",
            "fixed": "2021-10",
        },
    ),
    # E2xx — fields
    "E201": Example(
        "问题记录里没有写标题。",
        "id: Q0001\nenterprise: E001\nraised: 2021-08-03",
        {"field": "问题标题", "key": "title"},
    ),
    "E202": Example(
        "字段名拼错了。",
        "id: E001\nnmae: 富士康(周口)科技工业园",
        {
            "field": "“nmae”",
            "key": "nmae",
            "nearest": "，是否指“name”（企业名称）",
            "allowed": "id（编号）、name（企业名称）、uscc（统一社会信用代码）、……",
        },
    ),
    "E203": Example(
        "数字字段里写了文字。",
        "employees: 两千人",
        {"field": "用工人数", "expected": "整数", "actual": "“两千人”"},
    ),
    "E204": Example(
        "走访方式写了不在选项里的词；和它相近的选项会先列出来。",
        "kind: 走访调研",
        {
            "field": "形式",
            "value": "走访调研",
            "nearest": "，是否指“走访”或“调研”？",
            "allowed": "、".join(VISIT_KINDS),
        },
    ),
    "E205": Example(
        "日期不存在，或没有按 年-月-日 书写。",
        "raised: 2021-09-31",
        {"field": "提出日期", "value": "2021-09-31"},
    ),
    "E206": Example(
        "编号不符合格式。",
        "id: E1",
        {"field": "编号", "value": "E1", "pattern_hint": "企业编号是 E 加 3 到 8 位数字，例如 E001。"},
    ),
    "E207": Example(
        "数量写成了负数。",
        "count: -2",
        {"field": "数量", "value": -2, "minimum": 0, "maximum": 100000},
    ),
    "E208": Example(
        "不加引号的 0394 开头的号码或 yes/no 这类词会被读成数字或是非。",
        "phone: 03948234567",
        {"field": "电话", "value": "03948234567", "became": "数字 3948234567", "key": "phone"},
    ),
    "E209": Example("写了字段名却没有填写内容。", "resolution:", {"field": "解决情况"}),
    "E210": Example(
        "从网页或聊天软件复制的文字里夹带了看不见的零宽字符。",
        "name: 富士康\u200b(周口)科技工业园",
        {"field": "企业名称", "detail": "零宽空格（U+200B）", "fixed": "富士康(周口)科技工业园"},
    ),
    "E211": Example("值前面写了 !!str 这样的 YAML 标签。", "uscc: !!str 91411600MA44AY4CLB", {"tag": "!!str"}),
    # E3xx — identity and references
    "E301": Example(
        "两个月份的文件夹里各有一个编号相同的问题（两人同时新建，取了同一个编号）。",
        "# issues/2021-08/Q0005.yaml\nid: Q0005\n# issues/2021-09/Q0005.yaml\nid: Q0005",
        {
            "id": "Q0005",
            "other": "records/issues/2021-08/Q0005.yaml",
            "fix": "把其中一条的编号改为下一个没用过的 Q0113，文件名也改为 Q0113.yaml。",
        },
    ),
    "E302": Example(
        "引用了不存在的企业编号（多写了一个 0）；编号相近的企业会连同名称列出来。",
        "enterprise: E0048",
        {"field": "企业", "target": "企业", "value": "E0048", "nearest": "，是否指 E048 周口市德润食用油有限公司？"},
    ),
    "E303": Example(
        "文件名和记录里的编号不一致。",
        "# enterprises/E002.yaml\nid: E003",
        {"name": "E002.yaml", "id": "E003", "suffix": ".yaml"},
    ),
    "E304": Example(
        "服务队伍的驻企法官一栏填了一位首席服务官。",
        "judge: S002",
        {"field": "驻企法官", "value": "S002", "role": "首席服务官", "expected": "驻企法官"},
    ),
    "E305": Example(
        "把一条问题记录放进了企业文件夹。",
        "# enterprises/Q0002.yaml\nid: Q0002\nenterprise: E001",
        {"kind": "问题", "folder": "issues"},
    ),
    "E306": Example(
        "复制了 E001 的文件另存为 E002.yaml，却没有改里面的编号。",
        "# enterprises/E002.yaml\nid: E001",
        {
            "id": "E001",
            "other": "records/enterprises/E001.yaml",
            "name": "E002.yaml",
            "free": "E002",
            "suffix": ".yaml",
        },
    ),
    # E4xx — dates and lifecycle
    "E401": Example(
        "企业的出库日期早于入库日期。",
        "joined: 2021-08-02\nleft: 2021-07-30",
        {"later_label": "出库日期", "later": "2021-07-30", "earlier_label": "入库日期", "earlier": "2021-08-02"},
    ),
    "E402": Example(
        "办理记录的日期先后颠倒。",
        "history:\n  - date: 2021-08-06\n    status: 分办交办\n  - date: 2021-08-04\n    status: 办理中",
        {"date": "2021-08-04", "previous": "2021-08-06"},
    ),
    "E403": Example(
        "问题从“问题收集”直接跳到了“销号”。",
        "history:\n  - date: 2021-08-03\n    status: 问题收集\n  - date: 2021-08-10\n    status: 销号",
        {"before": "问题收集", "after": "销号", "allowed": "、".join(TRANSITIONS["问题收集"])},
    ),
    "E404": Example(
        "企业评价写在问题解决之前。",
        "rating:\n  date: 2021-08-05\n  result: 满意",
        {"date": "2021-08-05", "resolved": "2021-08-06"},
    ),
    "E405": Example(
        "年份写错，日期落在活动开始之前。",
        "date: 2020-09-01",
        {"field": "日期", "value": "2020-09-01", "start": "2021-08-01"},
    ),
    "E406": Example(
        "办理记录的第一条不是“问题收集”。",
        "raised: 2021-08-03\nhistory:\n  - date: 2021-08-03\n    status: 分办交办",
        {"raised": "2021-08-03"},
    ),
    "E407": Example(
        "走访日期早于企业入库的日期。",
        "date: 2021-07-28  # 企业 2021-08-02 入库",
        {"what": "走访", "value": "2021-07-28", "anchor": "企业入库日期", "anchor_date": "2021-08-02"},
    ),
    "E408": Example(
        "按工作日计算期限时，日期落在日历没有的年份。",
        "raised: 2022-12-20  # calendar/ 里只有 2021.yaml",
        {"value": "2022-12-20", "years": "2021"},
    ),
    "E409": Example(
        "企业已经出库，之后又记了对它的走访。",
        "date: 2021-11-05  # 企业 E030 已于 2021-10-31 出库\nenterprise: E030",
        {"what": "走访", "value": "2021-11-05", "enterprise": "E030", "left": "2021-10-31"},
    ),
    "E410": Example(
        "2021 年的日历里写了 2022 年的节假日。",
        "# calendar/2021.yaml\nyear: 2021\nholidays:\n  - 2022-01-03",
        {"what": "节假日", "value": "2022-01-03", "year": 2021, "value_year": 2022},
    ),
    # E5xx — checkable identifiers
    "E501": Example(
        "统一社会信用代码少了一位，或含有字母 O、I 等不允许的字符。",
        "uscc: 91411600MA44AY4CL",
        {"value": "91411600MA44AY4CL", "detail": "只有 17 位"},
    ),
    "E502": Example(
        "统一社会信用代码抄错了一位，最后的校验位对不上。",
        "uscc: 91411600MA44AY4CLA",
        {"value": "91411600MA44AY4CLA", "expected": "B"},
    ),
    "E503": Example("手机号少写了一位。", 'phone: "1380000100"', {"value": "1380000100", "detail": "手机号应为 11 位"}),
    "E511": Example(
        "手工修改过 records/frozen/ 里记录印发数字的文件，使它不再是有效的内容。",
        '{"bulletin": "2021-09-monthly", "figures": {',
        {"detail": "内容不是有效的 JSON"},
        "json",
    ),
    "E531": Example(
        "复制了上个月的通报正文，忘了改文号，两份通报都是 9 号。",
        "number: 9\nissued: 2021-11-05",
        {"number": "川助企〔2021〕9号", "other": "2021-09-monthly", "free": "川助企〔2021〕13号"},
        "markdown",
    ),
    # W6xx — warnings
    "W601": Example(
        "企业记录里没有写负责它的“1+3”服务队伍。", "id: E001\nname: 富士康(周口)科技工业园", {"value": "E001"}
    ),
    "W603": Example(
        "通报正文里写了企业联系人的电话。",
        "请联系雷雨（13800001001）。",
        {
            "label": "通报的“正文”",
            "what": "138****1001",
            "source": "records/enterprises/E001.yaml",
            "words": COMMON_WORDS_NAMED.zh,
        },
        "markdown",
    ),
    "W604": Example("记录文件夹里放了 Word 文档或说明文字。", "", {"detail": "说明.docx"}),
    "W608": Example(
        "文件夹名拼错（isues），或者把记录文件直接放在了记录目录下：这些记录不计入任何统计。",
        "",
        {"name": "isues/", "folders": "issues/（问题）、enterprises/（企业）", "nearest": "是否指 issues/？"},
    ),
    "W605": Example(
        "通报正文的章节标题写成了不认识的名字。",
        "## 存在问题",
        {"section": "存在问题", "allowed": "、".join(BULLETIN_SECTIONS)},
        "markdown",
    ),
    "W606": Example(
        "九月通报已经印发，后来又把一个问题的解决日期改到了十月。",
        "# issues/2021-08/Q0002.yaml\n  - date: 2021-10-10   # 原来是 2021-09-10\n    status: 已解决",
        {"bulletin": "2021-09-monthly", "number": "川助企〔2021〕9号", "changes": "累计·已解决问题 34 → 33"},
    ),
    "W607": Example(
        "通报正文写上了印发日期，但还没有构建过。",
        "number: 9\nissued: 2021-10-08",
        {"bulletin": "2021-09-monthly"},
    ),
    "W661": Example(
        "九月通报用了 9 号，上一份通报是 5 号，中间的 6 至 8 号没有通报（也许用于其他公文）。",
        "number: 9\nissued: 2021-10-08",
        {"number": "川助企〔2021〕9号", "previous": "川助企〔2021〕5号", "missing": "川助企〔2021〕6号至8号"},
        "markdown",
    ),
    "W662": Example(
        "十二月通报在 2022 年 1 月印发，文号却接着 2021 年编成了 19 号。",
        "number: 19\nissued: 2022-01-06",
        {"issued": "2022年1月6日", "number": "川助企〔2022〕19号", "year": 2022, "last": "川助企〔2021〕18号"},
        "markdown",
    ),
    "W663": Example(
        "十月通报先印发，用了 12 号；十一月的草稿早先占了 11 号，后来才印发。",
        "number: 12\nissued: 2021-11-05",
        {
            "number": "川助企〔2021〕12号",
            "issued": "2021年11月5日",
            "other": "2021-11-monthly",
            "other_number": "川助企〔2021〕11号",
            "other_issued": "2021年12月6日",
        },
        "markdown",
    ),
    "E551": Example(
        "导入本单位的台账时，表头写的是自己的列名，又没有在对照表 import-map.yaml 中写明对应哪个字段。",
        "",
        {"sheet": "问题清单"},
    ),
    "E552": Example(
        "台账的“办理进展”里有一段没有日期，无法排进办理记录。",
        "9月5日已交办区供电公司；正在协调线路走向",
        {"text": "正在协调线路走向"},
        "text",
    ),
    "E553": Example(
        "同一个问题在表格里写了两行（编号相同，或企业、提出日期和标题都相同）。", "", {"row": 5, "id": "Q0031"}
    ),
    "E554": Example("“办理记录”工作表里的问题编号写错了，找不到这个问题。", "", {"issue": "Q9999"}),
    "W741": Example("台账里有一列“备用”，对照表里没有写它对应哪个字段。", "", {"header": "备用"}),
    "W742": Example("工作簿里有一张“填表说明”工作表。", "", {"sheet": "填表说明"}),
    "W743": Example(
        "从旧系统导出的 CSV 文件是 GBK 编码（Windows 中文版 Excel 默认这样保存）。", "", {"encoding": "GBK"}
    ),
    "W620": Example("在记录文件夹里建了一个以 .yaml 结尾的文件夹。", "", {"name": "E005.yaml"}),
    "W630": Example("新建仓库时带来的示例记录还没有删掉或改写。", "example: true"),
    "W640": Example(
        "通报正文里粘贴进了一长串 > 符号，或一层套一层缩进的列表。",
        ">>>>>>>>>>>> 继续做好服务。",
        {"what": "引用或列表嵌套了 12 层，超过 8 层"},
        "markdown",
    ),
    # E7xx — rendering the bulletins
    "E701": Example(
        "问题标题里有表情符号，或有用输入法“造字”造出的字，字体里没有它们。",
        "title: 企业门前道路积水😀",
        {"char": "😀", "codepoint": "U+1F600", "fonts": "仿宋", "bulletin": "2021-09-monthly"},
    ),
    "W701": Example(
        "同上，但 config.yaml 里设置了缺字只警告。",
        "missing_glyphs: warning",
        {"char": "😀", "codepoint": "U+1F600", "fonts": "仿宋", "bulletin": "2021-09-monthly"},
    ),
    "E702": Example(
        "config.yaml 里配置的字体文件不存在（文件名写错或没有拷进来）。",
        "fonts:\n  fangsong: fonts/仿宋_GB2312.ttf",
        {"role": "仿宋", "font": "fonts/仿宋_GB2312.ttf"},
    ),
    "E703": Example(
        "生成 PDF 时出错，例如字体文件虽能打开但已损坏。",
        "",
        {
            "bulletin": "2021-09-monthly",
            "template": "自带模板 bulletin/monthly.html.j2",
            "detail": "生成 PDF 的进程意外退出（可能是字体文件损坏或内存不足）",
        },
    ),
    "E711": Example(
        "排版后，署名和成文日期落在新的一页上，这一页没有正文（自动把最后一段移过去也不行时）。",
        "",
        {"bulletin": "2021-11-monthly", "page": "9", "detail": "署名和成文日期所在的页没有正文"},
    ),
    "E712": Example(
        "一张表格跨页时，某一页上只剩表格的一行。",
        "",
        {"bulletin": "2021-12-monthly", "page": "3", "detail": "表格“指标”只有一行在这一页"},
    ),
    "E713": Example(
        "某一页的最后一行是标题或表题，正文或表格在下一页。",
        "",
        {"bulletin": "2021-12-monthly", "page": "4", "detail": "页末是标题“（二）按办理层级”"},
    ),
    "E714": Example(
        "通报中印出了英文的字段名，例如自己写的点评里抄进了记录中的字段名。",
        "sections:\n  点评: 按 joined 日期统计",
        {"bulletin": "2021-09-monthly", "page": "6", "detail": "印出了英文或字段名“joined”"},
    ),
    "E715": Example(
        "天数没有写明是自然日还是工作日。",
        "sections:\n  点评: 该问题已超期12，请抓紧办理。",
        {"bulletin": "2021-09-monthly", "page": "7", "detail": "“超期12”没有写明是天还是个工作日"},
    ),
    "E704": Example(
        "字体一栏写的是文件夹，而不是字体文件。",
        "fonts:\n  kaiti: fonts/",
        {"role": "楷体", "font": "fonts/", "detail": "文件夹"},
    ),
    "E705": Example(
        "字体文件没有读取权限。",
        "fonts:\n  heiti: /opt/fonts/黑体.ttf",
        {"role": "黑体", "font": "/opt/fonts/黑体.ttf", "detail": "没有权限"},
    ),
    "E706": Example(
        "把一个文本文件改名成了 .ttf，或字体文件只复制了一半。",
        "fonts:\n  xiaobiaosong: fonts/小标宋.ttf",
        {"role": "小标宋", "font": "fonts/小标宋.ttf", "detail": "文件不完整（可能没有复制完）"},
    ),
    "W702": Example(
        "配置了一个只有英文字母的字体。",
        "fonts:\n  songti: fonts/Arial.ttf",
        {"role": "宋体", "font": "fonts/Arial.ttf"},
    ),
    # E8xx — what the public site may show
    "E801": Example(
        "走访摘要里写了企业联系人的手机号，公开版构建时发现。",
        "summary: 联系人雷雨（13800001001）反映用电问题。",
        {
            "output": "lists/all/2021-08/visits.html",
            "more": " 等 2 个文件",
            "label": "联系人·电话",
            "what": "138****1001",
        },
    ),
    "W802": Example(
        "公开的问题描述里出现了企业联系人的姓名。",
        "description: 雷雨反映园区需双回路供电。",
        {
            "output": "bulletins/2021-08-monthly.html",
            "more": " ",
            "label": "联系人·姓名",
            "what": "雷雨",
            "words": COMMON_WORDS_NAMED.zh,
        },
    ),
    "E802": Example(
        "同上，但用严格模式构建。",
        "",
        {
            "output": "bulletins/2021-08-monthly.html",
            "more": " ",
            "label": "联系人·姓名",
            "what": "雷雨",
            "words": COMMON_WORDS_NAMED.zh,
        },
    ),
    "W803": Example(
        "公开的通报正文里写了一个手机号。",
        "咨询电话：13800001001。",
        {"label": "通报的“正文”", "what": "13800001001"},
        "markdown",
    ),
    "E804": Example(
        "网站地址没有写 https://。",
        "site_url: example.gov.cn/zhuqi",
        {"label": "网站地址", "value": "example.gov.cn/zhuqi"},
    ),
}
