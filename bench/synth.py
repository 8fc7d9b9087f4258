"""Synthetic office repositories for benchmarks and tests: valid records at any scale.

``generate(out_dir, Scale(...))`` writes a complete records folder (config, calendar,
departments, staff, teams, enterprises, visits, issues, rectifications, legal services,
bulletin texts) that ``reportgen check`` accepts without a single problem.

Determinism: everything is drawn from one ``random.Random(seed)`` in a fixed order; no
clock, no set iteration, no hashing.  Same arguments → byte-identical files.

Speed: YAML is written with string formatting (every free-text value double-quoted), not
``yaml.dump``, so 160k files take seconds, not minutes.
"""

from __future__ import annotations

import bisect
import datetime as dt
import os
import queue
import random
import re
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

from reportgen.validate.identifiers import USCC_ALPHABET, uscc_check_character

ONE_DAY = dt.timedelta(days=1)


# ---------------------------------------------------------------------------------------
# scale and small helpers


@dataclass(frozen=True)
class Scale:
    """How much to generate, from when, for how long."""

    enterprises: int = 300
    issues: int = 3000
    visits: int = 1500
    staff: int = 120
    departments: int = 30
    teams: int = 20
    legal: int = 300
    rectifications: int = 600
    seed: int = 1
    start: dt.date = dt.date(2021, 8, 1)
    months: int = 12

    def problems(self) -> list[str]:
        """Why this scale cannot make a valid repository (empty when it can)."""
        found = []
        if self.departments < 3:
            found.append("--departments must be at least 3 (a court, a procuratorate, one more)")
        if self.teams < 1:
            found.append("--teams must be at least 1")
        if self.staff < 4 * self.teams:
            found.append("--staff must be at least 4 × --teams (each team has four members)")
        if self.enterprises < 1:
            found.append("--enterprises must be at least 1")
        if self.months < 1:
            found.append("--months must be at least 1")
        for name in ("issues", "visits", "legal", "rectifications"):
            if getattr(self, name) < 0:
                found.append(f"--{name} must not be negative")
        if self.rectifications and not self.issues:
            found.append("--rectifications needs at least one issue")
        return found

    @property
    def end(self) -> dt.date:
        """The last day covered: start + months − 1 day."""
        return add_months(self.start, self.months) - ONE_DAY


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months (the day of month clamped to 28 when needed)."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, min(day.day, 28))


_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def q(text: str) -> str:
    """A YAML double-quoted scalar: YAML reads it back as exactly ``text``."""
    if _NEEDS_ESCAPE.search(text):
        text = _NEEDS_ESCAPE.sub(lambda m: _ESCAPES.get(m[0], f"\\x{ord(m[0]):02x}"), text)
    return f'"{text}"'


def month_of(day: dt.date) -> str:
    """The ``YYYY-MM`` folder of a date."""
    return f"{day.year:04d}-{day.month:02d}"


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 105 → 一百零五 (for 1 ≤ n < 10000)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    out, zero = "", False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // unit % 10
        if d:
            if zero:
                out += "零"
            out += digits[d] + name
            zero = False
        elif out:
            zero = True
    return out


def pad(prefix: str, number: int, total: int, minimum: int) -> str:
    """An id such as E001 whose digits are wide enough for ``total`` records."""
    return f"{prefix}{number:0{max(minimum, len(str(total)))}d}"


def cn_date(day: dt.date) -> str:
    """2021年9月30日."""
    return f"{day.year}年{day.month}月{day.day}日"


# ---------------------------------------------------------------------------------------
# vocabulary

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
    "万钱严武戴孔汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国文志海燕辉鹏飞晓东宇浩然子涵欣怡"
    "梓轩雨欣思博嘉俊凯乐佳琪梦瑶春雷学振兴永福德新利民卫亮锋斌彬波晨阳雪梅宏伟丹凤萍婷倩颖莉"
    "昊天泽睿瑞航鑫成龙庆祥"
)
RARE_GIVEN = "堃喆珺昇犇镕彧玥祎"  # in names, missing from GB2312-only fonts

BRAND_CHARS = "宏鑫华盛恒瑞丰源隆达泰豪嘉锦金永兴利德荣昌远康创博润祥汇新天中宇晟弘鼎益诚信安宝佳辰亿森峰海顺通凯旭"
NAME_PLACES = (
    ("周口", 20),
    ("周口市", 20),
    ("河南", 15),
    ("河南省", 5),
    ("川汇", 10),
    ("周口市川汇区", 8),
    ("豫东", 5),
)
NAME_SUFFIXES = (("有限公司", 80), ("股份有限公司", 8), ("有限责任公司", 12))

# industry → words that go into the company name
INDUSTRIES: tuple[tuple[str, tuple[str, ...], int], ...] = (
    ("食品加工", ("食品", "食品科技", "面业", "调味品", "饮品"), 12),
    ("纺织服装", ("纺织", "服饰", "棉业", "制衣", "家纺"), 10),
    ("电子信息", ("电子科技", "电子", "智能科技", "光电科技"), 8),
    ("装备制造", ("机械制造", "机械设备", "重工", "装备制造"), 9),
    ("生物医药", ("生物科技", "医药", "药业", "医疗器械"), 6),
    ("新材料", ("新材料科技", "新材料", "复合材料"), 4),
    ("建材", ("建材", "水泥制品", "新型建材", "管业"), 7),
    ("商贸物流", ("物流", "商贸", "供应链管理", "仓储"), 10),
    ("农副产品加工", ("农业开发", "农产品", "粮油", "牧业"), 9),
    ("化工", ("化工", "精细化工", "塑业"), 4),
    ("印刷包装", ("包装", "印务", "纸业"), 4),
    ("现代服务", ("网络科技", "文化传媒", "信息技术", "物业服务"), 8),
    ("汽车及零部件", ("汽车配件", "车业", "汽车销售服务"), 4),
    ("新能源", ("新能源科技", "光伏科技", "能源科技"), 3),
    ("制鞋皮革", ("鞋业", "皮革制品"), 2),
)
PARKS = (
    ("周口高新技术产业开发区", 14),
    ("川汇区产业集聚区", 16),
    ("川汇区服务业专业园区", 6),
    ("川汇区陈州回族街道", 5),
    ("川汇区七一路街道", 5),
    ("川汇区荷花路街道", 5),
    ("川汇区人和街道", 5),
    ("川汇区小桥街道", 5),
    ("川汇区城南街道", 5),
    ("川汇区城北街道", 5),
    ("川汇区文昌街道", 6),
    ("川汇区金海路街道", 5),
    ("川汇区搬口街道", 4),
    ("川汇区华耀城街道", 4),
    ("川汇区许湾乡", 4),
    ("川汇区李埠口乡", 4),
)
ROADS = (
    "八一大道",
    "七一路",
    "交通大道",
    "中州大道",
    "周口大道",
    "太昊路",
    "工农路",
    "大庆路",
    "建设大道",
    "文昌大道",
    "滨河路",
    "人民路",
    "汉阳路",
    "光明路",
    "工业大道",
    "中原路",
)
SCALE_WEIGHTS = (("大型", 4), ("中型", 18), ("小型", 46), ("微型", 32))
SCALE_VISIT_WEIGHT = {"大型": 6, "中型": 3, "小型": 1.5, "微型": 1}
EMPLOYEES = {"大型": (1000, 20000), "中型": (300, 1000), "小型": (20, 300), "微型": (3, 20)}
INVESTMENT = {"大型": (50000, 500000), "中型": (5000, 50000), "小型": (500, 5000), "微型": (50, 500)}
KEY_PROJECT = {"大型": 0.6, "中型": 0.2, "小型": 0.04, "微型": 0.01}
CONTACT_TITLES = ("总经理", "副总经理", "办公室主任", "项目负责人", "财务总监", "行政主管", "董事长")
ENTERPRISE_NOTES = (
    "列入省重点项目。",
    "列入市重点项目。",
    "新招引落地企业。",
    "省级专精特新企业。",
    "高新技术企业。",
)
ALL_CATEGORIES = ("水电", "用地", "融资", "用工", "审批", "环保", "法律", "基础设施", "政策兑现", "其他")

