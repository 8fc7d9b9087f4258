"""Issued bulletins are frozen: the figures they were issued with, and what changed since.

When a bulletin text says it was issued (``issued`` and ``number``), the figures of
that period are recorded in ``records/frozen/<id>.json`` and committed by the office.
A later data change that alters them is reported by ``check`` and shown on the
bulletin as a revision, instead of silently changing a published document.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.compute.metrics import METRICS_BY_KEY
from reportgen.compute.periods import PeriodError, check_calendar, parse_period
from reportgen.formatting import number, percent
from reportgen.load import FROZEN_FOLDER
from reportgen.model import Record, Records
from reportgen.problems import Problem, Words
from reportgen.validate.frozen import SUFFIX, FrozenFileError, load_frozen
from reportgen.workdays import day_counter

_SECTIONS = {
    "cumulative": Words("累计", "cumulative"),
    "in_period": Words("本期", "this period"),
    "previous": Words("上期", "previous period"),
}
_OVERDUE = Words("超期未办结问题清单", "overdue issues")


@dataclass(frozen=True)
class FigureChange:
    """One figure of an issued bulletin that the data now gives differently."""

    key: str  # e.g. "cumulative.issues_resolved"
    label: str  # e.g. "累计·已解决问题"
    issued: Any
    now: Any

    def shown(self, value: Any, lang: str = "zh") -> str:
        """A value as the bulletin prints it: rates as percentages, other fractions with one decimal."""
        metric = METRICS_BY_KEY.get(self.key.rsplit(".", 1)[-1])
        if metric is not None and metric.is_rate:
            return percent(value)
        if isinstance(value, list):
            return ("、".join(value) or "无") if lang != "en" else (", ".join(value) or "none")
        return f"{value:.1f}" if isinstance(value, float) else number(value)


def canonical(stats: dict[str, Any]) -> bytes:
    """The statistics as canonical JSON bytes (what the data hash is taken of)."""
    return json.dumps(stats, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def data_hash(stats: dict[str, Any]) -> str:
    """SHA-256 of the period's statistics: the same figures, the same hash."""
    return hashlib.sha256(canonical(stats)).hexdigest()


def doc_number(records: Records, bulletin: Record) -> str:
    """川助企〔2021〕9号: the prefix, the year of issue in 〔〕, the number, no leading zeros."""
    return f"{records.config.get('doc_prefix', '')}〔{bulletin['issued'].year}〕{bulletin['number']}号"


def issued_bulletins(records: Records) -> list[Record]:
    """Bulletin texts that say they were issued."""
    return [b for b in records.bulletins.values() if b.get("issued") and b.get("number")]


def frozen_path(records_dir: Path, bulletin_id: str) -> Path:
    """Where an issued bulletin's figures are kept."""
    return records_dir / FROZEN_FOLDER / f"{bulletin_id}{SUFFIX}"


def frozen_document(bulletin: Record, stats: dict[str, Any], revision: str | None) -> dict[str, Any]:
    """What is recorded when a bulletin is frozen."""
    return {
        "bulletin": bulletin.id,
        "issued": bulletin["issued"].isoformat(),
        "number": bulletin["number"],
        "data_hash": data_hash(stats),
        "source_revision": revision,
        "figures": flatten(stats),
    }


def frozen_bytes(document: dict[str, Any]) -> bytes:
    """A frozen document as written to its file: sorted keys, two-space indents, a final newline."""
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def write_frozen(records_dir: Path, document: dict[str, Any]) -> Path | None:
    """Write a bulletin's frozen figures; None (and nothing written) when its file is already there.

    The file is linked into place from a finished temporary file, so it appears whole or
    not at all, and an existing one (even one written a moment ago by someone else) is kept.
    """
    path = frozen_path(records_dir, document["bulletin"])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(frozen_bytes(document))
    try:
        os.link(tmp, path)
    except FileExistsError:
        return None
    finally:
        tmp.unlink()
    return path


def unfrozen_bulletins(records: Records) -> list[Record]:
    """Issued bulletins with no frozen figures file (a file that is there, even a broken one, counts)."""
    return [b for b in issued_bulletins(records) if not os.path.lexists(frozen_path(records.root, b.id))]


def freeze_missing(
    records: Records, stats_of: Callable[[str], dict[str, Any]], revision: str | None
) -> tuple[list[Path], list[str]]:
    """Record the figures of every issued bulletin that has none: (files written, bulletins whose period
    cannot be counted yet — past the working-day calendar)."""
    written: list[Path] = []
    uncountable: list[str] = []
    counter = day_counter(records)
    for bulletin in sorted(unfrozen_bulletins(records), key=lambda b: b.id):
        try:
            check_calendar(parse_period(bulletin["period"]), counter)
            stats = stats_of(bulletin["period"])
        except PeriodError:
            uncountable.append(bulletin.id)
            continue
        path = write_frozen(records.root, frozen_document(bulletin, stats, revision))
        written.extend([path] if path else [])
    return written, uncountable


