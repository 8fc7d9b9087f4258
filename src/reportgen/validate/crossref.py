"""Rules across records: unique ids, references, and dates against the records they cite."""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from reportgen.load import SourceFile
from reportgen.model import Record, Records
from reportgen.problems import Problem, Words
from reportgen.schema.kinds import KINDS_BY_NAME, MONEY_LEGAL_KIND
from reportgen.schema.types import Field, Kind, Type
from reportgen.validate.locate import Locator
from reportgen.validate.nearest import closest_ids, id_words
from reportgen.validate.wording import field_words


def check_unique_ids(
    groups: dict[str, list[Record]], locator: Locator, known: dict[str, set[str]] | None = None
) -> list[Problem]:
    """Each id is used once per kind; ids that differ only in case or width collide too.

    Of the records sharing an id, the one in the file named after it keeps it (else the
    first file).  A repeat in a file named otherwise is a copy whose id was not changed:
    E306 says which id to give it (the file's own name when that is free, else the next
    free id), where E301 and E303 would have said "rename the file" onto the original.
    """
    problems: list[Problem] = []
    for kind_name, records in groups.items():
        kind = KINDS_BY_NAME[kind_name]
        by_key: dict[str, list[Record]] = {}
        for record in records:
            by_key.setdefault(_fold(record.id), []).append(record)
        repeated = sorted((sorted(same, key=lambda r: r.file) for same in by_key.values() if len(same) > 1), key=_first)
        if not repeated:
            continue
        taken = {_fold(i) for i in (known or {}).get(kind_name, set())} | by_key.keys()
        for same in repeated:  # in the order of their first files
            owner = next((r for r in same if _stem(r, kind) == r.id), same[0])
            for record in same:
                if record is owner:
                    continue
                if _stem(record, kind) != record.id and kind.id_field != "year" and not os.path.islink(record.file):
                    free = _free_id(kind, _stem(record, kind), taken)
                    taken.add(_fold(free))
                    name = record.file.rsplit("/", 1)[-1]
                    params = {"id": record.id, "other": owner.file, "name": name, "free": free, "suffix": kind.suffix}
                    problems.append(locator.problem(record, kind.id_field, "E306", **params))
                else:
                    fix = _renumbering(kind, taken)
                    problems.append(
                        locator.problem(record, kind.id_field, "E301", id=record.id, other=owner.file, fix=fix)
                    )
    return problems


def _renumbering(kind: Kind, taken: set[str]) -> Words:
    """What E301 suggests: the next free id for one of the two (taken from then on), or one file a year."""
    if kind.id_field == "year":
        return Words(
            "同一年只能有一份，把两份合并成一份，删去另一份。",
            "keep one file a year: merge the two and delete the other.",
        )
    free = _free_id(kind, "", taken)
    taken.add(_fold(free))
    return Words(
        f"把其中一条的编号改为下一个没用过的 {free}，文件名也改为 {free}{kind.suffix}。",
        f"give one of them the next free id, {free}, and name its file {free}{kind.suffix}.",
    )


def settle_copies(
    problems: list[Problem], id_problems: list[Problem], sources: list[SourceFile], known: dict[str, set[str]]
) -> list[Problem]:
    """``problems`` plus ``id_problems``, with no E303 that says "rename the file" onto an existing file.

    A file whose id is taken by a record of its own (E306 in ``id_problems``) loses its E303;
    one whose id names another file of its kind that could not be read gets E306 instead.
    """
    if not any(p.code == "E303" for p in problems):
        return problems + id_problems
    copies = {p.file for p in id_problems if p.code == "E306"}
    by_stem = {(s.kind.name, _fold(s.stem)): s.display for s in sources}
    kinds = {s.display: s.kind for s in sources}
    settled: list[Problem] = []
    for problem in problems:
        kind = kinds.get(problem.file)
        if problem.code != "E303" or kind is None or problem.field != kind.id_field:
            settled.append(problem)
            continue
        if problem.file in copies:
            continue
        other = by_stem.get((kind.name, _fold(str(problem.params["id"]))))
        if other is None or other == problem.file or os.path.islink(problem.file):  # a link has no id of its own
            settled.append(problem)
            continue
        stem = problem.file.rsplit("/", 1)[-1].removesuffix(kind.suffix)
        taken = {_fold(i) for i in known.get(kind.name, set())}
        free = _free_id(kind, stem, taken)
        params = {**problem.params, "other": other, "free": free, "suffix": kind.suffix}
        settled.append(replace(problem, code="E306", params=params))
    return settled + id_problems


def _stem(record: Record, kind: Kind) -> str:
    name = record.file.rsplit("/", 1)[-1]
    return name[: -len(kind.suffix)] if name.endswith(kind.suffix) else name


