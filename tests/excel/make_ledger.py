"""Write 问题清单台账.xlsx: an office's own ledger as offices really keep it (run: python tests/excel/make_ledger.py).

A merged title row above the header, a 序号 column, the office's own headers, phone
numbers stored as numbers (one typed with full-width digits), dates as Excel date cells,
serial numbers and text in several Chinese forms, free-text progress with dates and
the office's wording (已办结, 正在办理), trailing empty rows.  import-map.yaml beside it
maps the headers and words onto the records.  Fixed workbook times: the same bytes on
every run.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from reportgen.render.ledger_files import stable_zip
from reportgen.validate.identifiers import uscc_check_character

HERE = Path(__file__).resolve().parent
LEDGER = HERE / "问题清单台账.xlsx"


def uscc(first17: str) -> str:
    """A credit code with its right check character."""
    return first17 + uscc_check_character(first17)


COMPANY_A, COMPANY_B, COMPANY_C = "周口市恒达纺织有限公司", "周口市润丰食品有限公司", "河南瑞通物流有限公司"
# 企业名称, 统一社会信用代码, 所属行业, 所在园区, 企业规模, 联系人, 联系电话, 纳入时间
ENTERPRISES = [
    (
        COMPANY_A,
        uscc("91411602MA9H1A2B3"),
        "纺织服装",
        "川汇区产业集聚区",
        "中型",
        "李明",
        13800009001,
        dt.datetime(2021, 9, 1),
    ),
    (
        COMPANY_B,
        uscc("91411602MA9H1C4D5"),
        "食品加工",
        "周口高新区",
        "小型",
        "赵丽",
        13800009002,
        44445,
    ),  # a serial number: 2021-09-06
    (
        COMPANY_C,
        uscc("91411602MA9H1E6F7"),
        "现代物流",
        "川汇区东区",
        "中型",
        "孙强",
        "１３８００００９００３",
        "2021年9月10日",
    ),
]
# 企业名称, 反映时间, 问题类别, 问题概述, 具体问题, 牵头单位, 办理进展
ISSUES = [
    (
        COMPANY_A,
        "2021.9.3",
        "水电",
        "用电负荷不足",
        "新上织机后变压器容量不够。",
        "区供电公司",
        "9月6日已交办区供电公司；9月20日已办结，新增变压器已投运",
    ),
    (
        COMPANY_B,
        "2021年9月8日",
        "用地",
        "厂区扩建用地手续未办",
        "扩建厂房用地需办理规划许可。",
        "区自然资源局",
        "9月10日交办区自然资源局；9月15日正在办理",
    ),
    (
        COMPANY_C,
        44453,
        "用工",
        "缺少叉车司机",
        "旺季前需招聘叉车司机10名。",
        "区人社局",  # 2021-09-14
        "9月15日已交办区人社局；9月28日已办结，招聘会招到12名",
    ),
    (COMPANY_A, "2021/9/22", "融资", "流动资金贷款难", "需流动资金贷款500万元。", "区人社局", "9月24日已交办区人社局"),
]
COMPANY_HEADERS = ["序号", "企业名称", "统一社会信用代码", "所属行业", "所在园区", "企业规模", "联系人", "联系电话"]
ISSUE_HEADERS = ["序号", "企业名称", "反映时间", "问题类别", "问题概述", "具体问题", "牵头单位", "办理进展", "填报人"]


def ledger() -> Workbook:
    """The workbook: 企业名单 and 问题清单, each under a merged title row."""
    wb = Workbook()
    companies = wb.active
    companies.title = "企业名单"
    companies.append(["川汇区“万人助万企”服务企业名单（2021年9月）"])
    companies.merge_cells("A1:J1")
    companies.append(
        [
            "序号",
            "企业名称",
            "统一社会信用代码",
            "所属行业",
            "所在园区",
            "企业规模",
            "联系人",
            "联系电话",
            "纳入时间",
            "服务队伍",
        ]
    )
    for number, row in enumerate(ENTERPRISES, start=1):
        companies.append([number, *row, "第一服务队"])
    issues = wb.create_sheet("问题清单")
    issues.append(["川汇区“万人助万企”问题清单台账"])
    issues.merge_cells("A1:I1")
    issues.append(
        ["序号", "企业名称", "反映时间", "问题类别", "问题概述", "具体问题", "牵头单位", "办理进展", "填报人"]
    )
    for number, row in enumerate(ISSUES, start=1):
        issues.append([number, *row, "王芳"])
    for _ in range(3):
        issues.append([None] * 9)  # trailing empty rows, as a ledger copied from a longer one has
    props = wb.properties
    props.creator = props.lastModifiedBy = "川汇区助企办"
    props.created = props.modified = dt.datetime(2021, 10, 1)
    return wb


def ledger_bytes() -> bytes:
    """The ledger's bytes (deterministic)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(ledger(), archive).save()
    return stable_zip(buffer.getvalue())


if __name__ == "__main__":
    LEDGER.write_bytes(ledger_bytes())
    sys.stdout.write(f"wrote {LEDGER}\n")
