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
        return f"{label}：" + "、".join(field.choices_shown)
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


# What check enforces that the field tables do not show (the codes are those check reports).
CHECKED_RULES = (
    "## 表格之外 check 还检查的规则",
    "",
    "- **活动开始日**：问题的提出日期、走访日期和法治服务日期不能早于办公室配置的活动开始日（E405、E407）。"
    "企业的入库日期可以更早：这样的企业在库，但不算任何时期的新入库企业。",
    "- **日期先后**：问题不能早于企业入库或发现它的走访；办理记录按日期先后排列，第一条是与提出日期同一天的"
    "“问题收集”；写明的办结期限不能早于提出日期；企业出库以后不能再有走访、问题、企业评价、法治服务或整改记录（E401、E402、E406、"
    "E407、E409）。",
    "- **企业评价**：只有解决过的问题才能有评价：评价日期不能早于办理记录中第一次“已解决”或“销号”的日期，"
    "从未解决也未销号的问题不能有评价（E404）。",
    "- **时限**：问题的办理时限和办公室的默认办理时限是 1 到 3650 天，响应时限是 0 到 365 天（E207）；"
    "按工作日计时，所有用到的日期都必须在 calendar/ 覆盖的年份内（E408）。",
    "- **按月份的子目录**：走访、问题和法治服务按月份分子目录只是为了方便查找；check 不要求子目录的月份与"
    "记录的日期一致，放在别的子目录里的记录照常读取和统计。",
    "- **frozen/ 目录**：records/frozen/ 中是已印发通报印发时的数字，由 reportgen build 生成，请提交、不要手工修改；"
    "文件损坏或不属于那份通报时报错（E511）；修改记录会改变已印发通报的数字时警告（W606），"
    "通报已印发但还没有记录数字时也警告（W607）。",
    "",
)


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
        *CHECKED_RULES,
    ]
    for kind in kinds.KINDS:
        lines += _kind_section(kind)
    return "\n".join(lines)
