"""Stage 3 — compute: validated records → the statistics of any period, as of its end."""

from __future__ import annotations

from typing import Any

from reportgen.compute.periods import Period
from reportgen.compute.stats import StatsEngine
from reportgen.model import Records


def compute_stats(records: Records, period: Period) -> dict[str, Any]:
    """The statistics of ``period`` (cut at its ``end``) in the ``reportgen stats`` JSON shape."""
    return StatsEngine(records).stats(period)
