"""The trend chart: a rate's label never hides the number above a bar, and stands beside its marker."""

from __future__ import annotations

import re

import pytest

from reportgen.render.charts import RATE, MonthBar, trend_chart

# the sample office's November notice: in September the rate's marker (63.5%) is just above both bars (24 and 24)
MONTHS = [
    MonthBar("8月", 28, 9, 0.321),
    MonthBar("9月", 24, 24, 0.635),
    MonthBar("10月", 22, 21, 0.730),
    MonthBar("11月", 20, 22, 0.809),
]
_TEXT = re.compile(
    r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="(\w+)" font-size="([\d.]+)" fill="([^"]+)">([^<]*)</text>'
)
_MARKER = re.compile(rf'<rect x="([\d.]+)" y="([\d.]+)" width="7" height="7" fill="{RATE}"')


def _box(x: float, y: float, anchor: str, size: float, text: str) -> tuple[float, float, float, float]:
    width = sum(size * (0.6 if ch.isascii() else 1.0) for ch in text)
    left = x - width / 2 if anchor == "middle" else x
    return left, y - size, left + width, y + 2


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def test_no_rate_label_hides_a_bars_number_and_each_stands_by_its_marker() -> None:
    svg = str(trend_chart(MONTHS, "图1", "sans-serif"))
    texts = [(float(x), float(y), a, float(s), fill, t) for x, y, a, s, fill, t in _TEXT.findall(svg)]
    numbers = [_box(x, y, a, s, t) for x, y, a, s, fill, t in texts if s == 10]
    rates = [(x, y, t) for x, y, a, s, fill, t in texts if fill == RATE]
    assert [t for _, _, t in rates] == ["32.1%", "63.5%", "73.0%", "80.9%"]
    assert [t for *_, s, _, t in texts if s == 10] == ["28", "9", "24", "24", "22", "21", "20", "22"]
    *markers, _legend = [(float(x) + 3.5, float(y) + 3.5) for x, y in _MARKER.findall(svg)]
    for (x, y, text), (mx, my) in zip(rates, markers, strict=True):
        label = _box(x, y, "start", 11, text)
        assert not any(_overlap(label, number) for number in numbers), text
        assert abs(x - mx) <= 6 + 40 and abs(y - my) <= 18, text  # beside its marker
    by_text = {t: (x, y) for x, y, t in rates}
    # coordinates are written to a tenth
    assert by_text["32.1%"] == pytest.approx((markers[0][0] + 6, markers[0][1] - 7), abs=0.15)  # nothing in the way
    assert by_text["63.5%"] == pytest.approx((markers[1][0] + 6, markers[1][1] - 18), abs=0.15)  # above both numbers
