"""A record file in another kind's folder (E305): an issue copied into enterprises/, say.

The folder decides a file's kind, so such a file would otherwise be checked against the
wrong fields and bury the one real mistake under a dozen field errors.  A file whose name
is not an id of its folder's kind but is an id of exactly one other kind is reported once,
at its first line, as belonging to that kind's folder.
"""

from __future__ import annotations

import re

from reportgen.load import SourceFile
from reportgen.problems import Problem
from reportgen.schema.kinds import KINDS
from reportgen.schema.types import Kind

_ID_PATTERNS = {kind.name: re.compile(kind.id_pattern) for kind in KINDS if kind.id_field and kind.folder != "."}


def belongs_elsewhere(source: SourceFile) -> Kind | None:
    """The kind whose folder ``source`` belongs in, when it is not the folder it is in."""
    own = _ID_PATTERNS.get(source.kind.name)
    if own is None or own.match(source.stem):
        return None
    others = [
        kind
        for kind in KINDS
        if kind is not source.kind
        and kind.name in _ID_PATTERNS
        and _ID_PATTERNS[kind.name].match(source.stem)
        and source.name.endswith(kind.suffix)
    ]
    return others[0] if len(others) == 1 else None


def misplaced_problem(source: SourceFile, kind: Kind) -> Problem:
    """E305 for ``source``, which belongs in ``kind``'s folder."""
    return Problem(source.display, 1, 1, "E305", {"kind": kind.words, "folder": kind.folder}, source.stem)
