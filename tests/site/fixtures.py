"""Fixtures of the site tests (imported by each test module: a conftest here would shadow tests/conftest.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from reportgen.model import Records
from reportgen.validate import check_repository
from tests.compute.scenario import write_repository
from tests.site.helpers import private_office_files, render, sample_bulletins, write_bulletin_pages, write_site

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "records"


def _validated(root: Path) -> Records:
    validated = check_repository(root)
    assert validated.report.valid, [p.message for p in validated.report.sorted()]
    assert validated.records is not None
    return validated.records


@pytest.fixture(scope="session")
def private_office(tmp_path_factory: pytest.TempPathFactory) -> Records:
    """The scenario office with private values."""
    return _validated(write_repository(tmp_path_factory.mktemp("office"), private_office_files()))


@pytest.fixture(scope="session")
def sample() -> Records:
    """The project's sample records (skipped until they pass ``reportgen check``)."""
    if not SAMPLE.is_dir():
        pytest.skip("records/ 尚不存在")
    validated = check_repository(SAMPLE)
    if not validated.report.valid or validated.records is None:
        pytest.skip("records/ 尚未通过 reportgen check")
    return validated.records


@pytest.fixture(scope="session", params=["private_office", "sample"])
def records(request: pytest.FixtureRequest) -> Records:
    """Each set of records in turn."""
    result: Records = request.getfixturevalue(request.param)
    return result


@pytest.fixture(scope="session")
def public_site(records: Records) -> dict[str, bytes]:
    """The public site of ``records``."""
    return render(records, "public")


@pytest.fixture(scope="session")
def internal_site(records: Records) -> dict[str, bytes]:
    """The internal site of ``records``."""
    return render(records, "internal")


@pytest.fixture(scope="session")
def site_dir(records: Records, public_site: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The public site written to disk with the bulletins' web pages (their PDFs and Word copies stand-ins)."""
    bulletins = sample_bulletins(records)
    return write_bulletin_pages(records, write_site(public_site, tmp_path_factory.mktemp("site"), bulletins), bulletins)


@pytest.fixture
def no_epoch(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run without SOURCE_DATE_EPOCH."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    yield


def as_date(value: str) -> dt.date:
    """An ISO date."""
    return dt.date.fromisoformat(value)
