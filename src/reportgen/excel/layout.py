"""Which sheets and columns the fill-in workbook has, derived from the schema (``schema/kinds.py``).

A sheet per record kind, named by the kind's Chinese label; a column per field (a
mapping's fields each get their own column, ``联系人·电话``); an issue's dated history on a
sheet of its own, a line per entry, tied to the issue by its id.  The import reads the
same layout, so the headers here are the ones it recognises without a mapping file.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.schema.kinds import ENTERPRISE, EXAMPLE_FLAG, HISTORY_ENTRY, ISSUE, LEGAL, VISIT
from reportgen.schema.types import Field, Kind, Type

REQUIRED_MARK = "＊"
HISTORY = "history"
HISTORY_SHEET = "办理记录"
LOOKUP_SHEET = "选项"
ISSUE_ID = "issue_id"  # the history sheet's column naming the issue


@dataclass(frozen=True)
class Column:
    """One column: the field path it fills (``("contact", "phone")``), its schema field and header."""

    path: tuple[str, ...]
    field: Field
    label: str
    required: bool

    @property
    def header(self) -> str:
        """The header cell's text: the label, ``＊`` first when the field is required."""
        return f"{REQUIRED_MARK if self.required else ''}{self.label}"


@dataclass(frozen=True)
class Sheet:
    """One sheet: its title, the record kind its lines are, and its columns."""

    title: str
    kind: Kind
    columns: tuple[Column, ...]

    @property
    def is_history(self) -> bool:
        """True for the issues' history sheet (its lines are entries, not records)."""
        return self.title == HISTORY_SHEET


def _columns(kind: Kind) -> tuple[Column, ...]:
    """A column per field of ``kind``: the id first (left empty for a new record), mappings spread out."""
    columns: list[Column] = []
    for field in kind.fields:
        if field is EXAMPLE_FLAG or field.name == HISTORY:
            continue
        if field.type is Type.MAPPING:
            columns += [
                Column(
                    (field.name, child.name), child, f"{field.label}·{child.label}", field.required and child.required
                )
                for child in field.fields
            ]
        else:
            columns.append(Column((field.name,), field, field.label, field.required and field.name != "id"))
    return tuple(columns)


def _history_columns() -> tuple[Column, ...]:
    issue_id = Field(ISSUE_ID, Type.REF, "问题编号", "这条办理记录属于哪个问题。", "Q0001", required=True, ref="issue")
    children = tuple(Column((child.name,), child, child.label, child.required) for child in HISTORY_ENTRY.fields)
    return (Column((ISSUE_ID,), issue_id, issue_id.label, True), *children)


SHEETS: tuple[Sheet, ...] = (
    Sheet(ENTERPRISE.label, ENTERPRISE, _columns(ENTERPRISE)),
    Sheet(VISIT.label, VISIT, _columns(VISIT)),
    Sheet(ISSUE.label, ISSUE, _columns(ISSUE)),
    Sheet(HISTORY_SHEET, ISSUE, _history_columns()),
    Sheet(LEGAL.label, LEGAL, _columns(LEGAL)),
)
SHEETS_BY_TITLE: dict[str, Sheet] = {sheet.title: sheet for sheet in SHEETS}
IMPORT_KINDS = tuple(dict.fromkeys(sheet.kind.name for sheet in SHEETS))  # the kinds a sheet or CSV can hold
