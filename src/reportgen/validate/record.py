"""Turn one loaded file into a validated ``Record`` (fields only; cross-record rules elsewhere)."""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from reportgen.lang import listed
from reportgen.load import LoadedFile, SourceFile
from reportgen.load.yamlnodes import position
from reportgen.model import Record
from reportgen.problems import Problem
from reportgen.schema.kinds import BULLETIN_SECTIONS, EXAMPLE_FLAG
from reportgen.validate.fields import FieldChecker

_HEADING = re.compile(r"^##[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


class FileResult(NamedTuple):
    """One file's outcome: its record (None when unreadable) and its own problems.

    ``refs``: what the record refers to (kind, id, kind, id, …), when the worker that parsed
    the file found it (``crossref.record_refs``; None for a result from the cache).
    A tuple: one per file, made in bulk from the cache (``file_result``).
    """

    source: SourceFile
    record: Record | None
    problems: list[Problem]
    refs: tuple[str, ...] | None = None


file_result = functools.partial(tuple.__new__, FileResult)  # a FileResult from a tuple of its four values, made in C


def check_file(loaded: LoadedFile) -> tuple[Record | None, list[Problem]]:
    """Validate a parsed file against its kind's schema."""
    problems = list(loaded.problems)
    if loaded.node is None:
        return None, problems
    source = loaded.source
    kind = source.kind
    checker = FieldChecker(source.display, record=source.stem, id_pattern=kind.id_pattern)
    data = checker.check(kind.as_mapping, loaded.node, "")
    problems.extend(checker.problems)
    if data is None:
        return None, problems
    record_id = str(data.get(kind.id_field, source.stem)) if kind.id_field else source.stem
    if kind.name == "bulletin":
        sections, section_problems = split_sections(loaded.body, loaded.body_line, source.display, record_id)
        data["body"] = loaded.body
        data["body_line"] = loaded.body_line
        data["sections"] = sections
        problems.extend(section_problems)
    if kind.id_field and kind.id_field in data and str(data[kind.id_field]) != source.stem:
        pos = _key_position(loaded, kind.id_field)
        problems.append(
            Problem(
                source.display,
                pos[0],
                pos[1],
                "E303",
                {"name": source.name, "id": data[kind.id_field], "suffix": kind.suffix},
                record_id,
                kind.id_field,
            )
        )
    if data.get(EXAMPLE_FLAG.name) is True:  # one of init's examples, still here
        line, column = _key_position(loaded, EXAMPLE_FLAG.name)
        problems.append(Problem(source.display, line, column, "W630", {}, record_id, EXAMPLE_FLAG.name))
    return Record(kind.name, record_id, source.display, data), problems


def _key_position(loaded: LoadedFile, key: str) -> tuple[int, int]:
    node = loaded.node
    assert node is not None
    for key_node, value_node in node.value:
        if getattr(key_node, "value", None) == key:
            pos = position(value_node)
            return pos.line, pos.column
    pos = position(node)
    return pos.line, pos.column


def split_sections(body: str, first_line: int, file: str, record: str) -> tuple[dict[str, str], list[Problem]]:
    """Split a bulletin body into its ``## 标题`` sections; text before the first goes to 工作亮点."""
    sections: dict[str, str] = {}
    problems: list[Problem] = []
    matches = list(_HEADING.finditer(body))
    lead = body[: matches[0].start()] if matches else body
    if lead.strip():
        sections["工作亮点"] = lead.strip()
    for i, match in enumerate(matches):
        title = match.group(1).strip()
        end = matches[i + 1].start() if i + 1 < len(matches) else len(body)
        if title not in BULLETIN_SECTIONS:
            line = first_line + body.count("\n", 0, match.start())
            problems.append(
                Problem(
                    file,
                    line,
                    1,
                    "W605",
                    {"section": title, "allowed": listed(BULLETIN_SECTIONS)},
                    record,
                    "body",
                )
            )
            continue
        sections[title] = body[match.end() : end].strip()
    return sections, problems
