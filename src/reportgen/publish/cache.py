"""What changed since the last build, decided from a stat walk and content hashes.

The build cache lives beside the output (``.output.cache/state.json``), never inside it.
For every input file it keeps size, mtime, SHA-256 and the earliest date the record
speaks of: a change to a record can only alter bulletins of periods ending on or
after that date.  Master data (config, calendar, departments, staff, teams), templates
and the code itself affect everything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportgen.codeversion import code_version
from reportgen.filewalk import walk_files
from reportgen.model import Record, Records

STATE_VERSION = 1
EVERYTHING = ""  # the "earliest date" of a file that affects every period
_MASTER_KINDS = frozenset({"config", "calendar", "department", "staff", "team"})


@dataclass(frozen=True)
class FileState:
    """What the cache knows about one input file."""

    size: int
    mtime_ns: int
    sha256: str
    earliest: str | None  # ISO date, EVERYTHING, or None for a bulletin text (its own period only)


@dataclass
class Changes:
    """The difference between the inputs now and at the last successful build."""

    files: dict[str, FileState]  # the current state of every input file
    changed: set[str] = field(default_factory=set)  # added, removed or modified (relative paths)
    everything: bool = False  # options, code, templates or master data changed

    @property
    def none(self) -> bool:
        """Nothing at all changed."""
        return not self.changed and not self.everything


def cache_folder(out: Path) -> Path:
    """Where the build cache of ``out`` lives: beside it, never published."""
    return out.with_name(f".{out.name}.cache")


def input_files(records_dir: Path, templates_dir: Path | None) -> list[tuple[str, str]]:
    """Every input file as (key, path): records under ``records/``, user templates under ``templates/``."""
    found: list[tuple[str, str]] = []
    for prefix, base in (("records", records_dir), ("templates", templates_dir)):
        if base is not None and base.is_dir():
            found.extend((f"{prefix}/{rel}", entry.path) for rel, entry in walk_files(os.fspath(base)))
    found.sort()
    return found


def input_key(records_dir: Path, path: Path) -> str:
    """The cache key of a file inside the records folder."""
    return f"records/{path.relative_to(records_dir).as_posix()}"


def file_state(path: Path) -> FileState:
    """A file's state as the cache records it (a file the build itself wrote)."""
    stat = path.stat()
    return FileState(stat.st_size, stat.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest(), None)


def load_state(out: Path) -> dict[str, Any]:
    """The last successful build's state, or an empty one."""
    try:
        state: dict[str, Any] = json.loads((cache_folder(out) / "state.json").read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return state if state.get("version") == STATE_VERSION else {}


def detect_changes(files: list[tuple[str, str]], state: dict[str, Any], options: str) -> Changes:
    """Compare the inputs with the saved state; hash only files whose size or mtime moved."""
    old: dict[str, list[Any]] = state.get("files", {})
    current: dict[str, FileState] = {}
    changes = Changes(current)
    for key, path in files:
        try:
            stat = os.stat(path)
        except OSError:  # a dangling link: validation reports it; remember that it is there
            current[key] = FileState(-1, -1, "", None)
            if key not in old:
                changes.changed.add(key)
            continue
        before = old.get(key)
        if before and before[0] == stat.st_size and before[1] == stat.st_mtime_ns:
            current[key] = FileState(stat.st_size, stat.st_mtime_ns, before[2], before[3])
            continue
        with open(path, "rb") as handle:
            sha = hashlib.sha256(handle.read()).hexdigest()
        current[key] = FileState(stat.st_size, stat.st_mtime_ns, sha, before[3] if before else None)
        if not before or before[2] != sha:
            changes.changed.add(key)
    changes.changed.update(set(old) - set(current))
    if state.get("options") != options or state.get("code") != code_version():
        changes.everything = True
    return changes


def earliest_date(record: Record) -> str | None:
    """The earliest date a record speaks of (EVERYTHING for master data, None for bulletin texts)."""
    if record.kind in _MASTER_KINDS:
        return EVERYTHING
    if record.kind == "bulletin":
        return None
    dates = list(_dates(record.data.values()))
    return min(dates).isoformat() if dates else EVERYTHING


def _dates(values: Iterable[Any]) -> Iterable[dt.date]:
    for value in values:
        if isinstance(value, dt.date):
            yield value
        elif isinstance(value, dict):
            yield from _dates(value.values())
        elif isinstance(value, list):
            yield from _dates(value)


def affected_from(changes: Changes, state: dict[str, Any]) -> tuple[dt.date | None, set[str]]:
    """The earliest period end a change can alter (None: no record changed), and changed bulletin texts.

    Both the old and the new earliest date of a changed file count, so moving a record
    from September to October re-renders September too.
    """
    old: dict[str, list[Any]] = state.get("files", {})
    earliest: dt.date | None = None
    texts: set[str] = set()
    for key in changes.changed:
        if not key.startswith("records/"):
            return dt.date.min, texts  # a user template changed: everything
        candidates = [old.get(key, [None] * 4)[3]]
        if key in changes.files:
            candidates.append(changes.files[key].earliest)
        if key.endswith(".md") or key.startswith("records/frozen/"):
            texts.add(Path(key).name.rsplit(".", 1)[0])  # a bulletin text or its frozen figures
            continue
        for value in candidates:
            if value == EVERYTHING or (value is None and key.endswith(".yaml")):
                return dt.date.min, texts
            day = dt.date.fromisoformat(value) if value else None
            if day and (earliest is None or day < earliest):
                earliest = day
    return earliest, texts


def with_earliest(changes: Changes, records: Records, root_key: str = "records/") -> dict[str, FileState]:
    """The current file states with each record's earliest date filled in."""
    by_file: dict[str, str | None] = {}
    shown = str(records.root)
    root = "" if shown in ("", ".") else shown.rstrip("/") + "/"
    for by_id in records.by_kind.values():
        for record in by_id.values():
            rel = record.file[len(root) :] if record.file.startswith(root) else record.file
            by_file[root_key + rel] = earliest_date(record)
    config_key = root_key + "config.yaml"
    by_file.setdefault(config_key, EVERYTHING)
    result = {}
    for key, st in changes.files.items():
        earliest = by_file.get(key, st.earliest if key.startswith(root_key) else EVERYTHING)
        result[key] = FileState(st.size, st.mtime_ns, st.sha256, earliest)
    return result


def save_state(out: Path, files: dict[str, FileState], options: str) -> None:
    """Remember this successful build's inputs."""
    folder = cache_folder(out)
    folder.mkdir(parents=True, exist_ok=True)
    state = {
        "version": STATE_VERSION,
        "options": options,
        "code": code_version(),
        "files": {k: [v.size, v.mtime_ns, v.sha256, v.earliest] for k, v in sorted(files.items())},
    }
    tmp = folder / "state.json.tmp"
    tmp.write_text(json.dumps(state, ensure_ascii=False), "utf-8")
    tmp.replace(folder / "state.json")
