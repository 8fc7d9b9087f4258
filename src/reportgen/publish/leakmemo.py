"""What the last build's leak search found in each output file, so that a file written again unchanged is not read.

Reading every output as a reader sees it (``leakscan``) was a third of a rebuild after one
changed issue at 10,000 issues, although almost every file was byte-identical to the last
build's.  The search's outcome for a file depends only on the file's bytes and on what is
searched for (the private phone numbers' digits, the private names, and the pattern that
also holds the public names containing them), so it is remembered under the SHA-256 of the
bytes, as the search keys found in each of the file's parts (an XLSX or DOCX has several),
for as long as what is searched for, and the code, stay the same.  Any change to it (a private value
edited, a public name that contains one) starts an empty memo: every file is read again.

The memo lives in the build cache beside the output (``.<output>.cache/leaks.json``), JSON
and never pickle; one that cannot be read, or was written for other terms, is empty.  What later
builds searched is kept beside it (``leaks-more.json``, tied to the memo's bytes by their digest)
until that is a quarter of it: after one changed title at 100,000 issues the memo's ~25,000
outcomes (2 MB) are not gathered and written again whole (~0.08 CPU s) each time, only the new ones.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reportgen.codeversion import code_version
from reportgen.heap import paused_gc, uncollected

MEMO_FILE = "leaks.json"
MORE_FILE = "leaks-more.json"  # the outcomes searched since the memo was written whole (``save``)
# the memo is written whole again when what is beside it would be more than a quarter of it (``_size``): at 100,000
# issues one changed title puts ~1,000 beside the ~45,000 it holds (the files written anew, ledger.csv's ~600 parts),
# of which the next change drops what it does not write again (``save``): beside it stay ~3,000 (130 KB) after 4 changes
MORE_SHARE = 4
FORMAT = 3  # 3: the files and parts in which nothing was found, one list of digests

Found = list[tuple[str, list[str]]]  # (part of the file: "" or "!member", the search keys found in it)
# what a build learnt: each file's or part's outcome by digest, and the digests of the parts of each file searched
# in parts (a file kept unread keeps its parts' outcomes: the next change to it reads the changed part only)
Learned = tuple[dict[str, Found], dict[str, list[str]]]


def part_digest(member: str, data: bytes) -> str:
    """The digest a part of a big worksheet is remembered by: of its bytes and of the member's name, which says how
    they are read (a digest of its own kind, never a whole file's)."""
    digest = hashlib.sha256(f"part\0{member}\0".encode())
    digest.update(data)
    return digest.hexdigest()[:32]  # 128 bits: no two parts alike by chance; the memo holds tens of thousands


def terms_digest(phones: Iterable[str], names: Iterable[str], pattern: str) -> str:
    """One hash of what the search looks for and of the code reading the files: all a file's outcome depends on."""
    digest = hashlib.sha256(f"{FORMAT}\0{code_version()}\0{pattern}\0".encode())
    for key in sorted(phones):
        digest.update(f"p{key}\0".encode())
    for key in sorted(names):
        digest.update(f"n{key}\0".encode())
    return digest.hexdigest()


class LeakMemo:
    """Each output file's search outcome by the SHA-256 of its bytes, for one set of search terms."""

    def __init__(self, folder: Path | None, terms: str) -> None:
        """The memo saved in ``folder`` for ``terms`` (empty when there is none, or no folder)."""
        self.folder = folder
        self.terms = terms
        self._old: dict[str, Found] = {}
        self._old_parts: dict[str, list[str]] = {}
        self._base: str | None = None  # the digest of the memo's bytes (None: no memo for these terms)
        self._more: tuple[dict[str, Found], dict[str, list[str]]] = ({}, {})  # what is beside it (``MORE_FILE``)
        if folder is not None:
            with paused_gc():  # tens of thousands of lists, none garbage: no collection over the build's heap
                self._old, self._old_parts, self._base = _read(folder / MEMO_FILE, terms)
                if self._base is not None:
                    self._more = _read(folder / MORE_FILE, terms, self._base)[:2]
                    self._old.update(self._more[0])
                    self._old_parts.update(self._more[1])
        self._new: dict[str, Found] = {}
        self._new_parts: dict[str, list[str]] = {}

    def forked(self) -> LeakMemo:
        """A memo for a forked process's search: the last build's outcomes, none learnt in this build yet."""
        other = copy.copy(self)
        other._new, other._new_parts = {}, {}
        return other

    @property
    def remembers(self) -> bool:
        """Whether the last build's outcomes are here (for the same terms): a file it wrote alike need not be read."""
        return bool(self._old)

    def found(self, data: bytes) -> tuple[str, Found | None]:
        """The bytes' digest and what the last build's search found in them (None: not searched then)."""
        sha = hashlib.sha256(data).hexdigest()
        return sha, self.known(sha)

    def known(self, sha: str) -> Found | None:
        """What the search found in the file of digest ``sha`` (None: not searched, in this build or the last)."""
        hit = self._new.get(sha)
        if hit is None and (hit := self._old.get(sha)) is not None:
            self._new[sha] = hit
            if (parts := self._old_parts.get(sha)) is not None:  # kept with the file, for its next change
                self._new_parts[sha] = parts  # the parts' own outcomes carried when kept (``_carry_parts``)
        return hit

    def found_nothing(self, sha: str) -> bool:
        """Whether the last build searched the file of digest ``sha`` and found nothing in it.

        One searched in parts: nothing in each part, and each part had text (one not UTF-8 was not searched).
        """
        hit = self._old.get(sha)
        if not hit or any(keys for _, keys in hit):
            return False
        parts = self._old_parts.get(sha)
        return parts is None or all(self._old.get(digest) == _NOTHING_FOUND for digest in parts)

    def in_parts(self, sha: str) -> bool:
        """Whether the last build searched the file of digest ``sha`` in parts (each part's outcome is kept)."""
        return sha in self._old_parts

    def remember(self, sha: str, found: Found, parts: list[str] | None = None) -> None:
        """What the search found in the file of digest ``sha``; ``parts``: the digests of its parts, if read so."""
        self._new[sha] = found
        if parts:
            self._new_parts[sha] = parts

    def learned(self) -> Learned:
        """Every outcome this build searched or took from the last build's, and the files' parts (``save`` keeps)."""
        self._carry_parts()
        return self._new, self._new_parts

    def _carry_parts(self) -> None:
        """Take the last build's outcomes of the parts of every file taken from it (and of their parts in turn).

        Done once, when what was learnt is handed on, not for each of the thousands of files ``known``
        finds kept after one edit: most of their parts are never looked up in this build.
        """
        new, old, old_parts = self._new, self._old, self._old_parts
        pending = [digest for parts in self._new_parts.values() for digest in parts if digest not in new]
        while pending:
            digest = pending.pop()
            if digest in new or (hit := old.get(digest)) is None:
                continue
            new[digest] = hit
            if (parts := old_parts.get(digest)) is not None:
                self._new_parts[digest] = parts
                pending.extend(parts)

    def learn(self, learned: Learned) -> None:
        """Keep what another process learnt too (its ``learned``)."""
        outcomes, parts = learned
        self._new.update(outcomes)
        self._new_parts.update(parts)

    def save(self) -> None:
        """Keep what this build searched: beside the memo, or, past ``MORE_SHARE``, the memo written whole anew.

        Written whole, the memo keeps only what this build searched or took from it: it never
        outgrows one output.  Beside it, outcomes of files no longer written stay until then:
        an outcome is the same for the same bytes and terms, so one kept longer is never wrong.
        """
        if self.folder is None:
            return
        outcomes = {sha: found for sha, found in self._new.items() if sha not in self._old}
        parts = {sha: digests for sha, digests in self._new_parts.items() if sha not in self._old_parts}
        # a file searched in parts by an earlier build and not written by this one (ledger.csv before this change:
        # ~1,200 entries at 100,000 issues) is not kept beside the memo again: it would grow by that every change
        more_outcomes, more_parts = self._more
        stale = {sha for sha in more_parts if sha not in self._new}
        if stale:
            more_outcomes = {sha: found for sha, found in more_outcomes.items() if sha not in stale}
            more_parts = {sha: digests for sha, digests in more_parts.items() if sha not in stale}
        beside = _size(more_outcomes, more_parts) + _size(outcomes, parts)
        if self._base is not None and beside * MORE_SHARE <= _size(self._old, self._old_parts):
            if outcomes or parts or stale:
                self._write(MORE_FILE, {**more_outcomes, **outcomes}, {**more_parts, **parts}, self._base)
            return
        self._carry_parts()
        self._write(MEMO_FILE, self._new, self._new_parts)
        with contextlib.suppress(OSError):  # tied to the memo replaced: never read again anyway
            (self.folder / MORE_FILE).unlink(missing_ok=True)

    def _write(self, name: str, outcomes: dict[str, Found], parts: dict[str, list[str]], base: str = "") -> None:
        """Write ``outcomes`` and files' ``parts`` to the file ``name`` of the folder; ``base``: the memo's digest."""
        assert self.folder is not None
        # most files and parts hold nothing found: one list of their digests, read back at C speed (``_read``)
        nothing = sorted(sha for sha, found in outcomes.items() if found == _NOTHING_FOUND)
        files = {sha: found for sha, found in outcomes.items() if found != _NOTHING_FOUND}
        payload = {"format": FORMAT, "terms": self.terms, "nothing": nothing, "files": files, "parts": parts}
        if base:
            payload["base"] = base
        # the JSON made of tens of thousands of outcomes (sorted items: a tuple each), all dropped after: no
        # collection over the build's heap meanwhile (100k, after a title edit: ~0.7 s when one came here)
        with contextlib.suppress(OSError), uncollected():  # a memo that cannot be written is simply not kept
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.folder / f".{name}.{os.getpid()}"
            tmp.write_text(json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")), "utf-8")
            tmp.replace(self.folder / name)


def _size(outcomes: dict[str, Found], parts: dict[str, list[str]]) -> int:
    """How much a memo holds: its outcomes and its files' parts' digests (ledger.csv at 100,000 issues: ~600)."""
    return len(outcomes) + sum(map(len, parts.values()))


_NOTHING = [["", []]]  # a file or part in which nothing was found, as saved
# as read: no three new objects for each of tens of thousands (each one more for the collector to count and walk)
_NOTHING_FOUND: Found = [("", [])]


def _read(path: Path, terms: str, base: str = "") -> tuple[dict[str, Found], dict[str, list[str]], str | None]:
    """The saved outcomes and files' parts when ``path`` holds a memo for ``terms`` in this format, and the digest of
    its bytes (None: none, or one not read back whole); else none.  ``base``: what is beside the memo of this
    digest (``MORE_FILE``)."""
    try:
        raw = path.read_bytes()
        data = json.loads(raw)
    except (OSError, ValueError, RecursionError):
        return {}, {}, None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("terms") != terms:
        return {}, {}, None
    if data.get("base", "") != base:  # beside another memo than the one read
        return {}, {}, None
    nothing, files, parts = data.get("nothing"), data.get("files"), data.get("parts")
    if not isinstance(nothing, list) or not isinstance(files, dict) or not isinstance(parts, dict):
        return {}, {}, None
    if not all(isinstance(sha, str) for sha in nothing):
        return {}, {}, None
    outcomes = dict.fromkeys(nothing, _NOTHING_FOUND)
    outcomes.update({sha: found for sha, raw in files.items() if (found := _found(raw)) is not None})
    kept = {
        sha: digests
        for sha, digests in parts.items()
        if isinstance(digests, list) and all(isinstance(digest, str) for digest in digests)
    }
    whole = len(outcomes) == len(nothing) + len(files) and len(kept) == len(parts)
    # one edited in part keeps what it holds whole, but nothing is put beside it: the next build writes it anew
    return outcomes, kept, hashlib.sha256(raw).hexdigest() if whole else None


def _found(raw: Any) -> Found | None:
    """One saved outcome in its shape, or None when it was edited into another."""
    if raw == _NOTHING:  # most parts and files: compared at C speed, and one shared outcome (never changed)
        return _NOTHING_FOUND
    if isinstance(raw, list) and raw == _NOTHING * len(raw):  # a page in parts, nothing in any: at C speed too
        return _NOTHING_FOUND * len(raw)
    if not isinstance(raw, list):
        return None
    parts: Found = []
    for part in raw:
        if not (isinstance(part, list) and len(part) == 2 and isinstance(part[0], str) and isinstance(part[1], list)):
            return None
        if not all(isinstance(key, str) for key in part[1]):
            return None
        parts.append((part[0], part[1]))
    return parts
