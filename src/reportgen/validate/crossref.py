"""Rules across records: unique ids, references, and dates against the records they cite."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
from typing import Any

from reportgen.model import Record, Records
from reportgen.privacy import private_values
from reportgen.problems import Problem
from reportgen.schema.kinds import KINDS_BY_NAME, MONEY_LEGAL_KIND
from reportgen.schema.types import Field, Type
from reportgen.validate.locate import Locator


def check_unique_ids(groups: dict[str, list[Record]], locator: Locator) -> list[Problem]:
    """Each id is used once per kind; ids that differ only in case or width collide too."""
    problems: list[Problem] = []
    for kind, records in groups.items():
        id_field = KINDS_BY_NAME[kind].id_field or ""
        first: dict[str, Record] = {}
        for record in sorted(records, key=lambda r: r.file):
            key = _fold(record.id)
            if key in first:
                problems.append(locator.problem(record, id_field, "E301", id=record.id, other=first[key].file))
            else:
                first[key] = record
    return problems


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def iter_refs(field: Field, value: Any, path: str) -> list[tuple[Field, str, str]]:
    """Every (ref field, value, path) inside ``value`` as described by ``field``."""
    found: list[tuple[Field, str, str]] = []
    _collect_refs(field, value, path, found)
    return found


def _collect_refs(field: Field, value: Any, path: str, found: list[tuple[Field, str, str]]) -> None:
    # appends to one list rather than nesting generators: this runs for every record
    if field.type is Type.REF:
        if isinstance(value, str):
            found.append((field, value, path))
    elif field.type is Type.LIST and field.items is not None and isinstance(value, list):
        for i, item in enumerate(value):
            _collect_refs(field.items, item, f"{path}.{i}", found)
    elif field.type is Type.MAPPING and isinstance(value, dict):
        for child in field.ref_fields:
            if child.name in value:
                _collect_refs(child, value[child.name], f"{path}.{child.name}" if path else child.name, found)


def check_references(
    records: Records, known: dict[str, set[str]], incomplete: list[Record], locator: Locator
) -> list[Problem]:
    """Every reference points at an existing record of the right kind (and staff of the right role).

    ``known`` holds the ids of every record that was read; ``incomplete`` the records
    with field errors, whose references are checked too.
    """
    problems: list[Problem] = []
    everything = [r for by_id in records.by_kind.values() for r in by_id.values()] + incomplete
    for record in everything:
        kind_name = record.kind
        kind = KINDS_BY_NAME[kind_name]
        for field, value, path in iter_refs(kind.as_mapping, record.data, ""):
            assert field.ref is not None
            if value not in known.get(field.ref, ()):
                label = KINDS_BY_NAME[field.ref].label
                problems.append(locator.problem(record, path, "E302", field=path, target=label, value=value))
            elif (
                field.role
                and (target := records.of(field.ref).get(value)) is not None
                and target.get("role") != field.role
            ):
                problems.append(
                    locator.problem(
                        record,
                        path,
                        "E304",
                        field=path,
                        value=value,
                        role=target.get("role"),
                        expected=field.role,
                    )
                )
        problems.extend(_bulletin_units(record, known, locator) if kind_name == "bulletin" else ())
    return problems


def _bulletin_units(record: Record, known: dict[str, set[str]], locator: Locator) -> Iterator[Problem]:
    """Unit comments name a department or a team that exists (as the other references do)."""
    for i, entry in enumerate(record.get("unit_comments") or []):
        unit = entry.get("unit", "")
        if unit not in known.get("department", ()) and unit not in known.get("team", ()):
            path = f"unit_comments.{i}.unit"
            yield locator.problem(record, path, "E302", field=path, target="责任单位或队伍", value=unit)


def check_record_dates(records: Records, locator: Locator) -> list[Problem]:
    """Dates that must follow the dates of the records they refer to."""
    problems: list[Problem] = []
    start: dt.date | None = records.config.get("campaign_start")

    def before(
        record: Record,
        path: str,
        value: dt.date | None,
        anchor: str,
        anchor_date: dt.date | None,
        what: str,
    ) -> None:
        if value and anchor_date and value < anchor_date:
            problems.append(
                locator.problem(
                    record,
                    path,
                    "E407",
                    what=what,
                    value=value,
                    anchor=anchor,
                    anchor_date=anchor_date,
                )
            )

    for ent in records.enterprises.values():
        left = ent.get("left")
        if left and left < ent["joined"]:
            problems.append(
                locator.problem(
                    ent,
                    "left",
                    "E401",
                    later_label="出库日期",
                    later=left,
                    earlier_label="入库日期",
                    earlier=ent["joined"],
                )
            )
    for ent in records.enterprises.values():
        if not ent.get("team"):
            problems.append(locator.problem(ent, "", "W601", value=ent.id))
    for visit in records.visits.values():
        visited = records.enterprises.get(visit["enterprise"])
        before(visit, "date", visit["date"], "企业入库日期", visited["joined"] if visited else None, "走访")
        before(visit, "date", visit["date"], "活动开始日期", start, "走访")
    for legal in records.legal.values():
        before(legal, "date", legal["date"], "活动开始日期", start, "法治服务")
        if legal["kind"] == MONEY_LEGAL_KIND and legal.get("amount_yuan") is None:
            problems.append(locator.problem(legal, "", "E201", field="amount_yuan", label="金额（元）"))
    for item in records.rectifications.values():
        issue = records.issues.get(item["issue"])
        raised = issue["raised"] if issue else None
        before(item, "due", item["due"], "问题提出日期", raised, "整改时限")
        before(item, "done_on", item.get("done_on"), "问题提出日期", raised, "整改完成")
    return problems


def check_private_text(records: Records, locator: Locator) -> list[Problem]:
    """Warn when a private value (a contact's phone or name) appears in a bulletin's public text."""
    private = sorted(v for v in private_values(records) if len(v) >= 2)
    problems: list[Problem] = []
    for bulletin in records.bulletins.values():
        body = bulletin.get("body", "")
        for value in private:
            at = body.find(value)
            if at >= 0:
                line = bulletin.get("body_line", 1) + body.count("\n", 0, at)
                column = at - (body.rfind("\n", 0, at) + 1) + 1
                problems.append(Problem(bulletin.file, line, column, "W603", {"what": value}, bulletin.id, "body"))
        for i, entry in enumerate(bulletin.get("unit_comments") or []):
            for value in private:
                if value in str(entry.get("comment", "")):
                    path = f"unit_comments.{i}.comment"
                    problems.append(locator.problem(bulletin, path, "W603", what=value))
    return problems
