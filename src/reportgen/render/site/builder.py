"""Assembles the site's pages from the statistics, the ledger and the bulletins list."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import pickle
from array import array
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property, partial
from importlib.resources import files as package_files
from itertools import accumulate, groupby, repeat
from operator import attrgetter
from typing import Any

import jinja2
from markupsafe import Markup

from reportgen.compute.metrics import LEGAL_METRICS, METRICS, METRICS_BY_KEY, RULES, group
from reportgen.compute.periods import Period
from reportgen.compute.persisted import PersistedEngine
from reportgen.compute.results import PeriodStats, UnitRow
from reportgen.compute.stats import StatsEngine
from reportgen.compute.timeline import IssueTimeline
from reportgen.formatting import date_zh
from reportgen.model import Record, Records
from reportgen.privacy import public_data
from reportgen.render import BulletinInfo
from reportgen.render.bulletins import DRAFT_TAG, KIND_NAMES
from reportgen.render.ledger_files import (
    Column,
    LastRuns,
    LedgerLine,
    LedgerLines,
    ledger_csv,
    ledger_table,
    ledger_xlsx,
    line_issues,
    unkept,
)
from reportgen.render.site import keptrows
from reportgen.render.site.context import (
    STATUS_CLASSES,
    Figures,
    Num,
    build_time,
    change_text,
    cumulative_window,
    data_as_of,
    labelled,
    month_window,
    periods,
    relative_root,
    shared_context,
)
from reportgen.render.site.feeds import atom_feed, sitemap
from reportgen.render.site.inputs import RowInputs, rows_sum
from reportgen.render.site.listpages import ListPages
from reportgen.render.site.lists import ListIndex, Unit, Window
from reportgen.render.site.pagekeys import (
    KeptChoice,
    Lazy,
    PageKeys,
    condensed,
    digest,
    from_code,
    made,
    shown,
    site_base,
)
from reportgen.render.site.paging import PAGING, Pager, Paging, RowPages, cut, page_path
from reportgen.render.site.parallel import Handover, build_split, forks
from reportgen.render.site.rows import LedgerRows
from reportgen.render.site.splice import ROW_END, ROW_START, KeptRows
from reportgen.render.site.svg import GREY, RED, Series, bar_chart, line_chart
from reportgen.schema.kinds import ENTERPRISE, ISSUE, STATUSES

STATIC_FILES = ("site.css", "ledger.js", "favicon.svg")
ANSWERS_MEMO = "figures-key"  # the last build's figures key and the key its answers were kept under (``answers_key``)
# stats.json stays one file up to this size; past it each period gets its own file (at 100,000
# issues the single file was 79 MB)
STATS_BYTES_MAX = 4_000_000
STATS_LIST_ROWS = 2000  # then a list longer than this (the overdue issues: 14,000 rows, 7 MB) goes in parts
LINE_GROUPS = ("ledger", "departments", "teams")  # the groups of pages (``groups``) that show the ledger's lines
UNIT_LINES = "unit-lines"  # the ledger's positions of each unit's issues, by what the figures are worked out from
STATS_LAYOUT = "stats-layout"  # the last build's choice of one file or one a period, by the statistics' hashes
# the figures each table of the site shows: groups of the metric registry
HEADLINE = group("headline")
TREND = group("trend")
TREND_CUMULATIVE = group("trend_cumulative")
UNIT_COLUMNS = group("unit_columns")
UNIT_MONTH = group("unit_month")
UNIT_CUMULATIVE = group("unit_cumulative")
_ID = attrgetter("id")  # an issue's id, read in C over the ledger's 100,000 issues


@dataclass(frozen=True)
class LedgerMonth:
    """The issues raised in one month, as the split ledger shows them."""

    key: str  # "2021-09": the page is ledger/2021-09.html
    name: str  # "2021年9月"
    lines: Sequence[LedgerLine]

    @property
    def path(self) -> str:
        """The month's first page."""
        return f"ledger/{self.key}.html"

    @property
    def head(self) -> MonthHead:
        """What a page says of the month besides its rows."""
        return MonthHead(self.key, self.name, self.path, len(self.lines))


@dataclass(frozen=True)
class MonthHead:
    """A month of the split ledger as its pages and the ledger's index name it."""

    key: str
    name: str
    path: str
    count: int  # issues raised in the month


@dataclass(frozen=True)
class TableHead:
    """What a page's ledger table shows besides its rows: the as-of date and the columns."""

    as_of: dt.date
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class MonthRow:
    """One month of a figures table: the month's own figures and the cumulative ones at its end."""

    name: str
    in_month: tuple[Num, ...]
    cumulative: tuple[Num, ...]


