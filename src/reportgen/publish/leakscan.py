"""Privacy by construction: a public build is searched for every private value before it is published.

``privacy.public_data`` leaves private fields out of what is rendered; this is the check that
nothing private got in another way (a phone typed into a visit summary, an office template that
prints a contact).  Every file the build wrote is read as a reader would see it — HTML and
feeds without tags, JSON's strings, the XML inside XLSX and DOCX (a value split across Word's
runs still reads as one), the text of each PDF — made ``plaintext.visible`` once, and searched
for all private values at once.  A page is read line by line, a line once per process: an issue's row
is on many pages (``leakrows``, which finds what reading each page whole finds).

A phone number (or a long private text copied verbatim) found stops the build: an error at the
record the value belongs to, naming the output file.  A private name found is a warning (a
name can be an ordinary word), an error under ``--strict``.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import io
import json
import os
import pickle
import queue
import re
import subprocess
import sys
import threading
import weakref
import zipfile
import zlib
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from reportgen.forked import child_errors
from reportgen.heap import frozen, paused_gc
from reportgen.load import discover
from reportgen.model import Records
from reportgen.plaintext import FIELD_SEPARATOR, PHONE_JOINER, compact, visible
from reportgen.privacy import COMMON_WORDS_NAMED, PrivateSearch, PrivateValue, search_for
from reportgen.problems import Problem, Words
from reportgen.publish.leakmemo import Found, LeakMemo, Learned, part_digest, terms_digest
from reportgen.publish.leakrows import Before, ReadWhole, rows_for
from reportgen.render.zipparts import Layout, pieces
from reportgen.validate.locate import Locator, sources_by_display

_MARKUP = frozenset({".html", ".htm", ".xml", ".atom", ".rss", ".svg", ".xhtml"})
# ``\s`` spelt out (the characters ``str.isspace`` and so ``\s`` match; tests/publish/test_leak_readable.py
# compares them over every code point): a pattern may start with a set of characters, not a category, and
# findall then skips to each place one of them is at C speed (the markup's attributes: a fifth of the time)
_SPACES = "\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_ATTRIBUTE = re.compile(f"""[{_SPACES}"'][\\w:.-]+\\s*=\\s*(?:"([^"]*)"|'([^']*)')""")
_PDF_SECONDS = 120
# from this many issues a public build's files are searched by a second process while the build
# renders on (at 100,000 issues the search is ~40 s of CPU); a smaller office is searched in-process
WORKER_FROM = 2000
# one: the search (~40 CPU s at 100,000 issues, read line by line) is shorter than the site the build's own
# process renders meanwhile (~55 CPU s), and a second worker read again each line the first one had read
# (two workers, measured under load at 100,000 issues: 51 CPU s together; one process: ~40)
WORKERS = 1
# after a change, the few files written otherwise than the last build are searched in-process while they
# keep what was read under this (a worker costs about a second of CPU to start); past it one worker takes the rest
IN_PROCESS_BYTES = 8 << 20
WORKER_COMMAND = (sys.executable, "-m", __name__)  # ``_serve``


class PdfTextError(OSError):
    """A PDF's text could not be read: ``pdftotext`` is missing or failed."""


class SearchEnded(Exception):
    """A worker ended before sending back what it found (killed by the system, out of memory, …)."""

    def __init__(self, code: int | None) -> None:
        super().__init__(f"leak search worker ended early (exit code {code})")
        self.code = code


@dataclass(frozen=True)
class Handed:
    """What a scan of a forked process's files found, for the parent's scan (``LeakScan.take``)."""

    found: dict[PrivateValue, list[str]]  # each value's files, in the order they came
    digests: dict[str, str]  # output path → SHA-256
    learned: Learned  # what the memo learnt


@dataclass(frozen=True)
class Leak:
    """A private value found in the output: where it comes from and the files it was found in."""

    value: PrivateValue
    outputs: tuple[str, ...]


def find_leaks(records: Records, files: dict[str, bytes], skip: Collection[str] = ()) -> list[Leak]:
    """Every private value of ``records`` found in ``files`` (output path → content), except in ``skip``."""
    scan = LeakScan(records, skip)
    for path, data in files.items():
        scan.add(path, data)
    return scan.leaks()


class LeakScan:
    """The search of a build's outputs, fed one file at a time as the build writes them.

    Each file's text is searched when it is added and then dropped, so a province-scale site
    is never held whole.  A PDF's text needs ``pdftotext``: PDFs are kept until ``leaks``,
    which reads them all side by side.  A value's output files are listed in the order they
    were added, PDFs last.  What was found in a file the last build wrote with the same bytes
    comes from ``memo_folder`` (``leakmemo``) instead of reading it again; ``digests`` keeps
    each searched file's SHA-256, so that a file the next build keeps unread
    (``add_unchanged``) is found in the memo by it.

    Given the ``folder`` the files are written to, an office of ``WORKER_FROM`` issues or more
    is searched by ``WORKERS`` other processes (``_Worker``), each file by one of them in turn,
    read back from there: what is found is noted, in the order the files came, when ``leaks``
    is asked.  When the memo holds the last build's outcomes (a rebuild after a change), a file
    is first looked up in it here, and the files it lacks are searched here while what was read
    stays under ``IN_PROCESS_BYTES``; past it one worker starts and takes the rest (at 100,000
    issues, ledger.csv after any change).

    What is searched for is the check's search (``privacy.search_for``): made once per process.
    """

    def __init__(
        self,
        records: Records,
        skip: Collection[str] = (),
        memo_folder: Path | None = None,
        folder: Path | None = None,
        previous: Path | None = None,
    ) -> None:
        """``previous``: the last build's output, whose pages changed in this one are compared with (``_before``)."""
        self.search = search_for(records)
        self.active = bool(self.search.phones or self.search.names)
        self.skip = skip
        self._found: dict[PrivateValue, list[str]] = {}
        self._pdfs: dict[str, bytes] = {}
        self.digests: dict[str, str] = {}  # output path → SHA-256 of the bytes searched (not PDFs)
        digest = terms_digest(self.search.phones, self.search.names, self.search.name_pattern)
        self.memo = LeakMemo(memo_folder, digest)
        self._workers: list[_Worker] = []
        self._sent = 0  # files sent to the workers
        self._later: list[tuple[str, Found | None]] = []  # with workers: what to note, in order (None: theirs)
        big = folder is not None and self.active and len(records.issues) >= WORKER_FROM
        self._folder = folder if big else None  # where the workers read the files back, once started
        self._here = 0  # bytes of text searched in this process
        self._rank: dict[str, int] | None = None  # each file's place in a serial build's order (``in_order``)
        self._previous = os.fspath(previous) if previous is not None else None
        if not self.memo.remembers:  # nothing known from the last build: every file is searched
            self._start_workers(WORKERS)

    def add(self, path: str, data: bytes) -> None:
        """Search one output file (a PDF waits for ``leaks``)."""
        if not self.active or path in self.skip:
            return
        if data[:5] == b"%PDF-":
            self._pdfs[path] = data
            return
        sha, found = self.memo.found(data) if self.memo.remembers else (None, None)
        if found is None:
            parts = None
            layout = pieces(data) if data[:2] == b"PK" else None  # an XLSX this process wrote: read piece by piece
            if not self._workers:  # only the parts the memo lacks count: a big file changed in one line is cheap
                parts = list(_document_parts(path, data, self.search, not self.memo.remembers, layout, self.memo))
                if self._here + _unread(self.memo, parts) > IN_PROCESS_BYTES:
                    self._start_workers(1)
            if self._workers:
                self._workers[self._sent % len(self._workers)].send(path, layout)
                self._sent += 1
                self._later.append((path, None))
                return
            before = self._before(path)
            sha, found, read = _searched(self.search, self.memo, path, data, sha, parts, layout, before)
            self._here += read
        assert sha is not None
        self.digests[path] = sha
        self._note_keys(path, found)

    def _before(self, path: str) -> Before | None:
        """The last build's page at ``path`` when its search found nothing in it (``leakrows.Before``); else None.

        Its digest must be one the memo knows: a file the last build did not write so is not used.
        After one changed title at 100,000 issues, the rows of a changed part of a page searched
        come to a few instead of the part's ~100 (ledger month, unit and list pages).
        """
        if self._previous is None or not self.memo.remembers or not _markup(path):
            return None
        try:
            with open(f"{self._previous}/{path}", "rb") as handle:  # text, not a ``Path``, as the writer's
                data = handle.read()
        except OSError:
            return None
        sha = hashlib.sha256(data).hexdigest()
        return Before.of(data, self.memo.in_parts(sha)) if self.memo.found_nothing(sha) else None

    def _start_workers(self, count: int) -> None:
        """Hand the files from now on to ``count`` processes (for a large office written to a folder)."""
        if self._folder is None or self._workers:
            return
        message = pickle.dumps((self.search, self.memo.folder, self.memo.terms, self._folder), pickle.HIGHEST_PROTOCOL)
        self._workers = [_Worker(message) for _ in range(count)]
        for worker in self._workers:
            weakref.finalize(self, worker.close)  # a build that stops before ``leaks`` ends them too

    def add_unchanged(self, path: str, sha: str | None, file: str) -> None:
        """An output file kept from the last build, of digest ``sha``, at ``file``: read only when the memo lacks it.

        ``file`` is text, not a ``Path`` (as the writer's ``reuse`` gives it): thousands of kept files after one edit.
        """
        if not self.active or path in self.skip:
            return
        found = self.memo.known(sha) if sha is not None else None
        if sha is None or found is None:
            with open(file, "rb") as handle:
                self.add(path, handle.read())
            return
        self.digests[path] = sha
        self._note_keys(path, found)

    def leaks(self) -> list[Leak]:
        """Every private value found, by the record it comes from."""
        self._settle()
        try:
            for path, text in _pdf_texts(self._pdfs):
                self._note(path, text)
        except OSError as exc:
            raise PdfTextError(str(exc)) from exc
        self._pdfs = {}
        self.memo.save()
        found = sorted(self._found.items(), key=lambda i: (i[0].file, i[0].path))
        rank = self._rank
        if rank is not None:  # files searched in another process were noted when it was done (``take``)
            found = [
                (entry, sorted(paths, key=lambda p: rank.get(p.split("!", 1)[0], len(rank)))) for entry, paths in found
            ]
        return [Leak(entry, tuple(paths)) for entry, paths in found]

    @property
    def in_workers(self) -> bool:
        """Whether files are searched by worker processes beside the build (a cold build of a large office)."""
        return bool(self._workers)

    def forked(self) -> LeakScan:
        """A scan of the files a forked process writes: this one's search and memo, none of its files or workers.

        It starts its own workers as a new scan would (a cold build of a large office); what
        it found is ``handed_back`` to this scan's ``take`` in the parent.
        """
        other = copy.copy(self)
        other._found, other._pdfs, other.digests = {}, {}, {}
        other.memo = self.memo.forked()
        other._workers, other._sent, other._later, other._here = [], 0, [], 0
        if not other.memo.remembers:  # as a new scan: every file is searched
            other._start_workers(WORKERS)
        return other

    def handed_back(self) -> Handed:
        """What this scan found (each value's files, in order), each file's digest and the memo learnt."""
        self._settle()
        return Handed(self._found, self.digests, self.memo.learned())

    def take(self, handed: Handed) -> None:
        """What a scan of another process's files found (``handed_back``)."""
        self.memo.learn(handed.learned)
        self.digests.update(handed.digests)
        for entry, paths in handed.found.items():
            self._found.setdefault(entry, []).extend(paths)

    def in_order(self, paths: Iterable[str]) -> None:
        """The order the files were written in by a serial build: each value's files are named in it."""
        self._rank = {path: at for at, path in enumerate(paths)}

    def _settle(self) -> None:
        """Note what the workers found, in the order the files came; they end."""
        if self._workers:
            try:  # their outcomes (tens of thousands of lists, none garbage): no collection over the build's heap
                with paused_gc():
                    replies = [worker.results() for worker in self._workers]
            finally:
                self._stop()
            results = [done for done, _ in replies]
            for _, learned in replies:  # the parts of big worksheets among them
                self.memo.learn(learned)
            later, self._later = self._later, []
            sent = 0
            for path, known in later:
                if known is None:  # the files went to the workers in turn
                    sha, known = results[sent % len(results)][sent // len(results)]
                    sent += 1
                    self.memo.remember(sha, known)
                    self.digests[path] = sha
                self._note_keys(path, known)

    def _stop(self) -> None:
        """End every worker (at once, if still searching); files are searched here from now on."""
        for worker in self._workers:
            worker.close()
        self._workers = []

    def _note(self, path: str, text: str) -> None:
        for entry in _private_values_in(self.search, text):
            paths = self._found.setdefault(entry, [])
            if not paths or paths[-1] != path:  # a file searched in parts is named once
                paths.append(path)

    def _note_keys(self, path: str, found: Found) -> None:
        if self._workers:  # after the files the workers are still searching
            self._later.append((path, found))
            return
        for part, keys in found:
            for key in keys:
                entry = (self.search.phones if key[0] == "p" else self.search.names).get(key[1:])
                if entry is not None:  # always, unless the memo was edited by hand
                    paths = self._found.setdefault(entry, [])
                    # a file or member searched in parts is named once: where it was cut never shows
                    # (ledger.xlsx's sheet is cut by the pieces it was written in, or, read back, by its rows)
                    if not paths or paths[-1] != path + part:
                        paths.append(path + part)


def _searched(
    search: PrivateSearch,
    memo: LeakMemo,
    path: str,
    data: bytes,
    sha: str | None = None,
    parts: list[_Part] | None = None,
    layout: Layout | None = None,
    before: Before | None = None,
) -> tuple[str, Found, int]:
    """The file's digest, the search keys found in each of its parts (from the memo when known), the bytes read.

    ``sha``: the digest when known already not to be in the memo; ``parts``: the file's parts when made already;
    ``layout``: where the deflate pieces of a zip's entries are (``zipparts.pieces``); ``before``: the last
    build's page, in which nothing was found (``LeakScan._before``).
    """
    if sha is None:
        sha, found = memo.found(data)
    else:
        found = None
    read = 0
    if found is None:
        parts = parts or list(_document_parts(path, data, search, not memo.remembers, layout, memo))
        try:
            found, read = _parts_found(search, memo, path, parts, before)
        except ReadWhole:  # an attribute value may run from one part of the page into another
            parts = [_Part(path, path, data, "")]
            found, read = _parts_found(search, memo, path, parts, before)
        memo.remember(sha, found, list(dict.fromkeys(part.piece or part.digest for part in parts if part.digest)))
    return sha, found, read


def _parts_found(
    search: PrivateSearch, memo: LeakMemo, path: str, parts: list[_Part], before: Before | None = None
) -> tuple[Found, int]:
    """The search keys found in each of a file's ``parts`` that holds text, and the bytes read (not in the memo).

    ``before``: the last build's page (nothing found in it): the parts' lines it held alike are not read.
    """
    found: Found = []
    read = 0
    if len(parts) > 1 and memo.remembers and before is None and _page(parts[0]):
        # the lines of the parts to read, read in one go (in a cold build ``Rows.parts`` read the page's lines already;
        # with ``before`` only the few lines it did not hold are read, by ``keys_since``)
        new = [part.data for part in parts if memo.known(part.digest) is None]
        rows_for(search).learn(new, functools.partial(_markup_read, search))
    pieces_read: dict[str, tuple[Found, list[str]]] = {}  # each zip piece read here: its parts' outcomes, digests
    for part in parts:
        if part.piece and part.digest == part.piece:  # a whole zip piece the memo knows (``_zip_parts``)
            found += memo.known(part.piece) or []
            continue
        keys, known = _part_keys(search, memo, part, before)
        read += 0 if known else len(part.data)
        outcome = [] if keys is None else [(part.name[len(path) :], keys)]
        found += outcome
        if part.piece:
            piece_found, digests = pieces_read.setdefault(part.piece, ([], []))
            piece_found += outcome
            digests.append(part.digest)
    for piece, (piece_found, digests) in pieces_read.items():  # known by the next build without inflating them
        memo.remember(piece, piece_found, digests)
    return found, read


def _unread(memo: LeakMemo, parts: list[_Part]) -> int:
    """The bytes of ``parts`` the memo does not know (what searching them here would read)."""
    return sum(len(part.data) for part in parts if not part.digest or memo.known(part.digest) is None)


def _part_keys(
    search: PrivateSearch, memo: LeakMemo, part: _Part, before: Before | None = None
) -> tuple[list[str] | None, bool]:
    """The search keys found in one part (None: no text), and whether the memo knew them.

    A part of a big worksheet, CSV or page is remembered on its own: after one changed row the
    file is another file, but all its parts save one are the bytes the last build searched
    (``_rows_apart``, ``_lines_apart``, ``Rows.parts``), and the memo knows them by their own digest.
    """
    if part.digest:
        known = memo.known(part.digest)
        if known is not None:
            return (known[0][1] if known else None), True
    read = functools.partial(_markup_read, search)
    if _page(part) and before is not None:  # the lines the last build's page did not hold alike
        keys = rows_for(search).keys_since(part.data, read, before, part=bool(part.digest))
    elif _page(part):  # line by line
        keys = rows_for(search).keys(part.data, read, part=bool(part.digest))
    else:
        text = _decoded(part.data)
        keys = None if text is None else _keys_in(search, _readable(part.member, text))
    if part.digest:
        memo.remember(part.digest, [] if keys is None else [("", keys)])
    return keys, False


def _page(part: _Part) -> bool:
    """Whether ``part`` is (part of) a markup file read line by line (``leakrows``): no comment may cross a line."""
    return part.name == part.member and _markup(part.member) and b"<!--" not in part.data


def _keys_in(search: PrivateSearch, text: str) -> list[str]:
    """The search keys of the private values in ``text``: "p" and a phone's digits, or "n" and a name."""
    return sorted(("p" if entry.phone else "n") + entry.key for entry in _private_values_in(search, text))


class _Worker:
    """A second process searching the files a build writes, read back from the folder they are written to.

    ``python -m reportgen.publish.leakscan``, started with what is searched for (pickled: a
    few megabytes at 100,000 issues; a fork would share, and be counted with, the build's
    gigabyte of records).  It is sent each file's path as the file is written and, when the
    build is done, sends back each file's digest and what was found in it, in the order they
    came.  Meanwhile the build's own process goes on rendering: on two cores the search no
    longer adds to the build's time.  A thread of the build writes to the worker, so the build
    never waits for it to start or to catch up.  Its error output is shown only under
    ``REPORTGEN_DEBUG=1``: a worker that ends early is said by the build (``SearchEnded``).
    """

    def __init__(self, start: bytes) -> None:
        """Start the worker; ``start``: the pickled (search, memo folder, memo terms, folder)."""
        self._process = subprocess.Popen(
            WORKER_COMMAND, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=child_errors()
        )
        self._outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._outbox.put(start)
        self._writer = threading.Thread(target=self._write, daemon=True)
        self._writer.start()

    def send(self, path: str, layout: Layout | None = None) -> None:
        """Search the file ``path`` of the folder (already written; a zip's ``layout``); never waits for the worker."""
        self._outbox.put(pickle.dumps((path, layout), pickle.HIGHEST_PROTOCOL))

    def results(self) -> tuple[list[tuple[str, Found]], Learned]:
        """(digest, what was found) of every file sent, in order, and all the worker's memo learnt; it then ends.

        An error the worker met is raised here; a worker that ended without a word is ``SearchEnded``.
        """
        assert self._process.stdout is not None
        self._outbox.put(pickle.dumps(None, pickle.HIGHEST_PROTOCOL))
        self._outbox.put(None)
        self._writer.join()
        try:
            ok, payload = pickle.load(self._process.stdout)
        except (EOFError, pickle.UnpicklingError):
            ok, payload = False, SearchEnded(self._process.wait())
        finally:
            self.close()
        if not ok:
            raise payload
        done, learned = payload
        return list(done), learned

    def close(self) -> None:
        """End the process (at once, if it is still searching)."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._outbox.put(None)  # the writer stops too
        for pipe in (self._process.stdin, self._process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()

    def _write(self) -> None:
        """The writer thread: each message in turn, until told to stop or the worker is gone."""
        stdin = self._process.stdin
        assert stdin is not None
        with contextlib.suppress(OSError, ValueError):  # ended early (or closed): ``results`` says why
            while (message := self._outbox.get()) is not None:
                stdin.write(message)
                stdin.flush()
            stdin.close()


def _serve(source: BinaryIO, sink: BinaryIO) -> None:
    """The worker: search each file named until told to stop, then send back what was found."""
    search, memo_folder, terms, folder = pickle.load(source)
    memo = LeakMemo(memo_folder, terms)
    if not memo.remembers:  # a cold build's worker searches every file: no text is looked through uncompiled
        search.compile()
    done: list[tuple[str, Found]] = []
    reply: tuple[bool, Any]
    try:
        # what is searched for and the memo stay; of the millions of objects a search makes, what outlives a file
        # (each piece read, by its bytes) is walked again by every young collection (at 100,000 issues 0.72 s of 13.8)
        with frozen():
            while (sent := pickle.load(source)) is not None:
                path, layout = sent
                sha, found, _ = _searched(search, memo, path, (folder / path).read_bytes(), layout=layout)
                done.append((sha, found))
        reply = (True, (done, memo.learned()))
    except Exception as exc:  # re-raised in the build's process
        reply = (False, exc)
    pickle.dump(reply, sink, pickle.HIGHEST_PROTOCOL)
    sink.flush()


def leak_problems(records: Records, leaks: list[Leak], strict: bool) -> list[Problem]:
    """Each leak as a problem at the private value's record and field (E801; a name W802, E802 if strict)."""
    if not leaks:
        return []
    locator = Locator(sources_by_display(discover(records.root)[0]))
    problems = []
    for leak in leaks:
        entry = leak.value
        code = "E801" if entry.blocking else ("E802" if strict else "W802")
        line, column = locator.at(entry.file, entry.path)
        more = f" 等 {len(leak.outputs)} 个文件" if len(leak.outputs) > 1 else " "
        params: dict[str, str | Words] = {
            "label": entry.label,
            "what": entry.shown,
            "output": leak.outputs[0],
            "more": more,
        }
        if not entry.blocking:  # a name: the hint says where a word that is no name is listed
            params["words"] = COMMON_WORDS_NAMED
        problems.append(Problem(entry.file, line, column, code, params, entry.record, entry.path))
    return problems


def _private_values_in(search: PrivateSearch, text: str) -> set[PrivateValue]:
    found = {entry for _, entry in search.phones_in(text)}
    found.update(entry for _, entry in search.names_in(compact(text)))
    return found


# -- every output as the text a reader sees --------------------------------------------------


class _Part(NamedTuple):
    """Bytes of one output searched as one text: a file, a member of a zip, or a part of a big file."""

    name: str  # the output path, and "!member" inside a zip
    member: str  # the name whose suffix says how the bytes are read (``_readable``)
    data: bytes
    digest: str  # what a part of a big file is remembered by (``leakmemo.part_digest``); "": the whole file or member
    # the digest of the zip entry's deflate piece the part was cut from ("": none); a part whose ``digest`` is it
    # stands for the whole piece, known to the memo and not inflated (``_zip_parts``)
    piece: str = ""


def _part(name: str, member: str, parts: list[bytes], at: int) -> _Part:
    """The ``at``-th of ``parts`` of a file or member: with its digest when there are several."""
    data = parts[at]
    return _Part(name, member, data, part_digest(member, data) if len(parts) > 1 else "")


def _document_parts(
    path: str,
    data: bytes,
    search: PrivateSearch,
    cold: bool = False,
    layout: Layout | None = None,
    memo: LeakMemo | None = None,
) -> Iterator[_Part]:
    """The parts of one output that is not a PDF, XLSX and DOCX members included.

    ``cold``: each part will be read (no memo of the last build's): a page's lines are read as it is cut.
    ``layout``: where a zip's entries' deflate pieces are, ``memo``: the pieces known (``_zip_parts``).
    """
    if data[:2] == b"PK":
        yield from _zip_parts(path, data, layout or {}, memo)
        return
    if len(data) > _LINES_FROM and path.endswith(".csv") and b"<" not in data:
        parts = list(_lines_apart(data, search))
    elif len(data) > _PAGE_PARTS_FROM and _markup(path) and b"<!--" not in data:
        read = functools.partial(_markup_read, search) if cold else None
        parts = rows_for(search).parts(data, _PAGE_PART, read)
    else:
        parts = [data]
    yield from (_part(path, path, parts, at) for at in range(len(parts)))


_LINES_FROM = 4 << 20  # a CSV this big (ledger.csv: 15 MB at 100,000 issues) is searched in parts of whole lines
# a page this big is searched in parts of about ``_PAGE_PART`` bytes (``Rows.parts``), each remembered in the memo:
# after one changed row a ledger's month page (up to 2.3 MB at 100,000 issues) is read in one part, not whole.  Not
# from 48 KB: the memo then held the parts of 1,800 more pages at 100,000 issues (1.9 -> 2.6 MB, ~0.05 CPU s more to
# read and write after every change) to read ~80 KB less of an issue list's page (~0.03 s)
_PAGE_PARTS_FROM = 128 << 10
_PAGE_PART = 32 << 10
# a big CSV's or worksheet's parts: about this many bytes (after one change, what is read again of ledger.csv and
# of ledger.xlsx's sheet, ~70 MB of XML), past 3/4 of it ended after a row whose CRC-32 is a multiple of _PART_ROWS
# (each row tested past it costs: after any change the whole CSV is cut again).  At 100,000 issues, after a title
# edit: 128 KB parts read 153,000 characters of the two (~0.10 CPU s), these ~50,000; the memo holds ~2,000 more.
# A multiple of 4 rather than 16: four rows tested on average, not sixteen (cutting ledger.csv: ~0.02 CPU s less)
_PART_SIZE = 32 << 10
_PART_ROWS = 4


def _lines_apart(data: bytes, search: PrivateSearch, size: int = _PART_SIZE) -> Iterator[bytes]:
    """A CSV without ``<`` in parts of about ``size`` bytes, each cut after a line end nothing found can cross.

    Without ``<`` there is no tag or comment, and an entity never holds a line end, so each
    part reads as it does inside the whole.  A cut is made only where the next line's first
    visible character can join no phone number (not a digit, nor what may stand between
    digits) and no name or title the search matches holds the last character before the cut
    next to the first after it (``PrivateSearch.pairs``), unless both are Latin letters or
    digits (``_whole_word`` looks at them): so every part finds what the whole finds there.
    Past 3/4 of ``size`` a line whose CRC-32 is a multiple of ``_PART_ROWS`` picks the cut, past
    ``4 * size`` any line: a changed line changes its own part only.
    """
    start = 0
    while len(data) - start > size:
        end = _line_cut(data, start, size, search)
        if end < 0:
            break
        yield data[start:end]
        start = end
    yield data[start:] if start else data


def _line_cut(data: bytes, start: int, size: int, search: PrivateSearch) -> int:
    """Where the part from ``start`` ends (after a ``\n``); -1 when no line end past 3/4 of ``size`` may be cut."""
    line = data.rfind(b"\n", start, start + size * 3 // 4) + 1 or start
    end = data.find(b"\n", start + size * 3 // 4)
    while end >= 0:
        end += 1
        picked = zlib.crc32(memoryview(data)[line:end]) % _PART_ROWS == 0 or end - start >= 4 * size
        if picked and _cuttable(data[line:end], data[end : data.find(b"\n", end) + 1 or len(data)], search):
            return end
        line, end = end, data.find(b"\n", end)
    return -1


def _cuttable(before: bytes, after: bytes, search: PrivateSearch) -> bool:
    """Whether nothing found can cross a cut between the line ``before`` and the line ``after``."""
    try:
        shown_before, shown_after = visible(before.decode("utf-8")), visible(after.decode("utf-8"))
    except UnicodeDecodeError:
        return False
    last, first = compact(shown_before)[-1:], compact(shown_after)[:1]
    if not last or not first or not shown_after or PHONE_JOINER.match(shown_after):
        return False
    return last + first not in search.pairs and not (_latin(last) and _latin(first))


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _zip_parts(path: str, data: bytes, layout: Layout, memo: LeakMemo | None = None) -> Iterator[_Part]:
    """The parts of each member of a zip: an entry made in deflate pieces (``layout``) is cut piece by piece.

    Each piece inflates on its own (``zipparts``) and ends after a whole ``</row>``, so it is
    cut into rows apart on its own: a cold build and a rebuild cut the same entry alike.  A
    piece the memo knows (by the digest of its deflate bytes, which give one text) is one
    part standing for what was found in it, and is not inflated: after one changed ledger
    line, one piece of ledger.xlsx's sheet is read.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return
    with archive:
        for name in archive.namelist():
            if name not in layout:  # each member and part remembered (a workbook's theme: 10,000 characters)
                for text in _rows_apart(archive.read(name)):
                    yield _Part(f"{path}!{name}", name, text, part_digest(name, text))
                continue
            for start, end in layout[name]:
                piece = part_digest(f"deflated\0{name}", data[start:end])
                if memo is not None and memo.known(piece) is not None:
                    yield _Part(f"{path}!{name}", name, b"", piece, piece)
                    continue
                raw = zlib.decompressobj(-zlib.MAX_WBITS).decompress(data[start:end])
                for text in _rows_apart(raw):
                    yield _Part(f"{path}!{name}", name, text, part_digest(name, text), piece)


_ROW_END = b"</row>"


def _rows_apart(data: bytes, size: int = _PART_SIZE) -> Iterator[bytes]:
    """A spreadsheet's XML in parts of about ``size`` bytes, each ending with a whole ``</row>``.

    The ledger's worksheet at 100,000 issues is ~80 MB: read as one text it took several
    hundred megabytes at once.  A value never spans two rows, so each part is searched on
    its own; a part ends on an ASCII tag, so every part is whole UTF-8.  Anything without
    rows is one part.  Where a part ends is chosen by the rows' own bytes (``_part_end``),
    not by where it began: a changed row changes its own part and leaves the others as they were.
    """
    start = 0
    while len(data) - start > size:
        end = _part_end(data, start, size)
        if end < 0:
            break
        yield data[start:end]
        start = end
    yield data[start:] if start else data


def _part_end(data: bytes, start: int, size: int) -> int:
    """The end of the part from ``start``: after the first row past 3/4 of ``size`` whose CRC-32 says so
    (a multiple of ``_PART_ROWS``), or the first row past ``4 * size``; -1 when no row ends after 3/4 of ``size``.
    """
    view = memoryview(data)
    end = data.find(_ROW_END, start + size * 3 // 4)
    row = data.rfind(_ROW_END, start, end) if end >= 0 else -1
    row = start if row < 0 else row + len(_ROW_END)
    while end >= 0:
        end += len(_ROW_END)
        if zlib.crc32(view[row:end]) % _PART_ROWS == 0 or end - start >= 4 * size:
            return end
        row, end = end, data.find(_ROW_END, end)
    return -1


def _decoded(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None  # a font or an image: no text a reader sees


def _readable(path: str, text: str) -> str:
    """The visible text of one file; markup's attribute values and JSON's strings read as text too."""
    suffix = Path(path).suffix.lower()
    if suffix == ".json":
        with contextlib.suppress(ValueError):  # not JSON after all: read as it is
            strings: list[str] = []
            _json_strings(json.loads(text), strings)
            text = FIELD_SEPARATOR.join(dict.fromkeys(strings))  # each once, as attribute values below
    if suffix in _MARKUP:
        return _with_attributes([text], visible(text))
    return visible(text)


def _markup(path: str) -> bool:
    """Whether the file ``path`` is markup (its tags are not read, its attribute values are)."""
    return os.path.splitext(path)[1].lower() in _MARKUP  # not a Path: once for each part of every page


def _markup_read(search: PrivateSearch, texts: list[str]) -> tuple[list[str], list[str]]:
    """Each markup text's visible text and the search keys found in any of them (attribute values included).

    The texts hold no ``FIELD_SEPARATOR``: joined by it, they are read as one and nothing found crosses it.
    """
    shown = visible(FIELD_SEPARATOR.join(texts))
    return shown.split(FIELD_SEPARATOR), _keys_in(search, _with_attributes(texts, shown))


def _with_attributes(texts: list[str], shown: str) -> str:
    """Markup ``texts`` as read: their visible text ``shown`` and each attribute value of any of them, once.

    The values are taken from each text apart: a value never goes on into the next text.
    """
    # each value once (a page repeats its classes thousands of times: half its text): a text is
    # searched for the set of values in it, and nothing found crosses FIELD_SEPARATOR (no phone
    # run nor name holds it, and ``visible`` reads each side of it alone), so a value written
    # again finds nothing more
    pairs = _ATTRIBUTE.findall(texts[0]) if len(texts) == 1 else [p for t in texts for p in _ATTRIBUTE.findall(t)]
    attributes = FIELD_SEPARATOR.join(a or b for a, b in dict.fromkeys(pairs))
    return shown + FIELD_SEPARATOR + visible(attributes)


def _json_strings(value: Any, into: list[str]) -> None:
    """Append each string of a JSON value to ``into`` in order, a key before what it holds.

    Appended, not yielded: a generator per value passed each string up through every level.
    """
    if isinstance(value, str):
        into.append(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            into.append(str(key))
            if isinstance(item, str):
                into.append(item)
            elif isinstance(item, (dict, list)):
                _json_strings(item, into)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                into.append(item)
            elif isinstance(item, (dict, list)):
                _json_strings(item, into)


def _pdf_texts(pdfs: dict[str, bytes]) -> Iterator[tuple[str, str]]:
    """The text of each PDF (pdftotext), the processes run side by side."""
    running = {}
    for path, data in pdfs.items():
        process = subprocess.Popen(["pdftotext", "-", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert process.stdin is not None
        process.stdin.write(data)
        process.stdin.close()
        running[path] = process
    for path, process in running.items():
        assert process.stdout is not None
        text = process.stdout.read().decode("utf-8", "replace")
        process.wait(timeout=_PDF_SECONDS)
        yield path, visible(text)


if __name__ == "__main__":  # the worker (``_Worker``)
    _serve(sys.stdin.buffer, sys.stdout.buffer)