# (name, short name, type, categories it leads, judicial: "court" / "procuratorate" / "")
DEPARTMENTS: tuple[tuple[str, str, str, tuple[str, ...], str], ...] = (
    ("国网周口市川汇区供电公司", "区供电公司", "公用事业", ("水电",), ""),
    ("川汇区人民法院", "区法院", "司法机关", ("法律",), "court"),
    ("川汇区人民检察院", "区检察院", "司法机关", ("法律",), "procuratorate"),
    ("周口市自然资源和规划局川汇分局", "川汇自然资源分局", "行政部门", ("用地",), ""),
    ("川汇区人力资源和社会保障局", "区人社局", "行政部门", ("用工",), ""),
    ("周口市生态环境局川汇分局", "川汇生态环境分局", "行政部门", ("环保",), ""),
    ("川汇区发展和改革委员会", "区发改委", "行政部门", ("政策兑现", "审批"), ""),
    ("川汇区工业和信息化局", "区工信局", "行政部门", ("政策兑现", "其他"), ""),
    ("川汇区住房和城乡建设局", "区住建局", "行政部门", ("基础设施", "审批"), ""),
    ("川汇区财政局", "区财政局", "行政部门", ("政策兑现", "融资"), ""),
    ("川汇区金融工作局", "区金融局", "行政部门", ("融资",), ""),
    ("周口市川汇区自来水有限公司", "区自来水公司", "公用事业", ("水电",), ""),
    ("川汇区行政审批服务局", "区审批局", "行政部门", ("审批",), ""),
    ("川汇区市场监督管理局", "区市场监管局", "行政部门", ("审批", "其他"), ""),
    ("国家税务总局周口市川汇区税务局", "区税务局", "行政部门", ("政策兑现",), ""),
    ("川汇区司法局", "区司法局", "行政部门", ("法律",), ""),
    ("周口市公安局川汇分局", "川汇公安分局", "行政部门", ("法律", "其他"), ""),
    ("川汇区交通运输局", "区交通局", "行政部门", ("基础设施",), ""),
    ("川汇区城市管理局", "区城管局", "行政部门", ("基础设施",), ""),
    ("周口市天然气有限公司川汇分公司", "燃气公司", "公用事业", ("水电", "基础设施"), ""),
    ("川汇区商务局", "区商务局", "行政部门", ("其他",), ""),
    ("川汇区科学技术局", "区科技局", "行政部门", ("政策兑现",), ""),
    ("川汇区应急管理局", "区应急局", "行政部门", ("审批",), ""),
    ("川汇区消防救援大队", "区消防大队", "行政部门", ("审批",), ""),
    ("周口高新技术产业开发区管理委员会", "高新区管委会", "园区", ("基础设施", "用地"), ""),
    ("川汇区产业集聚区管理委员会", "集聚区管委会", "园区", ("基础设施", "用地"), ""),
    ("川汇区教育体育局", "区教体局", "行政部门", ("用工",), ""),
    ("川汇区农业农村局", "区农业农村局", "行政部门", ("其他",), ""),
    ("中国联通周口市川汇区分公司", "区联通公司", "公用事业", ("基础设施",), ""),
    ("川汇区卫生健康委员会", "区卫健委", "行政部门", ("其他",), ""),
    ("川汇区陈州回族街道办事处", "陈州街道", "乡镇街道", ("其他", "基础设施"), ""),
    ("川汇区七一路街道办事处", "七一路街道", "乡镇街道", ("其他",), ""),
    ("川汇区荷花路街道办事处", "荷花路街道", "乡镇街道", ("其他",), ""),
    ("川汇区人和街道办事处", "人和街道", "乡镇街道", ("其他",), ""),
    ("川汇区小桥街道办事处", "小桥街道", "乡镇街道", ("其他",), ""),
    ("川汇区城南街道办事处", "城南街道", "乡镇街道", ("其他",), ""),
    ("川汇区城北街道办事处", "城北街道", "乡镇街道", ("其他",), ""),
    ("川汇区文昌街道办事处", "文昌街道", "乡镇街道", ("其他",), ""),
    ("川汇区金海路街道办事处", "金海路街道", "乡镇街道", ("其他",), ""),
    ("川汇区搬口街道办事处", "搬口街道", "乡镇街道", ("其他",), ""),
    ("川汇区华耀城街道办事处", "华耀城街道", "乡镇街道", ("其他",), ""),
    ("川汇区许湾乡人民政府", "许湾乡", "乡镇街道", ("其他",), ""),
    ("川汇区李埠口乡人民政府", "李埠口乡", "乡镇街道", ("其他",), ""),
)
LEADER_POSTS = ("副局长", "党组成员、副局长", "副主任", "副总经理", "四级调研员", "副区长")
CHIEF_POSTS = ("科长", "副科长", "股长", "主任科员", "办公室主任", "一级科员")
COURT_POSTS = ("民一庭法官", "民二庭审判员", "立案庭法官", "执行局法官", "商事审判庭副庭长")
PROCURATOR_POSTS = ("第一检察部检察官", "第二检察部检察官", "第五检察部检察官", "民事行政检察部检察官")
STAFF_NOTES = ("兼任活动办公室联络员。", "2021年8月调入。", "负责园区企业联络。")

VISIT_KINDS = (("走访", 60), ("座谈", 15), ("送法进企业", 15), ("调研", 10))
VISIT_TOPICS = (
    "生产经营",
    "用工",
    "用电用水",
    "项目建设进度",
    "融资需求",
    "订单和市场",
    "惠企政策享受",
    "安全生产",
    "物流运输",
    "技术改造",
)
VISIT_OPENINGS = {
    "走访": ("服务队到企业走访", "首席服务官上门走访", "带队深入车间走访"),
    "座谈": ("召开政企座谈会", "组织企业负责人座谈", "在园区召开座谈会"),
    "送法进企业": ("驻企法官、检察官送法进企业", "开展送法进企业活动", "为企业开展法律体检"),
    "调研": ("到企业专题调研", "围绕项目建设开展调研", "调研企业发展规划"),
}
VISIT_OUTCOMES = (
    "企业生产经营总体平稳。",
    "企业反映的问题已登记，列入问题清单。",
    "现场宣讲惠企政策，发放政策汇编。",
    "就合同风险、劳动用工等方面进行法律提示。",
    "企业订单充足，希望在用工方面给予支持。",
    "项目建设进展顺利，计划年底前投产。",
    "企业提出融资需求，已对接银行。",
)
VISIT_PRIVATE = ("企业负责人希望不公开相关经营数据。", "企业对外暂不宣传扩产计划。")

SOURCES_WITHOUT_VISIT = (("企业服务卡", 30), ("电话", 25), ("网络平台", 20), ("其他", 10), ("走访", 15))
CATEGORY_WEIGHTS = (
    ("水电", 12),
    ("用地", 10),
    ("融资", 14),
    ("用工", 12),
    ("审批", 12),
    ("环保", 8),
    ("法律", 8),
    ("基础设施", 10),
    ("政策兑现", 10),
    ("其他", 4),
)
TIME_LIMITS = {
    "水电": 15,
    "用地": 60,
    "融资": 30,
    "用工": 15,
    "审批": 15,
    "环保": 30,
    "法律": 30,
    "基础设施": 45,
    "政策兑现": 30,
    "其他": 15,
}

