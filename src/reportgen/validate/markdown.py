"""Bulletin Markdown the renderer would show plain (W640): nesting or markup past every real text.

The bulletin's sections and its Markdown fields (unit comments) are what the templates
render as Markdown; each is measured by ``markdownbounds.excess``, the same test the
renderer applies, and the warning points at the line where the excess starts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

from reportgen.markdownbounds import excess
from reportgen.model import Record, Records
from reportgen.problems import Problem
from reportgen.schema.kinds import KINDS_BY_NAME
from reportgen.schema.types import Field, Type
from reportgen.validate.locate import Locator

_SECTION_START = re.compile(r"^##[ \t]", re.MULTILINE)  # a section of the body starts at each ``## 标题``


def check_bulletin_markdown(records: Records, locator: Locator) -> list[Problem]:
    """W640 for each bulletin text (section or Markdown field) that would be shown without formatting."""
    problems: list[Problem] = []
    for bulletin in records.bulletins.values():
        problems += _body_problems(bulletin)
        for path, text in _markdown_values(KINDS_BY_NAME["bulletin"].fields, bulletin.data, ""):
            found = excess(text)
            if found is not None:
                problems.append(locator.problem(bulletin, path, "W640", what=found.what))
    return problems


def _body_problems(bulletin: Record) -> list[Problem]:
    """The body section by section, as the templates render it; located at the line in the file."""
    body, first_line = str(bulletin.get("body") or ""), int(bulletin.get("body_line") or 1)
    starts = [0, *(m.start() for m in _SECTION_START.finditer(body)), len(body)]
    problems: list[Problem] = []
    for start, end in pairwise(starts):
        found = excess(body[start:end])
        if found is not None:
            line = first_line + body.count("\n", 0, start) + found.line - 1
            params = {"what": found.what}
            problems.append(Problem(bulletin.file, line, found.column, "W640", params, bulletin.id, "body"))
    return problems


def _markdown_values(fields: tuple[Field, ...], data: Any, prefix: str) -> Iterator[tuple[str, str]]:
    """(path, text) of every Markdown value in ``data``, nested mappings and lists included."""
    if not isinstance(data, dict):
        return
    for field in fields:
        value, path = data.get(field.name), f"{prefix}{field.name}"
        if field.type is Type.MARKDOWN and isinstance(value, str):
            yield path, value
        elif field.type is Type.MAPPING:
            yield from _markdown_values(field.fields, value, f"{path}.")
        elif field.type is Type.LIST and field.items is not None and isinstance(value, list):
            for i, item in enumerate(value):
                yield from _markdown_values(field.items.fields, item, f"{path}.{i}.")
