"""Where a value is, said as people say it: the schema's Chinese labels, list positions from 1.

A problem's place is kept as a dotted path (``history.1.date``) for tools; its message
says "第2条办理记录的日期" in Chinese and "history item 2, date" in English.
"""

from __future__ import annotations

from reportgen.problems import Words
from reportgen.schema.types import Field, Type


def field_words(root: Field, path: str) -> Words:
    """The place of ``path`` inside a value described by ``root`` (a kind's ``as_mapping``)."""
    zh: list[str] = []
    en: list[str] = []
    field: Field | None = root
    for part in path.split(".") if path else ():
        if field is not None and field.type is Type.LIST and part.isdigit() and zh:
            position = int(part) + 1
            mapping = field.items is not None and field.items.type is Type.MAPPING
            zh[-1] = f"第{position}条{field.label}" if mapping else f"{field.label}第{position}项"
            en[-1] = f"{en[-1]} item {position}"
            field = field.items
            continue
        child = field.child(part) if field is not None and field.type is Type.MAPPING else None
        zh.append(child.label if child is not None else f"“{part}”")
        en.append(part)
        field = child
    return Words("的".join(zh), ", ".join(en))
