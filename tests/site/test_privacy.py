"""No private value reaches any file of the public site; the internal site keeps them."""

from __future__ import annotations

from reportgen.model import Records
from reportgen.privacy import private_values, public_data
from tests.leakscan import leaks, strings
from tests.site.helpers import CONTACTS, ISSUE_NOTES, STAFF_PHONES, VISIT_NOTES

pytest_plugins = ["tests.site.fixtures"]


def public_text(records: Records) -> str:
    """Every public text of the records, joined: a private value also written here is not a leak."""
    return "\n".join(
        text
        for kind, by_id in records.by_kind.items()
        for record in by_id.values()
        for text in strings(public_data(kind, record.data, "public"))
    )


def test_public_site_has_no_private_value(records: Records, public_site: dict[str, bytes]) -> None:
    values = private_values(records)
    assert values, "the records should have private values to look for"
    # A contact's job title such as 董事长 is private in the schema but also an ordinary word the
    # private_office writes in public visit summaries; only those values are left out of the search.
    shared = public_text(records)
    searched = {v for v in values if v not in shared}
    assert leaks(public_site, searched) == {}


def test_office_private_values_all_searched(private_office: Records) -> None:
    """The fixture's private values are distinctive: every one of them is searched for."""
    values = private_values(private_office)
    expected = {c["name"] for c in CONTACTS.values()} | {c["phone"] for c in CONTACTS.values()}
    expected |= set(STAFF_PHONES.values()) | set(ISSUE_NOTES.values()) | set(VISIT_NOTES.values())
    assert expected <= values
    assert not {v for v in values if v in public_text(private_office)}


def test_internal_site_keeps_private_values(records: Records, internal_site: dict[str, bytes]) -> None:
    values = private_values(records)
    found = leaks(internal_site, values)
    contacts = [e["contact"] for e in records.enterprises.values() if e.get("contact")]
    assert contacts
    for contact in contacts:
        assert contact["name"] in found and contact["phone"] in found


def test_internal_ledger_shows_contacts(private_office: Records) -> None:
    from tests.site.helpers import render

    internal, public = render(private_office, "internal"), render(private_office, "public")
    for name in ("ledger.csv", "ledger.html"):
        assert CONTACTS["E001"]["phone"].encode() in internal[name]
        assert "联系电话".encode() in internal[name]
        assert "联系电话".encode() not in public[name]
    assert ISSUE_NOTES["Q0001"].encode() in internal["ledger.csv"]
