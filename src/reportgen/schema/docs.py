"""``docs/records.md``: every record kind and field, generated from the schema."""

from __future__ import annotations

import json
from typing import Any

from reportgen.schema import kinds
from reportgen.schema.types import TYPE_LABELS, Field, Kind, Type


def _example(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return "`" + json.dumps(value, ensure_ascii=False) + "`"
    return f"`{value}`"


def _type(field: Field) -> str:
    label = TYPE_LABELS[field.type][0]
    if field.type is Type.ENUM:
        return f"{label}：" + "、".join(field.choices)
    if field.type is Type.REF:
        assert field.ref is not None
        role = f"（角色须为{field.role}）" if field.role else ""
        return f"{kinds.KINDS_BY_NAME[field.ref].label}编号{role}"
    if field.type is Type.LIST and field.items is not None:
        return f"列表，每项为{_type(field.items)}"
    return label


def _rows(fields: tuple[Field, ...], prefix: str = "") -> list[str]:
    rows = []
    for f in fields:
        name = f"{prefix}{f.name}"
        flags = "必填" if f.required else ("默认 " + _example(f.default) if f.default not in (None, [], {}) else "选填")
        if f.private:
            flags += "，**非公开**"
        rows.append(f"| `{name}` | {f.label} | {_type(f)} | {flags} | {f.description} | {_example(f.example)} |")
        if f.type is Type.MAPPING:
            rows += _rows(f.fields, f"{name}.")
        elif f.type is Type.LIST and f.items is not None and f.items.type is Type.MAPPING:
            rows += _rows(f.items.fields, f"{name}[].")
    return rows


def _kind_section(kind: Kind) -> list[str]:
    where = "records/config.yaml" if kind.name == "config" else f"records/{kind.folder}/{kind.id_example}{kind.suffix}"
    lines = [f"## {kind.title}（{kind.label}，`{kind.name}`）", "", kind.description, "", f"文件：`{where}`", ""]
    lines += ["| 字段 | 名称 | 类型 | 必填 | 说明 | 示例 |", "|---|---|---|---|---|---|", *_rows(kind.fields), ""]
    return lines


def records_markdown() -> str:
    """The whole of docs/records.md."""
    lines = [
        "# 记录格式（docs/records.md）",
        "",
        "本文件由 `reportgen docs` 根据记录模式自动生成，请勿手工修改；校验器、JSON Schema 与本文件出自同一份模式"
        "（`src/reportgen/schema/kinds.py`）。",
        "",
        "## 目录结构",
        "",
        "```",
        *[line.strip() for line in (kinds.__doc__ or "").splitlines() if line.startswith("    records/")],
        "```",
        "",
        "每条记录一个文件，文件名与编号相同，两个人修改不同的记录不会在 git 中冲突。"
        "走访、问题和法治服务按月份分子目录，避免单个目录文件过多。",
        "",
        "## 问题的办理流程",
        "",
        "| 当前状态 | 可以变为 |",
        "|---|---|",
        *[f"| {s} | {'、'.join(n) or '（终结）'} |" for s, n in kinds.TRANSITIONS.items()],
        "",
    ]
    for kind in kinds.KINDS:
        lines += _kind_section(kind)
    return "\n".join(lines)
