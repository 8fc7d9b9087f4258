"""The site's data files: determinism, CSV, XLSX, stats.json, the feed and the sitemap."""

from __future__ import annotations

import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
import zipfile

import pytest
from openpyxl import load_workbook

from reportgen.compute.stats import StatsEngine
from reportgen.model import Records
from reportgen.render import BulletinInfo
from reportgen.render.site import render_site
from reportgen.render.site.feeds import escape, quoteattr
from tests.site.helpers import render, sample_bulletins, site_env

pytest_plugins = ["tests.site.fixtures"]

ATOM = "{http://www.w3.org/2005/Atom}"


def test_two_renders_are_byte_identical(private_office: Records, no_epoch: None) -> None:
    first, second = render(private_office, "public"), render(private_office, "public")
    assert list(first) == sorted(first)
    assert first.keys() == second.keys()
    assert [p for p in first if first[p] != second[p]] == []


def test_source_date_epoch_only_changes_stamps(private_office: Records, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1640995200")  # 2022-01-01
    a, b = render(private_office, "public"), render(private_office, "public")
    assert a == b
    core = zipfile.ZipFile(io.BytesIO(a["ledger.xlsx"])).read("docProps/core.xml").decode()
    assert "2022-01-01T00:00:00Z" in core


def test_xlsx_zip_entries_have_fixed_timestamps(private_office: Records) -> None:
    with zipfile.ZipFile(io.BytesIO(render(private_office, "public")["ledger.xlsx"])) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_xlsx_ledger(records: Records) -> None:
    data = render(records, "public")["ledger.xlsx"]
    ws = load_workbook(io.BytesIO(data)).active
    assert ws.freeze_panes == "B2"
    header = [c.value for c in ws[1]]
    assert header[:3] == ["编号", "提出日期", "企业"]
    assert ws.max_row == len(records.issues) + 1
    raised = ws.cell(row=2, column=2)
    assert isinstance(raised.value, dt.datetime) and raised.is_date
    assert ws.column_dimensions["C"].width > 20
    ids = sorted(ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1))
    assert ids == sorted(records.issues)


def test_csv_ledger(records: Records) -> None:
    data = render(records, "public")["ledger.csv"]
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0].startswith("编号,提出日期,企业,问题")
    assert len([line for line in lines if line]) == len(records.issues) + 1


def test_stats_json_has_every_month_and_quarter(private_office: Records) -> None:
    stats = json.loads(render(private_office, "public")["stats.json"])
    assert list(stats) == sorted(stats)
    assert {"2021-08", "2021-09", "2021-10", "2021-11", "2021-Q3", "2021-Q4"} <= set(stats)
    engine = StatsEngine(private_office)
    from reportgen.compute.periods import parse_period

    expected = json.loads(json.dumps(engine.stats(parse_period("2021-09")).to_json(), ensure_ascii=False))
    assert stats["2021-09"] == expected


def test_feed_is_atom_with_every_bulletin(private_office: Records) -> None:
    files = render(private_office, "public")
    root = ET.fromstring(files["feed.atom"])
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == len(sample_bulletins(private_office))
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert all(i and i.startswith("tag:") for i in ids) and len(set(ids)) == len(ids)
    for entry in entries:
        assert entry.findtext(f"{ATOM}updated")
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
    issued = [e for e in entries if e.findtext(f"{ATOM}published")]
    assert [e.findtext(f"{ATOM}title") for e in issued] == ["关于2021年9月份“万人助万企”活动开展情况的通报"]
    drafts = [e for e in entries if not e.findtext(f"{ATOM}published")]
    assert drafts and all((e.findtext(f"{ATOM}title") or "").endswith("（草稿）") for e in drafts)
    assert all((e.findtext(f"{ATOM}summary") or "").endswith(" · 草稿（尚未印发）") for e in drafts)


def test_site_url_makes_absolute_links(private_office: Records) -> None:
    config = {**private_office.config, "site_url": "https://example.gov.cn/zhuqi/"}
    records = Records(private_office.root, config, private_office.by_kind)
    bulletins: list[BulletinInfo] = sample_bulletins(records)
    files = render_site(records, StatsEngine(records), bulletins, site_env(), "public")
    feed = ET.fromstring(files["feed.atom"])
    assert feed.findtext(f"{ATOM}id") == "https://example.gov.cn/zhuqi/feed.atom"
    sitemap = ET.fromstring(files["sitemap.xml"])
    locs = [e.text or "" for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://example.gov.cn/zhuqi/index.html" in locs
    assert all(loc.startswith("https://example.gov.cn/zhuqi/") for loc in locs)


def test_unknown_profile_is_refused(private_office: Records) -> None:
    with pytest.raises(ValueError):
        render(private_office, "secret")


def test_feed_values_are_escaped_as_xml() -> None:
    assert escape('A & B <C> "D"') == 'A &amp; B &lt;C&gt; "D"'
    assert quoteattr('https://x.cn/?a=1&b="2"\n\t') == '"https://x.cn/?a=1&amp;b=&quot;2&quot;&#10;&#9;"'
    value = '<x>\ny&z\nq"'
    element = ET.fromstring("<a href=" + quoteattr(value) + "/>")
    assert element.get("href") == value  # read back as written, line breaks too
