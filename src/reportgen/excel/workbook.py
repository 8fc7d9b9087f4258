"""``reportgen workbook``: the fill-in workbook, built from the schema and (optionally) the records.

Choices, for the office guide: a reference cell shows the id and the name together
(“E001 富士康(周口)科技工业园”), picked from a list; the lists (every enum, yes/no, and
the records' names by kind) sit on a hidden sheet “选项”, one column each, so a long
list of enterprises fits (an inline list may hold only 255 characters).  A list of
references (a visit's staff) is typed as ids or names separated by “、”.  Bytes are
deterministic: fixed workbook times and zip entry times.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from reportgen.excel.cells import BOOL_CHOICES, Names, cell_value
from reportgen.excel.layout import HISTORY, ISSUE_ID, LOOKUP_SHEET, SHEETS, Column, Sheet
from reportgen.model import Records
from reportgen.render.ledger_files import stable_zip
from reportgen.schema.kinds import KINDS_BY_NAME
from reportgen.schema.types import Type

FIXED_TIME = dt.datetime(2021, 1, 1)
NAME_FIELDS = ("short_name", "name", "title")  # what people call a record, first found wins
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
MAX_ROWS = 1000  # validations and formats reach this far below the header
# how wide an empty template's columns are, by what they hold (filled ones fit their values)
TYPICAL_WIDTHS = {Type.TEXT: 24, Type.MARKDOWN: 40, Type.REF: 28, Type.LIST: 28, Type.USCC: 20, Type.PHONE: 13}


def record_names(records: Records | None) -> Names:
    """Every record's display name by kind, and the unique names back to ids."""
    shown: dict[str, dict[str, str]] = {}
    ids: dict[str, dict[str, str]] = {}
    for kind in KINDS_BY_NAME:
        found = records.of(kind) if records is not None else {}
        shown[kind] = {rid: display_name(r.data) for rid, r in sorted(found.items())}
        counts: dict[str, list[str]] = {}
        for rid, record in found.items():
            for key in NAME_FIELDS:
                if isinstance(record.get(key), str):
                    counts.setdefault(record.get(key), []).append(rid)
        ids[kind] = {name: rids[0] for name, rids in counts.items() if len(set(rids)) == 1}
    return Names(shown, ids)


def display_name(data: dict[str, Any]) -> str:
    """What people call a record: its short name, name or title (empty when it has none)."""
    return next((str(data[key]) for key in NAME_FIELDS if data.get(key)), "")


def choice_lists(names: Names) -> dict[str, tuple[str, ...]]:
    """The lists a cell may pick from, by the column they serve: enums, 是/否 and references."""
    lists: dict[str, tuple[str, ...]] = {"是否": BOOL_CHOICES}
    for sheet in SHEETS:
        for column in sheet.columns:
            key = list_key(column)
            if key is None or key in lists:
                continue
            if column.field.type is Type.ENUM:
                lists[key] = column.field.choices
            elif column.field.ref:
                lists[key] = tuple(
                    names.display(column.field.ref, rid) for rid in names.shown.get(column.field.ref, {})
                )
    return {key: values for key, values in lists.items() if values}


def list_key(column: Column) -> str | None:
    """The name of the list a column picks from (a reference kind's label, an enum's own name), or None."""
    field = column.field
    if field.type is Type.BOOL:
        return "是否"
    if field.type is Type.ENUM:
        return field.label
    if field.type is Type.REF and field.ref and field.ref not in ("visit", "issue"):
        return KINDS_BY_NAME[field.ref].label
    return None


