"""Every record kind of the campaign office, declared once.

Layout (one record per file, so two people editing different records never conflict):

    records/config.yaml                    办公室配置
    records/calendar/2021.yaml             一年的节假日和调休上班日
    records/departments/D01.yaml           责任单位
    records/staff/S001.yaml                助企人员库
    records/teams/T01.yaml                 “1+3”工作队伍
    records/enterprises/E001.yaml          助企企业库
    records/visits/2021-09/V0001.yaml      走访（按月份分目录）
    records/issues/2021-09/Q0001.yaml      问题清单库（按提出月份分目录）
    records/rectifications/R0001.yaml      整改落实清单
    records/legal/2021-09/L0001.yaml       法治服务
    records/bulletins/2021-09-monthly.md   通报正文（Markdown，开头为信息块）
"""

from __future__ import annotations

from reportgen.schema.types import Field, Kind, Type

CATEGORIES = (
    "水电",
    "用地",
    "融资",
    "用工",
    "审批",
    "环保",
    "法律",
    "基础设施",
    "政策兑现",
    "其他",
)
LEVELS = ("区级", "市级", "省级")
STATUSES = ("问题收集", "分办交办", "办理中", "已解决", "销号", "长期推进", "已答复")
RATINGS = ("满意", "基本满意", "不满意")
VISIT_KINDS = ("走访", "座谈", "送法进企业", "调研")
SOURCES = ("走访", "座谈", "企业服务卡", "电话", "网络平台", "其他")
SCALES = ("大型", "中型", "小型", "微型")
ROLES = ("处级领导", "首席服务官", "驻企法官", "驻企检察官", "联络员", "办公室")
DEPARTMENT_TYPES = ("行政部门", "公用事业", "司法机关", "乡镇街道", "园区", "其他")
# the bulletin texts' kinds and their names (月通报、季点评、年考核: the “1+3” 考评机制)
BULLETIN_KIND_NAMES = {"monthly": "月通报", "quarterly": "季点评", "annual": "年度考核"}
BULLETIN_KINDS = tuple(BULLETIN_KIND_NAMES)
# the annual assessment's grades when the config gives none: the lowest score each needs
DEFAULT_GRADES = (
    {"name": "优秀", "min": 90},
    {"name": "良好", "min": 80},
    {"name": "一般", "min": 60},
    {"name": "较差", "min": 0},
)

# The lifecycle: which status may follow which.  A status may repeat (a progress note).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "问题收集": ("分办交办", "已答复"),
    "分办交办": ("办理中", "已解决", "长期推进", "已答复"),
    "办理中": ("办理中", "已解决", "长期推进", "已答复"),
    "已解决": ("销号", "办理中"),
    "长期推进": ("长期推进", "办理中", "已解决", "已答复"),
    "已答复": ("销号", "办理中"),
    "销号": (),
}
# The status vocabulary the statistics stand on (see compute/metrics.py).  An issue's
# outcome is its last ending before closure: 销号 confirms an ending, it never changes it.
FIRST_STATUS = STATUSES[0]
OPEN_STATUSES = STATUSES[:3]
RESOLVED, CLOSED, LONG_TERM, ANSWERED = STATUSES[3:]
OUTCOMES = (RESOLVED, LONG_TERM, ANSWERED)
RESOLVED_STATUSES = frozenset({RESOLVED, CLOSED})  # resolved or closed at some point: a rating may follow
FINAL_STATUSES = frozenset(STATUSES[3:])  # the ending statuses, closure included

# 法治服务 kinds: the Chinese word in the records → the key in statistics.
LEGAL_KINDS: dict[str, str] = {
    "办理涉民营经济案件": "cases_handled",
    "检察建议": "procuratorial_suggestions",
    "诉前检察建议": "pre_litigation_suggestions",
    "司法建议": "judicial_suggestions",
    "诉讼案件线索": "litigation_clues",
    "立案": "cases_filed",
    "法治讲座": "lectures",
    "合同审查": "contracts_reviewed",
    "诉前化解纠纷": "disputes_resolved",
    "追回款项": "money_recovered",
}
MONEY_LEGAL_KIND = "追回款项"

BULLETIN_SECTIONS = ("工作亮点", "典型案例", "点评", "下步工作")


