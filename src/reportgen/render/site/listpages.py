"""The static list pages behind the figures: one table of records per linked number."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache, partial
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from reportgen.compute.metrics import Pair, is_overdue
from reportgen.compute.timeline import IssueState, IssueTimeline
from reportgen.formatting import date_zh, yuan
from reportgen.model import Record
from reportgen.privacy import public_data
from reportgen.render.site.context import STATUS_CLASSES, format_value, relative_root
from reportgen.render.site.inputs import Token, rows_sum
from reportgen.render.site.inputs import numbers as inputs_numbers
from reportgen.render.site.lists import (
    ISSUE_LISTS,
    LEGAL_KEYS,
    RESOLVED_DURING,
    ListKey,
    Unit,
    list_definition,
    list_title,
    list_unit,
)
from reportgen.render.site.pagekeys import Lazy, digest
from reportgen.render.site.rows import Cell, escape, list_row_html
from reportgen.render.site.splice import LIST_ROW
from reportgen.render.wording import days_text

if TYPE_CHECKING:
    from reportgen.render.site.builder import SiteBuilder

# what an issue row shows of the issue (id, its ledger page, enterprise, title, category,
# department id and name, raised, deadline) and of its state (status, finished on, overdue, rating)
IssueHead = tuple[str, str, str, str, str, str, str, Any, Any]
IssueRow = tuple[IssueHead, str, Any, str, Any]
# an issue list's headings: the same on every issue list (a spliced list's rows are not all made)
ISSUE_HEADS = [
    "编号",
    "企业",
    "问题",
    "类别",
    "牵头单位",
    "提出日期",
    "办结期限",
    "状态",
    "办结日期",
    "超期时长",
    "企业评价",
]


# the classes of a list's cells of running text and of names: on a phone they keep a reading width (site.css)
TEXT, NAME = "text", "name"


def _in_order(t: IssueTimeline) -> tuple[dt.date, str]:
    """An issue row's place in its list: by the day raised, then the id."""
    return (t.raised, t.id)


def _date(value: Any) -> Cell:
    return Cell(_date_text(value), None, "date")


@cache  # few dates, many cells: at 100,000 issues the list pages write ~780,000 dates
def _date_text(value: Any) -> str:
    return date_zh(value) if value else "—"  # digits and 年月日: nothing to escape