# category → (title, description, resolution, rectification action, evidence)
TEMPLATES: dict[str, tuple[tuple[str, str, str, str, str], ...]] = {
    "水电": (
        (
            "生产线扩能需增加第二路供电线路",
            "企业新上生产线后用电负荷增至{n}千千伏安，现有单回路供电不能满足连续生产需要，申请架设第二路供电线路。",
            "第二路10千伏供电线路已架设完成并送电，企业实现双回路供电。",
            "架设第二路10千伏供电线路",
            "送电记录单及现场照片。",
        ),
        (
            "厂区供水管网水压不足",
            "厂区位于{road}供水管网末端，用水高峰时段水压不足，影响锅炉和生产用水。",
            "完成{road}段供水管网改造并加装增压设备，水压恢复正常。",
            "改造{road}段供水管网，加装增压设备",
            "管网改造验收单。",
        ),
        (
            "变压器增容报装办理缓慢",
            "企业申请变压器增容{n}00千伏安，报装后{m}个月仍未完成。",
            "开通报装绿色通道，增容工程已完成并投运。",
            "压缩增容报装流程，安排施工队伍",
            "增容工程竣工验收单。",
        ),
        (
            "天然气管道未接入厂区",
            "企业燃气锅炉已安装完毕，但{road}天然气管道尚未接入厂区，无法正常生产。",
            "天然气管道已接入厂区并通气。",
            "铺设{road}至厂区的天然气支线管道",
            "通气验收记录。",
        ),
        (
            "线路老化频繁停电影响生产",
            "近{m}个月厂区所在线路停电{n}次，造成生产线多次停工。",
            "对线路进行检修并更换老化设备，停电问题已消除。",
            "检修线路并更换老化开关设备",
            "检修工单及设备更换记录。",
        ),
    ),
    "用地": (
        (
            "扩建项目用地指标不足",
            "企业二期扩建项目需新增用地约{n}十亩，现有用地指标不足，项目无法开工。",
            "协调调剂用地指标，项目用地已完成挂牌出让。",
            "调剂用地指标并完成土地挂牌出让",
            "土地出让合同复印件。",
        ),
        (
            "厂区土地证办理遇阻",
            "企业厂区建成多年，因历史遗留问题一直未能办理不动产权证书。",
            "按历史遗留问题处置办法完善手续，不动产权证书已颁发。",
            "梳理历史遗留问题，完善用地手续",
            "不动产权证书复印件。",
        ),
        (
            "项目用地存在征迁遗留问题",
            "项目用地内尚有{n}户未完成征迁，影响场地平整和开工建设。",
            "属地街道完成剩余征迁工作，场地已移交企业。",
            "完成剩余征迁并移交场地",
            "场地移交确认书。",
        ),
        (
            "规划条件调整审批慢",
            "企业申请调整厂区容积率规划条件，提交材料后{m}个月未获批复。",
            "规划条件调整已获批复。",
            "组织规划条件论证并报批",
            "规划条件批复文件。",
        ),
    ),
    "融资": (
        (
            "流动资金紧张需银行贷款支持",
            "受原材料涨价影响，企业流动资金缺口约{amount}万元，希望协调银行贷款。",
            "协调银行发放流动资金贷款{amount}万元。",
            "组织银企对接，推荐授信",
            "贷款合同及放款凭证。",
        ),
        (
            "贷款到期续贷困难",
            "企业一笔{amount}万元贷款即将到期，银行收紧授信，续贷存在困难。",
            "经协调银行办理无还本续贷。",
            "协调银行办理无还本续贷",
            "续贷审批单。",
        ),
        (
            "缺少抵押物无法获得贷款",
            "企业为轻资产企业，缺少抵押物，申请贷款{amount}万元未获批准。",
            "通过政府性融资担保为企业增信，贷款已发放。",
            "推荐政府性融资担保机构提供担保",
            "担保合同及放款凭证。",
        ),
        (
            "申请创业担保贷款手续繁琐",
            "企业申请创业担保贷款，需要提交的材料多、审批环节多，{m}个月未办结。",
            "简化材料，创业担保贷款已发放。",
            "精简创业担保贷款申报材料",
            "放款凭证。",
        ),
    ),
    "用工": (
        (
            "一线普工招聘困难",
            "企业订单增加，一线普工缺口约{n}十人，招聘困难。",
            "组织专场招聘会，帮助企业招聘一线员工。",
            "举办企业专场招聘会",
            "招聘会签到表及录用名单。",
        ),
        (
            "技术工人短缺",
            "企业新上自动化生产线，缺少数控、电工等技术工人约{n}人。",
            "联合职业院校开展订单式培训，技术工人已到岗。",
            "联系职业院校开展订单式培训",
            "培训协议及到岗名单。",
        ),
        (
            "职工子女入学问题",
            "企业外地技术骨干{n}人的子女需要在附近学校入学。",
            "协调就近学校接收职工子女入学。",
            "协调就近学校安排入学",
            "入学通知书复印件。",
        ),
        (
            "稳岗补贴申领未到位",
            "企业已提交稳岗补贴申请{m}个月，补贴尚未拨付。",
            "稳岗补贴已拨付到企业账户。",
            "加快审核并拨付稳岗补贴",
            "拨付凭证。",
        ),
    ),
    "审批": (
        (
            "新建厂房施工许可办理慢",
            "企业新建厂房已完成设计，申请施工许可后{m}个月未办结。",
            "开辟绿色通道，施工许可证已核发。",
            "容缺受理施工许可申请",
            "施工许可证复印件。",
        ),
        (
            "食品生产许可证延续办理",
            "企业食品生产许可证即将到期，延续申请材料准备存在困难。",
            "指导企业完善材料，许可证已延续。",
            "上门指导完善许可延续材料",
            "许可证复印件。",
        ),
        (
            "消防验收迟迟未通过",
            "企业新建车间消防验收提出整改意见后，复查{m}次仍未通过。",
            "指导企业完成消防整改，消防验收已通过。",
            "上门指导消防整改并组织复查",
            "消防验收意见书。",
        ),
        (
            "项目备案信息变更",
            "企业项目建设内容调整，需要变更项目备案信息，办理流程不清楚。",
            "帮办代办，项目备案变更已完成。",
            "安排帮办代办人员办理变更",
            "备案变更证明。",
        ),
    ),
    "环保": (
        (
            "环评审批时间长",
            "企业技改项目环境影响评价报告已提交，审批时间较长，影响开工。",
            "环评报告已审批，项目按期开工。",
            "加快环评技术审查",
            "环评批复文件。",
        ),
        (
            "申报绿色企业需要指导",
            "企业计划申报绿色企业，对申报条件和材料要求不了解。",
            "上门指导申报，企业已完成绿色企业申报。",
            "组织专家上门指导申报",
            "申报材料受理回执。",
        ),
        (
            "重污染天气管控影响生产",
            "重污染天气应急管控期间企业被要求停产，企业认为自身排放达标。",
            "对企业进行绩效评级复核，纳入差异化管控名单。",
            "开展绩效评级复核",
            "复核结果通知。",
        ),
        (
            "排污许可证变更",
            "企业新增生产设备，需要变更排污许可证，在线申报遇到问题。",
            "指导企业完成排污许可证变更。",
            "指导企业在线申报排污许可变更",
            "排污许可证副本。",
        ),
    ),
    "法律": (
        (
            "货款被拖欠多年",
            "企业被外地客户拖欠货款约{amount}万元，多次催要未果，希望得到法律帮助。",
            "驻企法官指导企业提起诉讼，案件已调解结案，货款已追回。",
            "指导企业立案并组织诉前调解",
            "调解书复印件。",
        ),
        (
            "合同纠纷需要法律咨询",
            "企业与供应商发生合同纠纷，涉及金额{amount}万元，希望得到法律指导。",
            "驻企检察官、法官提供法律咨询，纠纷已诉前化解。",
            "组织法律咨询并开展诉前调解",
            "调解协议。",
        ),
        (
            "劳动争议案件较多",
            "企业近期劳动争议较多，希望开展劳动法律培训，规范用工管理。",
            "开展劳动用工法律讲座，帮助企业修订劳动合同文本。",
            "开展劳动用工法律培训",
            "培训签到表。",
        ),
        (
            "执行案件进展缓慢",
            "企业胜诉案件进入执行阶段{m}个月，执行款尚未到位。",
            "加大执行力度，执行款已全部到位。",
            "加快案件执行",
            "执行款到账凭证。",
        ),
    ),
    "基础设施": (
        (
            "厂区门前道路破损",
            "{road}企业门前路段破损严重，大型货车通行困难。",
            "{road}破损路段已修复。",
            "修复{road}破损路段",
            "道路修复前后照片。",
        ),
        (
            "园区道路未通",
            "企业所在园区{road}延伸段尚未贯通，原料和产品运输需要绕行。",
            "{road}延伸段已建成通车。",
            "建设{road}延伸段",
            "道路竣工验收单。",
        ),
        (
            "厂区周边排水不畅",
            "雨季厂区周边排水不畅，多次出现积水，影响生产。",
            "疏通改造周边雨水管网，积水问题已解决。",
            "疏通并改造周边雨水管网",
            "管网疏通记录。",
        ),
        (
            "通信网络信号差",
            "企业厂区移动网络信号弱、宽带带宽不足，影响智能化改造。",
            "新建通信基站并完成光纤入厂。",
            "新建通信基站，光纤入厂",
            "基站开通记录。",
        ),
        (
            "公交线路未覆盖园区",
            "园区内企业职工上下班不便，希望开通公交线路。",
            "新开通园区公交线路。",
            "开通园区公交线路",
            "公交线路开通通知。",
        ),
    ),
    "政策兑现": (
        (
            "招商引资奖励资金未兑现",
            "企业按协议完成投资，约定的奖励资金{amount}万元尚未兑现。",
            "奖励资金已按协议兑现。",
            "核实投资完成情况并拨付奖励资金",
            "拨付凭证。",
        ),
        (
            "技改补贴申报",
            "企业完成技术改造，申报技改补贴时对政策条件不清楚。",
            "指导企业完成申报，技改补贴已拨付。",
            "指导企业申报技改补贴",
            "补贴拨付文件。",
        ),
        (
            "增值税留抵退税办理",
            "企业符合留抵退税条件，希望尽快办理退税。",
            "留抵退税已办理到账。",
            "加快办理留抵退税",
            "退税到账凭证。",
        ),
        (
            "高新技术企业认定奖励未到位",
            "企业已通过高新技术企业认定，区级奖励资金尚未拨付。",
            "高新技术企业认定奖励已拨付。",
            "拨付高新技术企业认定奖励",
            "拨付凭证。",
        ),
    ),
    "其他": (
        (
            "企业周边治安环境需加强",
            "企业周边夜间治安状况较差，发生过原材料被盗事件。",
            "加强企业周边巡逻防控，设立警务联系点。",
            "加强周边巡逻并设立警务联系点",
            "巡逻记录。",
        ),
        (
            "产品市场开拓需要支持",
            "企业产品销路受限，希望政府帮助对接采购商。",
            "组织产销对接会，企业签订采购意向{n}份。",
            "组织产销对接会",
            "对接会签约记录。",
        ),
        (
            "职工食堂建设手续",
            "企业计划建设职工食堂，不清楚需要办理哪些手续。",
            "帮办代办，食堂建设手续已办理完毕。",
            "安排帮办代办人员协助办理",
            "手续办理清单。",
        ),
    ),
}
LONG_TERM_NOTES = (
    "涉及规划调整，需要长期推进，已制定推进计划。",
    "需列入明年建设计划，按计划推进。",
    "涉及上级审批权限，持续跟踪推进。",
    "受资金和工期限制，分阶段推进。",
)
ANSWER_NOTES = (
    "经研究，诉求不符合现行政策规定，已向企业书面答复并做好解释。",
    "经核查，该事项属于市场行为，已向企业说明情况。",
    "经会商，暂不具备实施条件，已向企业答复并明确后续办理途径。",
)
PROGRESS_NOTES = (
    "已对接企业，现场查看情况。",
    "已制定解决方案，正在办理。",
    "已召开协调推进会。",
    "相关手续正在办理中。",
    "已完成前期工作，正在推进。",
)
OVERDUE_NOTES = ("督办：已超过办结期限，要求加快办理。", "活动办公室发出督办单，限期办结。")
ESCALATION_NOTES = {
    "市级": ("区级层面难以协调，上报市“万人助万企”活动办公室协调。", "逐级上报至市级协调解决。"),
    "省级": ("市级层面难以协调，上报省级协调解决。", "涉及省级审批权限，上报省级。"),
}
RATING_WEIGHTS = (("满意", 85), ("基本满意", 12), ("不满意", 3))
ANSWER_RATING_WEIGHTS = (("满意", 40), ("基本满意", 45), ("不满意", 15))
RATING_COMMENTS = {
    "满意": ("非常满意，感谢服务队的帮助。", "问题解决及时，满意。", "办理效率高，服务热情。"),
    "基本满意": ("基本解决，希望后续继续跟进。", "解决时间较长，希望提高效率。"),
    "不满意": ("问题没有真正解决。", "办理时间过长，影响生产。"),
}
ISSUE_PRIVATE = ("企业负责人希望不公开融资细节。", "涉及企业商业秘密，不对外公开。")

