"""The generated wording: figures that say what they count and add up, unit comments that follow the facts."""

from __future__ import annotations

import re

from reportgen.model import Records
from reportgen.render.wording import area_word
from tests.render.fixture import render


def _text(html: str) -> list[str]:
    """The HTML's lines without tags."""
    return [line.strip() for line in re.sub(r"<[^>]+>", "", html).splitlines() if line.strip()]


def _row(html: str, label: str) -> list[str]:
    """The cells of the table row headed ``label``."""
    found = re.search(rf"<tr><td class=\"text\">{re.escape(label)}</td>(.*?)</tr>", html)
    assert found, label
    return re.findall(r"<td[^>]*>(.*?)</td>", found.group(1))


def test_month_sentence_says_which_resolved_figure_is_which(records: Records) -> None:
    _, html = render(records, "monthly", "2021-09")
    assert (
        "9月份，新入库企业1家，走访企业1家、1次（环比减少1次），新梳理问题3件（环比增加1件），"
        "其中已解决0件（环比减少1件）；解决问题1件（环比持平），含9月以前梳理的问题1件。"
    ) in _text(html)


def test_summary_rows_say_what_they_count(records: Records) -> None:
    _, html = render(records, "monthly", "2021-09")
    assert _row(html, "梳理问题中已解决（件）") == ["0", "1", "↓1", "2"]
    assert _row(html, "期内解决问题（含此前梳理，件）") == ["1", "1", "持平", "2"]
    assert _row(html, "梳理问题中超期未办结（件）") == ["1", "0", "↑1", "1"]


def test_quarter_months_add_up_to_the_quarter(records: Records) -> None:
    _, html = render(records, "quarterly", "2021-Q3")
    assert _row(html, "梳理问题中已解决（件）") == ["2", "0", "2", "—", "2"]
    assert _row(html, "期内解决问题（含此前梳理，件）") == ["1", "1", "2", "—", "2"]
    assert _row(html, "梳理问题中已办结（件）") == ["2", "2", "4", "—", "4"]
    assert _row(html, "梳理问题中超期未办结（件）") == ["0", "1", "1", "—", "1"]
    assert "问题状态一律取2021年9月30日的状态，各月相加等于本季度数。" in html


def test_unit_comments_follow_the_facts(records: Records) -> None:
    _, html = render(records, "quarterly", "2021-Q3")
    lines = _text(html)
    assert (
        "区供电公司（第1名，70.0分）：牵头办理问题2件，全部解决。按时办结率50.0%，低于全区的75.0%，是主要短板。"
        in lines
    )
    assert (
        "区自然资源局（第2名，42.9分）：牵头办理问题2件，尚无解决。尚有1件超期未办结，须加快办理。"
        "解决率0.0%，低于全区的40.0%，是主要短板。"
    ) in lines
    assert "第一服务队（第1名，53.5分）：服务企业反映问题5件，已解决2件。尚有1件超期未办结，须加快办理。" in lines
    assert "办理成效突出" not in html


def test_area_word_follows_the_district() -> None:
    assert [area_word(name) for name in ("川汇区", "郸城县", "项城市")] == ["全区", "全县", "全市"]
