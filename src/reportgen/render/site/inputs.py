"""A table keyed by the files its rows are made from, so that its rows need not be made to key it.

Why: a list page (3,496 of them at 100,000 issues) and a ledger page were keyed by the
rows they show, so after one changed issue every row of every table was made again just to
find that almost none had changed (14 s of the site's 49 s at 100,000 issues).  But a row
is made from a few records — an issue row from the issue, its enterprise and its lead
department, and from the office's settings (``config.yaml`` and the working-day
calendars: deadlines, days overdue) — and the build has already read each input file's
SHA-256 (``publish.cache``).  So a row is keyed by its record's id, the digests of those
files and the page it links to, and a table by its rows' keys in order: when no file a
table reads changed, the table is the same, and no row of it is made.

Where a digest is unknown (a record whose file the build did not list) the table has no
such key (None) and the caller keys it by its rows, as before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

from reportgen.model import Record, Records
from reportgen.schema.kinds import DEPARTMENT, ENTERPRISE, ISSUE

Token = bytes | None  # a row's key: 16 bytes, None when a file it reads is unknown
# the folders of the files an issue row can read (the settings aside), as ``source`` names them
ISSUE_ROW_FILES = tuple(f"records/{kind.folder}/" for kind in (ISSUE, ENTERPRISE, DEPARTMENT))


def _hash(*parts: str) -> bytes:
    return hashlib.blake2b("\0".join(parts).encode("utf-8"), digest_size=16).digest()


class RowInputs:
    """Keys of rows and tables from the SHA-256 of the record files they read.

    ``source(key)`` gives the digest of an input file by its key in the build's state,
    ``records/<path in the records folder>`` (None: unknown); ``link(issue id)`` where an
    issue row links to (its row in the ledger).
    """

    def __init__(self, records: Records, source: Callable[[str], str | None], link: Callable[[str], str]) -> None:
        self.records, self.source, self.link = records, source, link
        shown = str(records.root)
        self._root = "" if shown in ("", ".") else shown.rstrip("/") + "/"
        settings = [self.source("records/config.yaml"), *(self.file(r) for _, r in sorted(records.calendars.items()))]
        known = [digest for digest in settings if digest is not None]
        self.settings = "\0".join(known) if len(known) == len(settings) else None
        self._tokens: dict[tuple[str, str], Token] = {}  # (kind, id) → the row's key, made once
        self._issues: dict[str, Token] = {}  # the same for issue rows, by id
        self._shared: dict[str, str | None] = {}  # the digests of the records many rows read, by file
        self._by_id = (records.issues, records.enterprises, records.departments)  # an issue row's records
        self._kept: tuple[Sequence[str], list[int]] | None = None  # issue ids and their keys as numbers (``keep``)
        self._kept_by_id: dict[str, int] | None = None  # those keys by id, paired when first asked

    def file(self, record: Record | None) -> str | None:
        """The digest of the file a record came from (None: no such record, or its file unknown)."""
        if record is None:
            return None
        return self.source(self.source_key(record))

    def source_key(self, record: Record) -> str:
        """The key of the file a record came from, as ``source`` names it: ``records/<path in the records folder>``."""
        path = record.file
        return "records/" + (path[len(self._root) :] if path.startswith(self._root) else path)

    def shared(self, record: Record | None) -> str | None:
        """``file`` of a record many rows read (an enterprise, a department, a member of staff), found once."""
        if record is None:
            return None
        known = self._shared.get(record.file, "")
        if known == "":
            known = self._shared[record.file] = self.file(record)
        return known

    def _row(self, record_id: str, own: Record, others: Iterable[Record | None], *extra: str) -> Token:
        digests = [self.file(own), *map(self.shared, others)]
        known = [digest for digest in digests if digest is not None]
        return _hash(record_id, *known, *extra) if len(known) == len(digests) else None

    def _memo(self, kind: str, record_id: str, make: Callable[[], Token]) -> Token:
        key = (kind, record_id)
        if key not in self._tokens:
            self._tokens[key] = make()
        return self._tokens[key]

    def issue(self, issue_id: str) -> Token:
        """An issue row's key: the issue, its enterprise, its lead department and where it links to."""
        token = self._issues.get(issue_id, b"")  # asked for every row of every list: a plain look-up first
        if token == b"":
            token = self._issues[issue_id] = self._known(issue_id) or self._issue(issue_id)
        return token

    def keep(self, ids: Sequence[str], numbers: list[int]) -> None:
        """The keys of the rows of issues ``ids`` are ``numbers`` (as ``numbers`` makes them): ``issue`` reads them."""
        self._kept, self._kept_by_id = (ids, numbers), None

    def _known(self, issue_id: str) -> bytes | None:
        """The issue's key as ``keep`` gave it (None: not given)."""
        if self._kept is None:
            return None
        if self._kept_by_id is None:
            self._kept_by_id = dict(zip(*self._kept, strict=True))  # in C: no object made per issue
        number = self._kept_by_id.get(issue_id)
        return None if number is None else number.to_bytes(16, "little")

    def reading(self, keys: Iterable[str]) -> set[str]:
        """The ids of the issues whose rows read one of the files ``keys`` (as ``source`` names them).

        The records are matched by the file they came from, in one pass, as ``_issue`` reads
        them: an issue's own file, its enterprise's and its lead department's.  A kind's
        records are read from its own folder: the enterprises are looked at only when a file
        of theirs changed (at 100,000 issues a pass over 10,000 of them), the departments too.
        """
        names = [(rel, self._root + rel) for rel in (key[len("records/") :] for key in keys)]  # few: the changed
        files = {name for pair in names for name in pair}  # a record names its file under the root, or not
        issues, enterprises, departments = self._by_id
        firms = _from_files(enterprises, files, ENTERPRISE.folder, names)
        units = _from_files(departments, files, DEPARTMENT.folder, names)
        if not firms and not units:  # an issue's own file alone (a title edited): no reference looked at
            named = _named_after(issues, names)
            return named if named is not None else {issue.id for issue in issues.values() if issue.file in files}
        return {
            issue.id
            for issue in issues.values()
            if issue.file in files or issue.data["enterprise"] in firms or issue.data["lead_department"] in units
        }

    def _issue(self, issue_id: str) -> Token:
        # ``_row`` written out: every issue's key is made on every build (100,000 at a province)
        issues, enterprises, departments = self._by_id
        issue = issues.get(issue_id)
        if issue is None:
            return None
        own = self.file(issue)
        enterprise = self.shared(enterprises.get(issue.data["enterprise"]))
        department = self.shared(departments.get(issue.data["lead_department"]))
        if own is None or enterprise is None or department is None:
            return None
        return _hash(issue_id, own, enterprise, department, self.link(issue_id))

    def visit(self, visit: Record) -> Token:
        """A visit row's key: the visit, its enterprise and its staff."""

        def make() -> Token:
            staff = [self.records.staff.get(s) for s in visit.get("staff") or ()]
            return self._row(visit.id, visit, (self.records.enterprises.get(visit["enterprise"]), *staff))

        return self._memo("visit", visit.id, make)

    def legal(self, legal: Record) -> Token:
        """A legal service row's key: the service, its unit and its enterprise (when it names one)."""

        def make() -> Token:
            named = _named(self.records.enterprises, legal.get("enterprise"))
            return self._row(legal.id, legal, (self.records.departments.get(legal["unit"]), *named))

        return self._memo("legal", legal.id, make)

    def enterprise(self, enterprise: Record) -> Token:
        """An enterprise row's key: the enterprise and its team (when it has one)."""
        key = ("enterprise", enterprise.id)
        token = self._tokens.get(key, b"")  # every team page's every enterprise (10,000): no closure each
        if token == b"":
            team = _named(self.records.teams, enterprise.get("team"))
            token = self._tokens[key] = self._row(enterprise.id, enterprise, team)
        return token

    def table(self, tokens: list[Token], any_order: bool = False) -> str | None:
        """A table's key: the settings and its rows' keys in order (None when one is unknown).

        ``any_order``: the rows' keys are sorted first, for a table whose order is a function of its rows.
        """
        known = [token for token in tokens if token is not None]
        if self.settings is None or len(known) != len(tokens):
            return None
        if any_order:
            known.sort()
        return hashlib.blake2b(self.settings.encode() + b"\0" + b"".join(known), digest_size=16).hexdigest()