def _id(prefix: str, example: str, label: str) -> Field:
    return Field(
        "id",
        Type.ID,
        "编号",
        f"{label}的编号，以 {prefix} 开头，与文件名相同。",
        example,
        required=True,
    )


def _ref(name: str, ref: str, label: str, description: str, example: str, **kw: object) -> Field:
    return Field(name, Type.REF, label, description, example, ref=ref, **kw)  # type: ignore[arg-type]


def _refs(name: str, ref: str, label: str, description: str, example: list[str], **kw: object) -> Field:
    item = Field(name, Type.REF, label, description, example[0], ref=ref)
    return Field(name, Type.LIST, label, description, example, items=item, **kw)  # type: ignore[arg-type]


def _notes(private: bool = False) -> Field:
    if private:
        return Field(
            "internal_notes",
            Type.MARKDOWN,
            "内部备注",
            "仅内部可见的备注，公开发布时删去。",
            "企业负责人希望不公开融资细节。",
            private=True,
        )
    return Field("notes", Type.MARKDOWN, "备注", "其他需要说明的情况。", "列入省重点项目。")


# ``reportgen init``'s example records carry it: check warns (W630) until each is deleted or rewritten
EXAMPLE_FLAG = Field(
    "example",
    Type.BOOL,
    "示例记录",
    "新建仓库时写入的示例记录标为 true；正式发布前请删除这条记录，或改写成真实记录并删去这一行。",
)

CONTACT = Field(
    "contact",
    Type.MAPPING,
    "联系人",
    "企业的联系人（个人信息，公开发布时删去）。",
    {"name": "雷雨", "phone": "13800000001"},
    private=True,
    fields=(
        Field("name", Type.TEXT, "姓名", "联系人姓名。", "雷雨", required=True, private=True),
        Field("phone", Type.PHONE, "电话", "联系人电话。", "13800000001", required=True, private=True),
        Field("title", Type.TEXT, "职务", "联系人职务（职务本身不是个人信息，可以公开）。", "项目负责人"),
    ),
)

ENTERPRISE = Kind(
    "enterprise",
    "企业",
    "助企企业库",
    "enterprises",
    r"^E[0-9]{3,8}$",
    "E001",
    "纳入服务库的企业，每家一个文件。",
    (
        _id("E", "E001", "企业"),
        Field(
            "name",
            Type.TEXT,
            "企业名称",
            "营业执照上的全称。",
            "富士康(周口)科技工业园",
            required=True,
        ),
        Field(
            "uscc",
            Type.USCC,
            "统一社会信用代码",
            "18 位统一社会信用代码，校验位会被检查。",
            "91110000600037341L",
            required=True,
        ),
        Field("industry", Type.TEXT, "行业", "所属行业。", "电子信息", required=True),
        Field("park", Type.TEXT, "所在园区或位置", "园区、街道或地址。", "周口高新区", required=True),
        Field(
            "scale",
            Type.ENUM,
            "企业规模",
            "按统计口径划分的规模。",
            "大型",
            required=True,
            choices=SCALES,
        ),
        Field("key_project", Type.BOOL, "重点项目", "是否列入重点项目。", True, default=False),
        Field("investment_yuan", Type.MONEY, "总投资（元）", "项目总投资，单位元。", 3000000000),
        Field("employees", Type.INT, "用工人数", "目前用工人数。", 2000, minimum=0, maximum=10_000_000),
        CONTACT,
        _ref("team", "team", "服务队伍", "负责这家企业的“1+3”工作队伍。", "T01"),
        Field("joined", Type.DATE, "入库日期", "纳入服务库的日期。", "2021-08-02", required=True),
        Field("left", Type.DATE, "出库日期", "移出服务库的日期（如有）。", "2021-11-30"),
        _notes(),
        EXAMPLE_FLAG,
    ),
    label_en="enterprise",
)

