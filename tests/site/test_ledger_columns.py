"""The ledger's private columns (``ledger_files.ledger_table``) read through public_data of the fields they read only.

Each private column's cells, and whether the column exists, must be what the whole issue's and
enterprise's public data give, in both profiles, for the sample records and the scenario office
with private values.
"""

from __future__ import annotations

import pytest

from reportgen.compute.stats import StatsEngine
from reportgen.model import Records
from reportgen.privacy import public_data
from reportgen.render.ledger_files import _COLUMNS, _PRIVATE_COLUMNS, ledger_table
from reportgen.render.site.context import data_as_of
from tests.site.fixtures import private_office, records, sample

__all__ = ["private_office", "records", "sample"]  # fixtures


@pytest.mark.parametrize("profile", ["public", "internal"])
def test_private_columns_are_those_of_the_whole_public_data(records: Records, profile: str) -> None:
    engine, as_of = StatsEngine(records), data_as_of(records)
    table = ledger_table(records, engine, as_of, profile)
    expected: dict[str, list[object]] = {}
    for column, private in _PRIVATE_COLUMNS:
        expected[column.key] = [
            private(
                public_data("issue", records.issues[line.row.issue.id].data, profile),
                public_data("enterprise", records.enterprises[line.row.issue.enterprise].data, profile),
            )
            for line in table.lines
        ]
    shown = [key for key, cells in expected.items() if any(cell is not None for cell in cells)]
    keys = [column.key for column in table.columns]
    assert keys == [column.key for column, _ in _COLUMNS] + shown
    assert (profile == "internal") == bool(shown)  # both offices have private values
    for key in shown:
        assert [line.cells[keys.index(key)] for line in table.lines] == expected[key]


def test_public_profile_reads_no_record_to_know_the_columns(records: Records, monkeypatch: pytest.MonkeyPatch) -> None:
    """The public profile drops every field the private columns read: no record is stripped before a line is made."""
    calls: list[tuple[str, dict[str, object]]] = []

    def counted(kind: str, data: dict[str, object], profile: str) -> dict[str, object]:
        calls.append((kind, data))
        return public_data(kind, data, profile)  # type: ignore[arg-type]

    monkeypatch.setattr("reportgen.render.ledger_files.public_data", counted)
    table = ledger_table(records, StatsEngine(records), data_as_of(records), "public")
    assert calls == [("issue", {"internal_notes": ""}), ("enterprise", {"contact": ""})]
    assert [column.key for column in table.columns] == [column.key for column, _ in _COLUMNS]
