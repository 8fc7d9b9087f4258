"""The example records ``reportgen init`` writes: a coherent mini office that passes ``check``.

Two departments, the four staff of one “1+3” team, one enterprise, a visit, the issue it
found, a rectification item, a legal service and a bulletin text, all dated on the
campaign's first day.  Names are placeholders (张三、李四 …) and phones obviously fictional.
Each carries ``example: true``, so that ``check`` warns (W630) until it is deleted or
rewritten.  The office's configuration and the calendar files are real data, not examples.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from reportgen.schema.kinds import EXAMPLE_FLAG, KINDS_BY_NAME
from reportgen.validate.identifiers import uscc_check_character
from reportgen.workflow.holidays import calendar_for, package_label, uncovered_note
from reportgen.workflow.recordfile import record_header, render_record

EXAMPLE_NOTE = (
    "这是 reportgen init 写入的示例记录：可以照着它填写新记录；"
    "正式发布前请删除这个文件，或改写成真实记录并删去“example: true”这一行。"
)
USCC_FIRST17 = "91411600MA0000001"  # fictional; the check character is computed
BULLETIN_BODY = """\
本月共走访企业 1 家，梳理问题 1 件。（示例：这里写本期的总体情况和主要做法。）

## 典型案例

（示例：一两个解决问题的典型事例。）

## 下步工作

（示例：下一步的工作安排。）
"""


@dataclass(frozen=True)
class Office:
    """What ``init`` asks for: the office, its district, its document-number prefix, the start date."""

    name: str
    district: str
    prefix: str
    start: dt.date


def example_records(office: Office, today: dt.date) -> dict[str, str]:
    """Path under records/ → file text, for every example record."""
    start = office.start
    month = f"{start.year:04d}-{start.month:02d}"
    files = {
        "config.yaml": _render("config", "", _config(office), show_optional=True),
        "departments/D01.yaml": _render("department", "D01", _department_power(office)),
        "departments/D02.yaml": _render("department", "D02", _department_court(office)),
        **{f"staff/{sid}.yaml": _render("staff", sid, values) for sid, values in _staff(office).items()},
        "teams/T01.yaml": _render("team", "T01", _team(start)),
        "enterprises/E001.yaml": _render("enterprise", "E001", _enterprise(office)),
        f"visits/{month}/V0001.yaml": _render("visit", "V0001", _visit(start)),
        f"issues/{month}/Q0001.yaml": _render("issue", "Q0001", _issue(start)),
        "rectifications/R0001.yaml": _render("rectification", "R0001", _rectification(start)),
        f"legal/{month}/L0001.yaml": _render("legal", "L0001", _legal(start)),
        f"bulletins/{month}-monthly.md": _render("bulletin", f"{month}-monthly", _bulletin(month), body=BULLETIN_BODY),
    }
    for year in calendar_years(office, today):
        files[f"calendar/{year}.yaml"] = calendar_text(year)
    return files


def calendar_years(office: Office, today: dt.date) -> list[int]:
    """The years ``init`` writes a calendar file for: the campaign's first and the current one."""
    return sorted({office.start.year, today.year})


def _render(kind_name: str, record_id: str, values: dict[str, Any], show_optional: bool = True, body: str = "") -> str:
    kind = KINDS_BY_NAME[kind_name]
    header = record_header(kind, record_id, EXAMPLE_NOTE if kind.field(EXAMPLE_FLAG.name) else "")
    if kind.field(EXAMPLE_FLAG.name):
        values = {**values, EXAMPLE_FLAG.name: True}
    return render_record(kind, values, header, show_optional=show_optional, body=body)


def calendar_text(year: int) -> str:
    """The calendar file of ``year``: the State Council's holidays, or empty lists with a note to fill them in."""
    kind = KINDS_BY_NAME["calendar"]
    known = calendar_for(year)
    if known is None:
        note = uncovered_note(year)
        values: dict[str, Any] = {"year": year, "holidays": [], "workdays": []}
    else:
        note = (
            f"{year} 年的放假和调休安排，依据{known.source}（由 {package_label()} 整理）；"
            "按工作日计算期限时使用。本地另有安排时直接在这里增删日期。"
        )
        values = {"year": year, "holidays": list(known.holidays), "workdays": list(known.workdays)}
        values["source"] = known.source
    header = [f"{kind.title}：{year} 年", kind.description, note]
    return render_record(kind, values, header, show_optional=False)