SUM_BITS = 128  # sums of rows' keys (``rows_sum``) are taken modulo 2^128


def numbers(tokens: Iterable[Token]) -> list[int] | None:
    """Each row's key as a number, in order; None when one is unknown."""
    made = []
    for token in tokens:
        if token is None:
            return None
        made.append(int.from_bytes(token, "little"))
    return made


def rows_sum(total: int) -> int:
    """A sum of rows' keys as numbers (``numbers``), modulo 2^128: it stands for those rows in any order.

    A table whose order is a function of its rows (the ledger's: by raised date and id,
    both read from the issue's file) is keyed by it, as a list picked from rows is by the
    sum of the rows it is picked from: a sum of a slice is made in C, not a key per row.
    """
    return total % (1 << SUM_BITS)


def _from_files(records: dict[str, Record], files: set[str], folder: str, names: list[tuple[str, str]]) -> set[str]:
    """The ids of ``records`` (all of the kind whose folder is ``folder``) whose file is one of ``files``.

    ``names`` are the files' names (from the records' folder, and with its root): only
    when one is in ``folder`` is any record looked at.
    """
    if not any(rel.startswith(f"{folder}/") for rel, _ in names):
        return set()
    return {record.id for record in records.values() if record.file in files}


def _named_after(issues: dict[str, Record], names: list[tuple[str, str]]) -> set[str] | None:
    """The issues of the files ``names`` (each as two names of one file), found by the id each file is named after.

    None when a file is not an issue's of the id it is named after (a renamed or removed
    file, an enterprise's): then only a pass over every issue finds those that read it.  A
    file holds one record, so the issue whose file it is, is the only one: a handful of
    look-ups, not a pass over every issue (100,000 issues: ~0.015 CPU s).
    """
    found = set()
    for pair in names:
        issue = issues.get(pair[0].rpartition("/")[2].rpartition(".")[0])
        if issue is None or issue.file not in pair:
            return None
        found.add(issue.id)
    return found


def _named(records: dict[str, Record], record_id: str | None) -> tuple[Record | None, ...]:
    """The record an optional reference names (None when it is missing), or nothing when it names none."""
    return (records.get(record_id),) if record_id is not None else ()