STAFF = Kind(
    "staff",
    "人员",
    "助企人员库",
    "staff",
    r"^S[0-9]{3,8}$",
    "S001",
    "参与助企服务的干部，每人一个文件。",
    (
        _id("S", "S001", "人员"),
        Field("name", Type.TEXT, "姓名", "干部姓名。", "陈学磊", required=True),
        Field(
            "role",
            Type.ENUM,
            "角色",
            "在“1+3”机制中的角色。",
            "首席服务官",
            required=True,
            choices=ROLES,
        ),
        Field(
            "unit",
            Type.TEXT,
            "工作单位",
            "所在单位及职务。",
            "川汇区发展和改革委员会",
            required=True,
        ),
        _ref(
            "department",
            "department",
            "所属责任单位",
            "若本人属于某个责任单位，填写其编号。",
            "D07",
        ),
        Field(
            "phone",
            Type.PHONE,
            "电话",
            "工作电话（个人信息，公开发布时删去）。",
            "13800000002",
            private=True,
        ),
        _notes(),
        EXAMPLE_FLAG,
    ),
    label_en="staff member",
)

TEAM = Kind(
    "team",
    "服务队伍",
    "“1+3”工作队伍",
    "teams",
    r"^T[0-9]{2,6}$",
    "T01",
    "一名处级领导带队，首席服务官、驻企法官、驻企检察官组成的服务队伍。负责的企业在企业记录的 team 字段中填写。",
    (
        _id("T", "T01", "队伍"),
        Field("name", Type.TEXT, "队伍名称", "队伍的称呼。", "第一服务队", required=True),
        _ref(
            "leader",
            "staff",
            "带队处级领导",
            "带队的处级领导。",
            "S001",
            required=True,
            role="处级领导",
        ),
        _ref(
            "chief_officer",
            "staff",
            "首席服务官",
            "首席服务官。",
            "S002",
            required=True,
            role="首席服务官",
        ),
        _ref("judge", "staff", "驻企法官", "驻企法官。", "S003", required=True, role="驻企法官"),
        _ref(
            "procurator",
            "staff",
            "驻企检察官",
            "驻企检察官。",
            "S004",
            required=True,
            role="驻企检察官",
        ),
        Field("formed", Type.DATE, "组建日期", "队伍组建日期。", "2021-08-01"),
        _notes(),
        EXAMPLE_FLAG,
    ),
    label_en="service team",
)

DEPARTMENT = Kind(
    "department",
    "责任单位",
    "责任单位",
    "departments",
    r"^D[0-9]{2,6}$",
    "D01",
    "问题交办的责任单位。",
    (
        _id("D", "D01", "单位"),
        Field("name", Type.TEXT, "单位名称", "单位全称。", "国网周口市川汇区供电公司", required=True),
        Field("short_name", Type.TEXT, "简称", "通报中使用的简称。", "区供电公司"),
        Field(
            "type",
            Type.ENUM,
            "单位类型",
            "单位性质。",
            "公用事业",
            required=True,
            choices=DEPARTMENT_TYPES,
        ),
        Field("ranked", Type.BOOL, "参加排名", "是否参加红黑榜排名。", True, default=True),
        _notes(),
        EXAMPLE_FLAG,
    ),
    label_en="department",
)

VISIT = Kind(
    "visit",
    "走访",
    "走访记录",
    "visits",
    r"^V[0-9]{3,8}$",
    "V0001",
    "一次走访、座谈、送法进企业或调研。",
    (
        _id("V", "V0001", "走访"),
        Field("date", Type.DATE, "日期", "走访日期。", "2021-08-05", required=True),
        _ref("enterprise", "enterprise", "企业", "走访的企业。", "E001", required=True),
        _refs(
            "staff",
            "staff",
            "参加人员",
            "参加走访的干部。",
            ["S002", "S003"],
            required=True,
            min_items=1,
        ),
        Field("kind", Type.ENUM, "形式", "走访的形式。", "走访", required=True, choices=VISIT_KINDS),
        Field(
            "summary",
            Type.MARKDOWN,
            "情况摘要",
            "了解到的情况。",
            "了解企业用电需求。",
            required=True,
        ),
        _notes(private=True),
        EXAMPLE_FLAG,
    ),
    label_en="visit",
)

