"""Stage 5 — publish: render everything in memory, then swap it into the output folder.

Like MkDocs' build, everything is read and rendered before anything is written: a
build that finds a problem, or is killed, leaves the previous output exactly as it was.
This module decides whether anything changed at all; the work itself is in ``pipeline``,
imported only when there is likely work (while the inputs are listed), so a no-op build does not
pay for importing it.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.formatting import shown_path
from reportgen.lang import Pair, Phrase, os_phrase, phrase
from reportgen.model import CacheDamaged
from reportgen.problems import Report
from reportgen.publish import cache
from reportgen.publish.atomic import OutputError, build_lock, repair
from reportgen.publish.ownership import MANIFEST, manifest_entries, output_refusal
from reportgen.publish.progress import STEPS, Progress
from reportgen.render import PUBLIC

# Why a build published nothing, a (Chinese, English) pair each.
ERRORS: dict[str, Pair] = {
    "unwritable": ("无法写入输出目录 {out}：{reason}", "cannot write the output folder {out}: {reason}"),
    "strict": (
        "有 {count} 个警告，严格模式（--strict）下不发布",
        "{count} warnings: nothing is published under --strict",
    ),
}

if TYPE_CHECKING:
    from reportgen.render import BulletinInfo

__all__ = ["MANIFEST", "BuildOptions", "BuildResult", "build", "read_manifest", "strict_failure"]


@dataclass(frozen=True)
class BuildOptions:
    """What to build and where."""

    records_dir: Path
    out: Path
    periods: tuple[str, ...] = ()  # only these periods ("2021-09", "2021-Q3"); empty: all
    kind: str | None = None  # "monthly" or "quarterly"; None: both
    pdf: bool = True
    profile: str = PUBLIC
    jobs: int = 0  # PDF worker processes; 0: one per core
    strict: bool = False  # a warning fails the build too (nothing is published)
    as_of: dt.date | None = None  # the day periods not yet ended are computed as of; None: today

    def today(self) -> dt.date:
        """The build's as-of date: ``as_of``, else the day the build runs."""
        return self.as_of or dt.date.today()

    @property
    def templates_dir(self) -> Path:
        """The office's own templates, beside the records folder."""
        return self.records_dir.resolve().parent / "templates"

    def key(self) -> str:
        """The options that change what is built or whether it is published (a different key: a full build).

        ``strict`` is in it so that a strict build after a lenient one with warnings validates again.  The
        day is not: it matters only to periods not ended by it, and the build cache keys it so (``cache``).
        """
        return json.dumps([list(self.periods), self.kind, self.pdf, self.profile, self.strict])


@dataclass
class BuildResult:
    """What happened: problems (when it failed), bulletins, and what was rendered or reused."""

    report: Report
    bulletins: list[BulletinInfo] = field(default_factory=list)
    html_rendered: int = 0
    html_reused: int = 0
    pdf_rendered: int = 0
    pdf_reused: int = 0
    site_files: int = 0
    seconds: float = 0.0
    unchanged: bool = False
    error: str | Phrase | None = None  # a Phrase is worded in the language of ``--lang`` when printed

    @property
    def ok(self) -> bool:
        """True when the output folder now holds a complete build."""
        return self.error is None and self.report.valid


def build(
    options: BuildOptions, progress: Progress | None = None, listed: cache.InputListing | None = None
) -> BuildResult:
    """Validate, compute, render and publish; the output changes only when all of it succeeded.

    ``listed``: the inputs as the caller listed them just now (``cache.list_inputs``; the preview's
    watcher, which lists them to see that one changed), taken as the build's first look at them
    instead of listing them again (~0.4 s at 100,000 issues).
    """
    progress = progress or Progress(enabled=False)
    started = time.perf_counter()
    refusal = output_refusal(options.out, options.records_dir, options.templates_dir)
    if refusal is not None:
        return BuildResult(Report(), error=refusal)
    out = options.out.expanduser().resolve()  # "." has no name to put the lock and staging folder beside
    options = replace(options, out=out)
    try:
        repair(out)
        with build_lock(out, lambda: progress.note(STEPS["waiting"])):
            result = _build_reading_again(options, progress, listed)
    except OutputError as exc:
        result = BuildResult(Report(), error=phrase(exc.pair, **exc.params))
    except OSError as exc:
        result = BuildResult(Report(), error=phrase(ERRORS["unwritable"], out=shown_path(out), reason=os_phrase(exc)))
    result.seconds = time.perf_counter() - started
    return result


