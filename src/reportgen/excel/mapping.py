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

from reportgen.excel.layout import IMPORT_KINDS
from reportgen.lang import Pair, Said, listed, os_phrase
from reportgen.schema.kinds import KINDS_BY_NAME

PROGRESS = "progress"  # the free-text progress column of an issue
STATUS_DATE, STATUS = ("history", "date"), ("history", "status")  # a ledger's latest status and its date
ISSUE_PROGRESS_COLUMNS = ((PROGRESS,), STATUS_DATE, STATUS)


# Why the mapping file cannot be used, a (Chinese, English) pair each.
MESSAGES: dict[str, Pair] = {
    "unreadable": ("不能读取对照表 {path}：{reason}", "cannot read the mapping {path}: {reason}"),
    "not_yaml": (
        "对照表 {path} 不是有效的 YAML 文件（UTF-8 编码）：{detail}",
        "the mapping {path} is no valid YAML file (UTF-8): {detail}",
    ),
    "shape": ("对照表 {path} 应当以 sheets: 和 values: 开头", "the mapping {path} must begin with sheets: and values:"),
    "kind": (
        "对照表中工作表“{title}”的 kind 应当是以下之一：{kinds}",
        "the kind of the sheet '{title}' in the mapping must be one of: {kinds}",
    ),
    "field": (
        "对照表中工作表“{title}”的列对应到“{target}”，{label}记录没有这个字段",
        "the mapping sends a column of the sheet '{title}' to '{target}', a field {label_en} records do not have",
    ),
}


class MappingError(Said):
    """The mapping file cannot be used; for the user, in the language of ``--lang``."""


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
    except OSError as exc:
        raise MappingError(MESSAGES["unreadable"], path=path, reason=os_phrase(exc)) from exc
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise MappingError(MESSAGES["not_yaml"], path=path, detail=exc) from exc
    if not isinstance(data, dict):
        raise MappingError(MESSAGES["shape"], path=path)
    values = {str(k): str(v) for k, v in (data.get("values") or {}).items()}
    sheets = {str(title): _sheet(str(title), spec) for title, spec in (data.get("sheets") or {}).items()}
    return ImportMap(sheets, values)


def _sheet(title: str, spec: Any) -> SheetMap:
    if not isinstance(spec, dict) or spec.get("kind") not in IMPORT_KINDS:
        raise MappingError(MESSAGES["kind"], title=title, kinds=listed(IMPORT_KINDS))
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
        raise MappingError(MESSAGES["field"], title=title, target=target, label=kind.label, label_en=kind.label_en)
    return path
