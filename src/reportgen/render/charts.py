"""Static SVG charts, generated at build time: the same markup in the HTML and the PDF.

Every chart is plain SVG 1.1 (rectangles, lines, text) with a ``<title>`` as its text
alternative; coordinates are rounded so the output is byte-stable.  Chinese text uses
the document's 黑体 stack (``font_family``).  The charts are photocopied: series differ by
pattern, outline and line style, not by colour alone (identified: hatched outline;
resolved: solid; the rate: a dashed line with square markers).
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
DASHES = 'stroke-dasharray="6 3"'  # the rate line, told from the bars without colour
HATCH = "hatch"  # the pattern of the identified bars, defined once per chart


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
        f'<defs><pattern id="{chart_id}-{HATCH}" width="5" height="5" patternUnits="userSpaceOnUse">'
        f'<rect width="5" height="5" fill="{IDENTIFIED}"/><path d="M0,5 L5,0" stroke="{INK}" stroke-width="0.8"/>'
        "</pattern></defs>"
    )
    return Markup(head + "".join(body) + "</svg>")


def _text(x: float, y: float, text: str, anchor: str = "start", size: float = 12, fill: str = INK) -> str:
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-size="{_n(size)}" fill="{fill}">'
        f"{escape(text)}</text>"
    )


def _rect(x: float, y: float, w: float, h: float, fill: str, outline: bool = False) -> str:
    edge = f' stroke="{INK}" stroke-width="0.8"' if outline else ""
    return f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(max(w, 0))}" height="{_n(max(h, 0))}" fill="{fill}"{edge}/>'


def _hatched(chart_id: str) -> str:
    """The fill of the identified bars: a hatch pattern that survives a black-and-white copy."""
    return f"url(#{chart_id}-{HATCH})"


@dataclass(frozen=True)
class _Box:
    """A rectangle of the drawing: its left, top, right and bottom."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlap(self, other: _Box) -> float:
        """The area both cover."""
        return max(min(self.x1, other.x1) - max(self.x0, other.x0), 0) * max(
            min(self.y1, other.y1) - max(self.y0, other.y0), 0
        )

    def inside(self, other: _Box) -> bool:
        """Whether the whole of it is within ``other``."""
        return other.x0 <= self.x0 and self.x1 <= other.x1 and other.y0 <= self.y0 and self.y1 <= other.y1


def _text_width(text: str, size: float) -> float:
    """About how wide ``text`` is drawn at ``size``: an ASCII character 0.6 of it, a Chinese one the whole."""
    return sum(size * (0.6 if ch.isascii() else 1.0) for ch in text)


def _label_box(x: float, y: float, text: str, size: float) -> _Box:
    """The white ground ``_label`` draws for ``text`` starting at ``x`` on the baseline ``y``."""
    return _Box(x - 1, y - size, x + _text_width(text, size) + 1, y + 3)


def _label(x: float, y: float, text: str, size: float, fill: str) -> str:
    """A value label on a white ground, so that no line runs through it."""
    box = _label_box(x, y, text, size)
    return _rect(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0, "#fff") + _text(x, y, text, "start", size, fill)


# where a rate's label may stand beside its marker, in order of preference: the label's start from the marker (a
# negative one: where it ends), its baseline from the marker
_RATE_PLACES = ((6.0, -7.0), (6.0, -18.0), (-6.0, -7.0), (-6.0, -18.0), (6.0, 16.0), (-6.0, 16.0))
_RATE_SIZE = 11


