"""Which records a change adds, edits or removes, by kind, each with the name a reviewer knows it by.

An enterprise, a department or a team by its name, an issue by its title, a visit or a legal
service by its enterprise and date, a rectification by its issue's title, a bulletin text by its
title (or its period).  Kinds come in the order of ``schema/kinds.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportgen.compute.periods import PeriodError, parse_period
from reportgen.formatting import month_day_zh
from reportgen.load import FROZEN_FOLDER
from reportgen.model import Record, Records
from reportgen.schema.kinds import KINDS, KINDS_BY_NAME
from reportgen.validate.frozen import SUFFIX

ADDED, EDITED, REMOVED = "新增", "修改", "删除"
CONFIG_LABEL = "办公室配置"
FROZEN_LABEL = "印发时的数字"


@dataclass(frozen=True)
class RecordChange:
    """One record added, edited or removed."""

    kind: str  # the kind's Chinese label: 企业, 问题, 走访 …
    change: str  # 新增, 修改 or 删除
    id: str
    name: str  # what a reviewer knows it by; "" when it has none beyond its id


@dataclass(frozen=True)
class RecordGroup:
    """The records of one kind with the same change, in id order."""

    kind: str
    change: str
    records: tuple[RecordChange, ...]


def record_changes(old: Records, new: Records) -> list[RecordGroup]:
    """The records that differ between ``old`` and ``new``, grouped by kind and change."""
    groups: list[RecordGroup] = []
    if old.config != new.config:
        groups.append(RecordGroup(CONFIG_LABEL, EDITED, (RecordChange(CONFIG_LABEL, EDITED, "config.yaml", ""),)))
    for kind in KINDS:
        before, after = old.of(kind.name), new.of(kind.name)
        found: dict[str, list[RecordChange]] = {ADDED: [], EDITED: [], REMOVED: []}
        for record_id in sorted(before.keys() | after.keys()):
            was, now = before.get(record_id), after.get(record_id)
            change = _change(was, now)
            if change is not None:
                shown = now or was
                assert shown is not None  # one side has it
                found[change].append(RecordChange(kind.label, change, record_id, record_name(new, old, shown)))
        groups += [RecordGroup(kind.label, change, tuple(items)) for change, items in found.items() if items]
    return groups + _frozen_changes(old, new)


def _frozen_changes(old: Records, new: Records) -> list[RecordGroup]:
    """The frozen figures files (``records/frozen/<id>.json``) added, edited or removed, by bulletin."""
    before, after = _frozen_files(old.root), _frozen_files(new.root)
    found: dict[str, list[RecordChange]] = {ADDED: [], EDITED: [], REMOVED: []}
    for bulletin_id in sorted(before.keys() | after.keys()):
        was, now = before.get(bulletin_id), after.get(bulletin_id)
        change = ADDED if was is None else REMOVED if now is None else EDITED if was != now else None
        if change is not None:
            text = new.bulletins.get(bulletin_id) or old.bulletins.get(bulletin_id)
            name = _bulletin_name(text) if text else ""
            found[change].append(RecordChange(FROZEN_LABEL, change, bulletin_id, name))
    return [RecordGroup(FROZEN_LABEL, change, tuple(items)) for change, items in found.items() if items]


def _frozen_files(root: Path) -> dict[str, bytes]:
    folder = root / FROZEN_FOLDER
    if not folder.is_dir():
        return {}
    return {path.name.removesuffix(SUFFIX): path.read_bytes() for path in sorted(folder.glob(f"*{SUFFIX}"))}


def _change(was: Record | None, now: Record | None) -> str | None:
    """新增, 删除, 修改, or None when the record is the same on both sides."""
    if was is None:
        return ADDED
    if now is None:
        return REMOVED
    return EDITED if was.data != now.data else None


def record_name(new: Records, old: Records, record: Record) -> str:
    """The name a reviewer knows ``record`` by, looking up what it refers to on either side: its own name
    or title, its issue's title, its enterprise's name (else its kind, as 法治讲座) with its date."""
    if record.kind == "bulletin":
        return _bulletin_name(record)
    own = record.get("name") or record.get("title")
    if own:
        return str(own)
    if record.kind == "rectification":
        issue = _lookup(new, old, "issue", record.get("issue"))
        return str(issue.get("title", "")) if issue else ""
    enterprise = _lookup(new, old, "enterprise", record.get("enterprise"))
    what = str(enterprise.get("name", "")) if enterprise else str(record.get("kind") or "")
    day = record.get("date")
    return f"{what}（{month_day_zh(day)}）" if what and day else what


def _lookup(new: Records, old: Records, kind: str, record_id: object) -> Record | None:
    if not isinstance(record_id, str):
        return None
    return new.of(kind).get(record_id) or old.of(kind).get(record_id)


def _bulletin_name(record: Record) -> str:
    """Its title, else its period in words; 已印发 when it says it was issued."""
    issued = "（已印发）" if record.get("issued") else ""
    if record.get("title"):
        return f"{record['title']}{issued}"
    try:
        period = parse_period(str(record.get("period", ""))).name
    except PeriodError:
        period = str(record.get("period", ""))
    return f"{period}{KINDS_BY_NAME['bulletin'].label}{issued}"
