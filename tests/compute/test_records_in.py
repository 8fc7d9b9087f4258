"""``issueviews.records_in``: the records of a few files, found by the id each file is named after."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.compute import issueviews
from reportgen.model import Record, Records


def _records(root: str) -> Records:
    """Two issues, a visit that shares an issue's name in another folder, and an enterprise, under ``root``."""
    under = "" if root in ("", ".") else f"{root}/"
    made = [
        Record("issue", "Q1", f"{under}issues/2021-09/Q1.yaml", {}),
        Record("issue", "Q2", f"{under}issues/2021-09/Q2.yaml", {}),
        Record("visit", "Q1", f"{under}visits/Q1.yaml", {}),
        Record("enterprise", "E1", f"{under}enterprises/E1.yaml", {}),
    ]
    by_kind: dict[str, dict[str, Record]] = {}
    for record in made:
        by_kind.setdefault(record.kind, {})[record.id] = record
    return Records(Path(root), {}, by_kind)


@pytest.mark.parametrize("root", ["records", "."])
def test_the_records_of_the_files_are_found_by_name_as_a_pass_finds_them(root: str) -> None:
    records = _records(root)
    keys = ["records/visits/Q1.yaml", "records/issues/2021-09/Q2.yaml", "records/enterprises/E1.yaml"]
    by_pass = issueviews.records_in(records, [*keys, "records/bulletins/2021-09.md"])  # a text: no record, a pass
    by_name = issueviews._named_after(records, issueviews.named_files(records, keys))
    assert by_name is not None and issueviews.records_in(records, keys) == by_name
    assert {key: [(r.kind, r.id) for r in found] for key, found in by_name.items()} == {
        key: [(r.kind, r.id) for r in found] for key, found in by_pass.items()
    }
    assert [(key, [r.id for r in found]) for key, found in by_name.items()] == [
        ("records/visits/Q1.yaml", ["Q1"]),
        ("records/issues/2021-09/Q2.yaml", ["Q2"]),
        ("records/enterprises/E1.yaml", ["E1"]),
    ]


def test_a_file_named_after_no_record_of_its_own_is_found_by_a_pass() -> None:
    records = _records("records")
    moved = Record("issue", "Q3", "records/issues/2021-10/Q9.yaml", {})  # not named after its id (the check's E303)
    records.by_kind["issue"]["Q3"] = moved
    keys = ["records/issues/2021-10/Q9.yaml", "records/issues/2021-09/Q1.yaml"]
    assert issueviews._named_after(records, issueviews.named_files(records, keys)) is None
    found = issueviews.records_in(records, keys)
    assert {key: [r.id for r in rs] for key, rs in found.items()} == {
        "records/issues/2021-09/Q1.yaml": ["Q1"],
        "records/issues/2021-10/Q9.yaml": ["Q3"],
    }
