"""A record file as text: each field with a comment above it saying what it means.

The comments come from the schema (label, description, allowed values), so a new record
and the examples ``reportgen init`` writes explain themselves in the same words as
``docs/records.md`` and the editor's JSON Schema.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reportgen.schema.kinds import KINDS_BY_NAME
from reportgen.schema.types import Field, Kind, Type
from reportgen.workflow import yamlwrite

FILL_IN = "请填写"


@dataclass(frozen=True)
class Placeholder:
    """A required value nobody could guess: written empty, with a note saying what to fill in."""

    note: str = ""

    def comment(self) -> str:
        """The comment after the empty value."""
        return f"{FILL_IN}{'：' + self.note if self.note else ''}"


def field_comment(field: Field, extra: str = "") -> str:
    """``标题（必填）：说明。可选：……``: one comment line for ``field``."""
    required = "（必填）" if field.required else "（选填）"
    return f"{field.label}{required}：{field.description}{value_hint(field)}{extra}"


def value_hint(field: Field) -> str:
    """What a value of ``field`` looks like, in a few words."""
    if field.type is Type.ENUM:
        return "可选：" + "、".join(field.choices) + "。"
    if field.type is Type.DATE:
        return "格式：年-月-日，如 2021-09-30。"
    if field.type is Type.BOOL:
        return "填写 true（是）或 false（否）。"
    if field.type is Type.MONEY:
        return "只写数字，不写“元”“万元”。"
    if field.type is Type.PHONE:
        return '写在英文引号里，如 "13800000000"。'
    if field.type is Type.REF and field.ref:
        target = KINDS_BY_NAME[field.ref]
        return f"填写{target.label}的编号，如 {target.id_example}。"
    if field.type is Type.LIST and field.items is not None:
        if field.items.type is Type.MAPPING:
            return "每一项包含：" + _children(field.items) + "。"
        inner = value_hint(field.items)
        return f"可以写多项，每项一行，以“- ”开头。{inner}".strip()
    if field.type is Type.MAPPING and field.fields:
        return "包含：" + _children(field) + "。"
    return ""


def _children(field: Field) -> str:
    words = []
    for child in field.fields:
        word = f"{child.name}（{child.label}{'，必填' if child.required else ''}"
        if child.type is Type.ENUM:
            word += "：" + "/".join(child.choices)
        words.append(word + "）")
    return "、".join(words)


def field_lines(field: Field, value: Any, extra: str = "") -> list[str]:
    """A blank line, the comment, then ``name: value`` (or an empty value with a fill-in note)."""
    lines = ["", f"# {field_comment(field, extra)}"]
    if isinstance(value, Placeholder):
        lines.append(f"{field.name}:  # {value.comment()}")
    else:
        lines += yamlwrite.entry(field.name, value)
    return lines


def optional_lines(field: Field) -> list[str]:
    """An optional field the record leaves out, shown as a commented example."""
    if field.example is None:
        return []
    example = typed_example(field, field.example)
    return ["", f"# {field_comment(field)}", *yamlwrite.commented(yamlwrite.entry(field.name, example))]


def typed_example(field: Field, value: Any) -> Any:
    """The schema's example with dates as dates, so that it is written as a record would be."""
    if field.type is Type.DATE and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if field.type is Type.LIST and field.items is not None and isinstance(value, list):
        return [typed_example(field.items, item) for item in value]
    if field.type is Type.MAPPING and isinstance(value, dict):
        children = {f.name: f for f in field.fields}
        return {k: typed_example(children[k], v) if k in children else v for k, v in value.items()}
    return value


def render_fields(
    kind: Kind,
    values: Mapping[str, Any],
    extras: Mapping[str, str] | None = None,
    show_optional: bool = True,
) -> list[str]:
    """The lines for every field of ``kind`` in schema order; optional ones left out are commented."""
    extras = extras or {}
    lines: list[str] = []
    for field in kind.fields:
        if field.name in values:
            lines += field_lines(field, values[field.name], extras.get(field.name, ""))
        elif show_optional and not field.required:
            lines += optional_lines(field)
    return lines


def render_record(
    kind: Kind,
    values: Mapping[str, Any],
    header: Sequence[str] = (),
    extras: Mapping[str, str] | None = None,
    show_optional: bool = True,
    body: str = "",
) -> str:
    """The whole file: header comments, then the fields; a bulletin text gets ``---`` and its body."""
    head = [f"# {line}" if line else "#" for line in header]
    fields = render_fields(kind, values, extras, show_optional)
    if kind.suffix == ".md":
        # the front matter is YAML between two --- lines; the comments go inside it
        front = [*head, *fields]
        return "---\n" + "\n".join(_trim(front)) + "\n---\n\n" + body.strip() + "\n"
    return "\n".join(_trim([*head, *fields])) + "\n"


def _trim(lines: list[str]) -> list[str]:
    while lines and not lines[0]:
        lines.pop(0)
    return lines


def record_header(kind: Kind, record_id: str, note: str = "") -> list[str]:
    """The first comment lines of a record file."""
    title = kind.title if kind.title == kind.label or not record_id else f"{kind.title}：{kind.label}"
    lines = [f"{title} {record_id}".rstrip(), kind.description]
    if note:
        lines.append(note)
    lines.append("以 # 开头的行是说明，不影响记录；每个字段的写法见 docs/records.md。")
    return lines
