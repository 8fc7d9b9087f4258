"""Validation problems as data: a stable code, a location and a message in plain Chinese.

Every stage that can find something wrong with the records returns ``Problem`` values
instead of raising; a ``Report`` gathers them and its ``valid`` decides the exit code
(the frictionless-py model).  The catalogue below is the single place where codes,
severities, messages and hints live, in Chinese and English.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from dataclasses import fields as dc_fields
from enum import StrEnum
from operator import attrgetter
from typing import Any

from reportgen.lang import Words as Words  # re-exported: a problem's parameter in two languages


class Severity(StrEnum):
    """How bad a problem is: errors stop a build, warnings only fail under ``--strict``."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Message:
    """One catalogue entry: severity and the message/hint templates in both languages."""

    severity: Severity
    zh: str
    zh_hint: str
    en: str
    en_hint: str


E, W = Severity.ERROR, Severity.WARNING

# fmt: off
CATALOGUE: dict[str, Message] = {
    # E1xx — the file itself
    "E101": Message(E, "YAML 语法错误：{detail}", "检查这一行的缩进、冒号后的空格和引号是否成对；可以把出错行与同类记录的样例对照。",
                       "YAML syntax error: {detail}", "Check indentation, the space after each colon and matching quotes."),
    "E102": Message(E, "键“{key}”重复出现（第一次在第 {first_line} 行）", "同一层里每个键只能写一次；删除或合并重复的那一行。",
                       "duplicate key '{key}' (first at line {first_line})", "Each key may appear once per level; delete or merge the repeat."),
    "E103": Message(E, "文件不是 UTF-8 编码{detail}", "用编辑器“另存为 UTF-8”，或运行：iconv -f GB18030 -t UTF-8 原文件 > 新文件。",
                       "file is not UTF-8{detail}", "Save it as UTF-8, e.g. iconv -f GB18030 -t UTF-8 old > new."),
    "E104": Message(E, "文件是空的（或只有注释）", "按同类记录的样例填写内容，或删除这个文件。",
                       "the file is empty (or only comments)", "Fill it in from an example of the same kind, or delete it."),
    "E105": Message(E, "这里应当是{expected}，实际是{actual}", "对照样例调整结构：键值对写成“键: 值”，列表每项以“- ”开头。",
                       "expected {expected} here, found {actual}", "Compare with an example: mappings are 'key: value', list items start with '- '."),
    "E106": Message(E, "不允许使用 YAML 锚点或别名（&、*）", "把被引用的内容直接写出来；锚点和别名会让记录难以核对，也可能被用来制造超大文件。",
                       "YAML anchors and aliases (&, *) are not allowed", "Write the referenced content out in full."),
    "E107": Message(E, "一个文件里只能有一条记录，这里有多个 YAML 文档（---）", "把每条记录放在单独的文件里。",
                       "one record per file, but this file holds several YAML documents (---)", "Put each record in a file of its own."),
    "E108": Message(E, "文件过大或嵌套过深（{detail}）", "记录文件应当很小；检查是否误把其他文件放进了记录目录。",
                       "file too large or nested too deeply ({detail})", "Record files are small; check that nothing else was put in the records folder."),
    "E109": Message(E, "不能读取文件：{detail}", "检查文件权限；记录目录里不要放指向目录外的链接。",
                       "cannot read the file: {detail}", "Check permissions; do not link to files outside the records folder."),
    "E110": Message(E, "文件名“{name}”不符合要求：{detail}", "记录文件名使用记录编号加 .yaml，例如 E001.yaml。",
                       "file name '{name}' is not allowed: {detail}", "Name record files after their id, e.g. E001.yaml."),
    "E111": Message(E, "通报正文缺少开头的 --- 信息块", "通报正文以 --- 开始、--- 结束的 YAML 信息块开头，下面再写 Markdown 正文。",
                       "bulletin text lacks its --- front matter", "Start the file with a YAML block between --- lines, then the Markdown body."),
    "E112": Message(E, "这一行的冒号是全角冒号“：”，YAML 只认半角冒号“:”", "把“：”换成半角冒号（英文输入法下的冒号），冒号后面空一格，改为：{fixed}",
                       "this line has the full-width colon '：'; YAML needs the ASCII colon ':'", "Type an ASCII colon followed by a space: {fixed}"),
    "E113": Message(E, "冒号后面是全角空格“　”（中文输入法下的空格），YAML 只认半角空格", "把全角空格换成一个半角空格（英文输入法下的空格），改为：{fixed}",
                       "a full-width space (U+3000) follows the colon; YAML needs an ASCII space", "Replace it with one ASCII space: {fixed}"),
    "E114": Message(E, "这一行开头的缩进用了{char}，YAML 只能用半角空格缩进", "去掉行首的{char}，{indent}，与上下文对齐，改为：{fixed}",
                       "this line is indented with a {char_en}; YAML indents with spaces only", "Remove the {char_en}; {indent}: {fixed}"),
    "E115": Message(E, "冒号后面缺少空格，YAML 读不出这是“字段: 值”", "在冒号后面加一个半角空格，改为：{fixed}",
                       "no space after the colon, so YAML does not see 'key: value'", "Put a space after the colon: {fixed}"),
    "E116": Message(E, "{field}写成了 {value}，应写成 {fixed}", "日期一律用半角数字写成 年-月-日，月和日都写两位，例如 2021-09-03。",
                       "'{field}' is written {value}; write it as {fixed}", "Dates are YYYY-MM-DD in ASCII digits, e.g. 2021-09-03."),
    "E117": Message(E, "通报正文的时期“{period}”与文件名“{name}”不一致，{other} 已经是这一期的通报正文", "看起来是复制了那份通报正文后没有改时期：把时期改为 {fixed}（period: \"{fixed}\"），与文件名一致；不要把文件改名，那样会和 {other} 重名。",
                       "this bulletin text's period '{period}' does not match its file name '{name}'; {other} is that period's text", "A copy whose period was not changed: set the period to {fixed}; do not rename the file onto {other}."),
    "E118": Message(E, "找不到办公室配置 {file}：这个目录不像记录目录", "在办公室仓库的记录目录上运行（例如 reportgen check records），或用 reportgen init 新建一个办公室仓库。",
                       "no office config {file}: this does not look like a records folder", "Run it on the office repository's records folder (reportgen check records), or make a new office with reportgen init."),
    # E2xx — fields
    "E201": Message(E, "缺少必填项：{field}", "在这条记录里补上一行“{key}: …”，格式见 docs/records.md。",
                       "required field '{field}' is missing", "Add '{key}: …'; see docs/records.md."),
    "E202": Message(E, "{field}不是可用的字段", "检查“{key}”的拼写{nearest}；这里可用的字段有：{allowed}。",
                       "unknown field '{field}'", "Check the spelling of '{key}'{nearest}; allowed fields: {allowed}."),
    "E203": Message(E, "{field}应当是{expected}，实际写的是 {actual}", "按{expected}的格式改写这个值。",
                       "'{field}' should be {expected}, found {actual}", "Rewrite the value as {expected}."),
    "E204": Message(E, "{field}“{value}”不在可选范围内{nearest}", "只能填写以下之一：{allowed}。",
                       "'{field}' value '{value}' is not one of the allowed values{nearest}", "Use one of: {allowed}."),
    "E205": Message(E, "{field}不是有效日期：{value}", "日期写成 2021-09-30 这样的 年-月-日，并确认这一天真实存在。",
                       "'{field}' is not a valid date: {value}", "Write dates as YYYY-MM-DD and make sure the day exists."),
    "E206": Message(E, "{field}的格式不对：{value}", "{pattern_hint}",
                       "'{field}' has the wrong format: {value}", "{pattern_hint}"),
    "E207": Message(E, "{field}不能为负数或超出范围：{value}", "填写 {minimum} 到 {maximum} 之间的数。",
                       "'{field}' is negative or out of range: {value}", "Use a number from {minimum} to {maximum}."),
    "E208": Message(E, "{field} {value} 会被 YAML 读成{became}，而不是文字", "给这个值加上引号，例如 {key}: \"{value}\"。",
                       "'{field}' value {value} would be read by YAML as {became}, not text", "Quote it, e.g. {key}: \"{value}\"."),
    "E209": Message(E, "{field}不能为空", "填写内容，或者删除这个字段（如果它不是必填的）。",
                       "'{field}' must not be empty", "Fill it in, or remove the field if it is optional."),
    "E210": Message(E, "{field}含有看不见的{detail}", "删掉它，改为：{fixed}。零宽字符、方向控制字符、软连字符和控制字符都看不见，却会让编号、名称与看上去相同的文字不一样，常在从网页、聊天软件或 Word 复制时混入；文字里只允许普通的换行和 Tab。",
                       "'{field}' contains an invisible {detail}", "Delete it: {fixed}. Zero-width, bidi, soft-hyphen and control characters are invisible but make text differ; only newline and tab are allowed."),
    "E211": Message(E, "记录里不能使用 YAML 标签“{tag}”", "删掉“{tag}”，直接写值；要让值按文字读取，请给值加引号，例如 \"…\"。",
                       "YAML tags such as '{tag}' are not allowed in records", "Delete '{tag}' and write the value plainly; quote it to make it text."),
    # E3xx — identity and references
    "E301": Message(E, "编号“{id}”重复，已在 {other} 使用", "每条记录的编号必须唯一：{fix}",
                       "id '{id}' is used twice, also in {other}", "Ids are unique: {fix}"),
    "E302": Message(E, "{field}“{value}”不存在{nearest}", "检查编号是否写对，或先添加这条{target}记录。",
                       "'{field}' refers to {target} '{value}', which does not exist{nearest}", "Check the id, or add that {target} first."),
    "E303": Message(E, "文件名“{name}”与编号“{id}”不一致", "把文件改名为 {id}{suffix}，或改正编号。",
                       "file name '{name}' does not match id '{id}'", "Rename the file to {id}{suffix} or fix the id."),
    "E304": Message(E, "{field}“{value}”的角色是“{role}”，这里需要“{expected}”", "换成角色相符的人员，或改正该人员的角色。",
                       "'{field}' refers to staff '{value}' whose role is '{role}', expected '{expected}'", "Pick a person with that role."),
    "E306": Message(E, "这个文件的编号“{id}”已被 {other} 使用（文件名是“{name}”）", "看起来是复制了那条记录后没有改编号：把编号改为 {free}，文件名改为 {free}{suffix}；不要把文件改名为 {id}{suffix}，那样会和原记录重复。",
                       "this file's id '{id}' is already used by {other} (the file is named '{name}')", "A copy whose id was not changed: set the id to {free} and name the file {free}{suffix}."),
    "E305": Message(E, "{kind}记录放错了目录（应在 {folder}/ 下）", "把文件移到 {folder}/ 目录。",
                       "{kind} record is in the wrong folder (belongs under {folder}/)", "Move it to {folder}/."),
    # E4xx — dates and lifecycle
    "E401": Message(E, "日期顺序不对：{later_label}（{later}）早于{earlier_label}（{earlier}）", "{later_label}不能早于{earlier_label}；核对两个日期。",
                       "dates out of order: {later_label} ({later}) is before {earlier_label} ({earlier})", "Check both dates."),
    "E402": Message(E, "办理记录没有按时间先后排列：{date} 早于上一条的 {previous}", "按日期从早到晚排列 history 中的各条记录。",
                       "history is not in date order: {date} is before the previous entry's {previous}", "Order the history by date."),
    "E403": Message(E, "状态不能从“{before}”直接变为“{after}”", "允许的下一步：{allowed}。如确有跳过的环节，请补上相应的办理记录。",
                       "status cannot go from '{before}' to '{after}'", "Allowed next: {allowed}."),
    "E404": Message(E, "企业评价日期 {date} 早于问题解决日期（{resolved}）或问题尚未解决", "评价只能在问题“已解决”之后；核对评价日期或补上解决记录。",
                       "rating dated {date} before the issue was resolved ({resolved})", "Rate only after resolution."),
    "E405": Message(E, "{field} {value} 早于活动开始日期 {start}", "核对年份是否写错。",
                       "'{field}' date {value} is before the campaign start {start}", "Check the year."),
    "E406": Message(E, "办理记录的第一条应当是“问题收集”，日期与提出日期 {raised} 相同", "在 history 开头加上：- {{date: {raised}, status: 问题收集}}。",
                       "history must start with '问题收集' on the raised date {raised}", "Add the collection entry first."),
    "E407": Message(E, "{what}的日期 {value} 早于{anchor}（{anchor_date}）", "核对日期：记录发生前它引用的对象必须已经存在。",
                       "{what} dated {value} is before {anchor} ({anchor_date})", "Check the dates."),
    "E408": Message(E, "日期 {value} 超出工作日历覆盖的年份（{years}）", "在 calendar/ 目录中补充该年份的节假日和调休安排。",
                       "date {value} is outside the working-day calendar's years ({years})", "Add that year's holidays to calendar/."),
    "E409": Message(E, "{what}的日期 {value} 晚于企业“{enterprise}”的出库日期（{left}）", "企业出库以后不应再有{what}记录：核对日期是否写错；如果企业又回到服务库，请修改企业记录中的出库日期。",
                       "{what} dated {value} is after enterprise '{enterprise}' left the library ({left})", "Check the date, or change the enterprise's leaving date."),
    "E410": Message(E, "{what} {value} 不在本日历的年份 {year} 年内", "每个年份的节假日和调休单独写在 calendar/年份.yaml 中：把这一天移到 {value_year}.yaml，或改正年份。",
                       "{what} {value} is not in this calendar's year {year}", "Each year's days go in calendar/<year>.yaml: move it to {value_year}.yaml or fix the year."),
    # E5xx — checkable identifiers
    "E501": Message(E, "统一社会信用代码“{value}”格式不对：{detail}", "应为 18 位，由数字和大写字母组成（不含 I、O、S、V、Z）；请对照营业执照。",
                       "USCC '{value}' is malformed: {detail}", "18 characters of 0-9 and A-Y without I, O, S, V, Z."),
    "E502": Message(E, "统一社会信用代码“{value}”校验位不对（应为 {expected}）", "对照营业执照逐位核对，常见错误是把 0 与 O、1 与 I 弄混。",
                       "USCC '{value}' has a wrong check character (expected {expected})", "Compare it with the licence character by character."),
    "E503": Message(E, "电话号码“{value}”无效：{detail}", "手机号为 1 开头的 11 位数字；固定电话写成 0394-1234567。",
                       "phone number '{value}' is invalid: {detail}", "Mobiles: 11 digits from 1; landlines: 0394-1234567."),
    "E511": Message(E, "通报印发时数字的记录文件不能使用：{detail}", "这个文件由 reportgen build 在通报印发后自动生成，不要手工修改。请从 git 历史中找回它原来的内容；只有确认印发以后数据没有改动过，才可以删除它再重新构建（会按现在的数据重新记录）。",
                       "the frozen figures file of an issued bulletin cannot be used: {detail}", "reportgen build writes this file when a bulletin is issued; do not edit it. Restore it from git; delete it and rebuild only if the data has not changed since the issue."),
    "E531": Message(E, "文号{number}已被通报 {other} 使用", "同一年内一个文号只能用一次：核对两份通报的文号，把后印发的一份改为下一个空闲的文号{free}。",
                       "document number {number} is already used by bulletin {other}", "A number is used once a year: give the later one the next free number {free}."),
    # W6xx — warnings
    "W601": Message(W, "企业“{value}”没有分配“1+3”服务队伍", "在企业记录里填写 team。",
                       "enterprise '{value}' has no service team", "Set its team."),
    "W603": Message(W, "{label}中出现了不公开的个人信息（{what}，见 {source}）", "公开发布的内容不能包含联系人的电话、姓名等个人信息；请删去。如果只是字词相同、说的不是这个人，把这个词写进{words}，就不再提醒。",
                       "{label} (public) contains private data ({what}, see {source})", "Remove personal contact data from public text; if it is only the same word, list it in {words} and it is no longer warned of."),
    "W604": Message(W, "这个文件不是记录，已跳过：{detail}", "记录文件以 .yaml 结尾，通报正文以 .md 结尾。",
                       "not a record file, skipped: {detail}", "Records end in .yaml, bulletin texts in .md."),
    "W608": Message(W, "“{name}”不在任何一类记录的文件夹里，其中的记录没有读取", "每类记录放在自己的文件夹里：{folders}。{nearest}",
                       "'{name}' is in no record kind's folder: the records in it are not read", "Each kind of record has its folder: {folders}. {nearest}"),
    "W605": Message(W, "通报正文的章节“{section}”不认识，不会出现在通报中", "可用的章节标题：{allowed}。",
                       "unknown bulletin section '{section}' will not appear", "Known sections: {allowed}."),
    "W606": Message(W, "已印发的通报 {bulletin}（{number}）的数字会因这次修改而改变：{changes}", "已印发的公文不应悄悄改变；如确需更正，请另发更正通报，或撤回这次修改。用 reportgen diff 查看全部差异。",
                       "issued bulletin {bulletin} ({number}) would change: {changes}", "Issue a correction, or undo the change; see reportgen diff."),
    "W607": Message(W, "通报 {bulletin} 已印发，但还没有记录印发时的数字", "运行 reportgen freeze（或 reportgen build），它会生成 records/frozen/{bulletin}.json；请把这个文件提交到仓库。用 reportgen init 生成的 CI 会在合并请求中自动做这一步。",
                       "bulletin {bulletin} was issued but its figures were not frozen", "Run reportgen freeze (or build) and commit the records/frozen/{bulletin}.json it writes; the CI reportgen init writes does it on pull requests."),
    "W661": Message(W, "文号不连续：{previous}之后是{number}，中间的{missing}没有对应的通报", "如果中间的文号已用于本办的其他公文，可以忽略这条提醒；否则核对文号是否写错。",
                       "document numbers skip: {number} follows {previous}; no bulletin has {missing}", "Ignore this if the numbers went to other documents of the office; otherwise check the number."),
    "W662": Message(W, "这份通报于{issued}印发，文号应从{year}年的1号编起，{number}接续的是上一年的文号（上一年最后是{last}）", "每年的文号从1号重新编起：核对文号；如果是印发日期写错了年份，改正印发日期。",
                       "issued on {issued}, its number {number} carries on last year's series (which ended at {last}) instead of {year}'s", "Numbers restart at 1 each year: check the number, or the year of the issue date."),
    "W663": Message(W, "文号{number}于{issued}印发，比文号更小的{other_number}（通报 {other}，{other_issued}印发）还早", "文号按印发的先后编排：核对这两份通报的文号和印发日期。",
                       "{number} was issued on {issued}, before the lower {other_number} (bulletin {other}, issued {other_issued})", "Numbers follow the order of issue: check both numbers and dates."),
    "W640": Message(W, "这段通报文字的格式超出限度（{what}），生成的通报和网站会按原样显示这一段，不加排版", "检查是否误粘贴了大量的 > [ * < 等符号或过深的缩进；正常写法的段落、列表和引用不受影响。",
                       "this bulletin text goes past the formatting limits ({what}); it will be shown as written, without formatting", "Check for pasted runs of > [ * < or deep indentation; ordinary paragraphs, lists and quotes are not affected."),
    "W630": Message(W, "示例记录，正式发布前请删除或改写", "这是新建仓库时写入的示例，可以照着它填写真实记录；之后删除这个文件，或把它改写成真实记录并删去标着“示例记录”的那一行。",
                       "example record: delete or rewrite it before publishing", "reportgen init wrote it as an example; delete the file, or rewrite it as a real record and remove the line example: true."),
    "W620": Message(W, "“{name}”是一个文件夹，不是记录文件", "记录文件不能是文件夹：如果这里本应是一条记录，请删除这个文件夹，再按样例新建同名文件。",
                       "'{name}' is a folder, not a record file", "If it should be a record, delete the folder and create the file."),
    # E55x/W74x — importing a workbook or an office's ledger (reportgen import): located at the sheet's cell
    "E551": Message(E, "工作表“{sheet}”的前 10 行里找不到表头", "表头一行要有填报模板中的列名（如“企业名称”“提出日期”）；本单位自己的台账，请在对照表 import-map.yaml 中写明各列对应的字段。",
                       "no header row in the first 10 rows of sheet '{sheet}'", "The header needs the workbook's column names, or list the ledger's headers in import-map.yaml."),
    "E552": Message(E, "办理进展“{text}”没有写明日期", "每段进展以日期开头，如“9月5日已交办区供电公司”，各段之间用分号隔开；不写年份时按提出日期所在的年份。",
                       "progress note '{text}' has no date", "Start each part with its date, e.g. 9月5日…, parts separated by semicolons."),
    "E553": Message(E, "这一行与第 {row} 行是同一条记录（{id}）", "同一条记录只写一行：删去重复的一行，或把两行合并成一行。",
                       "this line is the same record as line {row} ({id})", "Write each record on one line: delete or merge the repeat."),
    "E554": Message(E, "这条办理记录所属的问题“{issue}”不存在", "“问题编号”填写“问题”工作表中或记录里已有的问题编号，如 Q0001。",
                       "the issue '{issue}' this history line belongs to does not exist", "Give the id of an issue on the issue sheet or in the records."),
    "W741": Message(W, "不认识表头“{header}”，这一列没有导入", "这一列需要导入时，在对照表 import-map.yaml 的 columns 中写明它对应的字段；不需要时可以忽略这条提醒。",
                       "unknown header '{header}': the column was not imported", "Map it to a field under columns: in import-map.yaml, or ignore this."),
    "W742": Message(W, "工作表“{sheet}”不是可以导入的记录，已跳过", "能直接导入的工作表是填报模板中的那几张；本单位台账的工作表，请在对照表 import-map.yaml 的 sheets 中写明它是哪类记录。",
                       "sheet '{sheet}' holds no records that can be imported; skipped", "Name the sheet's record kind under sheets: in import-map.yaml."),
    "W743": Message(W, "CSV 文件是 {encoding} 编码，已按 {encoding} 读取并转换", "内容已经正确读取，可以忽略；以后可在表格软件中另存为“CSV UTF-8”。",
                       "the CSV file is {encoding}-encoded; it was read as {encoding} and converted", "Nothing is lost; save as CSV UTF-8 next time."),
    # E7xx — rendering the bulletins
    "E701": Message(E, "字符“{char}”（{codepoint}）在{fonts}字体中都没有字形，印出来会是空框（通报 {bulletin}）", "改用常见的同义字或标准写法；确需使用的生僻字，请在 config.yaml 的 fonts 中配置包含该字的字体文件。",
                       "character '{char}' ({codepoint}) has no glyph in the {fonts} fonts and would print as a box (bulletin {bulletin})", "Use a common equivalent, or configure a font that has it under fonts: in config.yaml."),
    "W701": Message(W, "字符“{char}”（{codepoint}）在{fonts}字体中都没有字形，印出来会是空框（通报 {bulletin}）", "改用常见的同义字或标准写法；或在 config.yaml 的 fonts 中配置包含该字的字体文件。",
                       "character '{char}' ({codepoint}) has no glyph in the {fonts} fonts and would print as a box (bulletin {bulletin})", "Use a common equivalent, or configure a font that has it."),
    "E702": Message(E, "找不到{role}字体文件“{font}”", "核对文件名和所在文件夹是否写对（相对路径从 records 文件夹算起），或把字体文件放到这个位置；不用本单位的正式字体时，删去这一行，就会使用免费替代字体。",
                       "{role} font file '{font}' not found", "Check the path (relative to the records folder) or put the file there; delete the line to use the free stand-in."),
    "E703": Message(E, "生成 PDF 失败（通报 {bulletin}，模板 {template}）：{detail}", "原有的输出没有改动。先用 reportgen build --no-pdf 生成 HTML 查看；如果问题一直存在，请把这条信息发给维护人员。",
                       "PDF rendering failed (bulletin {bulletin}, template {template}): {detail}", "The previous output is untouched. Build with --no-pdf to inspect the HTML; report the message if it persists."),
    "E711": Message(E, "通报 {bulletin} 第{page}页：{detail}，不能盖章印发（署名和成文日期要与正文同页）", "在正文末尾增写或删减一两句，使最后几行正文与署名同页；原有的输出没有改动。",
                       "bulletin {bulletin}, page {page}: {detail}; the signature must share a page with body text", "Lengthen or shorten the last paragraph by a sentence so that body lines stay with the signature."),
    "E712": Message(E, "通报 {bulletin} 第{page}页：{detail}（表格跨页时每页至少两行）", "请把这个问题报告给维护人员；可先在通报文字中增删一段，使表格换页的位置改变。",
                       "bulletin {bulletin}, page {page}: {detail} (a table split across pages keeps at least two rows on each)", "Report it; adding or removing a paragraph before the table moves the break."),
    "E713": Message(E, "通报 {bulletin} 第{page}页：{detail}，标题与下文不在同一页", "请把这个问题报告给维护人员；可先在通报文字中增删一段，使换页的位置改变。",
                       "bulletin {bulletin}, page {page}: {detail}, a heading at the foot of a page", "Report it; adding or removing a paragraph moves the page break."),
    "E714": Message(E, "通报 {bulletin} 第{page}页：{detail}，印发的通报只用中文", "把这个词改写成中文；如果它来自通报文字或记录中的名称，请在那里修改。",
                       "bulletin {bulletin}, page {page}: {detail}; a printed notice uses Chinese only", "Write the word in Chinese where it comes from (the bulletin text or a record's name)."),
    "E715": Message(E, "通报 {bulletin} 第{page}页：{detail}", "天数都要写明单位：自然日写“天”，工作日写“个工作日”；如果这段文字是通报正文中自己写的，请补上单位。",
                       "bulletin {bulletin}, page {page}: {detail}", "Every day count says 天 (calendar days) or 个工作日 (working days); add the unit in the bulletin text."),
    "E704": Message(E, "{role}字体“{font}”是一个{detail}，不是字体文件", "这里要写字体文件本身的路径（以 .ttf、.otf 或 .ttc 结尾），不是文件夹。",
                       "{role} font '{font}' is a {detail}, not a font file", "Give the path of the font file itself (.ttf, .otf or .ttc), not a folder."),
    "E705": Message(E, "不能读取{role}字体文件“{font}”：{detail}", "让运行检查的账户可以读取这个文件（检查文件权限），或者重新复制一份字体文件。",
                       "cannot read the {role} font file '{font}': {detail}", "Make the file readable (check its permissions) or copy it again."),
    "E706": Message(E, "{role}字体文件“{font}”不能使用：{detail}", "从字体的原始安装包重新复制这个文件；只改扩展名的文件不是字体。",
                       "{role} font file '{font}' cannot be used: {detail}", "Copy the file again from the font's original package; renaming a file does not make it a font."),
    "W702": Message(W, "{role}字体文件“{font}”里没有汉字，通报中的汉字会改用免费替代字体", "换用中文字体文件；如果只是配错了文件，改成正确的路径。",
                       "{role} font file '{font}' has no Chinese characters; the free stand-in will draw them", "Use a Chinese font file, or fix the path."),
    # E8xx/W8xx — what the public build publishes, and what may run or link from it
    "E801": Message(E, "公开版的 {output}{more}中出现了不公开的{label}（{what}），构建已停止", "这条记录的{label}是个人信息，却被写进了公开的内容（常见于走访摘要、问题描述或通报正文）。运行 reportgen check 找到写进去的位置，删去后重新构建；原有的网站没有改动。",
                       "the public {output}{more} contains the private {label} ({what}); the build stopped", "The value was copied into public text; run reportgen check to find where, remove it and rebuild."),
    "W802": Message(W, "公开版的 {output}{more}中出现了不公开的{label}“{what}”", "如果指的就是这个人，请在公开的内容中删去（运行 reportgen check 可找到位置）；如果只是字词相同，把这个词写进{words}，就不再提醒。",
                       "the public {output}{more} contains the private {label} '{what}'", "Remove it from public text if it means this person; if it is only the same word, list it in {words} and it is no longer warned of."),
    "E802": Message(E, "公开版的 {output}{more}中出现了不公开的{label}“{what}”（严格模式下不发布）", "如果指的就是这个人，请在公开的内容中删去（运行 reportgen check 可找到位置）；如果只是字词相同，把这个词写进{words}，严格模式下也可以发布。",
                       "the public {output}{more} contains the private {label} '{what}' (not published in strict mode)", "Remove it from public text if it means this person; if it is only the same word, list it in {words} and strict mode publishes."),
    "W803": Message(W, "{label}中有电话号码（{what}），会公开发布", "公开发布的内容不能有个人电话号码，请删去；如果是单位对外公布的办公电话，可以忽略这条提醒。",
                       "{label} (public) contains phone numbers ({what})", "Public text must not hold personal phone numbers; ignore this for an office's published number."),
    "E804": Message(E, "{label}只能是以 http:// 或 https:// 开头的网址，这里写的是“{value}”", "写成 https://example.gov.cn/zhuqi/ 这样的完整网址；不需要时删去这一行。",
                       "{label} must be an http:// or https:// address, found '{value}'", "Write a full address such as https://example.gov.cn/zhuqi/, or delete the line."),
}
# fmt: on


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the records, located as precisely as we can."""

    file: str
    line: int
    column: int
    code: str
    params: Mapping[str, Any] = dc_field(default_factory=dict, compare=False)
    record: str | None = dc_field(default=None, compare=False)
    field: str | None = None

    @property
    def severity(self) -> Severity:
        """Severity from the catalogue."""
        return CATALOGUE[self.code].severity

    def message(self, lang: str = "zh") -> str:
        """The message in ``lang`` with its parameters filled in."""
        entry = CATALOGUE[self.code]
        template = entry.en if lang == "en" else entry.zh
        return _fill(template, self.params, lang)

    def hint(self, lang: str = "zh") -> str:
        """How to fix it, in ``lang``."""
        entry = CATALOGUE[self.code]
        template = entry.en_hint if lang == "en" else entry.zh_hint
        return _fill(template, self.params, lang)

    def as_dict(self, lang: str = "zh") -> dict[str, Any]:
        """The JSON shape: the keys other tools rely on, plus the hint."""
        return {
            "code": self.code,
            "severity": str(self.severity),
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "record": self.record,
            "field": self.field,
            "message": self.message(lang),
            "hint": self.hint(lang),
        }


class _Lenient(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(template: str, params: Mapping[str, Any], lang: str) -> str:
    said = {key: value.said(lang) if isinstance(value, Words) else value for key, value in params.items()}
    return template.format_map(_Lenient(said))


@dataclass
class Report:
    """All problems found; ``valid`` is what sets the exit code."""

    problems: list[Problem] = dc_field(default_factory=list)
    files_checked: int = 0
    records_checked: int = 0

    def extend(self, problems: Iterable[Problem]) -> None:
        """Add problems."""
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        """Problems of error severity."""
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        """Problems of warning severity."""
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def is_valid(self, strict: bool = False) -> bool:
        """True when nothing blocks: no errors (and, under ``strict``, no warnings)."""
        return not (self.errors or (strict and self.warnings))

    @property
    def valid(self) -> bool:
        """True when there is no error."""
        return self.is_valid()

    def sorted(self) -> list[Problem]:
        """Problems in file, line, column order, duplicates removed."""
        # the order ``Problem``'s own comparison gives, by a key made in C: its generated ``__lt__``, called
        # ~50,000 times for a build's 4,460 warnings at 100,000 issues, took ~0.06 CPU s
        return sorted(set(self.problems), key=_ORDER)


_ORDER = attrgetter(*(f.name for f in dc_fields(Problem) if f.compare))  # the fields ``Problem`` is ordered by
