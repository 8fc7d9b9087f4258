"""Long tables cut into pages: the ledger by month, a unit's issues by page, stats.json by period.

A generated office (bench/synth.py) with small pages stands in for a province: every issue
must still be reachable from index.html by links, each old address must still answer, and a
small office's site must stay as it was (one page each).
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urldefrag

import pytest

from reportgen.compute.periods import parse_period
from reportgen.compute.stats import StatsEngine
from reportgen.model import Records
from reportgen.render import bulletins
from reportgen.render.site import Paging, render_site
from reportgen.render.site import builder as site_builder
from reportgen.render.site.context import data_as_of, periods
from reportgen.render.site.paging import SCANS, RowPages, cut, page_path
from reportgen.validate import check_repository
from tests.modules import bench_synth
from tests.site.helpers import parse_page, render, sample_bulletins, site_env
from tests.site.test_html_valid import VNU

pytest_plugins = ["tests.site.fixtures"]

SMALL_PAGES = Paging(ledger_rows=40, unit_rows=15)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Records:
    """A generated office of 400 issues over six months (~70 a month, ~33 a department)."""
    synth = bench_synth()
    root = tmp_path_factory.mktemp("generated") / "records"
    scale = synth.Scale(
        enterprises=60,
        issues=400,
        visits=100,
        staff=40,
        departments=12,
        teams=8,
        legal=30,
        rectifications=40,
        seed=3,
        start=dt.date(2021, 8, 1),
        months=6,
    )
    synth.generate(root, scale)
    validated = check_repository(root)
    assert validated.report.valid
    assert validated.records is not None
    return validated.records


@pytest.fixture(scope="module")
def paged_site(generated: Records, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated office's public site with small pages, written out."""
    files = render_site(
        generated, StatsEngine(generated), sample_bulletins(generated), site_env(), "public", SMALL_PAGES
    )
    out = tmp_path_factory.mktemp("paged")
    for rel, data in files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    return out


def _reachable(site: Path) -> dict[str, set[str]]:
    """Every page reachable from index.html by links (bulletin pages aside), with its element ids."""
    seen: dict[str, set[str]] = {}
    todo = ["index.html"]
    while todo:
        page = todo.pop()
        if page in seen or not (site / page).is_file():
            continue
        parsed = parse_page((site / page).read_text("utf-8"))
        seen[page] = parsed.ids
        for ref in parsed.refs:
            path = unquote(urldefrag(ref)[0])
            if path.endswith(".html") and not path.startswith(("http:", "https:")):
                todo.append(posixpath.normpath(posixpath.join(posixpath.dirname(page), path)))
    return seen


def test_cut_keeps_the_first_address_and_numbers_the_rest() -> None:
    pages = cut("teams/T01.html", list(range(7)), 3)
    assert [(p.number, p.path) for p in pages[0][0].pages] == [
        (1, "teams/T01.html"),
        (2, "teams/T01/2.html"),
        (3, "teams/T01/3.html"),
    ]
    assert [list(rows) for _, rows in pages] == [[0, 1, 2], [3, 4, 5], [6]]
    last = pages[2][0]
    assert (last.first_row, last.rows, last.total, last.previous, last.next) == (7, 1, 7, pages[1][0].pages[1], None)
    assert [(p.number, p.count) for p, _ in cut("ledger/2021-09.html", [], 3)] == [(1, 1)]
    assert page_path("ledger/2021-09.html", 4) == "ledger/2021-09/4.html"


def test_a_row_s_page_is_the_same_scanned_for_or_from_every_row_s() -> None:
    ids = [f"Q{n:04d}" for n in range(50)]
    pages = RowPages(ids, [0, 20, 45], ["ledger/2021-08.html", "ledger/2021-09.html", "ledger/2021-09/2.html"])
    expected = {**dict.fromkeys(ids[:20], "ledger/2021-08.html"), **dict.fromkeys(ids[20:45], "ledger/2021-09.html")}
    expected.update(dict.fromkeys(ids[45:], "ledger/2021-09/2.html"))
    scanned = [pages[i] for i in ("Q0000", "Q0019", "Q0020", "Q0044", "Q0045", "Q0049")]
    assert scanned == ["ledger/2021-08.html"] * 2 + ["ledger/2021-09.html"] * 2 + ["ledger/2021-09/2.html"] * 2
    with pytest.raises(KeyError):
        pages["Q9999"]  # not a row: as a dict says
    assert [pages[i] for i in ids] == list(expected.values())  # past ``SCANS`` look-ups: every row's page, made once
    assert len(ids) > SCANS
    assert pages.every == expected
    assert (list(pages), len(pages)) == (ids, 50)  # the table's order


