"""Static SVG charts, generated at build time: the same markup in the HTML and the PDF.

Every chart is plain SVG 1.1 (rectangles, lines, text) with a ``<title>`` as its text
alternative; coordinates are rounded so the output is byte-stable.  Chinese text uses
the document's 黑体 stack (``font_family``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from reportgen.compute.metrics import METRICS_BY_KEY
from reportgen.formatting import percent

WIDTH = 560  # user units; the SVG is scaled to the text width
INK = "#222"
GRID = "#ccc"
IDENTIFIED = "#9fb7d4"
RESOLVED = "#1f4e8c"
RATE = "#c0392b"


@dataclass(frozen=True)
class MonthBar:
    """One month of the trend chart."""

    label: str  # 8月
    identified: int
    resolved: int
    rate: float | None  # cumulative resolution rate at the month's end


@dataclass(frozen=True)
class Bar:
    """One labelled bar (a category or a unit)."""

    label: str
    value: float
    total: float | None = None  # a lighter bar behind (e.g. identified behind resolved)
    note: str = ""  # text after the bar
    muted: bool = False  # drawn grey (a unit not ranked)


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _svg(title: str, height: float, body: list[str], font_family: str, chart_id: str) -> Markup:
    family = escape(font_family.replace('"', "'"), quote=True)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart f-hei" role="img" aria-labelledby="{chart_id}-t" '
        f'viewBox="0 0 {WIDTH} {_n(height)}" width="{WIDTH}" height="{_n(height)}" '
        f'font-family="{family}" font-size="12" fill="{INK}">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
    )
    return Markup(head + "".join(body) + "</svg>")


def _text(x: float, y: float, text: str, anchor: str = "start", size: float = 12, fill: str = INK) -> str:
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-size="{_n(size)}" fill="{fill}">'
        f"{escape(text)}</text>"
    )


def _rect(x: float, y: float, w: float, h: float, fill: str) -> str:
    return f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(max(w, 0))}" height="{_n(max(h, 0))}" fill="{fill}"/>'


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str = GRID, width: float = 1) -> str:
    return (
        f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{stroke}" stroke-width="{_n(width)}"/>'
    )


def _nice_max(value: float) -> int:
    """The axis maximum: divisible by 4, so the four grid steps are whole numbers."""
    for step in (4, 8, 12, 16, 20, 40, 60, 80, 100, 120, 160, 200, 400, 800, 1000, 2000, 4000):
        if value <= step:
            return step
    return (int(value) // 4 + 1) * 4


def trend_chart(months: Sequence[MonthBar], title: str, font_family: str, chart_id: str = "trend") -> Markup:
    """Issues identified and resolved per month (bars) and the cumulative resolution rate (line)."""
    top, bottom, left, right = 34.0, 40.0, 40.0, 46.0
    plot_h = 170.0
    height = top + plot_h + bottom
    plot_w = WIDTH - left - right
    peak = _nice_max(max([m.identified for m in months] + [m.resolved for m in months] + [1]))
    rate_metric = METRICS_BY_KEY["resolution_rate"]
    body = [_text(left, 16, "件", "end", 11), _text(WIDTH - right + 6, 16, rate_metric.short_zh, "start", 11)]
    for i in range(5):
        y = top + plot_h - plot_h * i / 4
        body.append(_line(left, y, WIDTH - right, y))
        body.append(_text(left - 6, y + 4, _n(peak * i / 4), "end", 11))
        body.append(_text(WIDTH - right + 6, y + 4, f"{25 * i}%", "start", 11))
    slot = plot_w / max(len(months), 1)
    bar_w = min(slot * 0.3, 34.0)
    points = []
    for i, m in enumerate(months):
        cx = left + slot * (i + 0.5)
        for value, colour, dx in ((m.identified, IDENTIFIED, -bar_w), (m.resolved, RESOLVED, 0.0)):
            h = plot_h * value / peak
            body.append(_rect(cx + dx, top + plot_h - h, bar_w, h, colour))
            if h >= 16:  # the figure inside the bar's top, clear of the rate line's labels
                body.append(_text(cx + dx + bar_w / 2, top + plot_h - h + 12, str(value), "middle", 10, "#fff"))
            else:
                body.append(_text(cx + dx + bar_w / 2, top + plot_h - h - 4, str(value), "middle", 10))
        body.append(_text(cx, top + plot_h + 18, m.label, "middle"))
        if m.rate is not None:
            points.append((cx, top + plot_h - plot_h * m.rate, m.rate))
    if points:
        path = " ".join(f"{_n(x)},{_n(y)}" for x, y, _ in points)
        body.append(f'<polyline points="{path}" fill="none" stroke="{RATE}" stroke-width="2"/>')
        for x, y, rate in points:
            body.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3" fill="{RATE}"/>')
            body.append(_text(x + 6, y - 6, percent(rate), "start", 11, RATE))
    legend_y = height - 8
    body += [
        _rect(left, legend_y - 10, 12, 10, IDENTIFIED),
        _text(left + 16, legend_y, f"当月{METRICS_BY_KEY['issues_identified'].zh}"),
        _rect(left + 110, legend_y - 10, 12, 10, RESOLVED),
        _text(left + 126, legend_y, f"当月{METRICS_BY_KEY['issues_resolved_during'].short_zh}"),
        _line(left + 220, legend_y - 5, left + 240, legend_y - 5, RATE, 2),
        _text(left + 246, legend_y, f"累计{rate_metric.zh}"),
    ]
    return _svg(title, height, body, font_family, chart_id)


def bar_chart(
    bars: Sequence[Bar],
    title: str,
    font_family: str,
    chart_id: str,
    maximum: float | None = None,
    legend: tuple[str, str] | None = None,
) -> Markup:
    """Horizontal bars, one per row, with an optional lighter bar behind each and a note after it."""
    label_w, note_w, row_h, top = 128.0, 96.0, 24.0, 10.0
    bottom = 30.0 if legend else 8.0
    height = top + row_h * len(bars) + bottom
    plot_w = WIDTH - label_w - note_w
    peak = maximum or _nice_max(max([b.total or 0 for b in bars] + [b.value for b in bars] + [1]))
    body = []
    for i, b in enumerate(bars):
        y = top + row_h * i
        body.append(_text(label_w - 8, y + 16, _fit(b.label, 10), "end"))
        if b.total is not None:
            body.append(_rect(label_w, y + 4, plot_w * b.total / peak, 16, IDENTIFIED))
        body.append(_rect(label_w, y + 4, plot_w * b.value / peak, 16, GRID if b.muted else RESOLVED))
        end = plot_w * max(b.value, b.total or 0) / peak
        body.append(_text(label_w + end + 6, y + 16, b.note, "start", 11))
    body.append(_line(label_w, top, label_w, top + row_h * len(bars), INK))
    if legend:
        legend_y = height - 8
        body += [
            _rect(label_w, legend_y - 10, 12, 10, IDENTIFIED),
            _text(label_w + 16, legend_y, legend[0]),
            _rect(label_w + 110, legend_y - 10, 12, 10, RESOLVED),
            _text(label_w + 126, legend_y, legend[1]),
        ]
    return _svg(title, height, body, font_family, chart_id)


def _fit(label: str, chars: int) -> str:
    return label if len(label) <= chars else label[: chars - 1] + "…"