HISTORY_ENTRY = Field(
    "history",
    Type.MAPPING,
    "办理记录",
    "一次状态变化或进展。",
    None,
    fields=(
        Field("date", Type.DATE, "日期", "这一步发生的日期。", "2021-08-06", required=True),
        Field(
            "status",
            Type.ENUM,
            "状态",
            "这一步之后的状态。",
            "分办交办",
            required=True,
            choices=STATUSES,
        ),
        Field("level", Type.ENUM, "上报层级", "逐级上报时填写上报到的层级。", "市级", choices=LEVELS),
        Field("note", Type.MARKDOWN, "说明", "这一步做了什么。", "交区供电公司办理。"),
    ),
)

RATING = Field(
    "rating",
    Type.MAPPING,
    "企业评价",
    "问题解决后企业的评价。",
    {"date": "2021-08-25", "result": "满意"},
    fields=(
        Field(
            "date",
            Type.DATE,
            "评价日期",
            "企业评价的日期，不早于解决日期。",
            "2021-08-25",
            required=True,
        ),
        Field("result", Type.ENUM, "评价", "企业的评价。", "满意", required=True, choices=RATINGS),
        Field("comment", Type.MARKDOWN, "评价意见", "企业的原话或意见。", "非常满意。"),
    ),
)

ISSUE = Kind(
    "issue",
    "问题",
    "问题清单库",
    "issues",
    r"^Q[0-9]{3,8}$",
    "Q0001",
    "企业反映的一个问题，及其交办、办理、销号的全过程。",
    (
        _id("Q", "Q0001", "问题"),
        _ref("enterprise", "enterprise", "企业", "反映问题的企业。", "E001", required=True),
        Field("raised", Type.DATE, "提出日期", "问题收集的日期。", "2021-08-05", required=True),
        Field(
            "source",
            Type.ENUM,
            "发现途径",
            "问题是怎样发现的。",
            "走访",
            required=True,
            choices=SOURCES,
        ),
        _ref("visit", "visit", "走访记录", "在哪次走访中发现（如有）。", "V0001"),
        Field(
            "category",
            Type.ENUM,
            "问题类别",
            "问题所属类别。",
            "水电",
            required=True,
            choices=CATEGORIES,
        ),
        Field(
            "title",
            Type.TEXT,
            "问题标题",
            "一句话概括问题。",
            "需增加第二路供电线路",
            required=True,
            max_length=200,
        ),
        Field(
            "description",
            Type.MARKDOWN,
            "问题描述",
            "问题的具体情况。",
            "园区用电负荷大，需双回路供电。",
            required=True,
        ),
        Field(
            "level",
            Type.ENUM,
            "层级",
            "问题最初的办理层级；逐级上报在办理记录中填写。",
            "区级",
            choices=LEVELS,
            default="区级",
        ),
        _ref(
            "lead_department",
            "department",
            "牵头单位",
            "牵头办理的责任单位。",
            "D01",
            required=True,
        ),
        _refs("co_departments", "department", "配合单位", "配合办理的单位。", ["D02"]),
        _ref("responsible", "staff", "责任人", "具体负责的干部。", "S002"),
        Field(
            "deadline",
            Type.DATE,
            "办结期限",
            "应当办结的日期；不填时按配置的办理时限计算。",
            "2021-08-20",
        ),
        Field(
            "time_limit_days",
            Type.INT,
            "办理时限（天）",
            "从提出日起的时限；按配置为自然日或工作日。",
            15,
            minimum=1,
            maximum=3650,
        ),
        Field(
            "history",
            Type.LIST,
            "办理记录",
            "按日期排列的状态变化，第一条为“问题收集”。",
            [{"date": "2021-08-05", "status": "问题收集"}],
            required=True,
            min_items=1,
            items=HISTORY_ENTRY,
        ),
        Field(
            "resolution",
            Type.MARKDOWN,
            "解决情况",
            "问题是怎样解决或答复的。",
            "第二路线路已送电。",
        ),
        RATING,
        _notes(private=True),
        EXAMPLE_FLAG,
    ),
    label_en="issue",
)