def _config(office: Office) -> dict[str, Any]:
    return {
        "office": office.name,
        "district": office.district,
        "doc_prefix": office.prefix,
        "campaign_start": office.start,
    }


def _department_power(office: Office) -> dict[str, Any]:
    return {"id": "D01", "name": f"{office.district}供电公司", "short_name": "供电公司", "type": "公用事业"}


def _department_court(office: Office) -> dict[str, Any]:
    return {"id": "D02", "name": f"{office.district}人民法院", "short_name": "法院", "type": "司法机关"}


def _staff(office: Office) -> dict[str, dict[str, Any]]:
    people = (
        ("S001", "张三", "处级领导", f"{office.district}发展和改革委员会", None, "13800000011"),
        ("S002", "李四", "首席服务官", f"{office.district}工业和信息化局", None, "13800000012"),
        ("S003", "王五", "驻企法官", f"{office.district}人民法院", "D02", "13800000013"),
        ("S004", "赵六", "驻企检察官", f"{office.district}人民检察院", None, "13800000014"),
    )
    result: dict[str, dict[str, Any]] = {}
    for sid, name, role, unit, department, phone in people:
        values: dict[str, Any] = {"id": sid, "name": name, "role": role, "unit": unit}
        if department:
            values["department"] = department
        values["phone"] = phone
        result[sid] = values
    return result


def _team(start: dt.date) -> dict[str, Any]:
    return {
        "id": "T01",
        "name": "第一服务队",
        "leader": "S001",
        "chief_officer": "S002",
        "judge": "S003",
        "procurator": "S004",
        "formed": start,
    }


def _enterprise(office: Office) -> dict[str, Any]:
    return {
        "id": "E001",
        "name": "示例科技有限公司",
        "uscc": USCC_FIRST17 + uscc_check_character(USCC_FIRST17),
        "industry": "电子信息",
        "park": f"{office.district}产业集聚区",
        "scale": "中型",
        "key_project": False,
        "employees": 300,
        "contact": {"name": "钱七", "phone": "13800000001", "title": "办公室主任"},
        "team": "T01",
        "joined": office.start,
    }


def _visit(start: dt.date) -> dict[str, Any]:
    return {
        "id": "V0001",
        "date": start,
        "enterprise": "E001",
        "staff": ["S002", "S003"],
        "kind": "走访",
        "summary": "了解企业生产经营情况和用电需求。",
    }


def _issue(start: dt.date) -> dict[str, Any]:
    return {
        "id": "Q0001",
        "enterprise": "E001",
        "raised": start,
        "source": "走访",
        "visit": "V0001",
        "category": "水电",
        "title": "厂区需增加一路供电线路",
        "description": "企业扩产后用电负荷增大，需要增加一路供电线路。",
        "lead_department": "D01",
        "responsible": "S002",
        "time_limit_days": 15,
        "history": [
            {"date": start, "status": "问题收集"},
            {"date": start, "status": "分办交办", "note": "交供电公司办理。"},
        ],
    }


def _rectification(start: dt.date) -> dict[str, Any]:
    return {
        "id": "R0001",
        "issue": "Q0001",
        "action": "架设第二路 10 千伏线路。",
        "department": "D01",
        "responsible": "S002",
        "due": start + dt.timedelta(days=15),
    }


def _legal(start: dt.date) -> dict[str, Any]:
    return {
        "id": "L0001",
        "date": start,
        "unit": "D02",
        "kind": "法治讲座",
        "count": 1,
        "enterprise": "E001",
        "description": "为企业讲授劳动合同法。",
    }


def _bulletin(month: str) -> dict[str, Any]:
    return {"kind": "monthly", "period": month, "number": 1, "recipients": "各乡镇（街道）、区直各有关单位"}
