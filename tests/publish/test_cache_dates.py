"""The dates the build state keeps for a record: its earliest and latest, at any depth (``cache._date_span``)."""

from __future__ import annotations

import datetime as dt

from reportgen.model import Record
from reportgen.publish.cache import EVERYTHING, _date_span


def _record(kind: str, data: dict[str, object]) -> Record:
    return Record(kind, "Q0001", f"{kind}s/Q0001.yaml", data)


def test_the_earliest_and_latest_date_at_any_depth() -> None:
    data = {
        "raised": dt.date(2021, 9, 3),
        "title": "2020-01-01",  # text that looks like a date is not one
        "events": [{"date": dt.date(2021, 10, 1), "notes": [dt.date(2021, 8, 30)]}, {"date": dt.date(2021, 9, 3)}],
        "response": {"deadline": dt.date(2022, 1, 15)},
    }
    assert _date_span(_record("issue", data)) == ("2021-08-30", "2022-01-15")


def test_a_record_without_dates_counts_for_everything() -> None:
    assert _date_span(_record("issue", {"title": "x", "events": [], "tags": [[], {}]})) == (EVERYTHING, None)