RECTIFICATION = Kind(
    "rectification",
    "整改事项",
    "整改落实清单",
    "rectifications",
    r"^R[0-9]{3,8}$",
    "R0001",
    "解决一个问题需要落实的整改事项。",
    (
        _id("R", "R0001", "整改事项"),
        _ref("issue", "issue", "问题", "这项整改对应的问题。", "Q0001", required=True),
        Field(
            "action",
            Type.MARKDOWN,
            "整改措施",
            "要做什么。",
            "架设第二路 10 千伏线路。",
            required=True,
        ),
        _ref("department", "department", "责任单位", "落实整改的单位。", "D01", required=True),
        _ref("responsible", "staff", "责任人", "具体负责的干部。", "S002"),
        Field("due", Type.DATE, "完成时限", "应当完成的日期。", "2021-08-20", required=True),
        Field("done_on", Type.DATE, "完成日期", "实际完成的日期（未完成不填）。", "2021-08-18"),
        Field("evidence", Type.MARKDOWN, "佐证材料", "完成的证明。", "送电记录单。"),
        EXAMPLE_FLAG,
    ),
    label_en="rectification item",
)

LEGAL = Kind(
    "legal",
    "法治服务",
    "法治服务台账",
    "legal",
    r"^L[0-9]{3,8}$",
    "L0001",
    "法院、检察院为企业提供的一项法治服务。",
    (
        _id("L", "L0001", "法治服务"),
        Field("date", Type.DATE, "日期", "服务发生或办结的日期。", "2021-08-20", required=True),
        _ref("unit", "department", "单位", "提供服务的法院或检察院。", "D09", required=True),
        Field(
            "kind",
            Type.ENUM,
            "类别",
            "法治服务的类别。",
            "法治讲座",
            required=True,
            choices=tuple(LEGAL_KINDS),
        ),
        Field("count", Type.INT, "数量", "件数、份数或场次。", 1, default=1, minimum=1, maximum=100000),
        Field(
            "amount_yuan",
            Type.MONEY,
            "金额（元）",
            "追回款项的金额（类别为“追回款项”时必填）。",
            150000,
        ),
        _ref("enterprise", "enterprise", "企业", "服务的企业（如有）。", "E002"),
        Field(
            "description",
            Type.MARKDOWN,
            "情况",
            "做了什么。",
            "为园区企业讲授合同法。",
            required=True,
        ),
        EXAMPLE_FLAG,
    ),
    label_en="legal service",
)

CALENDAR = Kind(
    "calendar",
    "工作日历",
    "节假日与调休",
    "calendar",
    r"^[0-9]{4}$",
    "2021",
    "一年的法定节假日和调休上班日，用于按工作日计算期限。",
    (
        Field(
            "year",
            Type.INT,
            "年份",
            "日历所属年份，与文件名相同。",
            2021,
            required=True,
            minimum=1990,
            maximum=2100,
        ),
        Field(
            "holidays",
            Type.LIST,
            "放假日期",
            "放假的日期（含调休放假）。",
            ["2021-10-01"],
            required=True,
            items=Field("holidays", Type.DATE, "放假日期", "放假的一天。", "2021-10-01"),
        ),
        Field(
            "workdays",
            Type.LIST,
            "调休上班日",
            "周末调为上班的日期。",
            ["2021-09-18"],
            default=[],
            items=Field("workdays", Type.DATE, "调休上班日", "上班的周末。", "2021-09-18"),
        ),
        Field("source", Type.TEXT, "依据", "国务院办公厅通知的文号。", "国办发明电〔2020〕27号"),
    ),
    id_field="year",
    label_en="working-day calendar",
)