def test_every_issue_is_reachable_from_the_front_page(generated: Records, paged_site: Path) -> None:
    pages = _reachable(paged_site)
    rows = {i for ids in pages.values() for i in ids if i in generated.issues}
    assert rows == set(generated.issues)
    assert max((paged_site / p).stat().st_size for p in pages) < 400_000


def test_every_issue_link_finds_its_row(generated: Records, paged_site: Path) -> None:
    pages = _reachable(paged_site)
    targets: dict[str, set[str]] = {}
    for page in pages:
        for ref in parse_page((paged_site / page).read_text("utf-8")).refs:
            path, fragment = urldefrag(ref)
            if fragment in generated.issues:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(path)))
                targets.setdefault(fragment, set()).add(target)
    assert set(targets) == set(generated.issues)
    for issue_id, found in targets.items():
        assert len(found) == 1, issue_id  # one page per issue, whichever page links it
        assert issue_id in pages[found.pop()], issue_id


def test_the_ledger_is_an_index_of_months(generated: Records, paged_site: Path) -> None:
    index = (paged_site / "ledger.html").read_text("utf-8")
    months = re.findall(
        r'<th scope="row"><a href="ledger/(\d{4}-\d{2})\.html">([^<]+)</a></th><td class="num">(\d+)</td>', index
    )
    raised = sorted(i["raised"].isoformat()[:7] for i in generated.issues.values())
    assert [(key, int(n)) for key, _, n in months] == [(m, raised.count(m)) for m in sorted(set(raised))]
    assert months[0][1] == "2021年8月"
    assert 'data-ids="ledger/ids.js"' in index
    data = json.loads(
        (paged_site / "ledger/ids.js").read_text("utf-8").removeprefix("window.reportgenLedgerPages = ").rstrip(";\n")
    )
    for issue_id, page in data["ids"].items():
        assert f'id="{issue_id}"' in (paged_site / data["pages"][page]).read_text("utf-8")
    assert sorted(data["ids"]) == sorted(generated.issues)


def test_a_long_month_is_cut_into_pages_with_chinese_navigation(paged_site: Path) -> None:
    first = next(p for p in sorted((paged_site / "ledger").glob("*.html")) if (paged_site / "ledger" / p.stem).is_dir())
    count = len(list((paged_site / "ledger" / first.stem).glob("*.html"))) + 1
    page = first.read_text("utf-8")
    assert f"第1页 共{count}页" in page
    assert f'<a href="../ledger/{first.stem}/2.html" rel="next">下一页</a>' in page
    assert "筛选只在本页的 40 件中查找。" in page
    assert 'data-scope="page"' in page
    assert "本页第 1—40 件" in page
    second = (paged_site / "ledger" / first.stem / "2.html").read_text("utf-8")
    assert f"第2页 共{count}页" in second
    assert '<span aria-current="page">2</span>' in second
    assert f'<a class="page-link" href="../../ledger/{first.stem}.html">第1页</a>' in second


