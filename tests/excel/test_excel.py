"""The Excel round trip: the fill-in workbook, importing it back, and importing an office's own ledger."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
from pathlib import Path

import pytest
from conftest import MINIMAL_FILES, OfficeRepo
from make_ledger import LEDGER, ledger_bytes
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from reportgen.commands.importer import run_import
from reportgen.commands.workbook import run_workbook
from reportgen.compute.periods import parse_period
from reportgen.compute.stats import StatsEngine
from reportgen.excel.layout import LOOKUP_SHEET, SHEETS
from reportgen.schema.types import Type

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
TODAY = dt.date(2021, 10, 8)
Place = tuple[str, str, int, int]  # (code, sheet, row, column)
_LOCATED = re.compile(r"^[^!\s]+!([^!]+)!([A-Z]+)(\d+): \S+ ([EW]\d{3}) ", re.M)
DEPARTMENTS = {
    "departments/D02.yaml": "id: D02\nname: 周口市自然资源和规划局川汇分局\nshort_name: 区自然资源局\ntype: 行政部门\n",
    "departments/D03.yaml": "id: D03\nname: 川汇区人力资源和社会保障局\nshort_name: 区人社局\ntype: 行政部门\n",
}


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by its relative path."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def workbook_of(office: OfficeRepo, tmp_path: Path, with_records: bool = True) -> Path:
    """The workbook of ``office`` written beside the records folder."""
    out = tmp_path / "填报模板.xlsx"
    assert run_workbook(office.root, out, with_records, io.StringIO()) == 0
    return out


def imported(source: Path, records: Path, **options: object) -> tuple[int, str]:
    """Run the import in this process: its exit code and everything it printed."""
    out = io.StringIO()
    code = run_import(source, records, today=TODAY, out=out, **options)  # type: ignore[arg-type]
    return code, out.getvalue()


def places(output: str) -> list[Place]:
    """Every problem the import printed, as (code, sheet, row, column)."""
    return [
        (code, sheet, int(row), column_index_from_string(col)) for sheet, col, row, code in _LOCATED.findall(output)
    ]


def edit(path: Path, sheet: str, cells: dict[str, object], line: tuple[int, list[object]] | None = None) -> None:
    """Change cells of one sheet (and fill in one line: its row and values) as a clerk would in Excel."""
    wb = load_workbook(path)
    for ref, value in cells.items():
        wb[sheet][ref] = value
    if line is not None:
        for column, value in enumerate(line[1], start=1):
            wb[sheet].cell(row=line[0], column=column, value=value)
    wb.save(path)


# -- the workbook ------------------------------------------------------------------------


def test_the_workbook_lists_exactly_the_schemas_choices_and_the_records_names(
    office: OfficeRepo, tmp_path: Path
) -> None:
    wb = load_workbook(workbook_of(office, tmp_path))
    lookup = wb[LOOKUP_SHEET]
    assert lookup.sheet_state == "hidden"
    assert wb.sheetnames == ["企业", "走访", "问题", "办理记录", "法治服务", LOOKUP_SHEET]
    names = {
        "enterprise": ["E001 富士康(周口)科技工业园"],
        "team": ["T01 第一服务队"],
        "department": ["D01 区供电公司"],
        "staff": ["S001 陈学磊", "S002 王芳", "S003 李强", "S004 赵敏"],
    }
    for sheet in SHEETS:
        ws = wb[sheet.title]
        lists = {}
        for validation in ws.data_validations.dataValidation:
            if validation.type == "list":
                column = column_index_from_string(str(validation.sqref).split(":")[0].rstrip("0123456789"))
                cells = validation.formula1.removeprefix(f"{LOOKUP_SHEET}!").replace("$", "")
                lists[ws.cell(row=1, column=column).value] = [c.value for (c,) in lookup[cells]]
        expected = {}
        for column in sheet.columns:
            field = column.field
            if field.type is Type.ENUM:
                expected[column.header] = list(field.choices)
            elif field.type is Type.BOOL:
                expected[column.header] = ["是", "否"]
            elif field.type is Type.REF and field.ref in names:
                expected[column.header] = names[field.ref]
        assert lists == expected, sheet.title
        assert ws.freeze_panes == "A2"
    issues = wb["问题"]
    assert [c.value for c in issues[1]][:4] == ["编号", "＊企业", "＊提出日期", "＊发现途径"]
    assert issues["B1"].comment.text == "反映问题的企业。必填。例如：E001"
    assert issues["C2"].value == dt.datetime(2021, 8, 5) and issues["C2"].number_format == "yyyy-mm-dd"
    enterprises = wb["企业"]
    assert (enterprises["K1"].value, enterprises["K2"].value, enterprises["K2"].number_format) == (
        "联系人·电话",
        "13800000001",
        "@",
    )
    assert enterprises["C2"].number_format == "@"


def test_the_workbook_is_the_same_bytes_every_time(office: OfficeRepo, tmp_path: Path) -> None:
    first = workbook_of(office, tmp_path).read_bytes()
    assert workbook_of(office, tmp_path).read_bytes() == first


def test_the_workbook_is_never_written_over_records_or_another_file(office: OfficeRepo, tmp_path: Path) -> None:
    err = io.StringIO()
    assert run_workbook(office.root, office.root / "模板.xlsx", False, err) == 2
    assert run_workbook(office.root, tmp_path / "说明.docx", False, err) == 2
    (tmp_path / "目录.xlsx").mkdir()
    assert run_workbook(office.root, tmp_path / "目录.xlsx", False, err) == 2
    assert not (office.root / "模板.xlsx").exists()
    assert err.getvalue().count("拒绝写入") == 3


# -- the round trip ------------------------------------------------------------------------


def test_export_then_import_of_the_sample_records_changes_no_file(tmp_path: Path) -> None:
    records = tmp_path / "records"
    shutil.copytree(ROOT / "records", records)
    before = snapshot(records)
    out = tmp_path / "填报模板.xlsx"
    assert run_workbook(records, out, True, io.StringIO()) == 0
    code, output = imported(out, records)
    assert code == 0, output
    assert output.splitlines()[-1] == "共 430 条记录：写入 0 个文件，430 条没有变化"
    assert snapshot(records) == before


def test_an_edited_cell_changes_exactly_that_field(office: OfficeRepo, tmp_path: Path) -> None:
    path = workbook_of(office, tmp_path)
    issue = office.root / "issues/2021-08/Q0001.yaml"
    issue.write_text("# 一条说明\n" + issue.read_text("utf-8"), encoding="utf-8")
    before = issue.read_text("utf-8").splitlines()
    edit(path, "问题", {"G2": "需增加第二路 10 千伏供电线路"})
    code, output = imported(path, office.root)
    assert code == 0, output
    assert "已修改问题 Q0001" in output and output.endswith("写入 1 个文件，3 条没有变化\n")
    after = issue.read_text("utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [("title: 需增加第二路供电线路", "title: 需增加第二路 10 千伏供电线路")]
    assert office.found() == []


def test_history_lines_and_new_rows(office: OfficeRepo, tmp_path: Path) -> None:
    path = workbook_of(office, tmp_path)
    new = [None, "E001 富士康(周口)科技工业园", "2021.9.5", "走访", None, "用工", "缺少技工", "需招聘技工20名。"]
    edit(path, "问题", {}, (3, [*new, None, "D01 区供电公司"]))
    edit(path, "办理记录", {}, (7, ["Q0002", "2021年9月5日", "问题收集"]))
    edit(path, "办理记录", {}, (8, ["Q0002 缺少技工", "2021年9月6日", "分办交办", None, "交区供电公司。"]))
    code, output = imported(path, office.root)
    assert code == 0, output
    text = (office.root / "issues/2021-09/Q0002.yaml").read_text("utf-8")
    assert "raised: 2021-09-05\n" in text
    assert text.endswith(
        "history:\n  - date: 2021-09-05\n    status: 问题收集\n"
        "  - date: 2021-09-06\n    status: 分办交办\n    note: 交区供电公司。\n"
    )
    assert office.found() == []


# -- problems, each at its cell, and nothing written -----------------------------------------


def test_every_problem_is_shown_at_its_cell_and_nothing_is_written(office: OfficeRepo, tmp_path: Path) -> None:
    path = workbook_of(office, tmp_path)
    row = [None, "E001", "2021年13月5日", "走访", None, "水点", "缺少技工", "需招聘技工。", None, "D01"]
    edit(path, "问题", {"T1": "备用"}, (3, row))
    repeat = [None, "E001", "2021-8-5", "走访", None, "水电", "需增加第二路供电线路", "重复。", None, "D01"]
    edit(path, "问题", {}, (4, repeat))
    edit(path, "办理记录", {}, (7, ["Q9999", "2021-09-01", "办理中"]))
    edit(path, "企业", {"C2": "91411602MA9GJ8QX71"})
    wb = load_workbook(path)
    wb.create_sheet("填表说明")["A1"] = "请按表头填写。"
    wb.save(path)
    before = snapshot(office.root)
    code, output = imported(path, office.root)
    assert code == 1
    assert places(output) == [
        ("E502", "企业", 2, 3),
        ("W741", "问题", 1, 20),
        ("E201", "问题", 3, 1),
        ("E205", "问题", 3, 3),
        ("E204", "问题", 3, 6),
        ("E553", "问题", 4, 1),
        ("E554", "办理记录", 7, 1),
        ("W742", "填表说明", 1, 1),
    ]
    assert "填报模板.xlsx!问题!F3: 错误 E204 " in output
    assert output.endswith("有错误，没有写入任何文件；改正后重新导入。\n")
    assert snapshot(office.root) == before


def test_a_sheet_without_a_header_is_e551(office: OfficeRepo, tmp_path: Path) -> None:
    path = tmp_path / "走访.csv"
    path.write_text("走访情况汇总\n甲,乙,丙\n", encoding="utf-8")
    code, output = imported(path, office.root, kind="visit")
    assert (code, places(output)) == (1, [("E551", "走访", 1, 1)])


# -- CSV files, GBK, a dry run ------------------------------------------------------------------


def _legal_csv(encoding: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["日期", "单位", "类别", "数量", "情况"])
    writer.writerow(["2021/9/9", "区供电公司", "法治讲座", "２", "为园区企业讲授劳动合同法。"])
    return buffer.getvalue().encode(encoding)


def test_a_gbk_csv_is_converted_with_a_warning(office: OfficeRepo, tmp_path: Path) -> None:
    path = tmp_path / "法治服务台账.csv"
    path.write_bytes(_legal_csv("gbk"))
    code, output = imported(path, office.root, kind="legal")
    assert (code, places(output)) == (0, [("W743", "法治服务台账", 1, 1)])
    text = (office.root / "legal/2021-09/L0002.yaml").read_text("utf-8")
    assert "unit: D01\n" in text and "count: 2\n" in text and "description: 为园区企业讲授劳动合同法。\n" in text
    assert office.found() == []


def test_a_dry_run_says_what_it_would_write_and_writes_nothing(office: OfficeRepo, tmp_path: Path) -> None:
    path = tmp_path / "法治服务台账.csv"
    path.write_bytes(_legal_csv("utf-8"))
    before = snapshot(office.root)
    code, output = imported(path, office.root, kind="legal", dry_run=True)
    assert code == 0
    assert output == (
        f"将新建法治服务 L0002 {office.root}/legal/2021-09/L0002.yaml（法治服务台账 第2行）\n"
        "共 1 条记录：写入 1 个文件，0 条没有变化（试运行，没有写入文件）\n"
    )
    assert snapshot(office.root) == before


# -- an office's own ledger ------------------------------------------------------------------


def _cells(data: bytes) -> list[tuple[str, list[str], list[tuple[object, ...]]]]:
    wb = load_workbook(io.BytesIO(data))
    return [(ws.title, sorted(map(str, ws.merged_cells.ranges)), list(ws.iter_rows(values_only=True))) for ws in wb]


def test_the_shipped_ledger_is_the_generators_output() -> None:
    # cell by cell: openpyxl writes the same XML with other namespace prefixes when lxml is loaded
    assert _cells(LEDGER.read_bytes()) == _cells(ledger_bytes())


def test_an_office_ledger_imports_into_valid_records_with_the_figures_worked_out_by_hand(office: OfficeRepo) -> None:
    for rel, text in DEPARTMENTS.items():
        office.write(rel, text)
    code, output = imported(LEDGER, office.root, mapping_file=HERE / "import-map.yaml")
    assert code == 0, output
    assert output.splitlines()[-1] == "共 7 条记录：写入 7 个文件，0 条没有变化"
    assert office.found() == []
    issue = (office.root / "issues/2021-09/Q0002.yaml").read_text("utf-8")
    assert issue.endswith(
        "history:\n  - date: 2021-09-03\n    status: 问题收集\n"
        "  - date: 2021-09-06\n    status: 分办交办\n    note: 9月6日已交办区供电公司\n"
        "  - date: 2021-09-20\n    status: 已解决\n    note: 9月20日已办结，新增变压器已投运\n"
    )
    assert 'phone: "13800009003"' in (office.root / "enterprises/E004.yaml").read_text("utf-8")
    # by hand: Q0001 (August, resolved) and the ledger's four September issues: Q0002 raised 9月3日,
    # due 9月18日 (15 days), resolved 9月20日 (late, 17 days); Q0003 in progress, due 9月23日 (overdue
    # on 9月30日); Q0004 raised 9月14日, resolved 9月28日 (on time, 14 days); Q0005 assigned, due 10月7日.
    figures = StatsEngine(office.check().records).stats(parse_period("2021-09")).to_json()
    month, total = figures["in_period"], figures["cumulative"]
    assert (month["enterprises_in_library"], month["enterprises_joined"]) == (4, 3)
    assert (month["issues_identified"], month["issues_resolved"], month["issues_open"]) == (4, 2, 2)
    assert (month["issues_overdue"], month["issues_finished_late"]) == (1, 1)
    assert month["median_days_to_resolve"] == 15.5
    assert (total["issues_identified"], total["issues_resolved"], total["resolution_rate"]) == (5, 3, 0.6)
    assert [row.issue for row in StatsEngine(office.check().records).stats(parse_period("2021-09")).overdue] == [
        "Q0003"
    ]
    before = snapshot(office.root)
    code, output = imported(LEDGER, office.root, mapping_file=HERE / "import-map.yaml")
    assert (code, output.splitlines()[-1]) == (0, "共 7 条记录：写入 0 个文件，7 条没有变化")
    assert snapshot(office.root) == before


def test_a_progress_note_without_a_date_is_e552(office: OfficeRepo, tmp_path: Path) -> None:
    mapping = tmp_path / "import-map.yaml"
    mapping.write_text(
        "sheets:\n  问题:\n    kind: issue\n    columns:\n      办理进展: progress\n"
        "    defaults:\n      source: 走访\n",
        encoding="utf-8",
    )
    path = tmp_path / "问题.csv"
    path.write_text(
        "企业,提出日期,问题类别,问题标题,问题描述,牵头单位,办理进展\n"
        "E001,2021-09-01,水电,电压不稳,电压波动大。,D01,9月2日已交办；正在协调\n",
        encoding="utf-8",
    )
    code, output = imported(path, office.root, mapping_file=mapping)
    assert (code, places(output)) == (1, [("E552", "问题", 2, 7)])


@pytest.mark.parametrize(
    "text",
    [
        *("2021.9.5", "2021年9月5日", "2021/9/5", "2021-9-5", "２０２１-９-５", 44444),
        *("2021/9/5 0:00", "2021-09-05 00:00:00", "2021-09-05 00:00"),  # a date cell saved as CSV with its time
    ],
)
def test_dates_in_the_forms_offices_write(text: object) -> None:
    from reportgen.excel.cells import read_date

    assert read_date(text) == dt.date(2021, 9, 5)


@pytest.mark.parametrize("text", ["2021-09-05 14:30", "2021-09-05 0:00 下午", "2021-13-05 00:00:00"])
def test_a_date_with_a_time_of_day_is_left_as_written(text: str) -> None:
    from reportgen.excel.cells import read_date

    assert read_date(text) == text  # the check says it is no date, at its cell


def test_the_commands_from_the_command_line(
    office: OfficeRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reportgen.cli import main

    out = tmp_path / "填报模板.xlsx"
    assert main(["workbook", "--out", str(out), str(office.root), "--with-records"]) == 0
    assert main(["import", str(out), str(office.root), "--dry-run"]) == 0
    assert capsys.readouterr().out == "共 4 条记录：写入 0 个文件，4 条没有变化（试运行，没有写入文件）\n"
    assert main(["import", str(tmp_path / "没有这个文件.xlsx"), str(office.root)]) == 2
    assert main(["workbook", "--out", str(office.root / "模板.xlsx"), str(office.root)]) == 2


def test_the_records_folder_named_dot_from_inside_it(
    office: OfficeRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``reportgen import 台账.csv .`` (or the folder's own path) in the records folder: checked in a copy, its
    problems at their cells, the kind by its Chinese name."""
    from reportgen.cli import main

    path = tmp_path / "问题.csv"
    path.write_text(
        "企业,提出日期,发现途径,问题类别,问题标题,问题描述,牵头单位\n"
        "E001,2021-09-01 00:00:00,走访,水电,电压不稳,电压波动大。,D09\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(office.root)
    for records in (".", str(office.root)):
        assert main(["import", str(path), records, "--kind", "问题", "--dry-run"]) == 1
        assert places(capsys.readouterr().out) == [("E302", "问题", 2, 7)]


def test_a_new_date_moves_the_file_to_its_months_folder(office: OfficeRepo, tmp_path: Path) -> None:
    path = workbook_of(office, tmp_path)
    edit(path, "法治服务", {"B2": "2021-09-02"})
    code, output = imported(path, office.root)
    assert code == 0, output
    assert not (office.root / "legal/2021-08/L0001.yaml").exists()
    moved = (office.root / "legal/2021-09/L0001.yaml").read_text("utf-8")
    assert moved == MINIMAL_FILES["legal/2021-08/L0001.yaml"].replace("2021-08-20", "2021-09-02")
    assert office.found() == []


def test_a_status_column_and_its_date_column_end_the_history(office: OfficeRepo, tmp_path: Path) -> None:
    mapping = tmp_path / "import-map.yaml"
    mapping.write_text(
        "sheets:\n  问题:\n    kind: issue\n    columns:\n      办理状态: history.status\n"
        "      状态日期: history.date\n    defaults:\n      source: 走访\nvalues:\n  已交办: 分办交办\n",
        encoding="utf-8",
    )
    path = tmp_path / "问题.csv"
    path.write_text(
        "企业,提出日期,问题类别,问题标题,问题描述,牵头单位,办理状态,状态日期\n"
        "E001,2021-09-01,水电,电压不稳,电压波动大。,D01,已交办,2021年9月3日\n"
        "E001,2021-09-02,水电,停电频繁,每周停电两次。,D01,已交办,9月\n",
        encoding="utf-8",
    )
    code, output = imported(path, office.root, mapping_file=mapping)
    assert (code, places(output)) == (1, [("E205", "问题", 3, 8)])
    path.write_text(path.read_text("utf-8").replace(",9月\n", ",2021-9-10\n"), encoding="utf-8")
    code, output = imported(path, office.root, mapping_file=mapping)
    assert code == 0, output
    assert (
        (office.root / "issues/2021-09/Q0002.yaml")
        .read_text("utf-8")
        .endswith("history:\n  - date: 2021-09-01\n    status: 问题收集\n  - date: 2021-09-03\n    status: 分办交办\n")
    )
