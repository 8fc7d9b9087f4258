"""How figures are written in Chinese official text: dates, percentages, money, changes."""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from reportgen.echo import shown
from reportgen.echo import terminal_safe as terminal_safe  # where the other modules have always found it

CHINESE_DIGITS = "〇一二三四五六七八九"


def as_date(value: dt.date | str) -> dt.date:
    """A date from a date or an ISO string."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def date_zh(value: dt.date | str) -> str:
    """2021年9月30日 — no zero padding, as official documents write dates."""
    day = as_date(value)
    return f"{day.year}年{day.month}月{day.day}日"


def month_day_zh(value: dt.date | str) -> str:
    """9月30日."""
    day = as_date(value)
    return f"{day.month}月{day.day}日"


def half_up(value: float, places: int = 1) -> Decimal:
    """四舍五入 to ``places`` decimals: 88.25 → 88.3 (Python's ``round`` gives 88.2).

    The value is first taken to 9 decimals, so binary noise (88.24999999999999 for a
    true 88.25) never decides which way a tie goes.
    """
    return Decimal(f"{value:.9f}").quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def percent(value: float | None, empty: str = "—") -> str:
    """A fraction as a percentage with one decimal, rounded half up: 0.6538 → 65.4%, 0.00125 → 0.1%."""
    if value is None:
        return empty
    return f"{half_up(value * 100)}%"


def score_text(score: float | None) -> str:
    """A unit's composite score: one decimal (92.5, 100.0); a dash for a unit without one (no issues yet)."""
    return "—" if score is None else f"{score:.1f}"


def number(value: Any, empty: str = "—") -> str:
    """A count or amount; floats with one decimal, None as a dash."""
    if value is None:
        return empty
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return f"{int(value)}"


def yuan(value: float | int | None) -> str:
    """Money: 603500 → 60.35万元; below ten thousand in 元."""
    if value is None:
        return "—"
    if value >= 10000:
        return f"{value / 10000:.2f}".rstrip("0").rstrip(".") + "万元"
    return f"{number(value)}元"


def change(current: float | int | None, previous: float | int | None, rate: bool = False) -> str:
    """环比: ↑3, ↓2.5个百分点, 持平, or — when either side is missing."""
    if current is None or previous is None:
        return "—"
    delta = (current - previous) * (100 if rate else 1)
    if abs(delta) < 1e-9:
        return "持平"
    arrow = "↑" if delta > 0 else "↓"
    amount = f"{half_up(abs(delta))}个百分点" if rate else number(abs(delta))
    return f"{arrow}{amount}"


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: CJK characters are two wide."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, width: int, right: bool = False) -> str:
    """Pad ``text`` to ``width`` terminal columns."""
    fill = " " * max(width - display_width(text), 0)
    return fill + text if right else text + fill


PATH_LIMIT = 120  # characters of a path shown in a message before it is cut


def shown_path(path: object, lang: str = "zh") -> str:
    """A path (from the command line or the disk) for a message: escaped, and cut when very long."""
    return shown(str(path), PATH_LIMIT, lang)