def test_a_long_unit_page_keeps_its_address_and_gets_pages(generated: Records, paged_site: Path) -> None:
    counts: dict[str, int] = {}
    for issue in generated.issues.values():
        counts[issue["lead_department"]] = counts.get(issue["lead_department"], 0) + 1
    unit, issues = max(sorted(counts.items()), key=lambda item: item[1])
    pages = -(-issues // SMALL_PAGES.unit_rows)
    assert pages > 1
    first = (paged_site / f"departments/{unit}.html").read_text("utf-8")
    assert f"第1页 共{pages}页" in first
    assert f"共 {issues} 件，本页第 1—15 件" in first
    assert "逐月数字" in first  # the unit's figures stay on its first page
    last = (paged_site / f"departments/{unit}/{pages}.html").read_text("utf-8")
    assert f"第{pages}页 共{pages}页" in last
    assert f'<a href="../../departments/{unit}.html">' in last
    assert "逐月数字" not in last
    assert len(re.findall(r'<tr id="', first)) == 15
    assert not (paged_site / f"departments/{unit}/{pages + 1}.html").exists()


def test_a_small_office_keeps_one_page_each(sample: Records) -> None:
    files = render_site(sample, StatsEngine(sample), sample_bulletins(sample), site_env(), "public")
    assert not [p for p in files if p.startswith(("ledger/", "stats/")) or re.match(r"(departments|teams)/[^/]+/", p)]
    ledger = files["ledger.html"].decode("utf-8")
    assert len(re.findall(r'<tr id="', ledger)) == len(sample.issues)
    assert "分页" not in ledger and "pager" not in ledger and 'data-scope="page"' not in ledger


def test_stats_json_splits_by_period_past_its_size(private_office: Records, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = StatsEngine(private_office)
    whole = render_site(private_office, engine, sample_bulletins(private_office), site_env(), "public")
    monkeypatch.setattr(site_builder, "STATS_BYTES_MAX", 1000)
    files = render_site(private_office, engine, sample_bulletins(private_office), site_env(), "public")
    index = json.loads(files["stats.json"])
    keys = [entry["period"] for entry in index["periods"]]
    assert keys == sorted(json.loads(whole["stats.json"]))
    assert index["periods"][0] == {"period": "2021-08", "name": "2021年8月", "file": "stats/2021-08.json"}
    for entry in index["periods"]:
        assert json.loads(files[entry["file"]]) == json.loads(whole["stats.json"])[entry["period"]]
        assert files[entry["file"]].count(b"\n") == 1 and files[entry["file"]].endswith(
            b"}\n"
        )  # one line: for programs
    assert files["stats.json"].startswith(b'{\n  "note": ')  # the index, for people, stays indented
    september = json.loads(json.dumps(engine.stats(parse_period("2021-09")).to_json(), default=str))
    assert json.loads(files["stats/2021-09.json"]) == september


def test_the_cut_pages_are_valid_html(paged_site: Path) -> None:
    java = shutil.which("java")
    if java is None or not VNU.is_file():
        pytest.skip("没有 java 或 Nu HTML Checker（见 tests/site/test_html_valid.py）")
    pages = [paged_site / "ledger.html", *sorted((paged_site / "ledger").rglob("*.html"))[:3]]
    pages += sorted(p for p in (paged_site / "departments").rglob("*.html") if p.parent.name != "departments")[:2]
    pages += [paged_site / "departments" / f"{pages[-1].parent.name}.html"]
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[:5000]


def test_a_long_list_of_a_period_goes_in_parts(private_office: Records, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = StatsEngine(private_office)
    whole = json.loads(render(private_office, "public")["stats.json"])
    monkeypatch.setattr(site_builder, "STATS_BYTES_MAX", 1000)
    monkeypatch.setattr(site_builder, "STATS_LIST_ROWS", 2)
    files = render_site(private_office, engine, sample_bulletins(private_office), site_env(), "public")
    october = json.loads(files["stats/2021-10.json"])
    departments = whole["2021-10"]["by_department"]
    assert len(departments) > 2
    parts = [f"stats/2021-10/by_department-{n}.json" for n in range(1, (len(departments) + 1) // 2 + 1)]
    assert october["by_department"] == {"count": len(departments), "files": parts}
    assert [row for part in parts for row in json.loads(files[part])] == departments
    assert "逾期问题" in json.loads(files["stats.json"])["note"]


def test_the_lists_of_a_period_are_counted_without_its_json(records: Records) -> None:
    engine = StatsEngine(records)
    start, as_of = records.config["campaign_start"], data_as_of(records)
    for period in periods(start, as_of, "month") + periods(start, as_of, "quarter"):
        stats = engine.stats(period)
        lists = {name: len(rows) for name, rows in stats.to_json().items() if isinstance(rows, list)}
        assert site_builder._list_lengths(stats) == lists
        assert {"by_department", "by_enterprise", "overdue"} <= set(lists)
        assert ("months" in lists) == (period.kind == "quarter")


def test_the_records_latest_date_is_worked_out_once_for_the_bulletins_and_the_site(
    records: Records, monkeypatch: pytest.MonkeyPatch
) -> None:
    walks: list[Records] = []
    original = bulletins._latest_record_date

    def walked(records: Records) -> dt.date:
        walks.append(records)
        return original(records)

    monkeypatch.setattr(bulletins, "_LAST_DATE", [])
    monkeypatch.setattr(bulletins, "_latest_record_date", walked)
    assert bulletins.bulletin_periods(records)
    assert data_as_of(records) == original(records)
    assert walks == [records]  # the bulletins' walk, kept for the site
