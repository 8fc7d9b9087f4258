"""The minimal repository every broken-record case starts from is itself valid."""

from __future__ import annotations

from conftest import MINIMAL_FILES, OfficeRepo


def test_minimal_repository_is_valid(office: OfficeRepo) -> None:
    validated = office.check()
    assert office.found() == []
    assert validated.report.valid
    assert validated.report.files_checked == len(MINIMAL_FILES)
    assert validated.report.records_checked == len(MINIMAL_FILES) - 1  # config is no record


def test_minimal_repository_has_every_kind(office: OfficeRepo) -> None:
    records = office.check().records
    assert set(records.by_kind) == {
        "calendar",
        "department",
        "staff",
        "team",
        "enterprise",
        "visit",
        "issue",
        "legal",
        "bulletin",
    }
    assert {s["role"] for s in records.staff.values()} == {
        "处级领导",
        "首席服务官",
        "驻企法官",
        "驻企检察官",
    }
    assert records.config["campaign_start"].isoformat() == "2021-08-01"
