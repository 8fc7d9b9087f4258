"""更正通报: an issued bulletin whose figures change gets a correction notice; the original links to it."""

from __future__ import annotations

import json
import re
from pathlib import Path

from reportgen.publish.build import BuildOptions, BuildResult, build
from reportgen.render.correction import figure_value
from tests.compute.scenario import scenario_files, write_repository

SEPTEMBER = """---
kind: monthly
period: "2021-09"
number: 9
issued: 2021-10-08
{extra}---
## 典型案例

企业1有限公司用电问题当天解决。
"""


def office(tmp_path: Path, extra: str = "", publish_drafts: bool = True) -> Path:
    files = scenario_files({"publish_drafts": publish_drafts})
    files["bulletins/2021-09-monthly.md"] = SEPTEMBER.format(extra=extra)
    return write_repository(tmp_path / "records", files)


def run(records: Path, out: Path) -> BuildResult:
    result = build(BuildOptions(records, out, pdf=False))
    assert result.ok
    return result


def resolve_q0002_in_october(records: Path) -> None:
    """Q0002 turns out to have been resolved only in October: September's figures change."""
    path = records / "issues/2021-08/Q0002.yaml"
    path.write_text(
        path.read_text("utf-8").replace("2021-09-10", "2021-10-10").replace("2021-09-12", "2021-10-12"), "utf-8"
    )


def table_rows(html: str) -> list[tuple[str, ...]]:
    body = html.split('<table class="correction">', 1)[1].split("</table>", 1)[0]
    return [tuple(re.findall(r"<td[^>]*>(.*?)</td>", row)) for row in re.findall(r"<tr>(.*?)</tr>", body)[1:]]


def test_a_change_after_issue_makes_a_draft_correction_notice_the_original_links_to(tmp_path: Path) -> None:
    records, out = office(tmp_path), tmp_path / "output"
    first = run(records, out)
    assert "2021-09-correction" not in [b.id for b in first.bulletins]
    assert not (out / "bulletins/2021-09-correction.html").exists()
    resolve_q0002_in_october(records)
    second = run(records, out)
    ids = [b.id for b in second.bulletins]
    assert ids[ids.index("2021-09-monthly") + 1] == "2021-09-correction"
    html = (out / "bulletins/2021-09-correction.html").read_text("utf-8")
    assert table_rows(html) == [
        ("已解决问题（累计）", "2件", "1件"),
        ("期内解决问题（累计）", "2件", "1件"),
        ("正在办理问题（累计）", "1件", "2件"),
        ("已办结问题（累计）", "4件", "3件"),
        ("超期未办结（累计）", "1件", "2件"),
        ("超期办结（累计）", "1件", "0件"),
        ("问题解决率（累计）", "40.0%", "20.0%"),
        ("办结率（累计）", "80.0%", "60.0%"),
        ("按时办结率（累计）", "75.0%", "100.0%"),
        ("企业满意率（累计）", "50.0%", "100.0%"),
        ("企业评价数（累计）", "2件", "1件"),
        ("解决用时中位数（累计）", "13.0天", "5.0天"),
        ("解决用时平均数（累计）", "13.0天", "5.0天"),
        ("期内解决问题（本月）", "1件", "0件"),
        ("逾期问题清单", "1件", "2件"),
        ("区供电公司综合得分", "70.0分", "80.0分"),
        ("第一服务队综合得分", "53.5分", "68.0分"),
    ]
    assert (
        '2021年10月8日印发的<a href="2021-09-monthly.html">《关于2021年9月份“万人助万企”活动开展情况的通报》</a>'
        "（测助企〔2021〕9号）" in html
    )
    assert '<p class="docno">（草稿）</p>' in html  # no number given yet: a draft
    assert "附件" not in html  # a correction has no attachments, not even the definitions
    original = (out / "bulletins/2021-09-monthly.html").read_text("utf-8")
    assert (
        '注：本月通报印发后部分数字有更正，详见<a href="2021-09-correction.html">'
        "《关于更正测助企〔2021〕9号通报有关数字的通报》</a>。" in original
    )
    manifest = {e["id"]: e for e in json.loads((out / "manifest.json").read_text("utf-8"))}
    assert manifest["2021-09-correction"]["kind"] == "correction"
    assert manifest["2021-09-correction"]["title"] == "关于更正测助企〔2021〕9号通报有关数字的通报"


def test_a_draft_correction_stays_off_a_public_site_that_publishes_no_drafts(tmp_path: Path) -> None:
    records, out = office(tmp_path, publish_drafts=False), tmp_path / "output"
    run(records, out)
    resolve_q0002_in_october(records)
    assert "2021-09-correction" not in [b.id for b in run(records, out).bulletins]
    assert not (out / "bulletins/2021-09-correction.html").exists()
    original = (out / "bulletins/2021-09-monthly.html").read_text("utf-8")
    assert "注：本月通报印发后部分数字有更正，更正通报印发后另行公布。" in original


def test_the_office_gives_the_correction_its_number_and_date_in_the_original_text(tmp_path: Path) -> None:
    records, out = office(tmp_path, "correction_number: 12\ncorrection_issued: 2021-11-20\n"), tmp_path / "output"
    run(records, out)
    resolve_q0002_in_october(records)
    correction = next(b for b in run(records, out).bulletins if b.id == "2021-09-correction")
    assert (correction.doc_number, correction.issued, correction.date) == (
        "测助企〔2021〕12号",
        "2021-11-20",
        "2021-11-20",
    )
    html = (out / "bulletins/2021-09-correction.html").read_text("utf-8")
    assert '<p class="docno">测助企〔2021〕12号</p>' in html
    assert '<p class="date" style="padding-right: 4.0em">2021年11月20日</p>' in html  # 右空四字


def test_corrected_values_are_written_as_the_bulletins_write_them() -> None:
    assert figure_value("rank.D01", 3) == "第3名"
    assert figure_value("rank.D01", None) == "—"
    assert figure_value("score.D01", 88.25) == "88.3分"  # half up, as printed
    assert figure_value("cumulative.legal.money_recovered_yuan", 603500) == "60.35万元"
    assert figure_value("in_period.visits", 12) == "12次"
    assert figure_value("previous.enterprises_in_library", 83) == "83家"
    assert figure_value("cumulative.satisfaction_rate", 0.9677) == "96.8%"
    assert figure_value("overdue", ["Q0001", "Q0007"]) == "2件"
