"""What the ledger and the overdue list print of enterprises and departments, worked out when first printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.compute.stats import StatsEngine, _Names, _shown_department
from reportgen.model import Record
from reportgen.validate import check_repository


def _department(record_id: str, **data: str) -> Record:
    return Record("department", record_id, f"departments/{record_id}.yaml", data)


def test_a_name_is_worked_out_once_when_first_asked_for() -> None:
    records = {
        "D01": _department("D01", name="区发展和改革委员会", short_name="区发改委"),
        "D02": _department("D02", name="区税务局"),
    }
    asked: list[str] = []

    def shown(record: Record) -> str:
        asked.append(record.id)
        return _shown_department(record)

    names = _Names(records, shown)
    assert dict(names) == {} and asked == []
    assert names["D01"] == "区发改委" and names["D02"] == "区税务局" and names["D01"] == "区发改委"
    assert asked == ["D01", "D02"]
    assert dict(names) == {"D01": "区发改委", "D02": "区税务局"}
    with pytest.raises(KeyError):
        names["D03"]  # no such record: as a lookup in a dict of every record


def test_the_engine_reads_no_enterprise_before_printing_one() -> None:
    records = check_repository(Path(__file__).parents[2] / "records").records
    engine = StatsEngine(records)
    assert dict(engine._enterprise_name) == {} and "team_of" not in vars(engine)
    t = engine.timelines[0]
    row = engine.ledger_row(t, t.state_at(t.raised), t.raised)
    assert row.enterprise_name == str(records.enterprises[t.enterprise]["name"])
    assert dict(engine._enterprise_name) == {t.enterprise: row.enterprise_name}
    assert engine.team_of == {e.id: e.get("team") for e in records.enterprises.values()}