def _free_id(kind: Kind, stem: str, taken: set[str]) -> str:
    """The file's own name when it is a valid, unused id; else the next number after the highest id."""
    if re.match(kind.id_pattern, stem) and _fold(stem) not in taken:
        return stem
    example = kind.id_example
    prefix = example.rstrip("0123456789")
    width = len(example) - len(prefix)
    pattern = re.compile(kind.id_pattern, re.IGNORECASE)  # ids are kept folded; the pattern bounds the digits
    numbers = [int(i[len(prefix) :]) for i in taken if pattern.match(i) and i[len(prefix) :].isdecimal()]
    return f"{prefix}{max(numbers, default=0) + 1:0{width}d}"


def _first(same: list[Record]) -> str:
    return same[0].file


def _fold(text: str) -> str:
    if text.isascii():  # NFKC leaves ASCII as it is, and casefold is lower there
        return text.lower()
    return unicodedata.normalize("NFKC", text).casefold()


def iter_refs(field: Field, value: Any, path: str) -> list[tuple[Field, str, str]]:
    """Every (ref field, value, path) inside ``value`` as described by ``field``."""
    found: list[tuple[Field, str, str]] = []
    _collect_refs(field, value, path, found)
    return found


Refs = tuple[str, ...]  # what a record refers to: kind, id, kind, id, … (flat: no pair kept per reference)


def record_refs(record: Record) -> Refs:
    """Every kind and id the record refers to, a bulletin's commented units included (as either kind).

    The workers that parse files find these too (``FileResult.refs``): the rules across
    records run again where a changed file's references point (``incremental``).
    """
    found: list[str] = []
    for field, value, _ in iter_refs(KINDS_BY_NAME[record.kind].as_mapping, record.data, ""):
        found += (field.ref or "", value)
    if record.kind == "bulletin":
        units = [e.get("unit") for e in record.get("unit_comments") or [] if isinstance(e, dict)]
        for unit in units:
            if unit is not None:
                found += ("department", str(unit), "team", str(unit))
    return tuple(found)


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
    records: Records,
    known: dict[str, set[str]],
    incomplete: list[Record],
    locator: Locator,
    names_from: Records | None = None,
) -> list[Problem]:
    """Every reference points at an existing record of the right kind (and staff of the right role).

    ``known`` holds the ids of every record that was read; ``incomplete`` the records
    with field errors, whose references are checked too.  A failing reference suggests
    the nearest ids among ``names_from`` (every record; ``records`` when not given).
    """
    problems: list[Problem] = []
    everything = [r for by_id in records.by_kind.values() for r in by_id.values()] + incomplete
    names = _Names(names_from or records, known)
    for record in everything:
        kind_name = record.kind
        kind = KINDS_BY_NAME[kind_name]
        for field, value, path in iter_refs(kind.as_mapping, record.data, ""):
            assert field.ref is not None
            if value not in known.get(field.ref, ()):
                label = KINDS_BY_NAME[field.ref].words
                where = field_words(kind.as_mapping, path)
                problems.append(
                    locator.problem(
                        record,
                        path,
                        "E302",
                        field=where,
                        target=label,
                        value=value,
                        nearest=names.nearest(value, field.ref),
                    )
                )
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
                        field=field_words(kind.as_mapping, path),
                        value=value,
                        role=target.get("role"),
                        expected=field.role,
                    )
                )
        problems.extend(_bulletin_units(record, known, locator, names) if kind_name == "bulletin" else ())
    return problems


class _Names:
    """Each kind's ids with their names, gathered the first time a reference to that kind fails."""

    def __init__(self, records: Records, known: dict[str, set[str]]) -> None:
        self._records = records
        self._known = known
        self._names: dict[str, dict[str, str]] = {}

    def of(self, kind_name: str) -> dict[str, str]:
        """Id → name (the kind's first required text field: an enterprise's name, an issue's title; else "")."""
        if kind_name not in self._names:
            kind = KINDS_BY_NAME[kind_name]
            named = next((f.name for f in kind.fields if f.type is Type.TEXT and f.required), None)
            read = self._records.of(kind_name)
            self._names[kind_name] = {
                i: str(read[i].get(named) or "") if named and i in read else "" for i in self._known.get(kind_name, ())
            }
        return self._names[kind_name]

    def nearest(self, value: str, *kind_names: str) -> Words:
        """ "，是否指 E048 周口市德润食用油有限公司？" for the closest ids of those kinds, or nothing."""
        names = {i: name for kind_name in kind_names for i, name in self.of(kind_name).items()}
        return id_words(closest_ids(value, names), names)