class ListPages:
    """Renders every list page a figure linked to (until no new links appear)."""

    def __init__(self, builder: SiteBuilder) -> None:
        self.b = builder
        self._heads: dict[tuple[str, str], str] = {}
        self._issues: dict[str, IssueHead] = {}
        self._unit_sums: dict[tuple[str, str], list[int]] = {}  # running sums of a unit's numbers (``_total``)

    def render_all(self) -> None:
        """Render all wanted lists, including those the list pages themselves link to.

        In path order, so the lists of a unit and window come together: what is written once
        per issue is kept for them only (for all lists, at 100,000 issues: ~60 MB).
        """
        done: set[str] = set()
        group: tuple[str | None, str] | None = None
        while pending := sorted(set(self.b.lists.wanted) - done):
            for path in pending:
                key = self.b.lists.wanted[path]
                if (key.unit.id if key.unit else None, key.window.key) != group:
                    group = (key.unit.id if key.unit else None, key.window.key)
                    self._heads.clear()
                    self._issues.clear()
                self.render(key)
                self.b.lists.forget(key)
                done.add(path)

    def render(self, key: ListKey) -> None:
        """One list page, its rows made only when it is rendered.

        An issue list is first looked for by the issues it is picked from (``picked_from``,
        the page's alias): when none of them changed it is kept without being picked.  Else
        one whose issues the last build named (``ListIndex.members``) is keyed by them, and
        their states are worked out only if it is rendered.
        """
        alias = self.picked_from(key)
        if alias is not None and self.b.kept_by_alias(key.path, alias):
            return
        items = cache(partial(self.b.lists.items, key.unit, key.window, key.metric))
        issues = self.b.lists.members(key.unit, key.window, key.metric) if self._is_issue_list(key) else None
        root = relative_root(key.path)
        table = cache(lambda: self.table(key, items()))
        keyed = self.inputs(key, items) if issues is None else self.members_key(issues)

        def whole() -> str:
            return table()[2](root)

        rows = whole
        if keyed is not None and self._is_issue_list(key):  # rows keyed by their issues' files
            rows = partial(self.spliced, key, issues if issues is not None else [t for t, _ in items()], root, whole)
        # the rows' key from the files they read; else what they show (which is all the headings depend on too)
        shows = (root, keyed if keyed is not None else table()[1])
        unit_href = None
        if key.unit:
            unit_href = f"{'departments' if key.unit.kind == 'department' else 'teams'}/{key.unit.id}.html"
        heading = list_title(key.metric)
        self.b.page(
            key.path,
            "list.html",
            " · ".join([*([key.unit.name] if key.unit else []), key.window.name, heading]),  # unique, as the h1
            "",
            key=key,
            unit_href=unit_href,
            heading=heading,
            definition=list_definition(key.metric),
            window_text=f"{date_zh(key.window.start)}至{date_zh(key.window.as_of)}",
            as_of_list=date_zh(key.window.as_of),
            of_issues=self._is_issue_list(key),
            unit=list_unit(key.metric),
            total=Lazy(shows, partial(self.total, key)) if key.metric in LEGAL_KEYS else None,
            count=len(items()) if issues is None else len(issues),
            heads=Lazy("rows", lambda: ISSUE_HEADS if self._is_issue_list(key) else table()[0]),
            rows=Lazy(shows, lambda: Markup(rows())),
        )
        if alias is not None:
            self.b.set_alias(key.path, alias)

    def total(self, key: ListKey) -> str:
        """A legal services' list's figure with its unit (42场次, 127.94万元): its entries' numbers added up."""
        return format_value(key.metric, self.b.lists.figure(key.unit, key.window, key.metric), with_unit=True)

    def picked_from(self, key: ListKey) -> object | None:
        """What every record a list is picked from shows, with its window and unit (None: not known so).

        An issue list is the issues of its window and unit (``ListIndex.candidates``) that
        pass its test as of the window's end, and each row reads its issue's files and the
        settings: the same issues' keys, the same page.  Their keys are summed (``rows_sum``:
        the ledger's numbers, whose position i is the engine's i-th timeline, and running sums
        of them for the windows of every unit), so no list is picked and no key looked up per list.

        A list of visits, legal services or enterprises reads no issue: every file it reads,
        and the settings, are among what the figures are worked out from (``figures_key``).
        """
        if not self._is_issue_list(key):
            return None if self.b.figures_key is None else (key.values(), self.b.figures_key)
        inputs, numbers = self.b.inputs, self.b.issue_numbers
        if inputs is None or inputs.settings is None or numbers is None or not self._is_issue_list(key):
            return None
        found = self.b.lists.candidates(key.unit, key.window, every=key.metric == RESOLVED_DURING)
        if found is None or found[2] > len(numbers):
            return None
        scope, lo, hi = found
        total = rows_sum(self._total(key.unit, scope, lo, hi, numbers))
        return (key.values(), self.b.as_of, inputs.settings, hi - lo, total)

    def _total(self, unit: Unit | None, scope: list[int] | None, lo: int, hi: int, numbers: list[int]) -> int:
        """The sum of the numbers of ``scope[lo:hi]`` (of ``numbers[lo:hi]`` without a scope): two look-ups.

        Running sums of the ledger's numbers, and of each unit's (its scope is the same for
        every window), are made once: the lists of a unit's many windows are each picked from
        a span of its issues (summed span by span: ~0.1 CPU s at 100,000 issues).  Where the
        scope is the unit's ledger positions (shared with the list index), its sums are the
        builder's, which keyed the unit's pages with them (``SiteBuilder.unit_sums``).
        """
        if scope is None:
            whole = self.b.number_sums()
            assert whole is not None  # ``numbers`` are the builder's
            return whole[hi] - whole[lo]
        assert unit is not None  # a scope is a unit's
        if scope is self.b.unit_positions(unit.kind, unit.id):
            shared = self.b.unit_sums(unit.kind, unit.id)
            assert shared is not None  # as ``whole``
            return shared[hi] - shared[lo]
        sums = self._unit_sums.get((unit.kind, unit.id))
        if sums is None:
            sums = self._unit_sums[(unit.kind, unit.id)] = [0, *accumulate(map(numbers.__getitem__, scope))]
        return sums[hi] - sums[lo]

    def inputs(self, key: ListKey, items: Callable[[], list[Any]]) -> str | None:
        """The key of the list's rows (``items()``) from the files they read (``inputs``); None when that is unknown.

        Sorted: a list's order (by date and id) is a function of its rows.
        """
        inputs = self.b.inputs
        if inputs is None:
            return None
        row: Callable[[Any], Token]
        if self._is_issue_list(key):
            return self.members_key([t for t, _ in items()])
        if key.metric == "visits":
            row = inputs.visit
        elif key.metric in LEGAL_KEYS:
            row = inputs.legal
        else:
            row = inputs.enterprise
        return inputs.table(list(map(row, items())), any_order=True)

    def members_key(self, issues: list[IssueTimeline]) -> str | None:
        """The key of an issue list's rows from its issues alone: their rows read their files, not their states."""
        inputs = self.b.inputs
        return None if inputs is None else inputs.table([inputs.issue(t.id) for t in issues], any_order=True)

    def spliced(self, key: ListKey, issues: list[IssueTimeline], root: str, whole: Callable[[], str]) -> str:
        """The rows of an issue list of ``issues``: those unchanged since the last build's page kept (``splice``).

        A row shows its issue's files (its key, ``inputs.issue``) and its state as of the
        list's day, under the settings (the frame): after one edit, the one row changed is
        rendered and no other issue's state is worked out (at 100,000 issues the lists that
        hold an edited issue held thousands).  ``whole()``: every row rendered.
        """
        inputs, as_of = self.b.inputs, key.window.as_of
        assert inputs is not None and inputs.settings is not None  # ``members_key`` keyed the rows
        ordered = sorted(issues, key=_in_order)  # the list's order (``issues``), read without the issues' files
        numbers = inputs_numbers([inputs.issue(t.id) for t in ordered])
        assert numbers is not None  # as ``members_key``
        frame = digest(self.b.base, inputs.settings, as_of, self.b.engine.day_unit, root)
        return self.b.kept_rows("lists", LIST_ROW).body(
            key.path,
            frame or "",
            numbers,
            whole,
            lambda at: self._issue_row(self._state_row(ordered[at], as_of), root),
        )

    @staticmethod
    def _is_issue_list(key: ListKey) -> bool:
        return key.metric in ISSUE_LISTS or key.metric == "issues_resolved_during"

    def table(self, key: ListKey, items: list[Any]) -> tuple[list[str], object, Callable[[str], str]]:
        """The headings, what the rows show, and their HTML made with links prefixed with a root."""
        if self._is_issue_list(key):
            heads, rows = self.issues(key, items)
            return heads, rows, lambda root: "".join(self._issue_row(row, root) for row in rows)
        if key.metric == "visits":
            heads, cells = self.visits(items)
        elif key.metric in LEGAL_KEYS:
            heads, cells = self.legal(items)
        else:
            heads, cells = self.enterprises(items)
        return heads, cells, lambda root: "".join(list_row_html(row, root) for row in cells)

    def issues(self, key: ListKey, items: list[Pair]) -> tuple[list[str], list[IssueRow]]:
        """Issue rows with their state on the list's as-of date: what each row shows.

        Written straight to HTML by ``_issue_row`` (the cells ``list_row_html`` would write
        for ``Cell``s): at 10,000 issues the list pages hold ~100,000 issue rows.  What an
        issue shows whatever the date (id to department, raised, deadline) is found and
        written once per issue.
        """
        as_of = key.window.as_of
        return ISSUE_HEADS, [self._state_row(t, as_of, s) for t, s in sorted(items, key=lambda p: _in_order(p[0]))]

    def _state_row(self, t: IssueTimeline, as_of: dt.date, state: IssueState | None = None) -> IssueRow:
        """What an issue's row shows with its ``state`` as of ``as_of`` (worked out when not given)."""
        s = t.state_at(as_of) if state is None else state
        engine = self.b.engine
        overdue = (
            days_text(engine.counter.between(t.deadline, as_of), engine.day_unit) if is_overdue(t, s, as_of) else "—"
        )
        return (self._issue(t), s.status, s.finished_on, overdue, s.rating)

    def _issue(self, t: IssueTimeline) -> IssueHead:
        """What a row shows of the issue whatever the date, found once per issue."""
        head = self._issues.get(t.id)
        if head is None:
            dept = self.b.records.departments[t.lead_department]
            head = (
                t.id,
                self.b.ledger_href(t.id),
                self.b.records.enterprises[t.enterprise]["name"],
                t.title,
                t.category,
                t.lead_department,
                dept.get("short_name") or dept["name"],
                t.raised,
                t.deadline,
            )
            self._issues[t.id] = head
        return head

    def _issue_row(self, row: IssueRow, root: str) -> str:
        """One issue row's HTML, links prefixed with ``root``."""
        issue, status, finished_on, overdue, rating = row
        status_css = escape(f"status {STATUS_CLASSES.get(status, '')}")
        return (
            f"{self._issue_head(issue, root)}"
            f'<td class="{status_css}">{escape(status)}</td>'
            f'<td class="date">{_date_text(finished_on)}</td>'
            f'<td class="num">{overdue}</td>'
            f"<td>{escape(rating or '—')}</td></tr>\n"
        )

    def _issue_head(self, issue: IssueHead, root: str) -> str:
        """The row's start up to the state's cells: the same on every list the issue is on."""
        html = self._heads.get((issue[0], root))
        if html is None:
            issue_id, ledger_href, enterprise, title, category, department, department_name, raised, deadline = issue
            link = escape(root)
            html = (
                f'    <tr><td><a href="{link}{escape(ledger_href)}">{escape(issue_id)}</a></td>'
                f"<td>{escape(enterprise)}</td>"
                f"<td>{escape(title)}</td><td>{escape(category)}</td>"
                f'<td><a href="{link}departments/{escape(department)}.html">'
                f"{escape(department_name)}</a></td>"
                f'<td class="date">{_date_text(raised)}</td><td class="date">{_date_text(deadline)}</td>'
            )
            self._heads[(issue_id, root)] = html
        return html

    def visits(self, items: list[Record]) -> tuple[list[str], list[list[Cell]]]:
        """Visits: date, enterprise, kind, staff, summary (and internal notes where the profile allows)."""
        data = [
            (v, public_data("visit", v.data, self.b.profile)) for v in sorted(items, key=lambda v: (v["date"], v.id))
        ]
        notes = any("internal_notes" in d for _, d in data)
        heads = ["编号", "日期", "企业", "形式", "参加人员", "情况摘要"] + (["内部备注"] if notes else [])
        staff, enterprises = self.b.records.staff, self.b.records.enterprises
        rows = []
        for v, d in data:
            names = "、".join(staff[s]["name"] for s in d["staff"] if s in staff)
            row = [
                Cell(v.id),
                _date(d["date"]),
                Cell(enterprises[d["enterprise"]]["name"]),
                Cell(d["kind"]),
                Cell(names),
                Cell(str(d["summary"]), None, TEXT),
            ]
            if notes:
                row.append(Cell(str(d.get("internal_notes") or ""), None, TEXT))
            rows.append(row)
        return heads, rows

    def legal(self, items: list[Record]) -> tuple[list[str], list[list[Cell]]]:
        """Legal services: date, unit, kind, count or amount, enterprise, description."""
        heads = ["编号", "日期", "单位", "类别", "数量或金额", "企业", "情况"]
        departments, enterprises = self.b.records.departments, self.b.records.enterprises
        rows = []
        for r in sorted(items, key=lambda r: (r["date"], r.id)):
            d = public_data("legal", r.data, self.b.profile)
            unit = departments[d["unit"]]
            amount = yuan(d["amount_yuan"]) if d.get("amount_yuan") is not None else str(d.get("count", 1))
            ent = d.get("enterprise")
            rows.append(
                [
                    Cell(r.id),
                    _date(d["date"]),
                    Cell(unit.get("short_name") or unit["name"], f"departments/{d['unit']}.html"),
                    Cell(d["kind"]),
                    Cell(amount, None, "num"),
                    Cell(enterprises[ent]["name"] if ent in enterprises else "—", None, NAME),
                    Cell(str(d["description"]), None, TEXT),
                ]
            )
        return heads, rows

    def enterprises(self, items: list[Record]) -> tuple[list[str], list[list[Cell]]]:
        """Enterprises: name, industry, park, scale, team, joined (contact where the profile allows)."""
        data = [public_data("enterprise", e.data, self.b.profile) for e in sorted(items, key=lambda e: e.id)]
        contact = any("contact" in d for d in data)
        heads = ["编号", "企业名称", "行业", "所在园区", "规模", "服务队伍", "入库日期"]
        heads += ["联系人", "联系电话"] if contact else []
        teams = self.b.records.teams
        rows = []
        for d in data:
            team = d.get("team")
            row = [
                Cell(d["id"]),
                Cell(d["name"]),
                Cell(d["industry"]),
                Cell(d["park"]),
                Cell(d["scale"]),
                Cell(teams[team]["name"], f"teams/{team}.html") if team in teams else Cell("—"),
                _date(d["joined"]),
            ]
            if contact:
                c = d.get("contact") or {}
                row += [Cell(c.get("name", "")), Cell(c.get("phone", ""))]
            rows.append(row)
        return heads, rows