class SiteBuilder:
    """Renders every page once, handing each file to ``write`` as soon as it is made.

    List pages are rendered last, for the figures that linked to them.  Nothing rendered
    is kept: at 100,000 issues the site runs to hundreds of megabytes.  With ``keys``, each
    file is first keyed by what it shows (``pagekeys``) and kept from the last build when
    that is unchanged; every page's context is computed either way (its figures register
    the list pages they link to), only the rendering is skipped.
    """

    def __init__(
        self,
        records: Records,
        engine: StatsEngine,
        bulletins: list[BulletinInfo],
        env: jinja2.Environment,
        profile: str,
        write: Callable[[str, bytes], None],
        paging: Paging = PAGING,
        keys: PageKeys | None = None,
    ) -> None:
        self.records, self.engine, self.env, self.profile = records, engine, env, profile
        self.write, self.paging, self.keys = write, paging, keys
        self.base = site_base(env, profile, paging) if keys is not None else ""
        self.bulletins = sorted(bulletins, key=lambda b: (b.period, b.kind))
        config = records.config
        self.start = config["campaign_start"]
        self.as_of = data_as_of(records)
        self.months = periods(self.start, self.as_of, "month")
        self.quarters = periods(self.start, self.as_of, "quarter")
        self.periods = {p.key: p for p in self.months + self.quarters}
        self.stats = {key: engine.stats(p) for key, p in self.periods.items()}
        self.latest = self.months[-1]
        self.lists = ListIndex(records, engine, latest_month=self.latest.key)
        self.figures = Figures(self.lists)
        figures_key = self._figures_key()
        self.figures_key = self.answers_key(figures_key)  # what the figures' answers are kept under
        if self.figures_key is not None and keys is not None:
            self.lists.remember(keys.figures(self.figures_key))
        self.ledger = ledger_table(records, engine, self.as_of, profile)
        self.table_head = TableHead(self.ledger.as_of, self.ledger.columns)
        self.ledger_months = self._ledger_months()
        self.ledger_rows = LedgerRows(self.ledger, STATUS_CLASSES, engine.day_unit, self._ledger_anchors())
        # tables keyed by the files their rows read, not by their rows (``inputs``)
        self.inputs = RowInputs(records, keys.source, self.ledger_href) if keys is not None else None
        self._unit_positions = self._positions_of_units(figures_key)
        self._unit_sums: dict[tuple[str, str | None], list[int]] = {}  # ``unit_sums``, made when first asked
        self.site_title = f"{config['district']}“万人助万企”活动"
        self.paths: list[str] = []  # every file written, in order
        self._kept_rows: dict[str, KeptRows] = {}  # by group: the rows of its pages, kept for the next build
        self._showing_lines = set(LINE_GROUPS)  # the groups of pages showing the ledger's lines not made yet
        self._enterprises_by_team: dict[Any, list[Record]] | None = None
        self._enterprise_shas: dict[str, str] | None = None  # ``_enterprise_files``, read when first needed

    # -- rendering --------------------------------------------------------------------------

    def emit(self, path: str, content: bytes) -> None:
        """Hand one finished file to the writer."""
        self.write(path, content)
        self.paths.append(path)

    def file(self, path: str, shows: object, make: Callable[[], bytes]) -> None:
        """The file at ``path``: kept from the last build if it showed the same ``shows``, else ``make()``-d.

        ``shows`` holds everything the file's bytes depend on besides the code, the templates,
        the profile and the paging (in ``base``); ``make`` reads nothing else.
        """
        key = digest(self.base, path, shows) if self.keys is not None else None
        if key is not None and self.keys is not None and self.keys.reuse(path, key):
            self.paths.append(path)
            return
        self.emit(path, make())
        if key is not None and self.keys is not None:
            self.keys.made(path, key)
            rows = self._kept_rows.get(_group_of(path))
            if rows is not None:
                rows.made(path, key)

    def kept_by_alias(self, path: str, shows: object) -> bool:
        """Whether the file at ``path`` is kept from the last build by its alias, a cheaper key of what it shows."""
        key = digest(self.base, path, shows) if self.keys is not None else None
        if key is None or self.keys is None or not self.keys.reuse_alias(path, key):
            return False
        self.paths.append(path)
        return True

    def set_alias(self, path: str, shows: object) -> None:
        """The alias of the file at ``path``, kept or made just now: what ``shows`` stands for."""
        key = digest(self.base, path, shows) if self.keys is not None else None
        if key is not None and self.keys is not None:
            self.keys.alias(path, key)

    def page(self, path: str, template: str, title: str, nav: str, **context: Any) -> None:
        """Render ``template`` into ``path`` with the shared context (``Lazy`` values made only if it is rendered)."""
        shared = shared_context(self.records, path, self.profile)

        def render() -> bytes:
            values = {name: made(value) for name, value in context.items()}
            html = self.env.get_template(f"site/{template}").render(**shared, title=title, nav=nav, **values)
            return html.encode("utf-8")

        shows = {name: shown(value) for name, value in context.items()}
        self.file(path, (template, title, nav, shared, shows), render)

    def ledger_body(self, lines: Sequence[LedgerLine], path: str) -> Lazy[Markup]:
        """The ``<tbody>`` of ``lines`` on the page at ``path``, made when the page is rendered."""
        root = relative_root(path)
        shows = (root, self.engine.day_unit, self.lines_shown(lines))
        return Lazy(shows, partial(self._ledger_body, lines, path, root))

    def _ledger_body(self, lines: Sequence[LedgerLine], path: str, root: str) -> Markup:
        """The ``<tbody>`` of ``lines`` on the page at ``path``: its unchanged rows taken from the last build's page.

        Only where every row's key is known (``issue_numbers``), and the page is keyed.
        """
        known, frame, keys = self.issue_numbers, self._rows_frame, self.keys
        if known is None or frame is None or keys is None or not isinstance(lines, LedgerLines):
            return Markup(self.ledger_rows.body(lines, root))
        return Markup(
            self.kept_rows(_group_of(path)).body(
                path,
                digest(frame, root) or "",
                list(map(known.__getitem__, lines.positions)),
                partial(self.ledger_rows.body, lines, root),
                lambda at: self.ledger_rows.rooted(lines[at], root),
            )
        )

    def kept_rows(self, group: str, row: tuple[str, str] = (ROW_START, ROW_END)) -> KeptRows:
        """The rows of the pages of ``group`` (``splice``), each row starting and ending as ``row``."""
        rows = self._kept_rows.get(group)
        if rows is None:
            assert self.keys is not None  # rows are kept only where pages are keyed
            rows = self._kept_rows[group] = KeptRows(self.keys, group, row)
        return rows

    @cached_property
    def _rows_frame(self) -> str | None:
        """What every ledger row shares besides its key and its page's root: None when not known (``splice``).

        A row shows its line as of the ledger's day in the ledger's columns, its days with
        the day unit, under the settings; the code and templates are in ``base``.
        """
        settings = self.inputs.settings if self.inputs is not None else None
        if settings is None:
            return None
        return digest(self.base, settings, self.as_of, self.engine.day_unit, self.ledger.columns)

    def lines_shown(self, lines: Sequence[LedgerLine]) -> object:
        """What ledger lines show as of the ledger's day: the key of the files they read, else their rows."""
        key = self.lines_sum(lines)
        if key is not None:
            return (self.as_of, key)
        return [self.ledger_rows.shows(line) for line in lines]

    @cached_property
    def issue_numbers(self) -> list[int] | None:
        """Each ledger line's row key as a number (``inputs.numbers``), in ledger order; None when unknown.

        The ledger is every issue raised by its day in the engine's order: position i is
        also the engine's i-th timeline.
        """
        numbers = self._numbers
        return numbers.now if numbers is not None else None

    @cached_property
    def _numbers(self) -> keptrows.Numbers | None:
        """The ledger's row keys (``issue_numbers``), and the last build's where they changed; None when unknown.

        The keys of rows whose files did not change are the last build's when every row is
        where it was (``keptrows``).
        """
        inputs, keys = self.inputs, self.keys
        if inputs is None or keys is None:
            return None
        order = digest(self.paging, self._ledger_ids_shown)  # what places each row, and so its link
        assert order is not None  # numbers and text
        return keptrows.issue_numbers(inputs, self._ledger_ids, order, keys)

    def lines_sum(self, lines: Sequence[LedgerLine]) -> tuple[str, int, int] | None:
        """The key of ledger lines from the files they read: the settings, how many, their keys' sum (None: unknown).

        The ledger's order, and so any run's of it, is a function of its lines (``inputs.rows_sum``).
        """
        inputs, known = self.inputs, self.issue_numbers
        if inputs is None or inputs.settings is None or known is None or not isinstance(lines, LedgerLines):
            return None
        positions = lines.positions
        if isinstance(positions, range) and positions.step == 1:  # a run of the ledger (a month, a page of it)
            sums, start = self._number_sums, positions.start
            total = sums[start + len(positions)] - sums[start]
        else:
            total = sum(map(known.__getitem__, positions))
        return (inputs.settings, len(lines), rows_sum(total))

    @cached_property
    def _number_sums(self) -> list[int]:
        """The running sums of ``issue_numbers``, from 0: a run of the ledger's keys summed by two look-ups."""
        return [0, *accumulate(self.issue_numbers or ())]

    def number_sums(self) -> list[int] | None:
        """The running sums of ``issue_numbers`` (``_number_sums``), made once for every page; None when unknown."""
        return self._number_sums if self.issue_numbers is not None else None

    def unit_sums(self, kind: str, unit_id: str | None) -> list[int] | None:
        """The running sums of the keys of a unit's ledger lines (``issue_numbers`` at its positions); None: unknown.

        Made once per unit, and shared: a unit's pages are each keyed by a run of its lines
        (``unit_alias``), and its issue lists by a span of the same positions (``ListPages._total``).
        """
        known = self.issue_numbers
        if known is None:
            return None
        sums = self._unit_sums.get((kind, unit_id))
        if sums is None:
            positions = self.unit_positions(kind, unit_id)
            sums = self._unit_sums[(kind, unit_id)] = [0, *accumulate(map(known.__getitem__, positions))]
        return sums

    def build(self, handover: Handover | None = None) -> list[str]:
        """Write every file of the site; the paths written.

        With ``handover`` (the build's writer, page store and leak scan across a fork), a large
        site is made by two processes (``parallel``), each file as a serial build makes it.
        """
        if handover is not None and forks(len(self.records.issues)) and handover.splits():
            numbers = self.issue_numbers  # read by pages of both processes: made once, before the fork
            build_split(self, handover)
            del numbers
        else:
            for _, make in self.groups():
                make()
        if self.figures_key is not None and self.keys is not None:
            self.keys.keep_figures(self.figures_key, self.lists.answers)
        return self.paths

    def groups(self) -> list[tuple[str, Callable[[], None]]]:
        """The site's files in groups, in the order a serial build writes them.

        The list pages come after every page whose figures link to them, the data files
        after every page (the sitemap lists them all).
        """
        return [
            ("dashboard", self.dashboard),
            ("archive", self.archive),
            ("ledger", partial(self.keeping_rows, "ledger", self.ledger_pages)),
            ("departments", partial(self.keeping_rows, "departments", partial(self.unit_pages, "department"))),
            ("teams", partial(self.keeping_rows, "teams", partial(self.unit_pages, "team"))),
            ("metrics", self.metrics_page),
            ("lists", partial(self.keeping_rows, "lists", ListPages(self).render_all)),
            ("data", self.data_files),
            ("static", self.static_files),
        ]

    def keeping_rows(self, group: str, make: Callable[[], None]) -> None:
        """``make()`` the pages of ``group``, then keep the rows of those made for the next build (``splice``).

        Each group keeps its own: the ledger's and the units' pages may be made by two processes.
        """
        start = len(self.paths)
        make()
        self._showing_lines.discard(group)
        if not self._showing_lines:  # each of the ledger's rows is on no page still to make
            self.ledger_rows.forget_rows()
        rows = self._kept_rows.get(group)
        if rows is not None:
            rows.keep(self.paths[start:])

    def answers_key(self, figures_key: str | None) -> str | None:
        """The key the figures' answers are kept under (``ListIndex.remember``): ``figures_key``, or an earlier one.

        No answer reads an issue's category (the metric registry counts nothing by category:
        the figures by category are the statistics' own, keyed apart).  When the statistics
        find that the edits since the last build moved issues between categories and changed
        nothing else they see (``StatsStore.recategorised``), the answers are those the last
        build kept, under the key it kept them under: so are the pages keyed by it (a unit's,
        ``unit_alias``).  This build's figures key and that key are kept (``ANSWERS_MEMO``):
        a build with the same figures key as the last keeps its answers' key too.
        """
        keys, engine = self.keys, self.engine
        if figures_key is None or keys is None or not isinstance(engine, PersistedEngine):
            return figures_key
        answers, store = figures_key, engine.store
        kept = (keys.read_memo(ANSWERS_MEMO) or b"").decode("ascii", "replace").split()
        last: str | None = figures_key  # the last build's figures key, when the answers can be its
        if len(kept) == 2 and kept[0] != figures_key and store.recategorised and store.kept_views is not None:
            last = self._figures_key(store.kept_views)  # the same files and day, the last build's views
        if len(kept) == 2 and kept[0] == last:
            answers = kept[1]
        if kept != [figures_key, answers]:
            keys.write_memo(ANSWERS_MEMO, f"{figures_key} {answers}".encode("ascii"))
        return answers

    def _figures_key(self, views: str | None = None) -> str | None:
        """What every figure of the site is worked out from, without working one out (None: not known so).

        The figures see an issue only through its view (``compute.issueviews``: its
        timeline less the title), kept by the statistics in a file named by its content,
        and every other record file and the settings through their SHA-256; with the
        as-of day, the months and the code (``base``), that is all they read.  ``views``:
        another file of the issues' views than this build's (the last build's).
        """
        engine, keys = self.engine, self.keys
        if keys is None or not isinstance(engine, PersistedEngine) or engine.store.views is None:
            return None
        others = keys.inputs_digest(f"records/{ISSUE.folder}/")
        if others is None:
            return None
        return digest(self.base, views or engine.store.views, others, self.as_of, self.start, len(self.records.issues))

    # -- dashboard ----------------------------------------------------------------------------

    def window(self, month: Period, cumulative: bool) -> Window:
        """The month itself, or cumulative to its end."""
        return cumulative_window(self.start, month) if cumulative else month_window(month)

    def dashboard(self) -> None:
        """index.html: headline figures of the latest month, trends, rankings, legal services.

        First looked for by its alias (``dashboard_alias``): when it is the last build's, the
        page is kept and its figures are not made; the lists they link to are those they
        linked to then (``ListIndex.linking``).
        """
        alias = self.dashboard_alias()
        figures = partial(self.lists.linking, ("dashboard",), self._dashboard_figures)
        if alias is not None and self.kept_by_alias("index.html", alias):
            figures()
            return
        self.page(
            "index.html",
            "index.html",
            "首页",
            "index",
            month_name=self.latest.name,
            previous_name=self.latest.previous().name,
            latest_monthly=self._latest("monthly"),
            latest_quarterly=self._latest("quarterly"),
            trend_heads=[labelled(m) for m in TREND + TREND_CUMULATIVE],
            unit_heads=[labelled(m) for m in UNIT_COLUMNS],
            **figures(),
        )
        if alias is not None:
            self.set_alias("index.html", alias)

    def dashboard_alias(self) -> object | None:
        """What the dashboard shows, known without making its figures (None: not known so).

        Its figures, rankings and charts, its months' names and the office's names are among
        what the figures are worked out from (``figures_key``: every file but the issues, the
        issues' views and the as-of day); the latest bulletins are not.
        """
        if self.figures_key is None:
            return None
        return (self.figures_key, self.latest.key, self._latest("monthly"), self._latest("quarterly"))

    def _dashboard_figures(self) -> dict[str, Any]:
        """The dashboard's figures, each linked to its list: cards, legal services, trends, charts, rankings."""
        latest = self.stats[self.latest.key]
        this_month, to_date = self.window(self.latest, False), self.window(self.latest, True)
        cards = [
            {
                "label": labelled(m),
                "total": self.figures.num(m, latest.cumulative.value(m), to_date),
                "month": self.figures.num(m, latest.in_period.value(m), this_month),
                "change": change_text(m, latest.in_period.value(m), latest.previous.value(m)),
            }
            for m in HEADLINE
        ]
        legal = [
            {
                "label": m.zh,
                "unit": m.unit,
                "month": self.figures.num(m.key, latest.in_period.legal.value(m.key), this_month),
                "total": self.figures.num(m.key, latest.cumulative.legal.value(m.key), to_date),
            }
            for m in LEGAL_METRICS
        ]
        return {
            "cards": cards,
            "legal": legal,
            "trend_rows": self.month_rows(None, TREND, TREND_CUMULATIVE),
            "issues_chart": self._issues_chart(),
            "rate_chart": self._rate_chart(),
            "departments": self.ranking("department", latest.by_department),
            "teams": self.ranking("team", latest.by_team),
        }

    def _latest(self, kind: str) -> BulletinInfo | None:
        return next((b for b in reversed(self.bulletins) if b.kind == kind), None)

    def month_rows(
        self,
        unit: Unit | None,
        in_month: tuple[str, ...],
        cumulative: tuple[str, ...],
        months: list[Period] | None = None,
    ) -> list[MonthRow]:
        """One row per month (or of ``months``), newest last: the month's figures, then cumulative ones at its end."""
        return [
            MonthRow(
                m.name,
                tuple(self.figures.computed(k, self.window(m, False), unit) for k in in_month),
                tuple(self.figures.computed(k, self.window(m, True), unit) for k in cumulative),
            )
            for m in (self.months if months is None else months)
        ]

    def unit_month_rows(self, unit: Unit, lines: Sequence[LedgerLine]) -> list[MonthRow] | Lazy[list[MonthRow]]:
        """A unit's figures month by month; made only when its page is, where they can be keyed without them.

        That is where a unit's figures link to lists for the latest month alone (a large
        office, ``ListIndex.unit_windows``): the latest month's are worked out here, for the
        lists they link to, and all of them are keyed by the files of the unit's issues (its
        figures count nothing else) with the settings and the months.
        """
        key = self.lines_sum(lines)
        if key is None or self.lists.unit_windows is None:
            return self.month_rows(unit, UNIT_MONTH, UNIT_CUMULATIVE)
        self.unit_links(unit)
        shows = (key, self.start, [(m.key, m.end) for m in self.months])
        return Lazy(shows, lambda: self.month_rows(unit, UNIT_MONTH, UNIT_CUMULATIVE))

    def unit_links(self, unit: Unit) -> None:
        """Link to the lists a unit's figures link to, as its page does (the page kept, or its figures made later).

        In a large office those of the latest month alone (``ListIndex.unit_windows``): the
        last build's answer, when the figures are the same, names them without working one out.
        """
        if self.lists.unit_windows is None:
            self.month_rows(unit, UNIT_MONTH, UNIT_CUMULATIVE)
            return
        latest = partial(self.month_rows, unit, UNIT_MONTH, UNIT_CUMULATIVE, [self.latest])
        self.lists.linking(("unit rows", unit.kind, unit.id), latest)

    def _labels(self) -> tuple[str, ...]:
        one_year = len({m.start.year for m in self.months}) == 1
        return tuple(
            f"{m.start.month}月" if one_year else f"{m.start.year % 100}年{m.start.month}月" for m in self.months
        )

    def _series(self, metric: str, cumulative: bool) -> tuple[float | None, ...]:
        return tuple(self.lists.figure(None, self.window(m, cumulative), metric) for m in self.months)

    def _issues_chart(self) -> Any:
        return bar_chart(
            "每月梳理问题与解决问题（件）",
            self._labels(),
            (
                Series(METRICS_BY_KEY["issues_identified"].zh, GREY, self._series("issues_identified", False)),
                Series(METRICS_BY_KEY["issues_resolved_during"].zh, RED, self._series("issues_resolved_during", False)),
            ),
        )

    def _rate_chart(self) -> Any:
        return line_chart(
            "累计问题解决率与办结率（各月末）",
            self._labels(),
            (
                Series(METRICS_BY_KEY["resolution_rate"].zh, RED, self._series("resolution_rate", True)),
                Series(METRICS_BY_KEY["completion_rate"].zh, GREY, self._series("completion_rate", True)),
            ),
        )

    def ranking(self, kind: str, rows: Sequence[UnitRow]) -> list[dict[str, Any]]:
        """The latest cumulative ranking of departments or teams, figures linked to their lists."""
        window = self.window(self.latest, True)
        folder = "departments" if kind == "department" else "teams"
        result = []
        for row in rows:
            unit = Unit(kind, row.id, row.short_name)
            result.append(
                {
                    "rank": row.rank,
                    "tied": row.tied,
                    "reason": row.not_ranked_reason,
                    "name": unit.name,
                    "href": f"{folder}/{row.id}.html",
                    "score": row.score if row.ranked else None,  # too few issues: no score, as in the bulletins
                    "figures": [self.figures.num(m, row.figures.value(m), window, unit) for m in UNIT_COLUMNS],
                }
            )
        return result

    # -- archive, ledger, units, metrics -----------------------------------------------------

    def archive(self) -> None:
        """archive.html: every bulletin by year, newest first."""
        ordered = sorted(self.bulletins, key=lambda b: (b.period, b.kind), reverse=True)
        years = [(year, list(items)) for year, items in groupby(ordered, key=lambda b: b.period[:4])]
        self.page(
            "archive.html",
            "archive.html",
            "通报档案",
            "archive",
            years=years,
            kind_names=KIND_NAMES,
            draft_tag=DRAFT_TAG,
        )

    def ledger_pages(self) -> None:
        """ledger.html (the whole ledger, or an index of its months), the month pages, ledger.csv and ledger.xlsx."""
        title = f"问题清单台账（截至{date_zh(self.as_of)}）"
        if self.ledger_months is None:
            self.page(
                "ledger.html",
                "ledger.html",
                "问题清单台账",
                "ledger",
                table=self.table_head,
                count=len(self.ledger.lines),
                rows=self.ledger_body(self.ledger.lines, "ledger.html"),
                statuses=STATUSES,  # the status filter's choices, in lifecycle order (ledger.js reads them)
            )
        else:
            self.ledger_index(self.ledger_months)
        # both downloads show every line's cells under the columns' headings
        cells = condensed(self.ledger.columns, self.lines_shown(self.ledger.lines)) if self.keys else None
        parts = self.keys.part if self.keys is not None else unkept  # runs of lines kept from the last build
        pages = self._page_starts  # a function of the lines and the paging, both keyed
        last = LastRuns(self.last_lines_key, self.keys.kept_part) if self.keys is not None else None
        self.file("ledger.csv", cells, lambda: ledger_csv(self.ledger, parts, self.lines_key, pages, last))
        created = build_time(self.as_of)
        make_xlsx = partial(ledger_xlsx, self.ledger, title, created, parts, self.lines_key, pages, last)
        self.file("ledger.xlsx", (cells, title, created), make_xlsx)

    def lines_key(self, lines: Sequence[LedgerLine]) -> str | None:
        """The key of a run of ledger lines' cells from the files they read (None: unknown)."""
        key = self.lines_sum(lines)
        return digest(self.base, self.ledger.columns, self.as_of, key) if key is not None else None

    def last_lines_key(self, lines: Sequence[LedgerLine]) -> tuple[str, list[int]] | None:
        """``lines_key`` of a run of ledger lines as the last build's keys give it, and where lines changed since.

        None when the last build's keys are not known (``keptrows``), or ``lines`` are not a run.
        """
        numbers, now = self._numbers, self.lines_sum(lines)
        positions = lines.positions if isinstance(lines, LedgerLines) else None
        if numbers is None or numbers.was is None or now is None or not isinstance(positions, range):
            return None
        if positions.step != 1:  # picked lines (a unit's), not a run of the ledger
            return None
        changed = sorted(at for at in numbers.was if at in positions)  # few: the rows whose files changed
        settings, count, total = now
        then = rows_sum(total + sum(numbers.was[at] - numbers.now[at] for at in changed))
        key = digest(self.base, self.ledger.columns, self.as_of, (settings, count, then))
        return (key, [at - positions.start for at in changed]) if key is not None else None

    def _ledger_months(self) -> list[LedgerMonth] | None:
        """The ledger's months, when it is too long for one page (None: one page)."""
        lines = self.ledger.lines
        if len(lines) <= self.paging.ledger_rows:
            return None
        issues, months, at = line_issues(lines), [], 0
        while at < len(issues):  # the ledger is in raised order: each month is one run of lines, bisected
            day = issues[at].raised
            following = dt.date(day.year + 1, 1, 1) if day.month == 12 else dt.date(day.year, day.month + 1, 1)
            end = bisect_left(issues, following, lo=at, key=attrgetter("raised"))
            key = day.isoformat()[:7]
            months.append(LedgerMonth(key, f"{key[:4]}年{int(key[5:])}月", lines[at:end]))
            at = end
        return months

    @cached_property
    def _page_starts(self) -> list[int]:
        """The line each page of the split ledger starts at (none when it is one page).

        ledger.csv's and ledger.xlsx's runs of lines end there (``ledger_files._runs``): the
        run made again after one change holds the lines of the page made again.
        """
        starts, at = [], 0
        for month in self.ledger_months or ():
            for _, lines in cut(month.path, month.lines, self.paging.ledger_rows):
                starts.append(at)
                at += len(lines)
        return starts

    def _ledger_anchors(self) -> RowPages | None:
        """The page each issue's row is on, when the ledger is split (None: all on ledger.html)."""
        if self.ledger_months is None:
            return None
        paths = [
            pager.pages[pager.number - 1].path
            for month in self.ledger_months
            for pager, _ in cut(month.path, month.lines, self.paging.ledger_rows)
        ]
        return RowPages(self._ledger_ids, self._page_starts, paths)

    @cached_property
    def _ledger_ids(self) -> list[str]:
        """The ledger's issue ids, in its order."""
        return list(map(_ID, line_issues(self.ledger.lines)))

    def ledger_href(self, issue_id: str) -> str:
        """Where an issue's row is (relative to the site root), with its anchor."""
        return f"{self.ledger_rows.page_of(issue_id)}#{issue_id}"

    def ledger_index(self, months: list[LedgerMonth]) -> None:
        """ledger.html as the index of the months, and every page of every month."""
        pages = []
        for month in months:
            cuts = cut(month.path, month.lines, self.paging.ledger_rows)
            pages.append((month.head, cuts[0][0]))
            for pager, lines in cuts:
                self.ledger_month_page(month, pager, lines)
        self.page(
            "ledger.html",
            "ledger_index.html",
            "问题清单台账",
            "ledger",
            months=pages,
            count=len(self.ledger.lines),
            per_page=self.paging.ledger_rows,
        )
        self.file("ledger/ids.js", self._ledger_ids_shown, self._ledger_ids_script)

    @cached_property
    def _ledger_ids_shown(self) -> object:
        """What ledger/ids.js shows: the ledger's issue ids in order, and each month's count (None: one page).

        With the paging (in ``base``) they place every issue's row on its page: the ids are
        joined and condensed, not a dict of 100,000 anchors pickled to key the file.
        """
        ids = "\0".join(self._ledger_ids)
        months = self.ledger_months
        return (condensed(ids), None if months is None else [(month.key, len(month.lines)) for month in months])

    def ledger_month_page(self, month: LedgerMonth, pager: Pager, lines: Sequence[LedgerLine]) -> None:
        """One page of one month of the split ledger."""
        path = pager.pages[pager.number - 1].path
        self.page(
            path,
            "ledger_month.html",
            f"问题清单台账 · {month.name}" + (f"（第{pager.number}页）" if pager.number > 1 else ""),
            "ledger",
            month=month.head,
            pager=pager,
            table=self.table_head,
            count=len(lines),
            rows=self.ledger_body(lines, path),
            statuses=STATUSES,
        )

    def _ledger_ids_script(self) -> bytes:
        """ledger/ids.js: which page holds each issue, for old links to ``ledger.html#编号``."""
        pages: dict[str, int] = {}
        ids: dict[str, int] = {}
        anchors = self.ledger_rows.anchors
        for issue_id, path in (anchors.every if isinstance(anchors, RowPages) else {}).items():
            ids[issue_id] = pages.setdefault(path, len(pages))
        data = json.dumps({"pages": list(pages), "ids": ids}, ensure_ascii=False, separators=(",", ":"))
        return f"window.reportgenLedgerPages = {data};\n".encode()

    def _positions_of_units(self, figures_key: str | None) -> dict[tuple[str, str | None], list[int]]:
        """The ledger's positions of each department's and team's issues, ascending (the lines are picked when shown).

        Which lines a unit holds is a function of what the figures are worked out from
        (``figures_key``: the issues' views, with their units and days raised, which place
        them in the ledger, and the enterprises' files, which name their teams): the last
        build's positions are taken when that is the same (``UNIT_LINES``), else found again.
        """
        issues = line_issues(self.ledger.lines)
        kept = KeptChoice(self.keys, UNIT_LINES, self.base, figures_key) if figures_key is not None else None
        by_unit = _positions_read(kept.value, len(issues)) if kept is not None else None
        if by_unit is None:
            by_unit = self._positions_by_unit(issues)
            if kept is not None:
                kept.keep(pickle.dumps({unit: array("i", at) for unit, at in by_unit.items()}, pickle.HIGHEST_PROTOCOL))
        if len(issues) == len(self.engine.timelines):  # the ledger's positions are the timelines' indices
            self.lists.share_indices(by_unit)
        return by_unit

    def _positions_by_unit(self, issues: Sequence[IssueTimeline]) -> dict[tuple[str, str | None], list[int]]:
        """The ledger positions of each unit's ``issues``: one pass over the ledger for every unit, not one per unit."""
        by_unit: dict[tuple[str, str | None], list[int]] = {}
        team_of = self.engine.team_of
        for at, t in enumerate(issues):
            by_unit.setdefault(("department", t.lead_department), []).append(at)
            by_unit.setdefault(("team", team_of.get(t.enterprise)), []).append(at)
        return by_unit

    def unit_positions(self, kind: str, unit_id: str | None) -> list[int]:
        """The ledger positions of a unit's issues, ascending."""
        return self._unit_positions.get((kind, unit_id), [])

    def unit_lines(self, unit: Unit) -> Sequence[LedgerLine]:
        """The ledger lines of a unit's issues, in ledger order: picked when asked (for a page made, not one kept)."""
        return _picked(self.ledger.lines, self.unit_positions(unit.kind, unit.id))

    def unit_pages(self, kind: str) -> None:
        """One page per department or team (and pages 2, 3, … of its issues), and an index of them.

        Each page is first looked for by the unit's alias (``unit_alias``): when it is the
        last build's, the page is kept without its context being made.
        """
        records = self.records.departments if kind == "department" else self.records.teams
        folder = "departments" if kind == "department" else "teams"
        label = "责任单位" if kind == "department" else "服务队伍"
        latest = self.stats[self.latest.key]
        rank_of = {row.id: row for row in (latest.by_department if kind == "department" else latest.by_team)}
        units = []
        for unit_id, record in sorted(records.items()):
            unit = Unit(kind, unit_id, record.get("short_name") or record["name"])
            count = len(self.unit_positions(kind, unit_id))
            lines = cache(partial(self.unit_lines, unit))  # picked only if one of its pages is made
            path = f"{folder}/{unit_id}.html"
            units.append({"unit": unit, "record": record, "issues": count, "href": path})
            public = cache(partial(public_data, kind, record.data, self.profile))
            for pager, _ in cut(path, range(count), self.paging.unit_rows):  # the unit's pages, no line picked
                at, alias = pager.pages[pager.number - 1].path, self.unit_alias(pager, unit)
                if alias is not None and self.kept_by_alias(at, alias):
                    if pager.number == 1:
                        self.unit_links(unit)
                    continue
                part = lines()[_rows_of(pager)]
                if pager.number == 1:
                    self.unit_page(unit, public(), label, rank_of.get(unit_id), pager, part, lines())
                else:
                    self.unit_rows_page(unit, public(), label, pager, part)
                if alias is not None:
                    self.set_alias(at, alias)
            self.lists.forget_unit(unit, (self.window(self.latest, False), self.window(self.latest, True)))
        index = f"{folder}/index.html"
        alias = None if self.figures_key is None else (self.figures_key, [u["issues"] for u in units])
        if alias is None or not self.kept_by_alias(index, alias):
            self.page(index, "units.html", label, folder, units=units, label=label)
            if alias is not None:
                self.set_alias(index, alias)

    def unit_alias(self, pager: Pager, unit: Unit) -> object | None:
        """What a page of a unit shows, known without making its context (None: not known so).

        A unit's page shows its own records, its figures and ranking and the office's
        settings, all among what the figures are worked out from (``figures_key``: every
        file but the issues, and the issues' views), where it stands among the unit's pages
        (``pager``: the number of the unit's issues places it) and the rows of its issues
        on the page (``_rows_of``), whose key (as ``lines_sum``'s: how many, and their
        keys' sum, by two look-ups in the unit's running sums) stands for them: an edit
        remakes the page that holds its issue's row, not the unit's other pages.
        """
        inputs, sums = self.inputs, self.unit_sums(unit.kind, unit.id)
        if self.figures_key is None or inputs is None or inputs.settings is None or sums is None:
            return None
        run = _rows_of(pager)
        rows = (inputs.settings, pager.rows, rows_sum(sums[run.stop] - sums[run.start]))
        return (self.figures_key, pager.number, pager.total, rows)

    def unit_page(
        self,
        unit: Unit,
        record: dict[str, Any],
        label: str,
        ranking: UnitRow | None,
        pager: Pager,
        first: Sequence[LedgerLine],
        lines: Sequence[LedgerLine],
    ) -> None:
        """A department's or team's page: its record, figures and the first page of its issues (``first``)."""
        folder = "departments" if unit.kind == "department" else "teams"
        path = pager.pages[0].path
        self.page(
            path,
            "unit.html",
            unit.name,
            folder,
            unit=unit,
            label=label,
            record=record,
            ranking=ranking,
            members=self._members(self.records.teams[unit.id].data) if unit.kind == "team" else [],
            enterprises=self._team_shown(unit.id) if unit.kind == "team" else [],
            month_rows=self.unit_month_rows(unit, lines),
            month_heads=[labelled(m) for m in UNIT_MONTH],
            cumulative_heads=[labelled(m) for m in UNIT_CUMULATIVE],
            table=self.table_head,
            count=len(first),
            rows=self.ledger_body(first, path),
            pager=pager if pager.count > 1 else None,
        )

    def unit_rows_page(
        self, unit: Unit, record: dict[str, Any], label: str, pager: Pager, lines: Sequence[LedgerLine]
    ) -> None:
        """Page 2, 3, … of a department's or team's issues."""
        path = page_path(f"{'departments' if unit.kind == 'department' else 'teams'}/{unit.id}.html", pager.number)
        self.page(
            path,
            "unit_rows.html",
            f"{unit.name}（第{pager.number}页）",
            "departments" if unit.kind == "department" else "teams",
            unit=unit,
            label=label,
            record=record,
            pager=pager,
            table=self.table_head,
            count=len(lines),
            rows=self.ledger_body(lines, path),
        )

    def _members(self, team: dict[str, Any]) -> list[dict[str, Any]]:
        roles = (
            ("leader", "带队处级领导"),
            ("chief_officer", "首席服务官"),
            ("judge", "驻企法官"),
            ("procurator", "驻企检察官"),
        )
        staff = self.records.staff
        return [
            {**public_data("staff", staff[team[key]].data, self.profile), "role_label": label}
            for key, label in roles
            if team.get(key) in staff
        ]

    def _team_shown(self, team_id: str) -> list[dict[str, Any]] | Lazy[list[dict[str, Any]]]:
        """A team's enterprises as its page shows them; keyed by their files where known (``inputs``), made if shown.

        An enterprise shows what its own file holds (with the profile, in every key): a kept
        team page neither strips nor keys its enterprises (10,000 of them at 100,000 issues).
        """
        if self.inputs is not None and self.keys is not None:
            inputs, folder = self.inputs, self._enterprise_files(self.keys)
            enterprises = self._enterprises_by_team_id().get(team_id, [])
            files = [(e.id, folder.get(inputs.source_key(e)) or inputs.file(e)) for e in enterprises]
            if all(sha is not None for _, sha in files):
                return Lazy(files, partial(self._team_enterprises, team_id))
        return self._team_enterprises(team_id)

    def _enterprise_files(self, keys: PageKeys) -> dict[str, str]:
        """The SHA-256 of every enterprise's file by its key ("": unknown), found by one pass over the inputs.

        A team page made again keys its enterprises (tens of them) by their files: looked up
        one by one, past a few the inputs' every key (187,000 at 100,000 issues) is placed.
        """
        if self._enterprise_shas is None:
            self._enterprise_shas = keys.digests(f"records/{ENTERPRISE.folder}/")
        return self._enterprise_shas

    def _team_enterprises(self, team_id: str) -> list[dict[str, Any]]:
        enterprises = self._enterprises_by_team_id().get(team_id, [])
        return [public_data("enterprise", e.data, self.profile) for e in enterprises]

    def _enterprises_by_team_id(self) -> dict[Any, list[Record]]:
        """The enterprises by their team, each team's by id: sorted and grouped once, not once per team."""
        if self._enterprises_by_team is None:
            self._enterprises_by_team = {}
            for _, e in sorted(self.records.enterprises.items()):
                self._enterprises_by_team.setdefault(e.get("team"), []).append(e)
        return self._enterprises_by_team

    def metrics_page(self) -> None:
        """metrics.html: every definition, from compute.metrics, and the office's settings."""
        config = self.records.config
        weights = config.get("ranking_weights") or {}
        self.page(
            "metrics.html",
            "metrics.html",
            "指标说明",
            "metrics",
            metrics=from_code(METRICS),
            legal_metrics=from_code(LEGAL_METRICS),
            rules=from_code(RULES),
            settings={
                "day_kind": "工作日" if config.get("day_kind") == "working" else "自然日",
                "response_days": config.get("response_days", 3),
                "default_days": config.get("default_time_limit_days", 15),
                "satisfaction": "只计“满意”" if config.get("satisfaction") == "satisfied_only" else "满意 + 基本满意",
                "weights": [(METRICS_BY_KEY[k].zh, w) for k, w in weights.items() if k in METRICS_BY_KEY],
                "min_issues": config.get("ranking_min_issues", 3),
            },
        )

    # -- data files and assets ----------------------------------------------------------------

    def data_files(self) -> None:
        """stats.json (with stats/ at scale), feed.atom and sitemap.xml."""
        self.stats_files()
        config = self.records.config
        site_url = config.get("site_url") or None
        feed = (
            f"{self.site_title}通报",
            config["office"],
            config["doc_prefix"],
            self.start,
            site_url,
            self.bulletins,
            self.as_of,
        )
        self.file("feed.atom", feed, lambda: atom_feed(*feed))
        pages = [p for p in self.paths if p.endswith(".html")] + [b.html for b in self.bulletins]
        self.file("sitemap.xml", (site_url, pages), lambda: sitemap(site_url, pages))

    def stats_files(self) -> None:
        """stats.json: every period's statistics, or past ``STATS_BYTES_MAX`` an index of ``stats/<period>.json``.

        Which of the two is a function of the statistics: the last build's choice is taken
        when they are the same (``KeptChoice``), and they are then not turned into JSON to
        measure them.
        """
        keys = sorted(self.stats)
        shown = [self.stats_shown(key, None) for key in keys]
        layout = KeptChoice(self.keys, STATS_LAYOUT, self.base, shown)
        if layout.value == b"one":  # as the last build found: made only if the file is not kept
            self.file("stats.json", shown, lambda: _fitting(self._stats_whole(keys)))
            return
        whole = self._stats_whole(keys) if layout.value != b"split" else None
        layout.keep(b"split" if whole is None else b"one")
        if whole is None:
            self.stats_by_period(keys)
        else:
            self.file("stats.json", shown, lambda: whole)

    def _stats_whole(self, keys: list[str]) -> bytes | None:
        """stats.json as one file of every period's statistics; None when past ``STATS_BYTES_MAX``.

        Periods are turned into JSON one at a time, measured first as one line (the C
        encoder's, never longer than the indented text): only while they still fit one file
        are they kept and indented.
        """
        data: dict[str, Any] = {}
        size = 0
        for key in keys:
            data[key] = self.stats[key].to_json()
            size += len(_data_file(data[key]))
            if size > STATS_BYTES_MAX:
                return None
        texts = {key: _json(value) for key, value in data.items()}
        if sum(map(len, texts.values())) > STATS_BYTES_MAX:
            return None
        members = (b"  " + _json(key) + b": " + text.replace(b"\n", b"\n  ") for key, text in texts.items())
        return b"{\n" + b",\n".join(members) + b"\n}\n"  # one file, as an office has always had it

    def stats_shown(self, key: str, data: Any) -> object:
        """What a period's statistics show: the name of the file the statistics keep them in, else their data hash.

        That file is named by the statistics' exact content (``PersistedEngine.stored_name``):
        after an edit that changes a title in a period's lists, the period's statistics are
        written again and named, not turned into JSON to hash them.  The data hash
        (``StatsEngine.data_hash``) is of the site's JSON shape, whose dicts are in the
        code's order; a build that read the period's statistics back has it.
        """
        if self.keys is None:
            return data
        period = self.periods[key]
        stored = self.engine.stored_name(period) if isinstance(self.engine, PersistedEngine) else None
        return ("stored", stored) if stored is not None else self.engine.data_hash(period)

    def stats_by_period(self, keys: list[str]) -> None:
        """stats/<period>.json for each period, long lists in parts beside it, and stats.json as their index.

        Where the statistics are kept in the store, a list's parts are keyed by its own line there, and the
        period's file by the others (``stats_lines``): after a title edit that only the overdue lists show,
        their parts are made again, not the rest (at 100,000 issues 17 periods' other parts and files).
        """
        index = []
        for key in keys:
            stats = self.stats[key]
            rows = cache(stats.list_json)  # a list's JSON rows, made only when one of its files is
            lengths = _list_lengths(stats)
            lines = self.stats_lines(key)
            shown = None if lines is not None or self.keys is None else self.stats_shown(key, None)  # None: unkeyed
            files = {
                name: self._stats_parts(key, name, count, _list_shows(lines, shown, name), rows)
                for name, count in lengths.items()
                if count > STATS_LIST_ROWS
            }
            path = f"stats/{key}.json"
            own = shown if lines is None else (sorted((n, d) for n, d in lines.items() if n not in files), files)
            self.file(path, own, partial(_period_file, stats, rows, lengths, files))
            index.append({"period": key, "name": stats.name, "file": path})
        note = (
            "统计数据按期分文件存放：file 为该期文件的地址。期内超过"
            f"{STATS_LIST_ROWS}行的名单（如逾期问题、各企业情况）再分成几个文件，"
            "该期文件中只写行数（count）和这些文件的地址（files）。地址都相对本文件。"
        )
        self.file("stats.json", index, partial(_json_file, {"note": note, "periods": index}))

    def _stats_parts(
        self, key: str, name: str, count: int, shown: object, rows: Callable[[str], list[Any]]
    ) -> list[str]:
        """A long list of a period's statistics (``count`` rows of ``rows(name)``) in parts of ``STATS_LIST_ROWS``.

        ``shown`` is what the list shows: a part shows its rows of it.  The paths.
        """
        paths = []
        for number, start in enumerate(range(0, count, STATS_LIST_ROWS), start=1):
            path = f"stats/{key}/{name}-{number}.json"
            self.file(path, (shown, name, start, STATS_LIST_ROWS), partial(_part_file, rows, name, start))
            paths.append(path)
        return paths

    def stats_lines(self, key: str) -> dict[str, str] | None:
        """What each list of a period's statistics shows, and "" the rest: the digests of their lines in the store's
        file (``PersistedEngine.stored_lines``); None where they are not kept so, or no file is keyed."""
        if self.keys is None or not isinstance(self.engine, PersistedEngine):
            return None
        return self.engine.stored_lines(self.periods[key])

    def static_files(self) -> None:
        """The stylesheet, the ledger script and the icon."""
        static = package_files("reportgen") / "static"
        for name in STATIC_FILES:  # package files: the code version in every key covers them
            self.file(f"static/{name}", name, (static / name).read_bytes)