def _build_reading_again(options: BuildOptions, progress: Progress, listed: cache.InputListing | None) -> BuildResult:
    """``_build_locked``; once more when the check cache proved damaged as it ran (a record's values are read from
    it when first needed): it is removed by then, so the second reads the records from their files.

    Nothing was written but into the staging folder, removed as the first failed.
    """
    try:
        return _build_locked(options, progress, listed)
    except CacheDamaged:
        progress.note(STEPS["cache_damaged"])
        return _build_locked(options, progress, None)  # everything read again, the inputs listed again too


def _build_locked(options: BuildOptions, progress: Progress, listed: cache.InputListing | None) -> BuildResult:
    out = options.out
    if listed is not None:
        manifest, state = _manifest_or_none(out), None
        inputs = replace(listed, options=options.key(), today=options.today())  # as this build lists them
    else:
        with cache.PendingInputs(options.records_dir, options.templates_dir, options.key(), options.today()) as pending:
            manifest = _manifest_or_none(out)  # a damaged one: build everything again
            state = _ahead(out)
            inputs = pending.result()
    if manifest is not None and cache.unchanged_since_last_build(out, inputs):
        return BuildResult(Report(), bulletins=[], html_reused=len(manifest), unchanged=True)
    state = cache.load_state(out) if state is None else state
    changes = cache.detect_changes(inputs, state, read_later=True)  # the new files: hashed as the check reads them
    if changes.none and manifest is not None:  # touched but not changed: remember the new listing
        cache.save_fingerprint(out, inputs, state)
        return BuildResult(Report(), bulletins=[], html_reused=len(manifest), unchanged=True)
    from reportgen.publish.pipeline import run_pipeline  # imported beside the finds (``_ahead``), not with the CLI

    return run_pipeline(options, progress, inputs, changes, state)


def _ahead(out: Path) -> dict[str, Any]:
    """What a build with work does first, done while the finds walk the inputs: the last build's state, and
    the pipeline's modules (100,000 issues: ~0.4 CPU s, which would run after the finds' ~0.4 s).

    Neither reads an input: the listing is still the first look at them.  Done whether or not
    the build finds work: nothing before the listing tells an edit saved in place (which
    changes no folder) from no change, and that edit is what a build is run for.  A no-op
    build pays ~0.15 s for it (0.38 → 0.52 s at 100,000 issues), the first build after an
    edit in place saves ~0.3 s (2.2 → 1.9 s); docs/performance.md, 29 November, evening.
    (Not a thread at the lowest priority: under load it starved while holding the
    interpreter's lock, and a build waited for it; docs/performance.md, 28 November.)
    """
    state = cache.load_state(out)
    importlib.import_module("reportgen.publish.pipeline")
    return state


def read_manifest(out: Path) -> list[dict[str, Any]]:
    """The entries of the current output's manifest (empty when there is none, or it is unreadable or misshapen)."""
    return _manifest_or_none(out) or []


def _manifest_or_none(out: Path) -> list[dict[str, Any]] | None:
    """The entries of the current output's manifest; None when there is none, or it is unreadable or misshapen."""
    try:
        data = json.loads((out / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    return manifest_entries(data)


def strict_failure(options: BuildOptions, *reports: Report) -> BuildResult | None:
    """Under ``--strict``, the failed result of a build whose reports hold warnings (None: go on).

    Called by the pipeline once every problem is known and before anything is written.
    """
    merged = Report([problem for report in reports for problem in report.problems])
    if not (options.strict and merged.warnings):
        return None
    return BuildResult(merged, error=phrase(ERRORS["strict"], count=len(merged.warnings)))