# 法治服务: kind → (weight, which unit, count range, descriptions)
LEGAL_SPEC: dict[str, tuple[int, str, tuple[int, int], tuple[str, ...]]] = {
    "合同审查": (25, "either", (1, 8), ("为企业审查购销合同。", "审查企业劳动合同和采购合同文本。")),
    "法治讲座": (12, "either", (1, 1), ("为园区企业讲授合同法。", "开展民法典进企业专题讲座。")),
    "诉前化解纠纷": (15, "either", (1, 3), ("诉前调解企业买卖合同纠纷。", "化解企业劳动争议纠纷。")),
    "办理涉民营经济案件": (12, "court", (1, 2), ("审结涉民营企业买卖合同案件。", "快立快审涉企案件。")),
    "追回款项": (8, "either", (1, 1), ("帮助企业追回拖欠货款。", "执行到位拖欠工程款。")),
    "诉讼案件线索": (6, "procuratorate", (1, 2), ("走访中发现涉企诉讼案件线索。",)),
    "立案": (8, "court", (1, 2), ("为企业开通立案绿色通道。", "涉企案件当日立案。")),
    "检察建议": (5, "procuratorate", (1, 1), ("就企业周边治安问题向相关单位发出检察建议。",)),
    "诉前检察建议": (4, "procuratorate", (1, 1), ("就涉企行政执行问题发出诉前检察建议。",)),
    "司法建议": (5, "court", (1, 1), ("针对企业合同管理漏洞发出司法建议。",)),
}

BULLETIN_HIGHLIGHTS = (
    "各责任单位坚持问题导向，主动对接企业，推动一批堵点难点问题得到解决。",
    "“1+3”工作队伍深入企业一线，做到问题件件有回音、事事有着落。",
    "驻企法官、检察官开展送法进企业活动，为企业提供精准法律服务。",
    "活动办公室坚持周调度、月通报，对超期问题实行挂牌督办。",
)
BULLETIN_NEXT = (
    "一是持续深化走访，做到企业全覆盖。",
    "二是紧盯超期问题，实行清单化管理、销号式推进。",
    "三是强化督导考核，对工作不力的单位进行通报。",
    "四是总结推广典型经验，营造良好营商环境。",
)
UNIT_COMMENTS = (
    "响应迅速，办结及时，企业满意度高。",
    "主动担当，推动问题解决成效明显。",
    "个别问题办理进度偏慢，需加快推进。",
    "存在超期未办结问题，要限期整改。",
)


# ---------------------------------------------------------------------------------------
# calendar


# Holidays and make-up workdays as published by the State Council for the years we know;
# other years get an approximation (good enough for synthetic data).
def _days(text: str) -> list[str]:
    """Split a space-separated list of MM-DD days."""
    return text.split()


KNOWN_CALENDARS: dict[int, tuple[str, list[str], list[str]]] = {
    2021: (
        "国办发明电〔2020〕27号",
        _days(
            "01-01 01-02 01-03 02-11 02-12 02-13 02-14 02-15 02-16 02-17 04-03 04-04 04-05 "
            "05-01 05-02 05-03 05-04 05-05 06-12 06-13 06-14 09-19 09-20 09-21 10-01 10-02 "
            "10-03 10-04 10-05 10-06 10-07"
        ),
        _days("02-07 02-20 04-25 05-08 09-18 09-26 10-09"),
    ),
    2022: (
        "国办发明电〔2021〕11号",
        _days(
            "01-01 01-02 01-03 01-31 02-01 02-02 02-03 02-04 02-05 02-06 04-03 04-04 04-05 "
            "04-30 05-01 05-02 05-03 05-04 06-03 06-04 06-05 09-10 09-11 09-12 10-01 10-02 "
            "10-03 10-04 10-05 10-06 10-07"
        ),
        _days("01-29 01-30 04-02 04-24 05-07 10-08 10-09"),
    ),
    2023: (
        "国办发明电〔2022〕16号",
        _days(
            "01-01 01-02 01-21 01-22 01-23 01-24 01-25 01-26 01-27 04-05 04-29 04-30 05-01 "
            "05-02 05-03 06-22 06-23 06-24 09-29 09-30 10-01 10-02 10-03 10-04 10-05 10-06"
        ),
        _days("01-28 01-29 04-23 05-06 06-25 10-07 10-08"),
    ),
    2024: (
        "国办发明电〔2023〕7号",
        _days(
            "01-01 02-10 02-11 02-12 02-13 02-14 02-15 02-16 02-17 04-04 04-05 04-06 05-01 "
            "05-02 05-03 05-04 05-05 06-10 09-15 09-16 09-17 10-01 10-02 10-03 10-04 10-05 "
            "10-06 10-07"
        ),
        _days("02-04 02-18 04-07 04-28 05-11 09-14 09-29 10-12"),
    ),
}
SPRING_FESTIVAL = {
    2019: (2, 5),
    2020: (1, 25),
    2025: (1, 29),
    2026: (2, 17),
    2027: (2, 6),
    2028: (1, 26),
    2029: (2, 13),
    2030: (2, 3),
}


def calendar_days(year: int) -> tuple[str, list[dt.date], list[dt.date]]:
    """(source, holidays, make-up workdays) of ``year``."""
    if year in KNOWN_CALENDARS:
        source, holidays, workdays = KNOWN_CALENDARS[year]
        return (
            source,
            [dt.date.fromisoformat(f"{year}-{d}") for d in holidays],
            [dt.date.fromisoformat(f"{year}-{d}") for d in workdays],
        )
    month, day = SPRING_FESTIVAL.get(year, (2, 1))
    spring = dt.date(year, month, day)
    blocks = (
        (dt.date(year, 1, 1), 1),
        (spring - ONE_DAY, 7),
        (dt.date(year, 4, 4), 3),
        (dt.date(year, 5, 1), 5),
        (dt.date(year, 6, 10), 3),
        (dt.date(year, 9, 15), 3),
        (dt.date(year, 10, 1), 7),
    )
    holidays: list[dt.date] = []
    workdays: list[dt.date] = []
    for first, length in blocks:
        days = [first + ONE_DAY * i for i in range(length)]
        holidays.extend(d for d in days if d.year == year)
        if length >= 5:  # long breaks are paid back on the weekend days around them
            before, after = first - ONE_DAY, days[-1] + ONE_DAY
            while before.weekday() < 5:
                before -= ONE_DAY
            while after.weekday() < 5:
                after += ONE_DAY
            workdays.extend(d for d in (before, after) if d.year == year)
    return f"合成数据：{year}年节假日为近似安排", sorted(set(holidays)), sorted(set(workdays))


