"""The last build's site files by the key of what each showed, so that a build keeps those it would make the same.

The site builder keys every file by what it shows (``render.site.pagekeys``) and asks
``reuse`` before rendering it: when the output holds the file the last build made at that
path from the same key, the staging folder gets that file (a hard link, ``StagingWriter.reuse``)
and the privacy scan takes its outcome from the leak memo by the file's SHA-256, kept
here: the file is neither rendered, written nor read.

The map is saved in the build cache beside the output (``.<output>.cache/pages.json``),
JSON: path → [key, stamp, SHA-256 or null, and the keys of its parts if it has any, and
its alias if it has one].
The stamp (``atomic.file_stamp``: inode, size, time) ties an entry to the very file it
describes: a file written anew by a build whose map was not saved, or edited by hand, has
another stamp and is made again.  So the map may be saved before the new output is swapped
in, and a map that cannot be read is empty.

A file made of parts (``ledger.xlsx``: runs of rows, compressed) keeps them in ``parts/``
beside the map, each named by its key, as long as a file of the map is made of it.

Beside the map, ``figures.pickle`` keeps the answers the site's figures gave (``figures``):
a build that sees what the statistics see as the last one did takes them back, and makes
no snapshot for a page it keeps (``render.site.keptanswers``: each group read when asked).

A file may also have an alias (``alias``): a second key, cheaper to work out, that
stands for what the file was made from (a list page: every issue its list could hold,
not the issues it holds).  When the alias is the same, the file is kept without working
out its key (``reuse_alias``); when not, the file's own key still decides.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import struct
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.publish.atomic import StagingWriter, file_stamp
from reportgen.publish.cache import FileState, FileStates, InputsSince
from reportgen.publish.leakscan import LeakScan
from reportgen.render.site.keptanswers import KeptAnswers, unpacked

MAP_FILE = "pages.json"
PARTS = "parts"  # the folder of the parts of files (``part``), beside the map
FIGURES_FILE = "figures.pickle"  # the site's figures by what they were worked out from (``figures``)
FORMAT = 1
_HEAD = struct.Struct("<4sIQ")  # a kept file's head (``_sealed``): tag, CRC-32, length; 16 bytes
_TAG = b"rgk1"


@dataclass(frozen=True)
class Entry:
    """One file of the output as the build that made it left it."""

    key: str
    stamp: str
    sha256: str | None  # what the privacy scan read (None: not scanned)
    parts: tuple[str, ...] = ()  # the keys of the parts it was made of (``part``)
    alias: str | None = None  # a cheaper key standing for what it was made from (``alias``)


class PageStore:
    """The last build's map for ``out``, and this build's, filled as the site is written through ``writer``."""

    def __init__(
        self,
        cache: Path,
        out: Path,
        writer: StagingWriter,
        scan: LeakScan | None,
        sources: Mapping[str, FileState] | None = None,
        since: InputsSince | None = None,
    ) -> None:
        """``since``: which inputs changed since the last build, for the memos it kept (None: no memo is kept)."""
        self.cache, self.out, self.writer, self.scan = cache, out, writer, scan
        self.since = since
        self._out = os.fspath(out)
        self.sources = FileStates.of(sources or {})  # the build's input files by key, with their SHA-256
        self.previous = _read(cache / MAP_FILE)
        self.keys: dict[str, str] = {}  # path → key, of every keyed file of this build
        self.kept: dict[str, Entry] = {}  # the files given from the last build
        self.parts: dict[str, tuple[str, ...]] = {}  # path → the keys of the parts it was made of
        self.aliases: dict[str, str] = {}  # path → its alias, of the files that have one
        self._parts: list[str] = []  # the parts used since the last file was made
        self._figures: bytes | None = None  # this build's answers, packed to be kept (``keep_figures``)
        self._figures_read = KeptAnswers()  # the answers ``figures`` read (none: no key)
        self._digests: dict[str | tuple[str, ...], dict[str, str]] = {}  # ``digests`` by prefix, found once

    def reuse(self, path: str, key: str) -> bool:
        """Give the staging folder the output's ``path`` if the last build made it from ``key``; whether it did."""
        entry = self.previous.get(path)
        if entry is None or entry.key != key:
            return False
        old = f"{self._out}/{path}"  # text, not a ``Path`` (as ``StagingWriter._claim``)
        try:
            if file_stamp(os.stat(old)) != entry.stamp:
                return False
        except OSError:
            return False
        staged = self.writer.reuse(path, old, entry.stamp)
        if self.scan is not None:
            self.scan.add_unchanged(path, entry.sha256, staged)
        self.keys[path] = key
        self.kept[path] = entry
        self.parts[path] = entry.parts
        return True

    def previous_file(self, path: str, key: str) -> bytes | None:
        """The bytes of the output's ``path`` if the last build made it from ``key`` (None: it did not, or it changed).

        The stamp is checked on the file opened, the one read.
        """
        entry = self.previous.get(path)
        if entry is None or entry.key != key:
            return None
        with contextlib.suppress(OSError), open(f"{self._out}/{path}", "rb") as file:
            if file_stamp(os.fstat(file.fileno())) == entry.stamp:
                return file.read()
        return None

    def reuse_alias(self, path: str, alias: str) -> bool:
        """``reuse`` of the file whose alias, in the last build, was ``alias``; whether it was kept."""
        entry = self.previous.get(path)
        if entry is None or entry.alias != alias or not self.reuse(path, entry.key):
            return False
        self.aliases[path] = alias
        return True

    def alias(self, path: str, alias: str) -> None:
        """``path``, kept or made in this build, has the alias ``alias``."""
        self.aliases[path] = alias

    def made(self, path: str, key: str) -> None:
        """``path`` was rendered from ``key`` and written through the writer (of the parts used since the last)."""
        self.keys[path] = key
        self.parts[path], self._parts = tuple(self._parts), []

    def source(self, key: str) -> str | None:
        """The SHA-256 of the input file ``key`` as this build read it (``render.site.inputs`` keys rows by it)."""
        state = self.sources.get(key)
        return state.sha256 if state is not None and state.sha256 else None

    def digests(self, prefix: str | tuple[str, ...]) -> dict[str, str]:
        """The SHA-256 of every input file whose key starts with ``prefix`` (or one of those), by key ("" unknown).

        Found once per prefix, in one pass over every input file (~0.045 CPU s at 100,000
        issues: the ledger's rows and a team page made again ask for the same folders).
        The inputs' digests do not change while the site is written.  Not to be changed.
        """
        found = self._digests.get(prefix)
        if found is None:
            found = self._digests[prefix] = self.sources.shas(prefix)
        return found

    def read_memo(self, name: str) -> bytes | None:
        """What the last build kept as ``name`` (``write_memo``); None when it kept nothing, or it is damaged."""
        with contextlib.suppress(OSError):
            return _opened((self.cache / name).read_bytes())
        return None

    def write_memo(self, name: str, content: bytes) -> None:
        """Keep ``content`` as ``name`` beside the map, now, for the next build (``read_memo``)."""
        _write(self.cache, name, content)

    def memo_tie(self) -> str | None:
        """What a memo kept by this build is tied to (``changed_since``); None: no memo can be tied."""
        return self.since.generation if self.since is not None else None

    def changed_since(self, tie: str) -> frozenset[str] | None:
        """The input files changed since the build whose ``memo_tie`` was ``tie``; None: not known."""
        return self.since.changed_since(tie) if self.since is not None else None

    def inputs_digest(self, skip: str) -> str | None:
        """A digest of every input file's key and SHA-256 but those under ``skip`` (None: one is unknown)."""
        return self.sources.shas_digest(skip)

    def figures(self, key: str) -> KeptAnswers:
        """The answers the last build kept from ``key`` (``keep_figures``); none when it kept none from it.

        Each group of them is unpickled when first asked (``keptanswers``).
        """
        with contextlib.suppress(OSError, ValueError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            content = _opened((self.cache / FIGURES_FILE).read_bytes())
            kept = unpacked(content) if content is not None else None
            if kept is not None and kept.key == key:
                self._figures_read = kept
                return kept
        return KeptAnswers()

    def keep_figures(self, key: str, answers: dict[Any, Any]) -> None:
        """Keep ``answers``, worked out from ``key``, with those ``figures`` read, for the next build (``save``).

        From the same key the answers read are kept with this build's new ones; when none
        is new, the file kept already holds them and is not written again.
        """
        self._figures = self._figures_read.merged(key, answers)

    def part(self, key: str, make: Callable[[], bytes]) -> bytes:
        """The part of a file kept under ``key`` (``parts/<key>``) by the last build, else ``make()``-d and kept.

        Each part is kept with a check of its bytes (``_sealed``): one damaged on disk is made again.
        """
        self._parts.append(key)
        kept = self.kept_part(key)
        if kept is not None:
            return kept
        content = make()
        _write(self.cache / PARTS, key, content)
        return content

    def kept_part(self, key: str) -> bytes | None:
        """The part kept under ``key`` (``part``) by the last build or this one; None: none is, or it is damaged."""
        with contextlib.suppress(OSError):
            return _opened((self.cache / PARTS / key).read_bytes())
        return None

    def save(self) -> None:
        """Keep this build's map (a map that cannot be written is not kept: the next build makes every file).

        The parts no file of this build is made of are removed.
        """
        used = {key for keys in self.parts.values() for key in keys}
        with contextlib.suppress(OSError):
            for old in (self.cache / PARTS).iterdir():
                if old.name not in used:
                    old.unlink()
        files: dict[str, list[Any]] = {}
        for path, key in self.keys.items():
            stamp = self.writer.stamps.get(path)
            if stamp is None:
                continue
            kept = self.kept.get(path)
            sha = self.scan.digests.get(path) if self.scan is not None else (kept.sha256 if kept else None)
            entry: list[Any] = [key, stamp, sha]
            if self.parts.get(path) or path in self.aliases:
                entry.append(list(self.parts.get(path, ())))
            if path in self.aliases:
                entry.append(self.aliases[path])
            files[path] = entry
        if self._figures is not None:
            _write(self.cache, FIGURES_FILE, self._figures)
        payload = json.dumps({"format": FORMAT, "files": files}, ensure_ascii=False, sort_keys=True)
        with contextlib.suppress(OSError):
            self.cache.mkdir(parents=True, exist_ok=True)
            tmp = self.cache / f".{MAP_FILE}.{os.getpid()}"
            tmp.write_text(payload, "utf-8")
            tmp.replace(self.cache / MAP_FILE)


def _write(folder: Path, name: str, content: bytes) -> None:
    """``content`` in ``folder/name``, sealed (``_sealed``), written aside and moved in (not at all if it cannot be)."""
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{name}.{os.getpid()}"
        tmp.write_bytes(_sealed(content))
        tmp.replace(folder / name)


def _sealed(content: bytes) -> bytes:
    """``content`` behind a head that tells it damaged (``_opened``): a tag, its CRC-32 and its length.

    A check against a damaged disk or a file cut short, not against anyone: the cache is
    the build's own.  CRC-32 reads ~5× faster than the BLAKE2b it replaces, and a build
    after one edit at 100,000 issues reads and writes ~55 MB of kept files (the ledger's
    row keys both ways, the figures and the ledger's parts read): ~0.05 CPU s.
    """
    return _HEAD.pack(_TAG, zlib.crc32(content), len(content)) + content


def _opened(kept: bytes) -> bytes | None:
    """What ``_sealed`` sealed in ``kept``; None when it is damaged, or not sealed so."""
    if len(kept) < _HEAD.size:
        return None
    tag, crc, size = _HEAD.unpack_from(kept)
    content = kept[_HEAD.size :]
    if tag != _TAG or size != len(content) or zlib.crc32(content) != crc:
        return None
    return content


def _read(path: Path) -> dict[str, Entry]:
    """The saved map, or an empty one when there is none or it is not in this shape."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    files = data.get("files") if isinstance(data, dict) and data.get("format") == FORMAT else None
    if not isinstance(files, dict):
        return {}
    entries = {}
    for name, raw in files.items():
        if (
            isinstance(raw, list)
            and len(raw) in (3, 4, 5)
            and isinstance(raw[0], str)
            and isinstance(raw[1], str)
            and (raw[2] is None or isinstance(raw[2], str))
        ):
            parts = raw[3] if len(raw) >= 4 and isinstance(raw[3], list) else []
            alias = raw[4] if len(raw) == 5 and isinstance(raw[4], str) else None
            entries[name] = Entry(raw[0], raw[1], raw[2], tuple(p for p in parts if isinstance(p, str)), alias)
    return entries
