"""Private data hidden from a plain search is still found: by ``check`` where it was typed (W603,
W803) and by the public build in everything it wrote (E801 stops it, W802 warns for a name, E802
under --strict), leaving the previous output as it was.  Each hiding form (spaces, dashes, +86,
full-width, zero-width, Markdown emphasis, an HTML comment, entities) and each place (bulletin
body, front matter title and cc, issue title, legal description, visit summary, a contact's name
in a visit summary) is tried."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from conftest import (
    BULLETIN,
    BULLETIN_FILE,
    CONFIG,
    ISSUE,
    ISSUE_FILE,
    LEGAL,
    LEGAL_FILE,
    MINIMAL_FILES,
    VISIT,
    VISIT_FILE,
    write_minimal_repository,
)
from content import read_tree

from reportgen.plaintext import compact, visible, visible_with_offsets
from reportgen.publish.build import BuildOptions, BuildResult, build
from reportgen.publish.leakscan import find_leaks, leak_problems
from reportgen.validate import check_repository

PHONE_FORMS = {  # the contact phone 13800000001 of enterprises/E001.yaml, as it can be typed
    "spaces": "138 0000 0001",
    "dashes": "138-0000-0001",
    "plus86": "+86 138 0000 0001",
    "full-width": "１３８０００００００１",
    "zero-width": "138\u200b0000\u200b0001",
    "emphasis": "138**0000**0001",
    "comment": "138<!-- -->0000<!-- x -->0001",
    "entities": "&#49;&#x33;8&#48;0000001",
}
BODY_LINE = "继续做好服务。"  # line 18 of the minimal bulletin text
ENTERPRISE = "enterprises/E001.yaml"
PHONE_AT = (ENTERPRISE, 12, 10, "contact.phone")  # where the phone's own value is written
NAME_AT = (ENTERPRISE, 11, 9, "contact.name")


def office(tmp_path: Path, rel: str, text: str) -> Path:
    return write_minimal_repository(tmp_path / "records", {**MINIMAL_FILES, rel: text})


def found(root: Path, problems: list) -> list[tuple[str, str, int, int, str | None, str]]:  # type: ignore[type-arg]
    prefix = f"{root}/"
    return [(p.code, p.file.removeprefix(prefix), p.line, p.column, p.field, p.message()) for p in problems]


def w603(root: Path, where: str, label: str, what: str, line: int, column: int, field: str) -> tuple:  # type: ignore[type-arg]
    message = f"{label}中出现了不公开的个人信息（{what}，见 {root}/{ENTERPRISE}）"
    return ("W603", where, line, column, field, message)


def e801(output: str, more: str = " ") -> tuple:  # type: ignore[type-arg]
    message = f"公开版的 {output}{more}中出现了不公开的联系人·电话（138****0001），构建已停止"
    return ("E801", *PHONE_AT, message)


def refused(tmp_path: Path, root: Path, rel: str, text: str, strict: bool = False) -> BuildResult:
    """Build once clean, then with ``rel`` replaced: the second build must fail and change nothing."""
    out = tmp_path / "out"
    assert build(BuildOptions(root, out, pdf=False)).ok
    before = read_tree(out)
    (root / rel).write_text(text, "utf-8")
    result = build(BuildOptions(root, out, pdf=False, strict=strict))
    assert not result.ok
    assert read_tree(out) == before
    return result


@pytest.mark.parametrize("form", sorted(PHONE_FORMS))
def test_a_hidden_phone_in_a_bulletin_body_is_found_and_stops_the_public_build(tmp_path: Path, form: str) -> None:
    root = write_minimal_repository(tmp_path / "records")
    text = BULLETIN.replace(BODY_LINE, f"继续做好服务，电话{PHONE_FORMS[form]}。")
    result = refused(tmp_path, root, BULLETIN_FILE, text)
    typed = w603(root, BULLETIN_FILE, "通报的“正文”", "138****0001", 18, 10, "body")
    checked = found(root, check_repository(root).report.sorted())
    if form == "zero-width":  # refused by check itself (E210): it never reaches the output
        invisible = ("E210", BULLETIN_FILE, 18, 13, "body", "正文含有看不见的零宽字符（U+200B）")
        assert checked == [typed, invisible]
        assert found(root, result.report.sorted()) == [typed, invisible]
        return
    assert checked == [typed]
    assert found(root, result.report.sorted()) == [typed, e801("bulletins/2021-08-monthly.html")]


PLACES = {  # file, text, where check finds it, (line, column, field), the first output and how many more
    "front matter title": (
        BULLETIN_FILE,
        BULLETIN.replace("number: 8\n", "number: 8\ntitle: 关于8月份情况的通报（电话 138 0000 0001）\n"),
        "通报的“标题”",
        (5, 8, "title"),
        ("bulletins/2021-08-monthly.html", " 等 5 个文件"),
    ),
    "front matter cc": (
        BULLETIN_FILE,
        BULLETIN.replace("number: 8\n", "number: 8\ncc: 区委办公室（138-0000-0001）\n"),
        "通报的“抄送”",
        (5, 5, "cc"),
        ("bulletins/2021-08-monthly.html", " "),
    ),
    "issue title": (
        ISSUE_FILE,
        ISSUE.replace("title: 需增加第二路供电线路", "title: 需增加第二路供电线路，电话 +8613800000001"),
        "问题记录的“问题标题”",
        (7, 8, "title"),
        ("bulletins/2021-08-monthly.html", " 等 30 个文件"),
    ),
    "legal description": (
        LEGAL_FILE,
        LEGAL.replace("讲授合同法。", "讲授合同法，电话 １３８０００００００１。"),
        "法治服务记录的“情况”",
        (7, 14, "description"),
        ("lists/all/2021-08/lectures.html", " 等 2 个文件"),
    ),
    "visit summary": (
        VISIT_FILE,
        VISIT.replace("了解企业用电需求。", "了解企业用电需求，电话 138**0000**0001。"),
        "走访记录的“情况摘要”",
        (8, 10, "summary"),
        ("lists/all/2021-08/visits.html", " 等 2 个文件"),
    ),
}


@pytest.mark.parametrize("place", sorted(PLACES))
def test_a_phone_in_any_public_field_is_found_where_typed_and_stops_the_public_build(
    tmp_path: Path, place: str
) -> None:
    rel, text, label, (line, column, field), (output, more) = PLACES[place]
    root = write_minimal_repository(tmp_path / "records")
    result = refused(tmp_path, root, rel, text)
    typed = w603(root, rel, label, "138****0001", line, column, field)
    assert found(root, check_repository(root).report.sorted()) == [typed]
    assert sorted(found(root, result.report.problems)) == sorted([typed, e801(output, more)])


NAME_IN_SUMMARY = VISIT.replace("了解企业用电需求。", "与雷雨座谈，了解企业用电需求。")
NAME_MESSAGE = "公开版的 lists/all/2021-08/visits.html 等 2 个文件中出现了不公开的联系人·姓名“雷雨”"


def test_a_contacts_name_in_a_visit_summary_warns_and_is_published(tmp_path: Path) -> None:
    root = office(tmp_path, VISIT_FILE, NAME_IN_SUMMARY)
    typed = w603(root, VISIT_FILE, "走访记录的“情况摘要”", "雷雨", 8, 10, "summary")
    assert found(root, check_repository(root).report.sorted()) == [typed]
    result = build(BuildOptions(root, tmp_path / "out", pdf=False))
    assert result.ok, result.error
    # the build reports what check said of the typed text (W603) beside what it found published (W802)
    assert found(root, result.report.sorted()) == [("W802", *NAME_AT, NAME_MESSAGE), typed]
    assert result.report.sorted()[0].hint() == (
        "如果指的就是这个人，请在公开的内容中删去（运行 reportgen check 可找到位置）；"
        "如果只是字词相同，把这个词写进办公室配置（config.yaml）的“不算人名的词”，就不再提醒。"
    )


def test_a_contacts_name_is_an_error_under_strict(tmp_path: Path) -> None:
    root = office(tmp_path, VISIT_FILE, NAME_IN_SUMMARY)
    out = tmp_path / "out"
    assert build(BuildOptions(root, out, pdf=False)).ok
    records = check_repository(root).records
    problems = leak_problems(records, find_leaks(records, read_tree(out)), strict=True)
    assert found(root, problems) == [("E802", *NAME_AT, NAME_MESSAGE + "（严格模式下不发布）")]
    assert problems[0].hint("en") == (
        "Remove it from public text if it means this person; "
        "if it is only the same word, list it in common_words in config.yaml and strict mode publishes."
    )
    before = read_tree(out)
    assert not build(BuildOptions(root, out, pdf=False, strict=True)).ok
    assert read_tree(out) == before


def test_pdf_text_xlsx_members_and_json_escapes_are_searched(tmp_path: Path) -> None:
    from weasyprint import HTML

    root = write_minimal_repository(tmp_path / "records")
    records = check_repository(root).records
    pdf = HTML(string="<p style='width: 4em'>雷 雨 138 0000 0001</p>").write_pdf()
    xlsx = io.BytesIO()
    with zipfile.ZipFile(xlsx, "w") as archive:
        archive.writestr("xl/sharedStrings.xml", "<sst><si><t>138</t><r><t>0000 0001</t></r></si></sst>")
    files = {"a.pdf": pdf, "b.xlsx": xlsx.getvalue(), "c.json": json.dumps({"k": "雷雨"}).encode()}
    leaks = {(leak.value.path, leak.outputs) for leak in find_leaks(records, files)}
    assert leaks == {("contact.name", ("c.json", "a.pdf")), ("contact.phone", ("b.xlsx!xl/sharedStrings.xml", "a.pdf"))}


def test_other_phone_numbers_in_public_text_are_warned_about(tmp_path: Path) -> None:
    text = ISSUE.replace("需双回路供电。", "需双回路供电，企业值班电话 0394-8888 888。")
    root = office(tmp_path, ISSUE_FILE, text)
    assert found(root, check_repository(root).report.sorted()) == [
        ("W803", ISSUE_FILE, 8, 14, "description", "问题记录的“问题描述”中有电话号码（0394-8888 888），会公开发布")
    ]


def test_every_finding_in_one_field_is_named_at_once(tmp_path: Path) -> None:
    """A field is located by its value: its findings are named in one problem each kind, none hidden by another."""
    typed = "需双回路供电，值班电话 0394-8888 888、13912345678，联系雷雨（138 0000 0001）。"
    text = ISSUE.replace("需双回路供电。", typed)
    root = office(tmp_path, ISSUE_FILE, text)
    label = "问题记录的“问题描述”"
    assert found(root, check_repository(root).report.sorted()) == [
        w603(root, ISSUE_FILE, label, "雷雨、138****0001", 8, 14, "description"),
        ("W803", ISSUE_FILE, 8, 14, "description", f"{label}中有电话号码（0394-8888 888、13912345678），会公开发布"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "编号 213800000001 的合同。",  # the phone's digits inside a longer number
        "账号 1380000000123。",  # ... followed by more digits
    ],
)
def test_the_digits_of_a_phone_inside_a_longer_number_are_not_the_phone(tmp_path: Path, text: str) -> None:
    root = office(tmp_path, BULLETIN_FILE, BULLETIN.replace(BODY_LINE, text))
    assert found(root, check_repository(root).report.sorted()) == []


def test_a_name_inside_a_latin_word_is_not_the_name(tmp_path: Path) -> None:
    enterprise = MINIMAL_FILES[ENTERPRISE].replace("name: 雷雨", "name: Li")
    files = {**MINIMAL_FILES, ENTERPRISE: enterprise, BULLETIN_FILE: BULLETIN.replace(BODY_LINE, "Lily 与 Li 座谈。")}
    root = write_minimal_repository(tmp_path / "records", files)
    typed = w603(root, BULLETIN_FILE, "通报的“正文”", "Li", 18, 8, "body")
    assert found(root, check_repository(root).report.sorted()) == [typed]


def test_a_name_inside_a_public_name_is_not_the_name(tmp_path: Path) -> None:
    department = MINIMAL_FILES["departments/D01.yaml"].replace("short_name: 区供电公司", "short_name: 雷雨电力")
    body = BULLETIN.replace(BODY_LINE, "雷雨电力公司表示感谢；雷雨也表示感谢。")
    files = {**MINIMAL_FILES, "departments/D01.yaml": department, BULLETIN_FILE: body}
    root = write_minimal_repository(tmp_path / "records", files)
    typed = w603(root, BULLETIN_FILE, "通报的“正文”", "雷雨", 18, 12, "body")  # the second, not the department
    assert found(root, check_repository(root).report.sorted()) == [typed]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>", "//evil.example/", "https://"])
def test_a_site_url_that_is_not_a_web_address_is_an_error_at_its_line(tmp_path: Path, url: str) -> None:
    root = office(tmp_path, "config.yaml", CONFIG + f'site_url: "{url}"\n')
    message = f"网站地址只能是以 http:// 或 https:// 开头的网址，这里写的是“{url}”"
    assert found(root, check_repository(root).report.sorted()) == [("E804", "config.yaml", 6, 11, "site_url", message)]


def test_an_https_site_url_is_accepted(tmp_path: Path) -> None:
    root = office(tmp_path, "config.yaml", CONFIG + "site_url: https://example.gov.cn/zhuqi/\n")
    assert found(root, check_repository(root).report.sorted()) == []


HIDDEN = [
    *PHONE_FORMS.values(),
    "雷<span class='x'>雨</span>",
    "㈱１３８<!-- 未闭合",
    "&lt;b&gt; &amp;#49; &bogus; ①③⑧",
]


@pytest.mark.parametrize("text", HIDDEN)
def test_the_located_reading_is_the_fast_reading(text: str) -> None:
    shown, offsets = visible_with_offsets(text)
    assert shown == visible(text)
    assert len(offsets) == len(shown) and offsets == sorted(offsets) and all(0 <= o < len(text) for o in offsets)


def test_what_hides_a_name_is_undone() -> None:
    assert compact(visible("雷<span class='x'>雨</span>")) == "雷雨"
    assert compact(visible("雷 **雨**")) == "雷雨"
    assert compact(visible("&#38647;&#x96e8;")) == "雷雨"
