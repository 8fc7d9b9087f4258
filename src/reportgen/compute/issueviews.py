"""What the statistics see of each issue, kept from build to build: edits they do not see are not recomputed.

An auditor can skip this module: it only saves working figures out again.  The statistics
read an issue through its timeline (``timeline.IssueTimeline``) and nothing else, and of
its timeline's fields they print only one that no figure depends on: the title, in the
overdue list (``results.OverdueRow.title``).  So an edit that leaves every field but the
title as it was (a description, a resolution's wording, a responsible person, a title)
leaves every figure as it was, and a period's statistics are the last build's with the
changed issues' titles put into its overdue list (``readback.retitled``).

An edit that changes an issue's category too (and nothing else the figures see) changes
one part of each period's statistics after it, the figures by category (``recategorised``).

Each issue's view is kept as a digest of those fields (``digests``); the store compares
the changed issues' views with the last build's (``persisted.StatsStore``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import fields, replace
from itertools import compress
from operator import attrgetter

from reportgen.compute.timeline import IssueTimeline
from reportgen.model import Record, Records
from reportgen.schema.kinds import CATEGORIES

SIZE = 16  # the bytes of a view
RETITLED = "title"  # the one field of a timeline the figures do not depend on
_FILE = attrgetter("file")
_VIEW = attrgetter(*(f.name for f in fields(IssueTimeline) if f.compare and f.name != RETITLED))


def digest(t: IssueTimeline) -> bytes:
    """A digest of every field of the timeline the figures depend on (all but its title)."""
    return hashlib.blake2b(repr(_VIEW(t)).encode("utf-8"), digest_size=SIZE).digest()


def digests(timelines: Iterable[IssueTimeline]) -> dict[str, bytes]:
    """Each issue's ``digest``, by id."""
    return {t.id: digest(t) for t in timelines}


def recategorised(t: IssueTimeline, view: bytes | None) -> str | None:
    """The category under which ``view`` is the digest of ``t``, when another (every other field the same); else None.

    A category is counted in one part of a period's statistics only, its figures by
    category (``stats.StatsEngine.breakdown``): the rest stays as it was.
    """
    return next((c for c in CATEGORIES if c != t.category and digest(replace(t, category=c)) == view), None)


def records_in(records: Records, keys: Iterable[str], root_key: str = "records/") -> dict[str, list[Record]]:
    """The records in each of the files ``keys`` (the build cache's keys: ``records/`` and the file's path).

    A key that holds no record is left out.  After an edit the build asks three times for the
    records of the files changed (their dates, their timelines, their views): each is found by
    the id its file is named after (``_named_after``), not by a pass over every record (170,000
    at 100,000 issues: ~0.02 CPU s each).
    """
    key_of = named_files(records, keys, root_key)
    named = _named_after(records, key_of)
    if named is not None:
        return named
    found: dict[str, list[Record]] = {}
    for by_id in records.by_kind.values():
        every = by_id.values()  # those in the files picked in C (170,000 records at 100,000 issues)
        for record in compress(every, map(key_of.__contains__, map(_FILE, every))):
            found.setdefault(key_of[record.file], []).append(record)
    return found


def _named_after(records: Records, key_of: dict[str, str]) -> dict[str, list[Record]] | None:
    """The record in each file ``key_of`` names (``named_files``), found by the id the file is named after; None
    when one holds no record of that id (a bulletin text, a file gone): then only a pass finds them.

    A file holds one record, whose id is the file's name less its suffix (else the check
    fails: E303), so the record of that id whose file it is, is the file's only one.
    """
    found: dict[str, list[Record]] = {}
    for name, key in key_of.items():  # each file twice: under the root, and not
        stem = name.rpartition("/")[2].rpartition(".")[0]
        for by_id in () if key in found else records.by_kind.values():
            record = by_id.get(stem)
            if record is not None and key_of.get(record.file) == key:
                found[key] = [record]
                break
    return found if len(found) == len(set(key_of.values())) else None


def named_files(records: Records, keys: Iterable[str], root_key: str = "records/") -> dict[str, str]:
    """Each of the files ``keys`` (the build cache's keys) as the records name it (under the root, or not): its key."""
    shown = str(records.root)
    root = "" if shown in ("", ".") else shown.rstrip("/") + "/"
    key_of = {}
    for key in keys:
        if key.startswith(root_key):
            key_of[key[len(root_key) :]] = key_of[root + key[len(root_key) :]] = key
    return key_of
