"""What a list page says of itself: a title of its own, its records counted in their unit, a legal list's total."""

from __future__ import annotations

import re

import pytest

from reportgen.compute.stats import StatsEngine
from reportgen.model import Records
from reportgen.render.site.context import cumulative_window, data_as_of, format_value, labelled, periods
from reportgen.render.site.lists import ListIndex, Window
from tests.site.helpers import render

pytest_plugins = ["tests.site.fixtures"]

_TITLE = re.compile(r"<title>(.*?)</title>")
_LEAD = re.compile(r'<p class="lead">(.*?)</p>')
_CRUMBS = re.compile(r'<p class="crumbs">(.*?)</p>')


def _page(site: dict[str, bytes], path: str) -> str:
    return site[path].decode("utf-8")


def _lead(site: dict[str, bytes], path: str) -> str:
    found = _LEAD.search(_page(site, path))
    assert found is not None, path
    return found.group(1)


@pytest.fixture(scope="module")
def sample_site(sample: Records) -> dict[str, bytes]:
    """The public site of the sample records."""
    return render(sample, "public")


def _to_date(records: Records) -> Window:
    """The window from the campaign's start to the last month's end."""
    start = records.config["campaign_start"]
    return cumulative_window(start, periods(start, data_as_of(records), "month")[-1])


def test_every_list_page_has_a_title_of_its_own(public_site: dict[str, bytes]) -> None:
    titles = [_TITLE.search(_page(public_site, path)) for path in public_site if path.startswith("lists/")]
    texts = [found.group(1) for found in titles if found is not None]
    assert len(texts) == len(titles) > 0
    assert len(set(texts)) == len(texts)


def test_legal_list_counts_entries_and_gives_its_figure(sample: Records, sample_site: dict[str, bytes]) -> None:
    window = _to_date(sample)
    index = ListIndex(sample, StatsEngine(sample))
    for metric in ("lectures", "money_recovered_yuan"):
        entries = len(index.items(None, window, metric))
        total = format_value(metric, index.figure(None, window, metric), with_unit=True)
        lead = _lead(sample_site, f"lists/all/{window.key}/{metric}.html")
        assert lead.startswith(f"共 <strong>{entries}</strong> 项，合计 <strong>{total}</strong>。"), lead
        assert "问题状态" not in lead
    assert total.endswith("万元")  # money as the bulletins write it


def test_lists_count_in_their_records_unit(sample: Records, sample_site: dict[str, bytes]) -> None:
    key = _to_date(sample).key
    visits = _lead(sample_site, f"lists/all/{key}/visits.html")
    assert re.match(r"共 <strong>\d+</strong> 次。", visits) and "问题状态" not in visits
    issues = _lead(sample_site, f"lists/all/{key}/issues_identified.html")
    assert re.match(r"共 <strong>\d+</strong> 件。", issues) and "问题状态取" in issues


def test_breadcrumbs_end_with_the_page(sample: Records, sample_site: dict[str, bytes]) -> None:
    window = _to_date(sample)
    crumbs = _CRUMBS.search(_page(sample_site, f"lists/all/{window.key}/visits.html"))
    assert crumbs is not None
    assert crumbs.group(1).endswith(f'› <span aria-current="page">{window.name} · 走访记录</span>')
    unit = next(p for p in sample_site if p.startswith("departments/D") and p.endswith(".html"))
    crumbs = _CRUMBS.search(_page(sample_site, unit))
    assert crumbs is not None and crumbs.group(1).endswith("</span>"), crumbs.group(1)


def test_dashboard_headings_give_each_counts_unit(sample_site: dict[str, bytes]) -> None:
    assert f'<p class="label">{labelled("enterprises_in_library")}</p>' in _page(sample_site, "index.html")
    assert labelled("enterprises_in_library") == "在库企业（家）"
    assert labelled("resolution_rate") == "问题解决率"  # its value reads 83.9%
    assert labelled("money_recovered_yuan") == "为民营企业家追回款项"  # its value reads 127.94万元


def test_a_unit_not_ranked_is_listed_without_a_score(sample_site: dict[str, bytes]) -> None:
    # the sample's 区税务局 has 2 issues, fewer than the 3 a ranking needs: its score would read as if ranked
    unranked = re.findall(
        r'<tr>\s*<td class="rank"><span class="unranked"[^>]*>不排名</span></td>(.*?)</tr>',
        _page(sample_site, "index.html"),
        re.S,
    )
    assert unranked and all(row.rstrip().endswith("<td>—</td>") for row in unranked)