BULLETIN = Kind(
    "bulletin",
    "通报正文",
    "通报正文",
    "bulletins",
    r"^[0-9]{4}(-(0[1-9]|1[0-2]|Q[1-4]))?-(monthly|quarterly|annual)$",
    "2021-09-monthly",
    "一期通报中由人工撰写的部分。文件开头 --- 之间是信息块，之后是 Markdown 正文，用“## 典型案例”等二级标题分节。",
    (
        Field(
            "kind",
            Type.ENUM,
            "通报种类",
            "monthly（月通报）、quarterly（季点评）或 annual（年度考核）。",
            "monthly",
            required=True,
            choices=BULLETIN_KINDS,
        ),
        Field(
            "period",
            Type.TEXT,
            "时期",
            "月份如 2021-09，季度如 2021-Q3，年度如 2021。",
            "2021-09",
            required=True,
        ),
        Field(
            "number",
            Type.INT,
            "文号序号",
            "发文字号中的序号，如 9 表示〔2021〕9号。",
            9,
            minimum=1,
            maximum=9999,
        ),
        Field("issued", Type.DATE, "印发日期", "正式印发的日期；填写后该期数字被冻结。", "2021-10-08"),
        Field(
            "correction_number",
            Type.INT,
            "更正通报文号序号",
            "印发后数字有变化时另发更正通报，这是更正通报发文字号中的序号；不填时更正通报为草稿。",
            12,
            minimum=1,
            maximum=9999,
        ),
        Field("correction_issued", Type.DATE, "更正通报印发日期", "更正通报正式印发的日期。", "2021-11-20"),
        Field(
            "title",
            Type.TEXT,
            "标题",
            "不填时自动生成。",
            "关于2021年9月份“万人助万企”活动开展情况的通报",
        ),
        Field("recipients", Type.TEXT, "主送", "主送单位。", "各乡镇（街道）、区直各有关单位"),
        Field(
            "cc",
            Type.TEXT,
            "抄送",
            "抄送单位。",
            "区委办公室，区人大办公室，区政府办公室，区政协办公室",
        ),
        Field(
            "unit_comments",
            Type.LIST,
            "单位点评",
            "对各单位、各队伍的点评。",
            [{"unit": "D01", "comment": "响应迅速。"}],
            items=Field(
                "unit_comments",
                Type.MAPPING,
                "单位点评",
                "对一个单位的点评。",
                None,
                fields=(
                    Field(
                        "unit",
                        Type.TEXT,
                        "单位或队伍编号",
                        "责任单位（D…）或队伍（T…）的编号。",
                        "D01",
                        required=True,
                    ),
                    Field(
                        "comment",
                        Type.MARKDOWN,
                        "点评",
                        "点评内容。",
                        "响应迅速，办结及时。",
                        required=True,
                    ),
                ),
            ),
        ),
        EXAMPLE_FLAG,
    ),
    id_field="",
    suffix=".md",
    label_en="bulletin text",
)

