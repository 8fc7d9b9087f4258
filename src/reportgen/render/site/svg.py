"""Small inline SVG trend charts for the dashboard: no script, no external library.

Each chart scales to its container (``viewBox`` with ``width: 100%`` in CSS), carries a
``<title>`` for screen readers and per-mark tooltips; the numbers themselves are in the
table below each chart, where they link to their lists.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from reportgen.formatting import percent

WIDTH, HEIGHT = 520, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 10, 34, 30
RED, GREY, INK = "#c00", "#8a8f98", "#333"


@dataclass(frozen=True)
class Series:
    """One named series of values, one per label (None where there is no value)."""

    name: str
    color: str
    values: tuple[float | None, ...]


def _nice_top(value: float) -> float:
    """A round axis maximum at or above ``value``."""
    if value <= 5:
        return 5
    step = 10.0 ** (len(str(int(value))) - 1)
    for factor in (1, 2, 2.5, 5, 10):
        if value <= step * factor:
            return step * factor
    return step * 10


def _fmt(value: float) -> str:
    return f"{value:g}"


def _frame(title: str, top: float, ticks: int, suffix: str) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}"'
        ' xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i in range(ticks + 1):
        value = top * i / ticks
        y = TOP + plot_h - plot_h * i / ticks
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{_fmt(value)}{suffix}</text>'
        )
    return parts


def _legend(series: tuple[Series, ...]) -> list[str]:
    parts, x = [], LEFT
    for s in series:
        parts.append(f'<rect x="{x}" y="6" width="14" height="14" fill="{s.color}"/>')
        parts.append(f'<text x="{x + 19}" y="18" class="legend">{escape(s.name)}</text>')
        x += 34 + 15 * len(s.name)
    return parts


def _labels(labels: tuple[str, ...], slot: float) -> list[str]:
    y = HEIGHT - BOTTOM + 18
    return [
        f'<text x="{LEFT + slot * (i + 0.5):.1f}" y="{y}" text-anchor="middle" class="tick">{escape(label)}</text>'
        for i, label in enumerate(labels)
    ]


def bar_chart(title: str, labels: tuple[str, ...], series: tuple[Series, ...]) -> Markup:
    """Grouped bars: one group per label, one bar per series."""
    values = [v for s in series for v in s.values if v is not None]
    top = _nice_top(max(values, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(labels), 1)
    bar = min(slot * 0.7 / max(len(series), 1), 36)
    parts = _frame(title, top, 5, "")
    for i, label in enumerate(labels):
        x0 = LEFT + slot * (i + 0.5) - bar * len(series) / 2
        for j, s in enumerate(series):
            value = s.values[i] or 0
            h = plot_h * value / top
            tip = escape(f"{label} {s.name}：{_fmt(value)}")
            parts.append(
                f'<rect x="{x0 + j * bar:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar - 2:.1f}" height="{h:.1f}"'
                f' fill="{s.color}"><title>{tip}</title></rect>'
            )
    parts += _labels(labels, slot) + _legend(series) + ["</svg>"]
    return Markup("".join(parts))


def line_chart(title: str, labels: tuple[str, ...], series: tuple[Series, ...]) -> Markup:
    """Lines of rates (fractions 0–1) drawn as percentages on a 0–100 % axis."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(labels), 1)
    parts = _frame(title, 100, 4, "%")
    for s in series:
        points = [(LEFT + slot * (i + 0.5), TOP + plot_h * (1 - v), v) for i, v in enumerate(s.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{s.color}" stroke-width="2.5"/>')
        for (x, y, v), label in zip(
            points, (lb for lb, v in zip(labels, s.values, strict=True) if v is not None), strict=True
        ):
            tip = escape(f"{label} {s.name}：{percent(v)}")
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{s.color}"><title>{tip}</title></circle>')
    parts += _labels(labels, slot) + _legend(series) + ["</svg>"]
    return Markup("".join(parts))