def _fitting(whole: bytes | None) -> bytes:
    """stats.json as one file, which the last build found the same statistics fit."""
    if whole is None:
        raise RuntimeError("stats.json: the statistics the last build found fit one file do not")
    return whole


def _list_lengths(stats: PeriodStats) -> dict[str, int]:
    """How many rows each list of a period's statistics has, by its name in the JSON (``to_json``: the field's)."""
    return stats.list_lengths()  # a period read back counts its lists without decoding them (``readback``)


def _list_shows(lines: dict[str, str] | None, shown: object, name: str) -> object:
    """What the parts of a period's long list ``name`` show: its line's digest in the store (a quarter's months are
    in the line of the other fields), else (``lines`` None) ``shown``, what the period's statistics show."""
    return shown if lines is None else lines.get(name, lines[""])


def _part_file(rows: Callable[[str], list[Any]], name: str, start: int) -> bytes:
    """A part of a period's long list ``name``: its rows from row ``start``."""
    return _data_file(rows(name)[start : start + STATS_LIST_ROWS])


def _period_file(
    stats: PeriodStats, rows: Callable[[str], list[Any]], lengths: dict[str, int], files: dict[str, list[str]]
) -> bytes:
    """A period's file: its JSON with each long list as its count and the files of its parts."""
    return _data_file(
        stats.to_json(lambda name: {"count": lengths[name], "files": files[name]} if name in files else rows(name))
    )


