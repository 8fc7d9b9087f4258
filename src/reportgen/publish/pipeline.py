"""The work of a build that is not a no-op: validate, plan, render bulletins, PDFs and site, swap in.

Called by ``build`` once it knows some input changed (see ``publish.cache``).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen import heap
from reportgen.cms.deploy import publish_editor
from reportgen.compute import freeze
from reportgen.compute.periods import Period
from reportgen.compute.stats import StatsEngine
from reportgen.lang import Pair, phrase
from reportgen.model import Records
from reportgen.problems import Report
from reportgen.publish import cache
from reportgen.publish.atomic import StagingWriter, spare_ahead, staging_folder, swap_in
from reportgen.publish.build import MANIFEST, BuildOptions, BuildResult, read_manifest, strict_failure
from reportgen.publish.leakscan import LeakScan, PdfTextError, SearchEnded, leak_problems
from reportgen.publish.pagestore import PageStore
from reportgen.publish.progress import STEPS, Progress
from reportgen.publish.sitework import SiteHandover
from reportgen.publish.statswork import STATS_ENDED, SplitEngine, SplitStore, StatsEnded, work_out
from reportgen.render import INTERNAL, PROFILE_NAMES, PUBLIC, BulletinInfo
from reportgen.render.environment import template_environment, template_failure
from reportgen.render.site.parallel import ChildEnded, TemplateFailed
from reportgen.validate import Validated, check_repository

if TYPE_CHECKING:
    from reportgen.render.fonts import FontSet

# From this many issues the PDFs are made in a new process, not by workers forked from the build (``render.pdf``):
# a worker forked from the build has all the build holds resident as well (~9 MB a thousand issues: 900 MB at
# 100,000, where one notice's worker was 1.2 GB), and the new process's start (~0.5 s) is worth it past ~200 MB
PDF_FRESH_FROM = 20_000
# The public build reads its PDFs' text back to search it; without pdftotext it cannot.
PDF_TEXT_UNREADABLE: Pair = (
    "无法读出 PDF 的文字来检查其中有没有不公开的信息（{why}），请安装 poppler-utils",
    "cannot read the PDFs' text to search it for private values ({why}): install poppler-utils",
)
# A process searching the public output ended early (the system stopped it: most often memory ran short).
SEARCH_ENDED: Pair = (
    "检查公开版中有没有不公开信息的后台进程意外中止（{why}），请关闭其他程序后重新构建",
    "the process searching the public output for private values ended early ({why}): "
    "close other programs and build again",
)
# The process rendering part of the site ended early (the system stopped it: most often memory ran short).
SITE_ENDED: Pair = (
    "生成网站的后台进程意外中止（{why}），请关闭其他程序后重新构建",
    "the process rendering part of the site ended early ({why}): close other programs and build again",
)
SEARCH_STOPPED: Pair = ("被系统终止，可能是内存不足", "stopped by the system, perhaps out of memory")
SEARCH_EXITED: Pair = ("退出码 {code}", "exit code {code}")


def run_pipeline(
    options: BuildOptions,
    progress: Progress,
    inputs: cache.InputListing,
    changes: cache.Changes,
    state: dict[str, Any],
) -> BuildResult:
    """Build ``options.out`` from the records; a template mistake becomes the result's error."""
    out = options.out
    few = _few_changed(changes)
    if few:  # the build stays far below a cold build's peak: freed memory serves its next allocations
        heap.keep_freed()
    progress.note(STEPS["validating"])
    validated = _checked(options.records_dir, inputs, changes)
    for listing in inputs.listings:  # read by the change detection and the check only (~25 MB at 100,000 issues)
        listing.forget_stamps()
    if not validated.report.valid:
        return BuildResult(validated.report)
    records = validated.records
    dating = functools.partial(_date_files, changes, records, state, not few)
    if not changes.everything:  # the statistics read back are those before the changed files' dates
        dating()
    store = _stats_store(options.out, changes, state)
    # nothing read back (a cold build): its periods are worked out while the files are dated and the
    # engine settled (``statswork``: by two processes in a large office), so both wait until then
    engine = SplitEngine(records, store, settled=False)
    try:
        plan = _plan(records, engine, options, changes, state, out, dating if changes.everything else None)
    except StatsEnded as exc:
        return _child_ended(STATS_ENDED, exc.code)
    if plan.left_out:
        _say_left_out(plan.left_out, progress)
    if options.periods or options.kind:  # a narrowed build's output holds only what it was asked for
        gone = sorted(set(plan.previous) - {info.id for info in plan.infos})
        if gone:
            progress.note(STEPS["narrowed"], names="、".join(map(_bulletin_name, gone)))
    try:  # templates are loaded while rendering; the office's own may have mistakes
        rendered = _render_bulletins(records, engine, plan, options, progress)
        if not rendered.report.valid:
            return BuildResult(rendered.report)
        if failed := strict_failure(options, validated.report, rendered.report):  # every warning is known here
            return failed
        _render_pdfs(rendered, records, plan, options, progress)
        if not rendered.report.valid:  # a PDF failed (E703)
            return BuildResult(rendered.report)
    except Exception as exc:  # only a failure inside a template becomes a message; the rest is re-raised
        return _template_failed(exc)
    staging = staging_folder(out)
    since = cache.InputsSince.of(state, changes)  # the memos this build keeps are tied to the state it saves
    try:  # every file goes into the staging folder as it is made; only a finished, clean build is swapped in
        written = _write_outputs(
            staging,
            records,
            engine,
            plan,
            options,
            progress,
            validated.report,
            rendered,
            cache.FileStates.of(changes.files),  # itself: dated in place (``_date_files``)
            since,
        )
        if isinstance(written, BuildResult):
            shutil.rmtree(staging, ignore_errors=True)
            return written
        swap_in(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    states = changes.files  # their last use: the frozen files are added in place (no copy at the build's peak)
    frozen = _record_frozen(options.records_dir, plan.to_freeze, progress)
    for path in frozen:
        states[cache.input_key(options.records_dir, path)] = cache.file_state(path)
    saved = cache.save_state(out, states, options.key(), options.today(), since.generation)
    engine.store.commit()  # the statistics kept belong to the state just saved
    if not frozen:  # frozen figures written into records/ make the listing stale; the next build re-lists
        cache.save_fingerprint(out, inputs, saved)
    return BuildResult(
        Report([*validated.report.warnings, *rendered.report.problems]),  # the records' warnings are printed too
        plan.infos,
        rendered.html_rendered,
        rendered.html_reused,
        rendered.pdf_rendered,
        rendered.pdf_reused,
        written,
    )


def _checked(records_dir: Path, inputs: cache.InputListing, changes: cache.Changes) -> Validated:
    """The check of the records; the new files (``Changes.new``) then join the build's states with the SHA-256 of
    the bytes the check read (their texts, ~40 MB at 100,000 issues, are let go of before the site's peak).
    """
    read: dict[str, str] | None = {} if changes.new else None
    validated = check_repository(records_dir, listing=inputs.listings[0], read=read)
    if read is not None:
        cache.add_new(changes, inputs, cache.records_read(records_dir, read))
    return validated


def _date_files(changes: cache.Changes, records: Records, state: dict[str, Any], give_back: bool) -> None:
    """Date the changed files as they are now (``cache.with_earliest``); keep only their old states.

    ``give_back``: hand the memory the check freed back to the system (``_few_changed``).
    """
    # in place: the caller's ``changes`` would keep the undated states of every file, its ``state`` every old one
    changes.files = cache.with_earliest(changes, records)
    cache.forget_unchanged(state, changes)
    if give_back:
        heap.give_back()  # what the check freed (~60 MB at 100,000 issues) is not used again by the build


def _few_changed(changes: cache.Changes) -> bool:
    """Whether under a tenth of the input files changed (and nothing else): the build then stays far below a
    cold build's peak, and keeps the memory it frees for what it makes next (``heap.keep_freed``) rather than
    faulting pages in again (a title edit at 100,000 issues: ~130,000 page faults instead of ~142,000 with the
    check's freed memory given back, ~121,000 kept as well; ~0.08 s in all).
    """
    return not changes.everything and len(changes.changed) * 10 < len(changes.files)


def _child_ended(message: Pair, code: int | None) -> BuildResult:
    """The build's failure when one of its child processes ended early: ``message`` with why (its exit ``code``)."""
    why = phrase(SEARCH_STOPPED) if code is None or code < 0 else phrase(SEARCH_EXITED, code=code)
    return BuildResult(Report(), error=phrase(message, why=why))


def _stats_store(out: Path, changes: cache.Changes, state: dict[str, Any]) -> SplitStore:
    """The last build's period statistics, readable for the periods that end before any change since it.

    Edits of files that are all still there, on a build day that did not move, are named to
    the store: it can tell whether the figures see them.  The files changed are named to it
    whenever nothing else changed: it keeps the other issues' timelines as they were.
    """
    reuse_before = None
    if not changes.everything:
        earliest, _ = cache.affected_from(changes, state)
        reuse_before = dt.date.max if earliest is None else earliest
    edited = None
    if not changes.everything and changes.since is None and all(key in changes.files for key in changes.changed):
        edited = frozenset(changes.changed)
    changed = None if changes.everything else frozenset(changes.changed)
    return SplitStore(cache.cache_folder(out), cache.state_file(out), reuse_before, edited, changed)


def _template_failed(exc: Exception) -> BuildResult:
    """The result of a failure inside a template (an office's own may have mistakes); anything else is re-raised."""
    failure = template_failure(exc)
    if failure is None:
        raise exc
    return BuildResult(Report(), error=failure)


def _write_outputs(
    staging: Path,
    records: Records,
    engine: StatsEngine,
    plan: _Plan,
    options: BuildOptions,
    progress: Progress,
    validated: Report,
    rendered: _Rendered,
    sources: cache.FileStates,
    since: cache.InputsSince,
) -> int | BuildResult:
    """Write the bulletins, the site and the manifest into ``staging``; the number of site files, or the failure.

    The site is streamed: each page is written (and, for the public, searched for private
    values) as soon as it is rendered, so the build never holds the whole site.
    """
    scan = None
    kept = cache.cache_folder(options.out)  # the leak memo and the page store's map
    if options.profile == PUBLIC:
        reused_pdfs = {info.pdf for info in plan.infos if info.pdf} - {path for path, _ in rendered.pdf_jobs}
        # a reused PDF's HTML is byte-identical, and read; a file written as the last build wrote it is not read,
        # and of a page made again only the rows the last output's (``previous``) did not hold are searched
        scan = LeakScan(records, skip=reused_pdfs, memo_folder=kept, folder=staging, previous=options.out)
    writer = StagingWriter(staging, scan.add if scan else None)
    for path, content in rendered.files.items():
        writer.write(path, content)
    progress.note(STEPS["site"])
    # site files kept from the last build; tables keyed by the digests of the input files (``sources``)
    pages = PageStore(kept, options.out, writer, scan, sources, since)
    try:  # a large site on two processes: the forked one's files are written and searched as this one's
        site = _render_site(
            records, engine, plan.infos, options, writer.write, pages, SiteHandover(writer, pages, scan)
        )
    except ChildEnded as exc:
        return _child_ended(SITE_ENDED, exc.code)
    except TemplateFailed as exc:  # in the child, which said it as a serial build would
        return BuildResult(Report(), error=exc.failure)
    except Exception as exc:  # only a failure inside a template becomes a message; the rest is re-raised
        return _template_failed(exc)
    # the office's web forms at /admin/: Decap's 5 MB script and the schema's forms hold no record, so no privacy scan
    publish_editor(options.records_dir, StagingWriter(staging).write, progress.note)
    writer.write(MANIFEST, _manifest(plan.infos, rendered.files))
    progress.note(STEPS["written"], count=len(writer.written))
    spared = spare_ahead(staging, options.out)  # a first output's folders, made spare while the search ends
    try:
        if scan is not None:
            scan.in_order(
                [*rendered.files, *site, MANIFEST]
            )  # each value's files named in the order a serial build wrote them
            if leaked := _leaks(records, scan, options, progress, validated, rendered):
                return leaked
        pages.save()
    finally:
        spared()
    return len(site)


def _record_frozen(records_dir: Path, documents: list[dict[str, Any]], progress: Progress) -> list[Path]:
    """Record the figures of newly issued bulletins in the records repository (for the office to commit)."""
    written = []
    for document in documents:
        path = freeze.write_frozen(records_dir, document)
        if path is None:  # written meanwhile (reportgen freeze): kept as it is
            continue
        progress.note(STEPS["frozen"], path=path)
        written.append(path)
    return written


def _leaks(
    records: Records,
    scan: LeakScan,
    options: BuildOptions,
    progress: Progress,
    validated: Report,
    rendered: _Rendered,
) -> BuildResult | None:
    """The failed result when the public output holds private values (``leakscan``); None: publish.

    A name found is a warning added to the rendered report (an error under ``--strict``).  The failed
    result also carries the check's warnings, which say where each value was typed.
    """
    progress.note(STEPS["leak_scan"])
    try:  # the files were searched as they were written; the PDFs' text is read now
        leaks = scan.leaks()
    except PdfTextError as exc:
        return BuildResult(Report(), error=phrase(PDF_TEXT_UNREADABLE, why=exc))
    except SearchEnded as exc:
        return _child_ended(SEARCH_ENDED, exc.code)
    rendered.report.extend(leak_problems(records, leaks, options.strict))
    if rendered.report.valid:
        return None
    return BuildResult(Report([*validated.problems, *rendered.report.problems]))


# -- planning -----------------------------------------------------------------------------


@dataclass
class _Plan:
    infos: list[BulletinInfo]
    periods: dict[str, Period]  # bulletin id → period
    stale: set[str]  # bulletin ids whose inputs changed (or that are new)
    previous: dict[str, dict[str, str]]  # bulletin id → {path: sha256} in the current output
    to_freeze: list[dict[str, Any]]  # issued bulletins whose figures are not recorded yet
    left_out: list[BulletinInfo]  # drafts the profile does not publish (the config publishes no drafts)


def _bulletin_name(bulletin_id: str) -> str:
    """``2021-09-monthly`` as the office names it (2021年9月的月通报); an id of another shape as it is."""
    from reportgen.compute.periods import PeriodError, parse_period
    from reportgen.schema.kinds import BULLETIN_KIND_NAMES

    period, _, kind = bulletin_id.rpartition("-")
    try:
        return f"{parse_period(period).name}的{BULLETIN_KIND_NAMES[kind]}"
    except (PeriodError, KeyError):
        return bulletin_id  # a correction (2021-09-correction): named by its id


def _say_left_out(drafts: list[BulletinInfo], progress: Progress) -> None:
    """Name the drafts a public build leaves out, and the setting that publishes them."""
    from reportgen.schema.kinds import CONFIG, CONFIG_FILE, PUBLISH_DRAFTS

    progress.note(
        STEPS["drafts_left_out"],
        names="、".join(_bulletin_name(info.id) for info in drafts),
        setting=f"{CONFIG.title}（{CONFIG_FILE}）的“{PUBLISH_DRAFTS.label}”",
        setting_en=f"{PUBLISH_DRAFTS.name} in {CONFIG_FILE}",
        internal=PROFILE_NAMES[INTERNAL],
        internal_en=INTERNAL,
    )


def _plan(
    records: Records,
    engine: SplitEngine,
    options: BuildOptions,
    changes: cache.Changes,
    state: dict[str, Any],
    out: Path,
    meanwhile: Callable[[], None] | None,
) -> _Plan:
    """Which bulletins the build publishes, and which of them must be made again; ``meanwhile``: see ``work_out``."""
    from reportgen.render.bulletins import bulletin_info, bulletin_periods
    from reportgen.render.correction import correction_info
    from reportgen.render.site.bulletin_page import published
    from reportgen.render.site.context import data_as_of
    from reportgen.render.site.context import periods as site_periods

    # a draft stays off the public site unless the config publishes drafts (marked): its figures are not asked for
    # (an issued bulletin, the only kind whose figures are recorded, is published in every profile)
    chosen = [
        (period, bulletin_info(records, kind, period, options.pdf))
        for kind, period in bulletin_periods(records, options.today())
        if (not options.kind or kind == options.kind) and (not options.periods or period.key in options.periods)
    ]
    shown = [published(records.config, info, options.profile) for _, info in chosen]
    wanted = [pair for pair, show in zip(chosen, shown, strict=True) if show]
    start, as_of = records.config["campaign_start"], data_as_of(records)
    # every period the build asks for: the bulletins' (their data hashes) and the site's months and quarters
    asked = [p for p, _ in wanted] + site_periods(start, as_of, "month") + site_periods(start, as_of, "quarter")
    work_out(engine, asked, meanwhile)
    infos, periods, to_freeze = [], {}, []
    revision = functools.cache(lambda: source_revision(options.records_dir))  # git only for a bulletin to freeze
    for period, unstamped in wanted:
        info, frozen_document = _stamped(records, engine, unstamped, revision)
        if frozen_document is not None:
            to_freeze.append(frozen_document)
        correction = correction_info(records, info)  # 更正通报: the issued figures changed
        for made in (info, correction):
            if made is not None and published(records.config, made, options.profile):
                infos.append(made)
                periods[made.id] = period
    previous = {entry["id"]: entry["sha256"] for entry in read_manifest(out) if "id" in entry}
    if changes.everything:
        stale = set(periods)
    else:
        earliest, texts = cache.affected_from(changes, state)
        stale = {
            bid
            for bid, period in periods.items()
            if bid not in previous or bid in texts or (earliest is not None and earliest <= period.end)
        }
    left_out = [info for (_, info), show in zip(chosen, shown, strict=True) if not show]
    return _Plan(infos, periods, stale, previous, to_freeze, left_out)


def source_revision(records_dir: Path) -> str | None:
    """The records repository's git revision (None outside git); "+" marks uncommitted changes."""
    try:
        head = subprocess.run(
            ["git", "-C", str(records_dir), "rev-parse", "--short=12", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(records_dir), "status", "--porcelain", "--", "."],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return head + ("+" if dirty else "") if head else None


def _stamped(
    records: Records, engine: StatsEngine, info: BulletinInfo, revision: Callable[[], str | None]
) -> tuple[BulletinInfo, dict[str, Any] | None]:
    """The bulletin stamped with its data hash; an issued one also with what changed since issue.

    Returns the frozen document to record when the bulletin was issued but never frozen.
    Drafts carry only the data hash: a revision would change with every unrelated commit.
    ``revision`` asks git (a status of every file) only for such a bulletin.
    """
    from reportgen.render.bulletins import bulletin_period

    period = bulletin_period(info)  # as of its day when cut short: the hash is of the figures it prints
    stamped = replace(info, data_hash=engine.data_hash(period))  # kept with the statistics when read back
    text = records.bulletins.get(info.id)
    if text is None or text not in freeze.issued_bulletins(records):
        return stamped, None
    stats = engine.stats(period).to_json()
    frozen = freeze.read_frozen(records.root, info.id)
    if frozen is None:
        return replace(stamped, source_revision=revision()), freeze.frozen_document(text, stats, revision())
    changes = tuple(freeze.changes_since_issue(frozen, stats))
    return replace(stamped, source_revision=frozen.get("source_revision"), changes=changes), None


# -- bulletins ----------------------------------------------------------------------------


@dataclass
class _Rendered:
    report: Report
    records: Records
    files: dict[str, bytes] = field(default_factory=dict)
    pdf_jobs: list[tuple[str, str]] = field(default_factory=list)  # (pdf path, html)
    html_rendered: int = 0
    html_reused: int = 0
    pdf_rendered: int = 0
    pdf_reused: int = 0

    @functools.cached_property
    def fonts(self) -> FontSet:
        """The office's fonts: looked up (``fc-match``, ~0.05 s) only when a bulletin is rendered."""
        from reportgen.render.fonts import font_set

        return font_set(self.records)


def _render_bulletins(
    records: Records, engine: StatsEngine, plan: _Plan, options: BuildOptions, progress: Progress
) -> _Rendered:
    result = _Rendered(Report(), records)
    render: Callable[[BulletinInfo], None] | None = None  # made for the first bulletin rendered
    progress.start(STEPS["bulletins_html"], len(plan.infos))
    # as the site's: each full collection walked the records and statistics (100k, 19 notices: 5.7 s of 13)
    with heap.frozen():
        for info in plan.infos:
            reused = _reuse(options.out, plan.previous.get(info.id, {}), info) if info.id not in plan.stale else None
            if reused is not None:
                result.files.update(reused)
                result.html_reused += 1
                result.pdf_reused += int(info.pdf is not None)
                progress.advance(info.id, unchanged=True)
                continue
            render = render or _bulletin_renderer(records, engine, plan, options, result)
            render(info)
            progress.advance(info.id)
    return result


def _bulletin_renderer(
    records: Records, engine: StatsEngine, plan: _Plan, options: BuildOptions, result: _Rendered
) -> Callable[[BulletinInfo], None]:
    """What renders one bulletin into ``result``: its HTML, page, Word copy and PDF job (or the PDF kept).

    Made only when a bulletin is rendered: a build that keeps every bulletin (most builds after
    an edit of the records) neither imports the rendering modules nor reads the office's fonts.
    """
    from reportgen.render.bulletins import render_bulletin_html
    from reportgen.render.docx import docx_fonts, render_bulletin_docx
    from reportgen.render.fonts import check_glyphs
    from reportgen.render.site.bulletin_page import bulletin_page

    env = template_environment(
        options.templates_dir if options.templates_dir.is_dir() else None, cache.cache_folder(options.out)
    )
    families = docx_fonts(records)

    def render(info: BulletinInfo) -> None:
        html = render_bulletin_html(records, engine, info, env, options.profile)
        result.report.extend(check_glyphs(records, html, result.fonts, info))
        result.files[info.html] = bulletin_page(records, info, html, env, options.profile).encode("utf-8")
        if info.docx:  # the editable Word copy: made from the same HTML, cheap (~0.2 s)
            result.files[info.docx] = render_bulletin_docx(html, families)
        result.html_rendered += 1
        if info.pdf:
            old_pdf = _reuse_pdf(options.out, plan.previous.get(info.id, {}), info, result.files[info.html])
            if old_pdf is not None:
                result.files[info.pdf] = old_pdf
                result.pdf_reused += 1
            else:
                result.pdf_jobs.append((info.pdf, html))

    return render


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _reuse(out: Path, shas: dict[str, str], info: BulletinInfo) -> dict[str, bytes] | None:
    """The bulletin's files from the current output, if all are there and intact."""
    wanted = [p for p in (info.html, info.pdf, info.docx) if p]
    files = {}
    for rel in wanted:
        try:
            content = (out / rel).read_bytes()
        except OSError:
            return None
        if shas.get(rel) != _sha(content):
            return None
        files[rel] = content
    return files


def _reuse_pdf(out: Path, shas: dict[str, str], info: BulletinInfo, html: bytes) -> bytes | None:
    """The current PDF when the HTML it was made from is byte-identical to the new one."""
    assert info.pdf is not None
    if shas.get(info.html) != _sha(html):
        return None
    reused = _reuse(out, shas, info)
    return reused[info.pdf] if reused else None


def _render_pdfs(rendered: _Rendered, records: Records, plan: _Plan, options: BuildOptions, progress: Progress) -> None:
    """Every PDF job; a PDF that fails becomes an E703 problem in ``rendered.report`` (nothing is published)."""
    jobs = rendered.pdf_jobs
    if not jobs:  # (a build without PDFs, or with every PDF kept, imports none of the PDF machinery)
        return
    from reportgen.render.fonts import tofu_allowed
    from reportgen.render.pdf import pdf_problem, render_pdfs

    progress.start(STEPS["bulletins_pdf"], len(jobs))
    base_dir = options.records_dir.resolve()
    by_pdf = {info.pdf: info for info in plan.infos}
    workers = options.jobs or os.cpu_count() or 1
    fresh = len(records.issues) >= PDF_FRESH_FROM
    # Below that, the workers are forked from this process and share its heap: frozen, a worker's collections leave
    # the records and statistics alone instead of walking them, which wrote to each object and so copied its page
    # into the worker (measured at 100k, before those were made fresh: each worker's own memory ~200 MB less)
    with heap.frozen():
        for path, pdf in render_pdfs(jobs, rendered.fonts, base_dir, workers, tofu_allowed(records), fresh=fresh):
            if isinstance(pdf, bytes):
                rendered.files[path] = pdf
                rendered.pdf_rendered += 1
            else:
                rendered.report.extend([pdf_problem(records, by_pdf[path], options.templates_dir, pdf)])
            progress.advance(path.rsplit("/", 1)[-1])


# -- site and manifest --------------------------------------------------------------------


def _render_site(
    records: Records,
    engine: StatsEngine,
    infos: list[BulletinInfo],
    options: BuildOptions,
    write: Callable[[str, bytes], None],
    keys: PageStore,
    handover: SiteHandover,
) -> list[str]:
    """Write every file of the site through ``write`` (or keep it from the last build, ``keys``); their paths.

    A large site is made by two processes (``render.site.parallel``; ``handover``: the writer,
    page store and leak scan across the fork).
    """
    from reportgen.render.site import write_site

    env = template_environment(
        options.templates_dir if options.templates_dir.is_dir() else None, cache.cache_folder(options.out)
    )
    return write_site(records, engine, infos, env, options.profile, write, keys=keys, handover=handover)


def _manifest(infos: list[BulletinInfo], files: dict[str, bytes]) -> bytes:
    entries = []
    for info in infos:
        paths = [p for p in (info.html, info.pdf, info.docx) if p]
        entries.append(
            {
                "id": info.id,
                "kind": info.kind,
                "period": info.period,
                "title": info.title,
                "doc_number": info.doc_number,
                "date": info.date,
                "html": info.html,
                "pdf": info.pdf,
                "docx": info.docx,
                "sha256": {p: _sha(files[p]) for p in paths},
            }
        )
    return (json.dumps(entries, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