def _bulletin_units(record: Record, known: dict[str, set[str]], locator: Locator, names: _Names) -> Iterator[Problem]:
    """Unit comments name a department or a team that exists (as the other references do)."""
    for i, entry in enumerate(record.get("unit_comments") or []):
        unit = entry.get("unit")
        if unit is None:  # a field error was reported for it
            continue
        if unit not in known.get("department", ()) and unit not in known.get("team", ()):
            path = f"unit_comments.{i}.unit"
            where = field_words(KINDS_BY_NAME["bulletin"].as_mapping, path)
            nearest = names.nearest(unit, "department", "team")
            yield locator.problem(
                record,
                path,
                "E302",
                field=where,
                target=Words("责任单位或队伍", "department or team"),
                value=unit,
                nearest=nearest,
            )


def check_record_dates(records: Records, locator: Locator) -> list[Problem]:
    """Dates that must follow the dates of the records they refer to."""
    problems: list[Problem] = []
    start: dt.date | None = records.config.get("campaign_start")

    def before(
        record: Record,
        path: str,
        value: dt.date | None,
        anchor: Words,
        anchor_date: dt.date | None,
        what: Words,
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
                    later_label=Words("出库日期", "leaving"),
                    later=left,
                    earlier_label=Words("入库日期", "joining"),
                    earlier=ent["joined"],
                )
            )
    for ent in records.enterprises.values():
        if not ent.get("team"):
            problems.append(locator.problem(ent, "", "W601", value=ent.id))
    for visit in records.visits.values():
        visited = records.enterprises.get(visit["enterprise"])
        before(visit, "date", visit["date"], _JOINING, visited["joined"] if visited else None, _VISIT)
        before(visit, "date", visit["date"], _START, start, _VISIT)
    for legal in records.legal.values():
        before(legal, "date", legal["date"], _START, start, _LEGAL)
        if legal["kind"] == MONEY_LEGAL_KIND and legal.get("amount_yuan") is None:
            amount = field_words(KINDS_BY_NAME["legal"].as_mapping, "amount_yuan")
            problems.append(locator.problem(legal, "", "E201", field=amount, key="amount_yuan"))
    for item in records.rectifications.values():
        issue = records.issues.get(item["issue"])
        raised = issue["raised"] if issue else None
        before(item, "due", item["due"], _RAISED, raised, Words("整改时限", "the rectification's due date"))
        before(item, "done_on", item.get("done_on"), _RAISED, raised, _DONE)
    return problems


def check_after_leaving(records: Records, locator: Locator) -> list[Problem]:
    """Nothing happens with an enterprise after it left the library (the day it left still counts)."""
    problems: list[Problem] = []
    for record, path, what, enterprise_id in _dated_enterprise_work(records):
        enterprise = records.enterprises.get(enterprise_id)
        if enterprise is None or not enterprise.get("left") or enterprise["left"] < enterprise["joined"]:
            continue  # never left, or left before it joined (E401 already)
        left: dt.date = enterprise["left"]
        day = _at(record.data, path)
        if isinstance(day, dt.date) and day > left:
            problems.append(
                locator.problem(record, path, "E409", what=what, value=day, enterprise=enterprise_id, left=left)
            )
    return problems


# what happened on a date, as E401/E407/E409 name it
_VISIT, _LEGAL, _DONE = (
    Words("走访", "a visit"),
    Words("法治服务", "a legal service"),
    Words("整改完成", "a rectification"),
)
_JOINING, _START = Words("企业入库日期", "the enterprise's joining"), Words("活动开始日期", "the campaign's start")
_RAISED = Words("问题提出日期", "the issue's raising")


def _dated_enterprise_work(records: Records) -> Iterator[tuple[Record, str, Words, str]]:
    """(record, path of a date, what happened, enterprise) for every dated piece of work with an enterprise."""
    for visit in records.visits.values():
        yield visit, "date", _VISIT, visit["enterprise"]
    for legal in records.legal.values():
        if legal.get("enterprise"):
            yield legal, "date", _LEGAL, legal["enterprise"]
    for issue in records.issues.values():
        yield issue, "raised", Words("问题提出", "raising an issue"), issue["enterprise"]
        yield issue, "rating.date", Words("企业评价", "a rating"), issue["enterprise"]
    for item in records.rectifications.values():
        cited = records.issues.get(item["issue"])
        if cited is not None:
            yield item, "done_on", _DONE, cited["enterprise"]


def _at(data: dict[str, Any], path: str) -> Any:
    """The value at a dotted ``path`` of plain record data (None where it is missing)."""
    value: Any = data
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value