# ---------------------------------------------------------------------------------------
# the generator


class Writer:
    """Writes files under the output folder, creating each folder once.

    Creating a file is a system call that releases the GIL, so a writer thread does
    the writing while the main thread composes the next records (content and order do
    not depend on the threads).
    """

    def __init__(self, root: Path, threads: int = 1) -> None:
        self.root = root
        self.files = 0
        self.bytes = 0
        self._dirs: set[str] = set()
        self._queue: queue.Queue[tuple[str, bytes] | None] = queue.Queue(maxsize=4096)
        self._errors: list[BaseException] = []
        self._threads = [threading.Thread(target=self._work, daemon=True) for _ in range(threads)]
        for thread in self._threads:
            thread.start()

    def put(self, rel: str, text: str) -> None:
        """Write ``text`` (UTF-8, LF) to ``root/rel``."""
        if self._errors:
            raise self._errors[0]
        folder = rel.rpartition("/")[0]
        if folder not in self._dirs:
            os.makedirs(os.path.join(self.root, folder), exist_ok=True)
            self._dirs.add(folder)
        data = text.encode("utf-8")
        if self._threads:
            self._queue.put((os.path.join(self.root, rel), data))
        else:
            with open(os.path.join(self.root, rel), "wb") as f:
                f.write(data)
        self.files += 1
        self.bytes += len(data)

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._errors:
                continue
            try:
                with open(item[0], "wb") as f:
                    f.write(item[1])
            except BaseException as exc:  # reported by close()
                self._errors.append(exc)

    def close(self) -> None:
        """Wait for every file to be written; raise the first error, if any."""
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join()
        if self._errors:
            raise self._errors[0]


@dataclass
class Department:
    id: str
    name: str
    short: str
    kind: str
    categories: tuple[str, ...]
    judicial: str


@dataclass
class Staff:
    id: str
    name: str
    role: str


@dataclass
class Enterprise:
    id: str
    name: str
    scale: str
    team: int
    joined: dt.date
    last: dt.date  # last day it is in the library (left, or the end of the period)


@dataclass
class IssueFacts:
    """What rectifications need to know about an issue."""

    id: str
    raised: dt.date
    category: str
    template: int
    departments: tuple[str, ...]
    responsible: str
    resolved: dt.date | None  # first resolved date within the period
    limit: int
    last: dt.date  # the last day its enterprise is in the library: nothing is done for it later (E409)


