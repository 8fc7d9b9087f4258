"""Catalogue codes no other test asserted with their file, line and column: W601, E305, W606, W607, E701, W701.

Each case starts from the minimal office of ``conftest.py`` (line numbers as printed there).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import BULLETIN, BULLETIN_FILE, ENTERPRISE, ENTERPRISE_FILE, ISSUE, ISSUE_FILE, OfficeRepo, edit

from reportgen.commands.check import check_report
from reportgen.publish.build import BuildOptions, build
from reportgen.render.fonts import check_glyphs, font_set
from tests.compute.scenario import history
from tests.render.fixture import load, render


def _found(office: OfficeRepo) -> list[tuple[str, str, int, int, str]]:
    return [(p.code, office.relative(p), p.line, p.column, p.message()) for p in check_report(office.root).sorted()]


def test_w601_an_enterprise_without_a_team(office: OfficeRepo) -> None:
    office.write(ENTERPRISE_FILE, edit(ENTERPRISE, ("team: T01\n", "")))
    assert _found(office) == [("W601", ENTERPRISE_FILE, 1, 1, "企业“E001”没有分配“1+3”服务队伍")]


def test_e305_an_issue_in_the_enterprises_folder(office: OfficeRepo) -> None:
    office.write("enterprises/Q0002.yaml", edit(ISSUE, ("id: Q0001", "id: Q0002")))
    office.write("issues/2021-08/E002.yaml", edit(ENTERPRISE, ("id: E001", "id: E002")))
    assert _found(office) == [
        ("E305", "enterprises/Q0002.yaml", 1, 1, "问题记录放错了目录（应在 issues/ 下）"),
        ("E305", "issues/2021-08/E002.yaml", 1, 1, "企业记录放错了目录（应在 enterprises/ 下）"),
    ]


def test_e305_a_misplaced_record_is_still_known_to_references(office: OfficeRepo) -> None:
    office.remove(ISSUE_FILE)
    office.write("visits/2021-08/Q0001.yaml", ISSUE)
    office.write("rectifications/R0001.yaml", RECTIFICATION)
    assert [f[:4] for f in _found(office)] == [("E305", "visits/2021-08/Q0001.yaml", 1, 1)]


RECTIFICATION = """\
id: R0001
issue: Q0001
action: 架设第二路供电线路。
department: D01
due: 2021-08-20
done_on: 2021-08-18
"""

ISSUED_BULLETIN = edit(BULLETIN, ("number: 8\n", "number: 8\nissued: 2021-09-03\n"))  # issued: on line 5


def test_w607_then_w606_an_issued_bulletin(office: OfficeRepo, tmp_path: Path) -> None:
    office.write(BULLETIN_FILE, ISSUED_BULLETIN)
    assert _found(office) == [
        ("W607", BULLETIN_FILE, 5, 1, "通报 2021-08-monthly 已印发，但还没有记录印发时的数字"),
    ]
    assert build(BuildOptions(office.root, tmp_path / "out", pdf=False)).ok  # records the figures
    assert _found(office) == []
    unresolved = edit(
        ISSUE,
        ("  - date: 2021-08-18\n    status: 已解决\n  - date: 2021-08-25\n    status: 销号\n", ""),
        ("rating:\n  date: 2021-08-25\n  result: 满意\n  comment: 非常满意。\n", ""),
    )
    office.write(ISSUE_FILE, unresolved)
    (code, file, line, column, message) = _found_codes(office, "W606")
    assert (code, file, line, column) == ("W606", BULLETIN_FILE, 5, 1)
    assert message.startswith("已印发的通报 2021-08-monthly（川助企〔2021〕8号）的数字会因这次修改而改变：")


def _found_codes(office: OfficeRepo, code: str) -> tuple[str, str, int, int, str]:
    (found,) = [f for f in _found(office) if f[0] == code]
    return found


@pytest.mark.parametrize(("code", "config"), [("E701", None), ("W701", {"missing_glyphs": "warning"})])
def test_e701_w701_a_character_no_font_has(tmp_path: Path, code: str, config: dict[str, str] | None) -> None:
    root = tmp_path / "records"
    records = load(root, {"issues/2021-09/Q0006.yaml": ISSUE_WITH_PRIVATE_USE}, config=config)
    info, html = render(records, "monthly", "2021-09")
    problems = check_glyphs(records, html, font_set(records), info)
    assert [(p.code, p.file, p.line, p.column, p.field) for p in problems] == [
        (code, str(root / "issues/2021-09/Q0006.yaml"), 6, 10, "title")
    ]
    assert problems[0].message() == (
        "字符“\ue000”（U+E000）在仿宋字体中都没有字形，印出来会是空框（通报 2021-09-monthly）"
    )


ISSUE_WITH_PRIVATE_USE = {
    "id": "Q0006",
    "enterprise": "E002",
    "raised": dt.date(2021, 9, 20),
    "source": "走访",
    "category": "其他",
    "title": "标牌\ue000问题",
    "description": "情况说明。",
    "lead_department": "D03",
    "history": history((dt.date(2021, 9, 20), "问题收集")),
}


def test_w608_records_outside_every_kinds_folder(office: OfficeRepo) -> None:
    office.write("isues/2021-08/Q0002.yaml", edit(ISSUE, ("id: Q0001", "id: Q0002")))  # a misspelt folder
    office.write("E002.yaml", edit(ENTERPRISE, ("id: E001", "id: E002")))  # at the top of the records
    found = [(code, file, line, column) for code, file, line, column, _ in _found(office)]
    assert found == [("W608", "E002.yaml", 1, 1), ("W608", "isues", 1, 1)]
    problem = next(p for p in check_report(office.root).sorted() if p.file.endswith("isues"))
    assert problem.message() == "“isues/”不在任何一类记录的文件夹里，其中的记录没有读取"
    assert problem.hint().endswith("。是否指 issues/？")


def test_e118_a_folder_without_the_offices_config(office: OfficeRepo) -> None:
    office.remove("config.yaml")  # check run on a folder that is not the records folder
    assert [p for p in _found(office) if p[0] == "E118"] == [
        ("E118", "config.yaml", 1, 1, "找不到办公室配置 config.yaml：这个目录不像记录目录")
    ]