def build_workbook(records: Records | None, names: Names, with_records: bool) -> bytes:
    """The workbook's bytes: a sheet per layout sheet, the hidden lists, pre-filled when asked."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    lists = choice_lists(names)
    ranges = _lookup_sheet(wb, lists)
    for sheet in SHEETS:
        rows = _rows(sheet, records, names) if with_records and records is not None else []
        _data_sheet(wb, sheet, rows, ranges)
    wb.move_sheet(LOOKUP_SHEET, offset=len(SHEETS))
    props = wb.properties
    props.title, props.creator, props.lastModifiedBy = "“万人助万企”填报模板", "reportgen", "reportgen"
    props.created = props.modified = FIXED_TIME
    return stable_zip(_save(wb))


def _save(workbook: Any) -> bytes:
    from openpyxl.writer.excel import ExcelWriter

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()  # Workbook.save would stamp the modified time with the clock
    return buffer.getvalue()


def _lookup_sheet(wb: Any, lists: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """The hidden sheet of lists, a column each; the cell range of each list by its key."""
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(LOOKUP_SHEET)
    ws.sheet_state = "hidden"
    ranges: dict[str, str] = {}
    for index, (key, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        ws.cell(row=1, column=index, value=key)
        for row, value in enumerate(values, start=2):
            ws.cell(row=row, column=index, value=value).number_format = TEXT_FORMAT
        ranges[key] = f"{LOOKUP_SHEET}!${letter}$2:${letter}${len(values) + 1}"
    return ranges


def _data_sheet(wb: Any, sheet: Sheet, rows: list[list[Any]], ranges: dict[str, str]) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    ws = wb.create_sheet(sheet.title)
    ws.append([column.header for column in sheet.columns])
    for row in rows:
        ws.append(row)
    last = max(MAX_ROWS, len(rows) + 1)
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        head = ws.cell(row=1, column=index)
        head.font = Font(bold=True, color="C00000" if column.required else "000000")
        head.fill = PatternFill("solid", fgColor="F2F2F2")
        head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[letter].width = _width(column, [row[index - 1] for row in rows])
        prompt = input_message(column)
        head.comment = Comment(prompt, "reportgen", width=300, height=120)
        cells = f"{letter}2:{letter}{last}"
        validation = DataValidation(showInputMessage=True, promptTitle=column.label[:32], prompt=prompt[:255])
        key = list_key(column)
        if key in ranges:
            validation.type, validation.formula1 = "list", ranges[key]
            validation.showErrorMessage = column.field.type is not Type.REF or not column.field.ref
        validation.add(cells)
        ws.add_data_validation(validation)
        number_format = _format(column)
        if number_format:  # the column's own format serves the lines typed in; filled lines get it cell by cell
            ws.column_dimensions[letter].number_format = number_format
            for (cell,) in ws.iter_rows(min_row=2, max_row=len(rows) + 1, min_col=index, max_col=index):
                cell.number_format = number_format
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 30


def input_message(column: Column) -> str:
    """The header's input message: what the field means and an example (the schema's words)."""
    field = column.field
    example = field.example
    if isinstance(example, list):
        example = "、".join(str(item) for item in example)
    if isinstance(example, bool):
        example = BOOL_CHOICES[0] if example else BOOL_CHOICES[1]
    required = "必填。" if column.required else "选填。"
    if column.path == ("id",):
        required = "新增的记录不填，导入时自动编号；修改已有记录时不要改动。"
    shown = f"例如：{example}" if example is not None else ""
    return f"{field.description}{required}{shown}"


def _format(column: Column) -> str | None:
    if column.field.type is Type.DATE:
        return DATE_FORMAT
    if column.field.type in (Type.PHONE, Type.USCC, Type.ID, Type.TEXT, Type.MARKDOWN, Type.REF, Type.LIST):
        return TEXT_FORMAT
    return None


def _width(column: Column, values: list[Any]) -> float:
    """A column as wide as its header and its longest value (Chinese characters count double), 10 to 50."""
    typical = TYPICAL_WIDTHS.get(column.field.type, 0)
    widest = max([_shown_width(column.header), typical, *(_shown_width(v) for v in values)])
    return float(min(50, max(10, widest + 2)))


def _shown_width(value: Any) -> int:
    text = value.isoformat() if isinstance(value, dt.date) else str(value) if value is not None else ""
    longest = max(text.splitlines() or [""], key=len)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in longest)


def _rows(sheet: Sheet, records: Records, names: Names) -> list[list[Any]]:
    """The current records as lines of ``sheet`` (the history sheet: an issue's entries, a line each)."""
    found = records.of(sheet.kind.name)
    if sheet.is_history:
        return [
            [_cell(entry if column.path != (ISSUE_ID,) else {ISSUE_ID: rid}, column, names) for column in sheet.columns]
            for rid, record in sorted(found.items())
            for entry in record.get(HISTORY, [])
        ]
    return [[_cell(record.data, column, names) for column in sheet.columns] for _, record in sorted(found.items())]


def _cell(data: dict[str, Any], column: Column, names: Names) -> Any:
    value: Any = data
    for key in column.path:
        value = value.get(key) if isinstance(value, dict) else None
    if column.path == (ISSUE_ID,):
        return value
    return cell_value(value, column.field, names)
