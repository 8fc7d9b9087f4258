"""Each file of the site keyed by exactly what it shows, so that an unchanged file is not made again.

Why: after one changed issue the whole site was rendered again (15 s of a 27 s rebuild at
10,000 issues) although almost every page showed the same things as before.  Now the
builder says, for every file, the values it shows — the rows it lists, the figures of its
periods, its navigation, the as-of date — and this module turns them, with the code's
version and the templates' sources, into a key.  When the last build made the same path
from the same key, its file is given to the new output (``publish.pagestore``) and the
file is neither rendered, written nor read again.

A key is a digest of the values pickled without pickle's memo, so that equal values give
the same key in any process whatever objects they share.  A value that gives a different
pickle each time (a set) only costs a render; one that cannot be pickled leaves the file
unkeyed: it is made every time.  What a file shows must all be in its key: rendering
takes nothing else (a page is rendered from the keyed values, a lazy part's ``render``
from what its ``shows`` holds).
"""

from __future__ import annotations

import hashlib
import io
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

import jinja2

from reportgen.codeversion import code_version
from reportgen.render.site.keptanswers import KeptAnswers

T = TypeVar("T")


class PageKeys(Protocol):
    """Where a keyed file can come from the last build (``publish.pagestore.PageStore``)."""

    def reuse(self, path: str, key: str) -> bool:
        """Give the new output the last build's ``path`` if it was made from ``key``; whether it was."""

    def made(self, path: str, key: str) -> None:
        """``path`` was rendered and written, from ``key``."""

    def reuse_alias(self, path: str, alias: str) -> bool:
        """``reuse`` of the last build's ``path`` if its alias (a cheaper key of what it shows) was ``alias``."""

    def alias(self, path: str, alias: str) -> None:
        """``path``, kept or made in this build, has the alias ``alias`` (for the next build's ``reuse_alias``)."""

    def source(self, key: str) -> str | None:
        """The SHA-256 of the input file ``key`` (``records/<path>``) this build read; None when unknown."""

    def part(self, key: str, make: Callable[[], bytes]) -> bytes:
        """A part of a file (a run of ``ledger.xlsx``'s rows): the last build's made from ``key``, else ``make()``."""

    def kept_part(self, key: str) -> bytes | None:
        """The part the last build kept under ``key`` (``part``); None when it kept none."""

    def digests(self, prefix: str | tuple[str, ...]) -> dict[str, str]:
        """The SHA-256 of every input file whose key starts with ``prefix`` (or one of those), by key ("" unknown)."""

    def previous_file(self, path: str, key: str) -> bytes | None:
        """The bytes of the last build's ``path`` if it was made from ``key`` (None: it was not, or is gone)."""

    def read_memo(self, name: str) -> bytes | None:
        """What the last build kept as ``name`` in the build cache (``write_memo``); None when nothing, or damaged."""

    def write_memo(self, name: str, content: bytes) -> None:
        """Keep ``content`` as ``name`` in the build cache for the next build (``read_memo``)."""

    def memo_tie(self) -> str | None:
        """What a memo kept by this build is tied to (``changed_since``); None: no memo can be tied."""

    def changed_since(self, tie: str) -> frozenset[str] | None:
        """The input files (``records/...``) changed since the build whose ``memo_tie`` was ``tie``; None: unknown."""

    def inputs_digest(self, skip: str) -> str | None:
        """A digest of every input file (its key and SHA-256) but those under ``skip``; None when one is unknown."""

    def figures(self, key: str) -> KeptAnswers:
        """The answers the last build's figures gave, when worked out from ``key`` (else none)."""

    def keep_figures(self, key: str, answers: dict[Any, Any]) -> None:
        """Keep the answers this build's figures gave, worked out from ``key``, for the next build."""


@dataclass(frozen=True)
class Lazy(Generic[T]):
    """A part of a page made only when the page is rendered: the values it shows, and how to make it from them."""

    shows: object
    render: Callable[[], T]


def digest(*values: object) -> str | None:
    """A 128-bit key of ``values`` (None when one cannot be pickled: the file is then always made)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True  # no memo: shared objects are written out in full, so identity cannot change the key
    try:
        pickler.dump(values)
    except (pickle.PicklingError, TypeError, AttributeError, ValueError, RecursionError):
        return None
    return hashlib.blake2b(buffer.getbuffer(), digest_size=16).hexdigest()


def condensed(*values: object) -> object:
    """A digest standing for ``values`` inside a larger key; the values themselves when they cannot be keyed.

    Never None in their place: the larger key would then stand for any values.
    """
    return digest(*values) or values


class KeptChoice:
    """A choice the site makes from ``shows`` alone (with the code and settings in ``base``), as the last build made it.

    Why: making some choices costs what the choice spares (whether the statistics fit
    one stats.json is found by turning them into JSON).  The choice is kept in the build
    cache as ``name`` under the key of what it was made from: ``value`` is the last
    build's when that is the same, else None (no ``keys``: always None).
    """

    def __init__(self, keys: PageKeys | None, name: str, base: str, shows: object) -> None:
        self.keys, self.name = keys, name
        key = digest(base, name, shows) if keys is not None else None
        self.key = key.encode() if key is not None else None  # hex: the value follows it in the memo
        self.value: bytes | None = None
        if keys is not None and self.key is not None:
            kept = keys.read_memo(name)
            if kept is not None and kept.startswith(self.key):
                self.value = kept[len(self.key) :]

    def keep(self, value: bytes) -> None:
        """The choice made from ``shows`` is ``value``: kept for the next build (unless it is the one kept)."""
        if self.keys is not None and self.key is not None and value != self.value:
            self.keys.write_memo(self.name, self.key + value)


def site_base(env: jinja2.Environment, *settings: object) -> str:
    """What every file's key starts from: reportgen's code version, every template's source, the build's settings.

    The templates are the environment's, the office's own first: a change to any of them
    makes every page again.
    """
    sources = []
    loader = env.loader
    if loader is not None:
        for name in sorted(loader.list_templates()):
            source, _, _ = loader.get_source(env, name)
            sources.append((name, source))
    key = digest(code_version(), sources, settings)
    assert key is not None  # strings and the settings' plain values
    return key


def from_code(value: T) -> Lazy[T]:
    """A value that is reportgen's own code (the metric registry, with its functions): the code version keys it."""
    return Lazy("code", lambda: value)


def shown(value: object) -> object:
    """What a context value contributes to a key: a lazy part's values, anything else itself."""
    return value.shows if isinstance(value, Lazy) else value


def made(value: T | Lazy[T]) -> T:
    """A context value as the template gets it: a lazy part rendered, anything else itself."""
    return value.render() if isinstance(value, Lazy) else value