def _group_of(path: str) -> str:
    """The group of the site a page of rows is in: "ledger", "departments", "teams" or "lists" (its folder)."""
    return path.partition("/")[0].removesuffix(".html")


def _rows_of(pager: Pager) -> slice:
    """Where the rows of a page are among its table's (``Pager.first_row`` is 1-based)."""
    start = pager.first_row - 1
    return slice(start, start + pager.rows)


def _positions_read(kept: bytes | None, count: int) -> dict[tuple[str, str | None], list[int]] | None:
    """The positions by unit the last build kept as ``kept`` (``_positions_of_units``); None when not kept so.

    Each unit's positions are ascending places among the ``count`` lines of the ledger.
    """
    if kept is None:
        return None
    with contextlib.suppress(pickle.UnpicklingError, ValueError, TypeError, EOFError, AttributeError, IndexError):
        by_unit = pickle.loads(kept)
        if isinstance(by_unit, dict) and all(map(_unit_positions, by_unit.items(), repeat(count))):
            return {unit: positions.tolist() for unit, positions in by_unit.items()}
    return None


def _unit_positions(item: tuple[object, object], count: int) -> bool:
    """Whether ``item`` is a unit (kind and id) and its ascending positions among ``count`` lines."""
    unit, positions = item
    if not (isinstance(unit, tuple) and len(unit) == 2 and isinstance(positions, array) and positions.typecode == "i"):
        return False
    return (
        len(positions) > 0
        and positions[0] >= 0
        and positions[-1] < count
        and all(map(int.__lt__, positions, positions[1:]))
    )


def _picked(lines: Sequence[LedgerLine], positions: list[int]) -> Sequence[LedgerLine]:
    """The lines at ``positions``, in that order (lines made as they are read stay so)."""
    return lines.picked(positions) if isinstance(lines, LedgerLines) else [lines[at] for at in positions]


def _json(value: Any) -> bytes:
    """``value`` as the site's JSON: UTF-8, indented by 2, dates as ISO text."""
    return json.dumps(value, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def _json_file(value: Any) -> bytes:
    """A JSON file of the site: ``value`` and a newline."""
    return _json(value) + b"\n"


def _data_file(value: Any) -> bytes:
    """A JSON file for programs (a period's statistics, a part of a long list): one line, then a newline.

    Not indented: with an indent Python's JSON encoder is its pure-Python one (~6 s at
    100,000 issues); the index that names these files, which people read, stays indented.
    """
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8") + b"\n"
