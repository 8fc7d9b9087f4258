"""Stage 4 — the published static site: dashboard, archive, ledger, units, lists, feeds.

``write_site`` hands each file to a writer as soon as it is rendered (the build streams
them into its staging folder); ``render_site`` collects them, for tests and tools.  Links
are relative, so the site works under any base path and from disk.
"""

from __future__ import annotations

from collections.abc import Callable

import jinja2

from reportgen import heap
from reportgen.compute.stats import StatsEngine
from reportgen.model import Records
from reportgen.render import PROFILES, BulletinInfo
from reportgen.render.site.builder import SiteBuilder
from reportgen.render.site.pagekeys import PageKeys
from reportgen.render.site.paging import PAGING, Paging
from reportgen.render.site.parallel import Handover


def write_site(
    records: Records,
    engine: StatsEngine,
    bulletins: list[BulletinInfo],
    env: jinja2.Environment,
    profile: str,
    write: Callable[[str, bytes], None],
    paging: Paging = PAGING,
    keys: PageKeys | None = None,
    handover: Handover | None = None,
) -> list[str]:
    """Render every file of the static site, passing each to ``write(relative posix path, content)``.

    Returns the paths of the site, in order.  With ``keys``, a file whose key (what it shows,
    ``pagekeys``) is the last build's is kept from it instead (``keys.reuse``) and not passed
    to ``write``.  Pure and deterministic: no clock (a date only from ``SOURCE_DATE_EPOCH``
    when set), and in the ``public`` profile no private value reaches any file.  With
    ``handover`` (what the build's writer, page store and leak scan do across a fork), a large
    site is made by two processes (``parallel``), its files and paths as a serial build's.
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; expected one of {PROFILES}")
    # the site makes millions of short-lived objects; each full collection walked the records and
    # statistics they sit beside (at 100,000 issues most of a list page's rows' time went to it)
    with heap.frozen():
        return SiteBuilder(records, engine, bulletins, env, profile, write, paging, keys).build(handover)


def render_site(
    records: Records,
    engine: StatsEngine,
    bulletins: list[BulletinInfo],
    env: jinja2.Environment,
    profile: str,
    paging: Paging = PAGING,
) -> dict[str, bytes]:
    """Every file of the static site: relative posix path → content, sorted by path (``write_site`` collected)."""
    files: dict[str, bytes] = {}
    write_site(records, engine, bulletins, env, profile, files.__setitem__, paging)
    return dict(sorted(files.items()))


__all__ = ["Paging", "render_site", "write_site"]
