"""What every page of the site shares: the as-of date, the months, formatted linked figures.

Pure functions of the records: the as-of date is the latest date any record speaks of,
never the clock.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any

from reportgen.compute.metrics import METRICS_BY_KEY, RISE_IS_BAD
from reportgen.compute.periods import Period, periods_between
from reportgen.formatting import change, date_zh, number, percent, yuan
from reportgen.model import Records
from reportgen.render.bulletins import latest_record_date
from reportgen.render.site.lists import DERIVED, ListIndex, Unit, Window
from reportgen.schema.kinds import ANSWERED, CLOSED, LONG_TERM, OPEN_STATUSES, RESOLVED

# each status's CSS class, from the status vocabulary (schema/kinds.py)
STATUS_CLASSES: dict[str, str] = {
    **dict.fromkeys(OPEN_STATUSES, "open"),
    RESOLVED: "done",
    CLOSED: "done",
    LONG_TERM: "long",
    ANSWERED: "answered",
}


@dataclass(frozen=True)
class Num:
    """A figure as shown: its text and the list page behind it (None when it lists nothing)."""

    text: str
    href: str | None = None
    note: str | None = None  # a tooltip, e.g. the rate's numerator and denominator


def data_as_of(records: Records) -> dt.date:
    """The date the site speaks as of: the latest date any record carries, as the bulletins count it.

    Every page asks for it: ``latest_record_date`` keeps its last answer for the same records.
    """
    return latest_record_date(records)


def build_time(as_of: dt.date) -> dt.datetime:
    """The time stamped into files that need one: SOURCE_DATE_EPOCH when set, else the as-of date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
    return dt.datetime(as_of.year, as_of.month, as_of.day)


def periods(campaign_start: dt.date, as_of: dt.date, kind: str) -> list[Period]:
    """Every period of ``kind`` from the campaign's start to ``as_of``, the last cut at ``as_of``."""
    return [p.as_of(as_of) if p.contains(as_of) else p for p in periods_between(campaign_start, as_of, kind)]


def month_window(month: Period) -> Window:
    """The month itself."""
    return Window(month.key, month.name, month.start, month.end)


def cumulative_window(campaign_start: dt.date, month: Period) -> Window:
    """From the campaign's start to the month's end."""
    return Window(f"cum-{month.key}", f"截至{date_zh(month.end)}", campaign_start, month.end)


def format_value(metric: str, value: Any, with_unit: bool = False) -> str:
    """A figure in the way bulletins write it: 65.4%, 60.35万元, 13天, 52 (``with_unit``: 52家)."""
    m = METRICS_BY_KEY[metric]
    if m.is_rate:
        return percent(value)
    if m.unit == "元":
        return yuan(value)
    if m.unit == "天":
        return "—" if value is None else f"{number(value)}天"
    return number(value) + (m.unit if with_unit and value is not None else "")


def labelled(metric: str) -> str:
    """A figure's name with the unit its value is written without, as a heading gives it: 在库企业（家）; a rate's
    or an amount's name as it is (its value reads 65.4%, 60.35万元)."""
    m = METRICS_BY_KEY[metric]
    return f"{m.zh}（{m.count_unit}）" if m.count_unit else m.zh


class Figures:
    """Makes linked figures for one list index."""

    def __init__(self, lists: ListIndex) -> None:
        self.lists = lists

    def num(self, metric: str, value: Any, window: Window, unit: Unit | None = None) -> Num:
        """``value`` of ``metric`` formatted, linked to the records behind it."""
        href = self.lists.href(unit, window, metric) if value not in (None, 0) or metric in DERIVED else None
        return Num(format_value(metric, value), href, self._note(metric, window, unit))

    def computed(self, metric: str, window: Window, unit: Unit | None = None) -> Num:
        """The metric computed for the window (and unit), formatted and linked."""
        return self.num(metric, self.lists.figure(unit, window, metric), window, unit)

    def _note(self, metric: str, window: Window, unit: Unit | None) -> str | None:
        if metric not in DERIVED or DERIVED[metric][1] is None:
            return None
        numerator, denominator = DERIVED[metric]
        top = self.lists.count(unit, window, numerator)
        bottom = self.lists.count(unit, window, denominator or numerator)
        return f"{top} ÷ {bottom}"


@dataclass(frozen=True)
class Change:
    """环比 of a figure as shown: its text and whether the move is good, bad or neither."""

    text: str
    tone: str  # "good", "bad" or "flat" (a CSS class)


def change_text(metric: str, current: Any, previous: Any) -> Change:
    """环比 of a figure: ↑3, ↓2.5个百分点, 持平 or —, toned by what the direction means for ``metric``."""
    text = change(current, previous, rate=METRICS_BY_KEY[metric].is_rate)
    rise = text.startswith("↑")
    if not (rise or text.startswith("↓")):
        return Change(text, "flat")
    return Change(text, "bad" if rise == (metric in RISE_IS_BAD) else "good")


def relative_root(path: str) -> str:
    """The prefix from ``path`` back to the site root: "" or "../" repeated."""
    return "../" * path.count("/")


def shared_context(records: Records, path: str, profile: str) -> dict[str, Any]:
    """What the site's base template needs on every page: names, the as-of date, the footer's contact."""
    config = records.config
    as_of = data_as_of(records)
    return {
        "root": relative_root(path),
        "site_title": f"{config['district']}“万人助万企”活动",
        "office": config["office"],
        "office_contact": config.get("office_contact") or "",
        "as_of": as_of,
        "as_of_text": date_zh(as_of),
        "profile": profile,
        "status_classes": STATUS_CLASSES,
    }
