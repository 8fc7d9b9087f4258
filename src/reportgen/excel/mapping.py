"""``import-map.yaml``: how an office's own ledger maps onto the records, written once by the office.

sheets:
  问题清单:                 # the sheet's name (a CSV file: its file name without .csv)
    kind: issue             # which records its lines are
    columns:                # the ledger's header → the field (a mapping's field as contact.phone)
      企业名称: enterprise
      办理进展: progress      # free text with dates: each “9月5日……” becomes a history entry
      序号: ~                # left out
    defaults:               # values for fields the ledger has no column for (new records only)
      source: 走访
values:                     # the office's words → the schema's words
  已办结: 已解决
  正在办理: 办理中
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from reportgen.excel.layout import SHEETS
from reportgen.schema.kinds import KINDS_BY_NAME

PROGRESS = "progress"  # the free-text progress column of an issue
STATUS_DATE, STATUS = ("history", "date"), ("history", "status")  # a ledger's latest status and its date
ISSUE_PROGRESS_COLUMNS = ((PROGRESS,), STATUS_DATE, STATUS)
IMPORT_KINDS = tuple(dict.fromkeys(sheet.kind.name for sheet in SHEETS))


class MappingError(Exception):
    """The mapping file cannot be used; the message is for the user."""


@dataclass(frozen=True)
class SheetMap:
    """One sheet's mapping: its kind, header → field path (None: left out), defaults."""

    kind: str
    columns: dict[str, tuple[str, ...] | None] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportMap:
    """The whole mapping file (empty when there is none)."""

    sheets: dict[str, SheetMap] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)


def load_mapping(path: Path | None) -> ImportMap:
    """The mapping in ``path``, checked against the schema; an empty mapping for None."""
    if path is None:
        return ImportMap()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise MappingError(f"不能读取对照表 {path}：{exc}") from exc
    if not isinstance(data, dict):
        raise MappingError(f"对照表 {path} 应当以 sheets: 和 values: 开头")
    values = {str(k): str(v) for k, v in (data.get("values") or {}).items()}
    sheets = {str(title): _sheet(str(title), spec) for title, spec in (data.get("sheets") or {}).items()}
    return ImportMap(sheets, values)


def _sheet(title: str, spec: Any) -> SheetMap:
    if not isinstance(spec, dict) or spec.get("kind") not in IMPORT_KINDS:
        raise MappingError(f"对照表中工作表“{title}”的 kind 应当是以下之一：{'、'.join(IMPORT_KINDS)}")
    kind = KINDS_BY_NAME[spec["kind"]]
    columns: dict[str, tuple[str, ...] | None] = {}
    for header, target in (spec.get("columns") or {}).items():
        columns[str(header)] = None if target is None else _target(title, kind.name, str(target))
    return SheetMap(kind.name, columns, dict(spec.get("defaults") or {}))


def _target(title: str, kind_name: str, target: str) -> tuple[str, ...]:
    path = tuple(target.split("."))
    kind = KINDS_BY_NAME[kind_name]
    top = kind.field(path[0])
    ok = (kind_name == "issue" and path in ISSUE_PROGRESS_COLUMNS) or (
        top is not None and (len(path) == 1 or (len(path) == 2 and top.child(path[1]) is not None))
    )
    if not ok:
        raise MappingError(f"对照表中工作表“{title}”的列对应到“{target}”，{kind.label}记录没有这个字段")
    return path