class Generator:
    """Draws every record from one random stream, in a fixed order, and writes it."""

    def __init__(self, out: Path, scale: Scale) -> None:
        self.scale = scale
        self.rng = random.Random(scale.seed)
        self.w = Writer(out)
        self.start = scale.start
        self.end = scale.end
        self.span = (self.end - self.start).days
        self.private_names: set[str] = set()  # contact names: must stay out of public text
        self.private: list[str] = []

    # -- small draws -----------------------------------------------------------------

    def pick(self, weighted: tuple[tuple[str, float], ...]) -> str:
        return self.rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]

    def day_between(self, first: dt.date, last: dt.date) -> dt.date:
        if last <= first:
            return first
        return first + ONE_DAY * self.rng.randint(0, (last - first).days)

    def person_name(self) -> str:
        rng = self.rng
        surname = rng.choice(SURNAMES)
        pool = GIVEN if rng.random() > 0.03 else RARE_GIVEN
        if rng.random() < 0.7:
            return surname + rng.choice(pool) + rng.choice(GIVEN)
        return surname + rng.choice(pool)

    def phone(self, series: int, number: int) -> str:
        prefixes = ("138", "139", "137", "136", "135", "150", "151", "152", "158", "159")
        prefix = prefixes[(number // 10000 + 5 * series) % len(prefixes)]
        return f"{prefix}0000{number % 10000:04d}"

    # -- records ---------------------------------------------------------------------

    def run(self) -> Writer:
        try:
            self.records()
        finally:
            self.w.close()
        return self.w

    def records(self) -> None:
        self.config()
        self.calendars()
        self.departments()
        self.staff_and_teams()
        self.enterprises()
        self.visits()
        self.issues()
        self.rectifications()
        self.legal()
        self.bulletins()

    def config(self) -> None:
        self.w.put(
            "config.yaml",
            f"""office: "川汇区“万人助万企”活动领导小组办公室"
office_short: "川汇区“万人助万企”活动领导小组办公室"
district: "川汇区"
doc_prefix: "川助企"
campaign_start: {self.start.isoformat()}
recipients: "各乡镇（街道）、区直各有关单位"
cc: "区委办公室，区人大办公室，区政府办公室，区政协办公室"
day_kind: working
default_time_limit_days: 15
response_days: 3
satisfaction: both
ranking_weights:
  resolution_rate: 0.4
  on_time_rate: 0.3
  satisfaction_rate: 0.3
ranking_min_issues: 3
missing_glyphs: error
""",
        )

    def calendars(self) -> None:
        # deadlines counted in working days can run past the period: cover the next year too
        for year in range(self.start.year, self.end.year + 2):
            source, holidays, workdays = calendar_days(year)
            lines = [f"year: {year}", "holidays:"]
            lines += [f"  - {d.isoformat()}" for d in holidays]
            lines.append("workdays:")
            lines += [f"  - {d.isoformat()}" for d in workdays]
            lines.append(f"source: {q(source)}")
            self.w.put(f"calendar/{year}.yaml", "\n".join(lines) + "\n")

    def departments(self) -> None:
        n = self.scale.departments
        self.depts: list[Department] = []
        for i in range(n):
            if i < len(DEPARTMENTS):
                name, short, kind, cats, judicial = DEPARTMENTS[i]
            else:
                k = i - len(DEPARTMENTS) + 1
                name = f"川汇区助企服务专班第{cn_number(k)}组"
                short = f"专班{cn_number(k)}组"
                kind, cats, judicial = "其他", ("其他",), ""
            self.depts.append(Department(pad("D", i + 1, n, 2), name, short, kind, cats, judicial))
        self.courts = [d for d in self.depts if d.judicial == "court"]
        self.procuratorates = [d for d in self.depts if d.judicial == "procuratorate"]
        self.admin_depts = [d for d in self.depts if d.kind in ("行政部门", "公用事业", "园区")]
        self.by_category: dict[str, list[Department]] = {}
        for category in ALL_CATEGORIES:
            found = [d for d in self.depts if category in d.categories]
            self.by_category[category] = found or self.admin_depts
        for d in self.depts:
            ranked = "false" if d.judicial else "true"
            text = f"id: {d.id}\nname: {q(d.name)}\nshort_name: {q(d.short)}\ntype: {d.kind}\nranked: {ranked}\n"
            self.w.put(f"departments/{d.id}.yaml", text)

    def staff_and_teams(self) -> None:
        rng = self.rng
        sc = self.scale
        self.staff: list[Staff] = []
        lines_of: list[str] = []

        def add(role: str, unit: str, dept: Department | None) -> Staff:
            number = len(self.staff) + 1
            person = Staff(pad("S", number, sc.staff, 3), self.person_name(), role)
            self.staff.append(person)
            text = f"id: {person.id}\nname: {q(person.name)}\nrole: {role}\nunit: {q(unit)}\n"
            if dept is not None:
                text += f"department: {dept.id}\n"
            if rng.random() < 0.95:
                text += f"phone: {q(self.phone(0, number))}\n"
            if rng.random() < 0.03:
                text += f"notes: {q(rng.choice(STAFF_NOTES))}\n"
            lines_of.append(text)
            return person

        self.teams: list[tuple[Staff, Staff, Staff, Staff]] = []
        for _ in range(sc.teams):
            home = rng.choice(self.admin_depts)
            leader = add("处级领导", home.name + rng.choice(LEADER_POSTS), home)
            other = rng.choice(self.admin_depts)
            chief = add("首席服务官", other.name + rng.choice(CHIEF_POSTS), other)
            court = rng.choice(self.courts)
            judge = add("驻企法官", court.name + rng.choice(COURT_POSTS), court)
            proc = rng.choice(self.procuratorates)
            procurator = add("驻企检察官", proc.name + rng.choice(PROCURATOR_POSTS), proc)
            self.teams.append((leader, chief, judge, procurator))
        self.liaisons: list[Staff] = []
        while len(self.staff) < sc.staff:
            r = rng.random()
            if r < 0.6:
                dept = rng.choice(self.depts)
                self.liaisons.append(add("联络员", dept.name + "工作人员", dept))
            elif r < 0.8:
                add("办公室", "川汇区“万人助万企”活动领导小组办公室工作人员", None)
            else:
                dept = rng.choice(self.admin_depts)
                add("首席服务官", dept.name + rng.choice(CHIEF_POSTS), dept)
        for person, text in zip(self.staff, lines_of, strict=True):
            self.w.put(f"staff/{person.id}.yaml", text)
        for i, (leader, chief, judge, procurator) in enumerate(self.teams):
            tid = self.team_id(i)
            formed = self.start + ONE_DAY * (0 if rng.random() < 0.8 else rng.randint(1, 20))
            self.w.put(
                f"teams/{tid}.yaml",
                f"id: {tid}\nname: {q(f'第{cn_number(i + 1)}服务队')}\nleader: {leader.id}\n"
                f"chief_officer: {chief.id}\njudge: {judge.id}\nprocurator: {procurator.id}\n"
                f"formed: {formed.isoformat()}\n",
            )

    def team_id(self, index: int) -> str:
        return pad("T", index + 1, self.scale.teams, 2)

    def enterprise_name(self, used: set[str], words: tuple[str, ...]) -> str:
        rng = self.rng
        for attempt in range(1000):
            place = self.pick(NAME_PLACES)
            brand = rng.choice(BRAND_CHARS) + rng.choice(BRAND_CHARS)
            if attempt > 50:  # crowded: a three-character trade name
                brand += rng.choice(BRAND_CHARS)
            name = place + brand + rng.choice(words) + self.pick(NAME_SUFFIXES)
            if brand[0] != brand[1] and name not in used:
                used.add(name)
                return name
        raise RuntimeError("could not find a fresh enterprise name")  # pragma: no cover

    def uscc(self, used: set[str]) -> str:
        rng = self.rng
        org_chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        while True:
            # 9 (工商) 1 (企业) + 411602 (川汇区) + organisation code with its own check digit
            head = "".join(rng.choice(org_chars) for _ in range(8))
            values = [int(c) if c.isdigit() else ord(c) - 55 for c in head]
            check = 11 - sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
            org = head + ("X" if check == 10 else "0" if check == 11 else str(check))
            first17 = "91411602" + org
            assert all(c in USCC_ALPHABET for c in first17)
            code = first17 + uscc_check_character(first17)
            if code not in used:
                used.add(code)
                return code

    def enterprises(self) -> None:
        rng = self.rng
        n = self.scale.enterprises
        names: set[str] = set()
        codes: set[str] = set()
        industry_weights = [w for _, _, w in INDUSTRIES]
        park_names = [p for p, _ in PARKS]
        park_weights = [w for _, w in PARKS]
        self.ents: list[Enterprise] = []
        team_order = [i % self.scale.teams for i in range(n)]
        rng.shuffle(team_order)
        for i in range(n):
            eid = pad("E", i + 1, n, 3)
            industry, words, _ = rng.choices(INDUSTRIES, industry_weights)[0]
            scale = self.pick(SCALE_WEIGHTS)
            name = self.enterprise_name(names, words)
            if rng.random() < 0.6:
                joined = self.start + ONE_DAY * min(self.span, rng.randint(0, 20))
            else:
                joined = self.day_between(self.start, self.end)
            left = None
            if rng.random() < 0.02 and (self.end - joined).days > 60:
                left = self.day_between(joined + ONE_DAY * 30, self.end)
            team = team_order[i]
            self.ents.append(Enterprise(eid, name, scale, team, joined, left or self.end))
            low, high = EMPLOYEES[scale]
            parts = [
                f"id: {eid}\nname: {q(name)}\nuscc: {q(self.uscc(codes))}\n"
                f"industry: {q(industry)}\n"
                f"park: {q(rng.choices(park_names, park_weights)[0])}\nscale: {scale}\n"
            ]
            if rng.random() < KEY_PROJECT[scale]:
                parts.append("key_project: true\n")
            elif rng.random() < 0.3:
                parts.append("key_project: false\n")
            if rng.random() < 0.9:
                low_i, high_i = INVESTMENT[scale]
                parts.append(f"investment_yuan: {rng.randint(low_i, high_i) * 10000}\n")
            if rng.random() < 0.95:
                parts.append(f"employees: {rng.randint(low, high)}\n")
            contact_name = self.person_name()
            self.private_names.add(contact_name)
            contact = f"contact:\n  name: {q(contact_name)}\n  phone: {q(self.phone(1, i))}\n"
            if rng.random() < 0.8:
                contact += f"  title: {q(rng.choice(CONTACT_TITLES))}\n"
            parts.append(contact)
            parts.append(f"team: {self.team_id(team)}\njoined: {joined.isoformat()}\n")
            if left:
                parts.append(f"left: {left.isoformat()}\n")
            if rng.random() < 0.05:
                parts.append(f"notes: {q(rng.choice(ENTERPRISE_NOTES))}\n")
            self.w.put(f"enterprises/{eid}.yaml", "".join(parts))
        weights = [SCALE_VISIT_WEIGHT[e.scale] for e in self.ents]
        self.ent_cum: list[float] = []
        total = 0.0
        for weight in weights:
            total += weight
            self.ent_cum.append(total)
        self.ents_by_joined = sorted(range(n), key=lambda k: (self.ents[k].joined, k))
        self.joined_sorted = [self.ents[k].joined for k in self.ents_by_joined]

    def some_enterprises(self, k: int) -> list[int]:
        return self.rng.choices(range(len(self.ents)), cum_weights=self.ent_cum, k=k)

    def visits(self) -> None:
        rng = self.rng
        n = self.scale.visits
        drafts = []
        for i, e in enumerate(self.some_enterprises(n)):
            ent = self.ents[e]
            drafts.append((self.day_between(ent.joined, ent.last), e, i))
        drafts.sort()
        kinds = [k for k, _ in VISIT_KINDS]
        kind_weights = [w for _, w in VISIT_KINDS]
        self.visits_of: list[list[tuple[dt.date, str, str]]] = [[] for _ in self.ents]
        for number, (date, e, _) in enumerate(drafts, start=1):
            vid = pad("V", number, n, 4)
            kind = rng.choices(kinds, kind_weights)[0]
            self.visits_of[e].append((date, vid, kind))
            leader, chief, judge, procurator = self.teams[self.ents[e].team]
            people = [chief]
            if rng.random() < 0.4:
                people.insert(0, leader)
            if kind == "送法进企业" or rng.random() < 0.2:
                people.append(judge)
            if kind == "送法进企业" or rng.random() < 0.2:
                people.append(procurator)
            if self.liaisons and rng.random() < 0.2:
                people.append(rng.choice(self.liaisons))
            topics = rng.sample(VISIT_TOPICS, 2)
            summary = (
                f"{rng.choice(VISIT_OPENINGS[kind])}，了解企业{topics[0]}和{topics[1]}情况。"
                f"{rng.choice(VISIT_OUTCOMES)}"
            )
            text = (
                f"id: {vid}\ndate: {date.isoformat()}\nenterprise: {self.ents[e].id}\nstaff:\n"
                + "".join(f"  - {p.id}\n" for p in people)
                + f"kind: {kind}\nsummary: {q(summary)}\n"
            )
            if rng.random() < 0.04:
                text += f"internal_notes: {q(rng.choice(VISIT_PRIVATE))}\n"
            self.w.put(f"visits/{month_of(date)}/{vid}.yaml", text)

    def issues(self) -> None:
        rng = self.rng
        n = self.scale.issues
        drafts = []
        src_names = [s for s, _ in SOURCES_WITHOUT_VISIT]
        src_weights = [w for _, w in SOURCES_WITHOUT_VISIT]
        for i, e in enumerate(self.some_enterprises(n)):
            ent = self.ents[e]
            seen = self.visits_of[e]
            if seen and rng.random() < 0.65:
                vdate, vid, vkind = rng.choice(seen)
                raised = min(ent.last, vdate + ONE_DAY * rng.choice((0, 0, 0, 0, 1, 2, 3)))  # ent.last ≤ end
                source = "座谈" if vkind == "座谈" else "走访"
                drafts.append((raised, e, i, vid, source))
            else:
                source = rng.choices(src_names, src_weights)[0]
                drafts.append((self.day_between(ent.joined, ent.last), e, i, "", source))
        drafts.sort()
        self.issue_facts: list[IssueFacts] = []
        for number, (raised, e, _, vid, source) in enumerate(drafts, start=1):
            self.issue(pad("Q", number, n, 4), raised, e, vid, source)

    def issue(self, qid: str, raised: dt.date, e: int, vid: str, source: str) -> None:
        rng = self.rng
        ent = self.ents[e]
        leader, chief, judge, procurator = self.teams[ent.team]
        category = self.pick(CATEGORY_WEIGHTS)
        t_index = rng.randrange(len(TEMPLATES[category]))
        title, description, resolution, _, _ = TEMPLATES[category][t_index]
        slots = {
            "road": rng.choice(ROADS),
            "n": rng.randint(2, 9),
            "m": rng.randint(1, 6),
            "amount": rng.choice((20, 30, 50, 80, 100, 150, 200, 300, 500, 800)),
        }
        lead = rng.choice(self.by_category[category])
        co: list[Department] = []
        for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):
            other = rng.choice(self.depts)
            if other is not lead and other not in co:
                co.append(other)
        if category == "法律":
            responsible = rng.choice((judge, procurator))
        else:
            responsible = chief if rng.random() < 0.85 else leader
        limit = TIME_LIMITS[category]
        if rng.random() < 0.3:
            limit = rng.choice((7, 10, 15, 20, 30, 45, 60, 90))
        deadline_style = rng.random()
        if deadline_style < 0.7:
            deadline: dt.date = raised + ONE_DAY * limit
            limit_text = f"deadline: {deadline.isoformat()}\n"
        elif deadline_style < 0.9:
            limit_text = f"time_limit_days: {limit}\n"
            deadline = raised + ONE_DAY * (limit * 7 // 5 + 2)  # about that many working days
        else:
            limit_text = ""
            deadline = raised + ONE_DAY * 21  # the office default: 15 working days
            limit = 21
        level_text = ""
        if rng.random() < 0.03:
            level_text = "level: 市级\n"
        elif rng.random() < 0.1:
            level_text = "level: 区级\n"

        history, final, first_resolved, rating = self.lifecycle(raised, deadline, max(limit, 1), lead, co, category)
        if rating is not None and rating[0] > ent.last:  # no rating after the enterprise left (E409)
            rating = None
        parts = [f"id: {qid}\nenterprise: {ent.id}\nraised: {raised.isoformat()}\nsource: {source}\n"]
        if vid:
            parts.append(f"visit: {vid}\n")
        parts.append(
            f"category: {category}\ntitle: {q(title.format(**slots))}\n"
            f"description: {q(description.format(**slots))}\n{level_text}"
            f"lead_department: {lead.id}\n"
        )
        if co:
            parts.append("co_departments:\n" + "".join(f"  - {d.id}\n" for d in co))
        parts.append(f"responsible: {responsible.id}\n{limit_text}history:\n")
        for date, status, level, note in history:
            entry = f"  - date: {date.isoformat()}\n    status: {status}\n"
            if level:
                entry += f"    level: {level}\n"
            if note:
                entry += f"    note: {q(note)}\n"
            parts.append(entry)
        if final in ("已解决", "销号"):
            if history_answered(history):
                parts.append(f"resolution: {q(rng.choice(ANSWER_NOTES))}\n")
            else:
                parts.append(f"resolution: {q(resolution.format(**slots))}\n")
        elif final == "已答复":
            parts.append(f"resolution: {q(rng.choice(ANSWER_NOTES))}\n")
        if rating is not None:
            rdate, result = rating
            parts.append(f"rating:\n  date: {rdate.isoformat()}\n  result: {result}\n")
            if rng.random() < 0.5:
                parts.append(f"  comment: {q(rng.choice(RATING_COMMENTS[result]))}\n")
        if rng.random() < 0.03:
            parts.append(f"internal_notes: {q(rng.choice(ISSUE_PRIVATE))}\n")
        self.w.put(f"issues/{month_of(raised)}/{qid}.yaml", "".join(parts))
        self.issue_facts.append(
            IssueFacts(
                qid,
                raised,
                category,
                t_index,
                (lead.id, *(d.id for d in co)),
                responsible.id,
                first_resolved,
                limit,
                ent.last,
            )
        )

    def lifecycle(
        self,
        raised: dt.date,
        deadline: dt.date,
        limit: int,
        lead: Department,
        co: list[Department],
        category: str,
    ) -> tuple[
        list[tuple[dt.date, str, str, str]],
        str,
        dt.date | None,
        tuple[dt.date, str] | None,
    ]:
        """A planned history, cut at the end of the period.

        Returns (entries, final status, first resolved date, rating) where an entry is
        (date, status, level, note).
        """
        rng = self.rng
        plan: list[tuple[dt.date, str, str, str]] = [(raised, "问题收集", "", "")]
        day = raised

        def step(days: int, status: str, note: str = "", level: str = "") -> None:
            nonlocal day
            day = day + ONE_DAY * max(0, days)
            plan.append((day, status, level, note))

        def progress(until: dt.date) -> None:
            """Progress notes (办理中) and maybe a reminder and an escalation, up to ``until``."""
            gap = (until - day).days
            last_note = plan[-1][3]
            notes = [n for n in PROGRESS_NOTES if n != last_note]
            for note in rng.sample(notes, rng.choice((0, 0, 1, 1, 2))):
                if gap <= 2:
                    break
                hop = rng.randint(1, max(1, gap // 3))
                gap -= hop
                step(hop, "办理中", note)

        outcome = rng.random()
        if outcome < 0.04:  # answered straight away: cannot be done, the enterprise is told
            step(rng.randint(0, 5), "已答复", rng.choice(ANSWER_NOTES))
            if rng.random() < 0.6:
                step(rng.randint(1, 10), "销号", "企业认可答复，予以销号。")
            return self._finish(plan, answered=True)
        co_text = f"，{'、'.join(d.short for d in co)}配合" if co else ""
        step(rng.choice((0, 0, 1, 1, 1, 2, 3, 5)), "分办交办", f"交{lead.short}牵头办理{co_text}。")
        if rng.random() < 0.9:
            step(rng.randint(0, 4), "办理中", rng.choice(PROGRESS_NOTES))
        late = rng.random() < 0.18
        if late:
            target = deadline + ONE_DAY * rng.randint(1, max(2, limit))
        else:
            target = raised + ONE_DAY * rng.randint(max(1, limit // 5), max(1, limit))
        if outcome < 0.62:  # resolved, usually closed
            if plan[-1][1] == "分办交办" and rng.random() < 0.5:
                pass  # solved right away: 分办交办 → 已解决
            else:
                if plan[-1][1] == "分办交办":
                    step(rng.randint(0, 2), "办理中", rng.choice(PROGRESS_NOTES))
                progress(target)
                if late and deadline > day and rng.random() < 0.5:
                    step((deadline - day).days + 1, "办理中", rng.choice(OVERDUE_NOTES))
            step((target - day).days, "已解决", "问题已解决。")
            if rng.random() < 0.03:  # the enterprise says it is not solved: back to work
                step(rng.randint(1, 5), "办理中", "企业反映问题仍未彻底解决，重新办理。")
                step(rng.randint(3, 20), "已解决", "问题已彻底解决。")
            if rng.random() < 0.88:
                step(rng.randint(1, 15), "销号", "企业确认，予以销号。")
        elif outcome < 0.70:  # answered after looking into it
            if plan[-1][1] == "分办交办":
                step(rng.randint(0, 2), "办理中", rng.choice(PROGRESS_NOTES))
            progress(target)
            step(max(0, (target - day).days), "已答复", rng.choice(ANSWER_NOTES))
            if rng.random() < 0.5:
                step(rng.randint(1, 10), "销号", "企业认可答复，予以销号。")
            return self._finish(plan, answered=True)
        elif outcome < 0.80:  # long-term
            step(rng.randint(3, max(4, limit)), "长期推进", rng.choice(LONG_TERM_NOTES))
            if rng.random() < 0.25:
                step(rng.randint(20, 90), "长期推进", self.escalation_note("市级"), "市级")
            for _ in range(rng.choice((0, 1, 2))):
                step(rng.randint(20, 60), "长期推进", "按推进计划持续推进。")
            if rng.random() < 0.2:
                step(rng.randint(30, 120), "已解决", "经持续推进，问题已解决。")
                step(rng.randint(1, 15), "销号", "企业确认，予以销号。")
        else:  # stuck: open past the deadline, supervised, sometimes escalated
            if plan[-1][1] == "分办交办":
                step(rng.randint(1, 4), "办理中", rng.choice(PROGRESS_NOTES))
            progress(deadline)
            if deadline > day:
                step((deadline - day).days + rng.randint(1, 10), "办理中", rng.choice(OVERDUE_NOTES))
            if rng.random() < 0.35:
                step(rng.randint(3, 20), "办理中", self.escalation_note("市级"), "市级")
                if rng.random() < 0.25:
                    step(rng.randint(10, 40), "办理中", self.escalation_note("省级"), "省级")
            if rng.random() < 0.3:  # finally solved, very late
                step(rng.randint(20, 120), "已解决", "经多方协调，问题已解决。")
                step(rng.randint(1, 15), "销号", "企业确认，予以销号。")
        return self._finish(plan, answered=False)

    def escalation_note(self, level: str) -> str:
        return self.rng.choice(ESCALATION_NOTES[level])

    def _finish(
        self, plan: list[tuple[dt.date, str, str, str]], answered: bool
    ) -> tuple[
        list[tuple[dt.date, str, str, str]],
        str,
        dt.date | None,
        tuple[dt.date, str] | None,
    ]:
        rng = self.rng
        history = [entry for entry in plan if entry[0] <= self.end]
        final = history[-1][1]
        first_resolved = next((d for d, s, _, _ in history if s in ("已解决", "销号")), None)
        rating = None
        if first_resolved is not None and final in ("已解决", "销号"):
            last = history[-1][0]
            if final == "销号" and rng.random() < 0.92:
                rdate: dt.date | None = last if rng.random() < 0.7 else None
                if rdate is None:
                    resolved_at = max(d for d, s, _, _ in history if s == "已解决" or s == "已答复")
                    rdate = self.day_between(max(resolved_at, first_resolved), last)
            elif final == "已解决" and rng.random() < 0.3:
                rdate = self.day_between(last, min(self.end, last + ONE_DAY * 10))
            else:
                rdate = None
            if rdate is not None:
                weights = ANSWER_RATING_WEIGHTS if answered else RATING_WEIGHTS
                rating = (rdate, self.pick(weights))
        return history, final, first_resolved, rating

    def rectifications(self) -> None:
        rng = self.rng
        n = self.scale.rectifications
        facts = self.issue_facts
        if not n:
            return
        # most action items belong to issues that were acted on: resolved ones first
        resolved = [k for k, f in enumerate(facts) if f.resolved is not None]
        drafts = []
        for i in range(n):
            pool = resolved if resolved and rng.random() < 0.8 else None
            k = rng.choice(pool) if pool else rng.randrange(len(facts))
            drafts.append((k, i))
        drafts.sort()
        for number, (k, _) in enumerate(drafts, start=1):
            f = facts[k]
            rid = pad("R", number, n, 4)
            _, _, _, action, evidence = TEMPLATES[f.category][f.template]
            action = action.format(road=rng.choice(ROADS))
            due = f.raised + ONE_DAY * rng.randint(max(1, f.limit // 3), max(1, f.limit))
            dept = f.departments[0] if rng.random() < 0.75 else rng.choice(f.departments)
            text = (
                f"id: {rid}\nissue: {f.id}\naction: {q(action)}\ndepartment: {dept}\n"
                f"responsible: {f.responsible}\ndue: {due.isoformat()}\n"
            )
            done = None
            if f.resolved is not None:
                done = self.day_between(f.raised, f.resolved)
            elif rng.random() < 0.3:
                done = self.day_between(f.raised, self.end)
            if done is not None and done > f.last:  # not after the enterprise left (E409)
                done = None
            if done is not None:
                text += f"done_on: {done.isoformat()}\n"
                if rng.random() < 0.8:
                    text += f"evidence: {q(evidence)}\n"
            self.w.put(f"rectifications/{rid}.yaml", text)

    def legal(self) -> None:
        rng = self.rng
        n = self.scale.legal
        kinds = list(LEGAL_SPEC)
        weights = [LEGAL_SPEC[k][0] for k in kinds]
        drafts = sorted((self.day_between(self.start, self.end), i, rng.choices(kinds, weights)[0]) for i in range(n))
        for number, (date, _, kind) in enumerate(drafts, start=1):
            lid = pad("L", number, n, 4)
            _, who, (low, high), descriptions = LEGAL_SPEC[kind]
            if who == "either":
                who = rng.choice(("court", "procuratorate"))
            unit = rng.choice(self.courts if who == "court" else self.procuratorates)
            text = f"id: {lid}\ndate: {date.isoformat()}\nunit: {unit.id}\nkind: {kind}\n"
            count = rng.randint(low, high)
            if count != 1 or rng.random() < 0.3:
                text += f"count: {count}\n"
            if kind == "追回款项":
                amount = rng.randint(200, 8000) * 100
                if rng.random() < 0.2:
                    text += f"amount_yuan: {amount + rng.randint(1, 99)}.{rng.randint(1, 9)}0\n"
                else:
                    text += f"amount_yuan: {amount}\n"
            # an enterprise already in the library on that day, if any
            known = bisect.bisect_right(self.joined_sorted, date)
            if known and rng.random() < 0.8:
                ent = self.ents[self.ents_by_joined[rng.randrange(known)]]
                if ent.last >= date:  # not one that has left (E409)
                    text += f"enterprise: {ent.id}\n"
            text += f"description: {q(rng.choice(descriptions))}\n"
            self.w.put(f"legal/{month_of(date)}/{lid}.yaml", text)

    def bulletins(self) -> None:
        # private values that could turn up in a bulletin's words (W603)
        self.private = [*sorted(self.private_names), *CONTACT_TITLES, *ISSUE_PRIVATE, *VISIT_PRIVATE]
        numbers: dict[int, int] = {}
        for m in range(self.scale.months):
            first = add_months(dt.date(self.start.year, self.start.month, 1), m)
            period = f"{first.year:04d}-{first.month:02d}"
            self.bulletin(
                f"{period}-monthly",
                "monthly",
                period,
                f"关于{first.year}年{first.month}月份“万人助万企”活动开展情况的通报",
                add_months(first, 1),
                numbers,
            )
            if first.month % 3 == 0 and m >= 2:
                quarter = first.month // 3
                qperiod = f"{first.year:04d}-Q{quarter}"
                self.bulletin(
                    f"{qperiod}-quarterly",
                    "quarterly",
                    qperiod,
                    f"关于{first.year}年第{cn_number(quarter)}季度“万人助万企”活动工作情况的点评",
                    add_months(first, 1),
                    numbers,
                )

    def bulletin(
        self,
        name: str,
        kind: str,
        period: str,
        title: str,
        next_month: dt.date,
        numbers: dict[int, int],
    ) -> None:
        rng = self.rng
        year = next_month.year  # the document number counts within the year it is issued
        numbers[year] = numbers.get(year, 0) + 1
        lines = [
            "---",
            f"kind: {kind}",
            f"period: {q(period)}",
            f"number: {numbers[year]}",
        ]
        # No ``issued`` date: an issued bulletin's figures are frozen by ``reportgen freeze``
        # into records/frozen/ (W607 otherwise), which is the tool's job, not the generator's.
        lines.append(f"title: {q(title)}")
        if rng.random() < 0.5:
            lines.append(f"recipients: {q('各乡镇（街道）、区直各有关单位')}")
        # Public text must not contain a private value (W603).  A contact's two-character
        # name can hide inside ordinary words (高新 in 高新区管委会): draw again if so.
        for _ in range(100):
            comments, body = self.bulletin_texts()
            public = body + "".join(c for _, c in comments)
            if not any(value in public for value in self.private):
                break
        else:  # pragma: no cover - would need a pathological vocabulary
            raise RuntimeError(f"cannot write {name} without a private value in it")
        lines.append("unit_comments:")
        for unit, comment in comments:
            lines.append(f"  - unit: {unit}\n    comment: {q(comment)}")
        lines.append("---")
        self.w.put(f"bulletins/{name}.md", "\n".join(lines) + "\n" + body)

    def bulletin_texts(self) -> tuple[list[tuple[str, str]], str]:
        """(unit comments, Markdown body) of a bulletin text."""
        rng = self.rng
        units = rng.sample(self.depts, min(2, len(self.depts)))
        comments = [(d.id, rng.choice(UNIT_COMMENTS)) for d in units]
        comments.append((self.team_id(rng.randrange(self.scale.teams)), rng.choice(UNIT_COMMENTS)))
        ent = self.ents[rng.randrange(len(self.ents))]
        category = self.pick(CATEGORY_WEIGHTS)
        case_title = TEMPLATES[category][rng.randrange(len(TEMPLATES[category]))][0].format(
            road=rng.choice(ROADS), n=3, m=2, amount=100
        )
        lead = rng.choice(self.by_category[category])
        body = [
            "",
            "## 工作亮点",
            "",
            "".join(rng.sample(BULLETIN_HIGHLIGHTS, 2)),
            "",
            "## 典型案例",
            "",
            f"{ent.name}反映“{case_title}”问题后，{lead.short}牵头办理，服务队全程跟踪，问题得到解决，企业表示满意。",
            "",
            "## 点评",
            "",
            "从本期情况看，多数单位能够按时办结交办问题，但仍有个别问题超期未办结，相关单位要高度重视、限期整改。",
            "",
            "## 下步工作",
            "",
            "\n".join(BULLETIN_NEXT),
            "",
        ]
        return comments, "\n".join(body)


def history_answered(history: list[tuple[dt.date, str, str, str]]) -> bool:
    """True when the issue was closed on an answer rather than a solution."""
    return any(status == "已答复" for _, status, _, _ in history) and not any(
        status == "已解决" for _, status, _, _ in history
    )


def generate(out: Path, scale: Scale, force: bool = False) -> Writer:
    """Write a complete records folder for ``scale`` into ``out`` (which must be empty)."""
    problems = scale.problems()
    if problems:
        raise ValueError("; ".join(problems))
    if out.exists() and any(out.iterdir()):
        if not force:
            raise FileExistsError(f"{out} is not empty (use --force to replace it)")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    return Generator(out, scale).run()