CONFIG = Kind(
    "config",
    "配置",
    "办公室配置",
    ".",
    r"^config$",
    "config",
    "活动办公室的设置：名称、文号、期限口径、满意率公式、排名权重和字体。",
    (
        Field(
            "office",
            Type.TEXT,
            "发文机关",
            "版头上的发文机关名称。",
            "川汇区“万人助万企”活动领导小组办公室",
            required=True,
        ),
        Field(
            "office_short",
            Type.TEXT,
            "发文机关简称",
            "落款和印发机关使用的名称；不填时同发文机关。",
            "川汇区“万人助万企”活动领导小组办公室",
        ),
        Field("district", Type.TEXT, "地区", "地区名称。", "川汇区", required=True),
        Field(
            "doc_prefix",
            Type.TEXT,
            "发文字号前缀",
            "发文字号中〔年份〕之前的部分。",
            "川助企",
            required=True,
        ),
        Field(
            "campaign_start",
            Type.DATE,
            "活动开始日期",
            "累计数字从这一天算起。",
            "2021-08-01",
            required=True,
        ),
        Field(
            "recipients",
            Type.TEXT,
            "默认主送",
            "通报正文未写主送时使用。",
            "各乡镇（街道）、区直各有关单位",
            default="各乡镇（街道）、区直各有关单位",
        ),
        Field(
            "cc",
            Type.TEXT,
            "默认抄送",
            "通报正文未写抄送时使用。",
            "区委办公室，区政府办公室",
            default="",
        ),
        Field(
            "day_kind",
            Type.ENUM,
            "期限计算口径",
            "办理时限和响应时限按自然日还是工作日计算。",
            "working",
            choices=("calendar", "working"),
            default="calendar",
        ),
        Field(
            "default_time_limit_days",
            Type.INT,
            "默认办理时限（天）",
            "问题未写期限时使用的时限。",
            15,
            default=15,
            minimum=1,
            maximum=3650,
        ),
        Field(
            "response_days",
            Type.INT,
            "响应时限（天）",
            "提出后多少天内有首次办理动作算作及时响应。",
            3,
            default=3,
            minimum=0,
            maximum=365,
        ),
        Field(
            "satisfaction",
            Type.ENUM,
            "满意率口径",
            "both：（满意+基本满意）÷评价数；satisfied_only：满意÷评价数。",
            "both",
            choices=("both", "satisfied_only"),
            default="both",
        ),
        Field(
            "ranking_weights",
            Type.WEIGHTS,
            "排名权重",
            "综合得分中解决率、按时率、满意率的权重，合计为 1。",
            {"resolution_rate": 0.4, "on_time_rate": 0.3, "satisfaction_rate": 0.3},
            default={"resolution_rate": 0.4, "on_time_rate": 0.3, "satisfaction_rate": 0.3},
        ),
        Field(
            "grades",
            Type.LIST,
            "年考核等次",
            "年考核按综合得分（保留一位小数、四舍五入后）评定的等次，每个等次写名称和最低分，从高到低。",
            list(DEFAULT_GRADES),
            default=list(DEFAULT_GRADES),
            items=Field(
                "grades",
                Type.MAPPING,
                "等次",
                "一个等次。",
                None,
                fields=(
                    Field("name", Type.TEXT, "等次名称", "如 优秀。", "优秀", required=True),
                    Field(
                        "min",
                        Type.INT,
                        "最低分",
                        "达到此分（含）即评为该等次。",
                        90,
                        required=True,
                        minimum=0,
                        maximum=100,
                    ),
                ),
            ),
        ),
        Field(
            "ranking_min_issues",
            Type.INT,
            "参加排名的最少问题数",
            "问题数少于此数的单位只列出、不排名。",
            3,
            default=3,
            minimum=0,
            maximum=100000,
        ),
        Field(
            "fonts",
            Type.MAPPING,
            "字体",
            "本单位拥有的正式字体文件（相对 records 目录或绝对路径）；不填时使用免费替代字体。",
            {"fangsong": "fonts/仿宋_GB2312.ttf"},
            fields=tuple(
                Field(key, Type.PATH, label, f"{label}字体文件。", f"fonts/{label}.ttf")
                for key, label in (
                    ("xiaobiaosong", "小标宋"),
                    ("fangsong", "仿宋"),
                    ("kaiti", "楷体"),
                    ("heiti", "黑体"),
                    ("songti", "宋体"),
                )
            ),
        ),
        Field(
            "ledger_attachment_max",
            Type.INT,
            "附件台账最多行数",
            "月通报附件1最多列出的问题数；问题更多时只列本月提出的和尚未办结的问题，完整台账见网站。",
            1000,
            default=1000,
            minimum=10,
            maximum=1000000,
        ),
        Field(
            "missing_glyphs",
            Type.ENUM,
            "缺字处理",
            "error：缺字时构建失败；warning：只警告。",
            "error",
            choices=("error", "warning"),
            default="error",
        ),
        Field(
            "site_url",
            Type.TEXT,
            "网站地址",
            "发布网站的完整网址（如 https://example.gov.cn/zhuqi/），用于订阅源和网站地图；不填时使用相对地址。",
            "https://example.gov.cn/zhuqi/",
        ),
        Field(
            "office_contact",
            Type.TEXT,
            "联系方式",
            "网站页脚在主办单位之后给出的联系方式（电话、地址或电子邮箱）；不填时只写主办单位。",
            "联系电话：0394-8888888",
        ),
        Field(
            "publish_drafts",
            Type.BOOL,
            "公开发布草稿",
            "尚未印发的通报（草稿）是否发布到公开网站；发布时每页标明“草稿”。",
            False,
            default=False,
        ),
    ),
    id_field="",
    label_en="configuration",
)

# config fields holding a web address: only http:// and https:// are accepted (validate/published.py)
URL_FIELDS = ("site_url",)

KINDS: tuple[Kind, ...] = (
    ENTERPRISE,
    STAFF,
    TEAM,
    DEPARTMENT,
    VISIT,
    ISSUE,
    RECTIFICATION,
    LEGAL,
    CALENDAR,
    BULLETIN,
    CONFIG,
)
KINDS_BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}
KINDS_BY_FOLDER: dict[str, Kind] = {k.folder: k for k in KINDS if k.folder != "."}
RECORD_KINDS: tuple[Kind, ...] = tuple(k for k in KINDS if k.name not in ("config", "bulletin"))
