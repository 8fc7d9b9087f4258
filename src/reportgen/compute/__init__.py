"""Stage 3 — compute: validated records → the statistics of any period, as of its end.

Importing the package imports nothing else: the metric registry (``compute.metrics``) is
read by the validator and the schema (the ranking weights' names), which the engine's own
modules import in turn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reportgen.compute.periods import Period
    from reportgen.model import Records


def compute_stats(records: Records, period: Period) -> dict[str, Any]:
    """The statistics of ``period`` (cut at its ``end``) in the ``reportgen stats`` JSON shape."""
    from reportgen.compute.stats import StatsEngine

    return StatsEngine(records).stats(period).to_json()