def read_frozen(records_dir: Path, bulletin_id: str) -> dict[str, Any] | None:
    """The frozen record of a bulletin, or None when it was never frozen.

    A file that is there but cannot be used is E511 from validation (``validate.frozen``),
    which stops ``check`` and ``build`` before anything reads it here.
    """
    try:
        return load_frozen(frozen_path(records_dir, bulletin_id), bulletin_id)
    except FrozenFileError:
        return None


def flatten(stats: dict[str, Any]) -> dict[str, Any]:
    """The headline figures a bulletin prints, as ``section.key`` → value."""
    flat: dict[str, Any] = {}
    for section in _SECTIONS:
        figures = stats.get(section, {})
        for key, value in figures.items():
            if key == "legal":
                flat.update({f"{section}.legal.{k}": v for k, v in value.items()})
            else:
                flat[f"{section}.{key}"] = value
    for row in stats.get("by_department", []) + stats.get("by_team", []):
        flat[f"rank.{row['id']}"] = row["rank"]
        flat[f"score.{row['id']}"] = row["score"]
    flat["overdue"] = sorted(row["issue"] for row in stats.get("overdue", []))
    return flat


def _label_words(key: str) -> Words:
    """A figure's name, in office words and in English (the metric registry's names)."""
    parts = key.split(".")
    if parts[0] in _SECTIONS:
        metric = METRICS_BY_KEY.get(parts[-1])
        zh, en = (metric.zh, metric.en) if metric else (parts[-1], parts[-1])
        section = _SECTIONS[parts[0]]
        return Words(f"{section.zh}·{zh}", f"{section.en}: {en}")
    if parts[0] == "rank":
        return Words(f"{parts[1]} 名次", f"rank of {parts[1]}")
    if parts[0] == "score":
        return Words(f"{parts[1]} 得分", f"score of {parts[1]}")
    return _OVERDUE if key == "overdue" else Words(key, key)


_ORDER = {key: i for i, key in enumerate(METRICS_BY_KEY)}


def _importance(key: str) -> tuple[int, int, str]:
    """Cumulative figures first, in the order metrics are defined; ranks and the overdue list last."""
    parts = key.split(".")
    section = list(_SECTIONS).index(parts[0]) if parts[0] in _SECTIONS else len(_SECTIONS)
    return section, _ORDER.get(parts[-1], len(_ORDER)), key


def changes_since_issue(frozen: dict[str, Any], stats: dict[str, Any]) -> list[FigureChange]:
    """The figures that differ from those the bulletin was issued with, in a stable order."""
    now = flatten(stats)
    issued = frozen["figures"]
    keys = sorted(set(now) | set(issued), key=_importance)
    return [FigureChange(k, _label_words(k).zh, issued.get(k), now.get(k)) for k in keys if issued.get(k) != now.get(k)]


def _issued_line(bulletin: Record) -> int:
    """The line of ``issued:`` in the bulletin text (problems are reported there)."""
    try:
        lines = Path(bulletin.file).read_text("utf-8").splitlines()
    except OSError:
        return 1
    return next((i for i, line in enumerate(lines, 1) if line.startswith("issued:")), 1)


def frozen_problems(records: Records, stats_of: Callable[[str], dict[str, Any]]) -> list[Problem]:
    """Warnings for issued bulletins whose figures would change (W606) or were never frozen (W607)."""
    problems: list[Problem] = []
    counter = day_counter(records)
    for bulletin in issued_bulletins(records):
        line = _issued_line(bulletin)
        frozen = read_frozen(records.root, bulletin.id)
        if frozen is None:
            problems.append(Problem(bulletin.file, line, 1, "W607", {"bulletin": bulletin.id}, bulletin.id, "issued"))
            continue
        try:  # a period no statistics exist for (past the working-day calendar): not a change of figures
            check_calendar(parse_period(bulletin["period"]), counter)
            stats = stats_of(bulletin["period"])
        except PeriodError:
            continue
        changes = changes_since_issue(frozen, stats)
        if changes:
            shown = _changes_words(changes)
            problems.append(
                Problem(
                    bulletin.file,
                    line,
                    1,
                    "W606",
                    {"bulletin": bulletin.id, "number": doc_number(records, bulletin), "changes": shown},
                    bulletin.id,
                    "issued",
                )
            )
    return problems


def _changes_words(changes: list[FigureChange]) -> Words:
    """The first five changed figures, issued → now, and how many changed when there are more."""
    first = changes[:5]
    zh = "；".join(f"{c.label} {c.shown(c.issued)} → {c.shown(c.now)}" for c in first)
    en = "; ".join(f"{_label_words(c.key).en} {c.shown(c.issued, 'en')} → {c.shown(c.now, 'en')}" for c in first)
    if len(changes) > 5:
        return Words(f"{zh}等 {len(changes)} 项", f"{en} and more ({len(changes)} in all)")
    return Words(zh, en)