def _rate_place(
    x: float, y: float, text: str, figures: list[_Box], bars: list[_Box], room: _Box
) -> tuple[float, float]:
    """Where the label ``text`` of the rate marked at (``x``, ``y``) starts, and its baseline.

    The first of ``_RATE_PLACES`` within ``room`` whose white ground hides none of the ``figures``
    (the numbers above the bars, the rates labelled before) and no bar; else the one hiding least.
    """

    def box(place: tuple[float, float]) -> _Box:
        dx, dy = place
        start = x + dx if dx > 0 else x + dx - _text_width(text, _RATE_SIZE)
        return _label_box(start, y + dy, text, _RATE_SIZE)

    def cost(place: tuple[float, float]) -> tuple[bool, bool, bool, float, float]:
        ground = box(place)
        hidden, covered = sum(map(ground.overlap, figures)), sum(map(ground.overlap, bars))
        return (not ground.inside(room), hidden > 0, covered > 0, hidden, covered)

    best = box(min(_RATE_PLACES, key=cost))  # the first of the least
    return best.x0 + 1, best.y1 - 3


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
    top, bottom, left, right = 34.0, 52.0, 40.0, 46.0
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
    figures: list[_Box] = []  # the numbers above the bars, then the rates' labels: no label hides another
    bars: list[_Box] = []
    for i, m in enumerate(months):
        cx = left + slot * (i + 0.5)
        for value, colour, dx in ((m.identified, _hatched(chart_id), -bar_w), (m.resolved, RESOLVED, 0.0)):
            h = plot_h * value / peak
            body.append(_rect(cx + dx, top + plot_h - h, bar_w, h, colour, outline=True))
            bars.append(_Box(cx + dx, top + plot_h - h, cx + dx + bar_w, top + plot_h))
            # the figure above its bar, in black on white: readable on the hatch and on a copy
            middle, baseline, width = cx + dx + bar_w / 2, top + plot_h - h - 3, _text_width(str(value), 10)
            body.append(_text(middle, baseline, str(value), "middle", 10))
            figures.append(_Box(middle - width / 2, baseline - 10, middle + width / 2, baseline + 2))
        body.append(_text(cx, top + plot_h + 18, m.label, "middle"))
        if m.rate is not None:
            points.append((cx, top + plot_h - plot_h * m.rate, m.rate))
    if points:
        path = " ".join(f"{_n(x)},{_n(y)}" for x, y, _ in points)
        body.append(f'<polyline points="{path}" fill="none" stroke="{RATE}" stroke-width="2" {DASHES}/>')
        for x, y, _ in points:
            body.append(_rect(x - 3.5, y - 3.5, 7, 7, RATE, outline=True))
        room = _Box(left, 0, WIDTH - right, top + plot_h)  # not over the axes' figures nor below the plot
        for x, y, rate in points:  # labels last, on white, so neither the line nor a bar crosses them
            start, baseline = _rate_place(x, y, percent(rate), figures, bars, room)
            body.append(_label(start, baseline, percent(rate), _RATE_SIZE, RATE))
            figures.append(_label_box(start, baseline, percent(rate), _RATE_SIZE))
    legend_y = height - 6  # well below the month labels
    body += [
        _rect(left, legend_y - 10, 12, 10, _hatched(chart_id), outline=True),
        _text(left + 16, legend_y, f"当月{METRICS_BY_KEY['issues_identified'].zh}"),
        _rect(left + 130, legend_y - 10, 12, 10, RESOLVED, outline=True),
        _text(left + 146, legend_y, f"当月{METRICS_BY_KEY['issues_resolved_during'].short_zh}"),
        f'<line x1="{_n(left + 250)}" y1="{_n(legend_y - 5)}" x2="{_n(left + 280)}" y2="{_n(legend_y - 5)}" '
        f'stroke="{RATE}" stroke-width="2" {DASHES}/>',
        _rect(left + 261.5, legend_y - 8.5, 7, 7, RATE, outline=True),
        _text(left + 286, legend_y, f"累计{rate_metric.zh}"),
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
        if b.muted:  # not ranked: no bar at a score's length, only the words
            body.append(_text(label_w + 6, y + 16, b.note, "start", 11))
            continue
        if b.total is not None:
            body.append(_rect(label_w, y + 4, plot_w * b.total / peak, 16, _hatched(chart_id), outline=True))
        body.append(_rect(label_w, y + 4, plot_w * b.value / peak, 16, RESOLVED, outline=True))
        end = plot_w * max(b.value, b.total or 0) / peak
        body.append(_text(label_w + end + 6, y + 16, b.note, "start", 11))
    body.append(_line(label_w, top, label_w, top + row_h * len(bars), INK))
    if legend:
        legend_y = height - 8
        body += [
            _rect(label_w, legend_y - 10, 12, 10, _hatched(chart_id), outline=True),
            _text(label_w + 16, legend_y, legend[0]),
            _rect(label_w + 110, legend_y - 10, 12, 10, RESOLVED, outline=True),
            _text(label_w + 126, legend_y, legend[1]),
        ]
    return _svg(title, height, body, font_family, chart_id)


def _fit(label: str, chars: int) -> str:
    return label if len(label) <= chars else label[: chars - 1] + "…"
