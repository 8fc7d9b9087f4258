"""The generated wording: figures that say what they count and add up, unit comments that follow the facts."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from reportgen.compute.stats import StatsEngine
from reportgen.model import Records
from reportgen.render import BulletinInfo
from reportgen.render.bulletins import bulletin_info, bulletin_periods, render_bulletin_html
from reportgen.render.environment import template_environment
from reportgen.render.wording import area_word
from tests.render.fixture import load, render


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


def _render_info(records: Records, info: BulletinInfo) -> str:
    env = template_environment(records.root / "templates")
    return render_bulletin_html(records, StatsEngine(records), info, env, "public")


def test_unfinished_period_is_as_of_the_build_day(records: Records) -> None:
    periods = dict((f"{kind} {p.key}", p) for kind, p in bulletin_periods(records, dt.date(2021, 9, 20)))
    assert sorted(periods) == ["annual 2021", "monthly 2021-08", "monthly 2021-09", "quarterly 2021-Q3"]
    quarter = periods["quarterly 2021-Q3"]
    assert (quarter.end, periods["monthly 2021-08"].end) == (dt.date(2021, 9, 20), dt.date(2021, 8, 31))
    info = bulletin_info(records, "quarterly", quarter, with_pdf=False)
    assert info.as_of == "2021-09-20"
    html = _render_info(records, info)
    assert "截至2021年9月30日" not in html
    assert html.count("截至2021年9月20日") == 3  # 总体情况, the ranking's basis and 法治服务
    assert "<p>截至2021年9月20日，服务库在库企业3家，" in html
    assert "累计问题解决率由8月末的50.0%到9月20日的" in html


def test_county_office_words(tmp_path: Path) -> None:
    county = load(tmp_path, config={"district": "测试县"})
    _, html = render(county, "quarterly", "2021-Q3")
    assert "现将2021年第三季度全县“万人助万企”活动开展情况点评如下。" in html
    assert (
        "区供电公司（第1名，70.0分）：</span>牵头办理问题2件，全部解决。按时办结率50.0%，低于全县的75.0%，是主要短板。"
        in html
    )
    assert "全区" not in html


HIGHLIGHT = '---\nkind: monthly\nperiod: "2021-09"\n---\n\n## 工作亮点\n\n本月走访企业1次，新梳理问题3项。\n'


def test_office_highlight_not_repeated(tmp_path: Path) -> None:
    office = load(tmp_path, extra={"bulletins/2021-09-monthly.md": HIGHLIGHT})
    _, html = render(office, "monthly", "2021-09")
    assert (
        "<p>9月份，新入库企业1家，新梳理的3件问题中已解决0件（环比减少1件）；解决问题1件（环比持平），"
        "含9月以前梳理的问题1件。</p>"
    ) in html
    assert "本月走访企业1次，新梳理问题3项。" in html


def test_unit_comment_says_a_large_change_of_score(records: Records) -> None:
    _, html = render(records, "quarterly", "2021-Q4")
    lines = _text(html)
    assert (
        "区自然资源局（第2名，50.0分）：牵头办理问题2件，已解决1件。综合得分较上季度末提高7.1分。"
        "按时办结率50.0%，低于全区的60.0%。"
    ) in lines
    assert "区供电公司（第1名，70.0分）：牵头办理问题2件，全部解决。按时办结率50.0%，低于全区的60.0%。" in lines
    assert "第一服务队（第1名，57.0分）：服务企业反映问题5件，已解决3件。" in lines
