"""``reportgen new``: the next free id, the right folder, comments from the schema, checked values, no overwrite."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from conftest import OfficeRepo

from reportgen.cli import main
from reportgen.commands.new import run_new
from reportgen.load import LoadedFile, SourceFile
from reportgen.load.yamlnodes import compose
from reportgen.schema.kinds import KINDS_BY_NAME
from reportgen.validate.record import check_file
from reportgen.workflow import store
from reportgen.workflow.recordfile import field_comment

TODAY = dt.date(2021, 9, 14)


def new(office: OfficeRepo, kind: str, *tokens: str) -> tuple[int, str, str]:
    """Run ``reportgen new`` on the minimal repository; (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = run_new(kind, list(tokens), office.root, today=TODAY, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def problems_of(path: Path, kind: str) -> list[tuple[str, str | None]]:
    """(code, field) of every problem the validator finds in one file on its own."""
    source = SourceFile(path, str(path), KINDS_BY_NAME[kind])
    node, problems = compose(path.read_text("utf-8"), str(path))
    _, found = check_file(LoadedFile(source, node, problems))
    return [(p.code, p.field) for p in found]


def test_next_id_follows_the_highest_and_keeps_the_width(office: OfficeRepo) -> None:
    office.write("enterprises/E007.yaml", "")
    code, out, _ = new(office, "enterprise")
    assert (code, out.strip()) == (0, str(office.root / "enterprises" / "E008.yaml"))
    kind = KINDS_BY_NAME["enterprise"]
    assert store.next_id(kind, {"E0099": Path()}) == "E0100"
    assert store.next_id(kind, {"E999": Path()}) == "E1000"
    assert store.next_id(kind, set()) == "E001"


def test_dated_kinds_go_into_the_month_folder_of_their_date(office: OfficeRepo) -> None:
    _, out, _ = new(office, "visit", "--enterprise", "E001")
    assert out.strip() == str(office.root / "visits" / "2021-09" / "V0002.yaml")
    _, out, _ = new(office, "issue", "--raised", "2021-10-02")
    assert out.strip() == str(office.root / "issues" / "2021-10" / "Q0002.yaml")
    _, out, _ = new(office, "legal")
    assert out.strip() == str(office.root / "legal" / "2021-09" / "L0002.yaml")


def test_issue_is_filled_from_its_enterprise(office: OfficeRepo) -> None:
    code, out, err = new(office, "issue", "--enterprise", "E001")
    assert code == 0, err
    path = Path(out.strip())
    text = path.read_text("utf-8")
    assert "responsible: S002\n" in text  # T01's chief service officer
    assert "raised: 2021-09-14\n" in text
    assert "history:\n  - date: 2021-09-14\n    status: 问题收集\n" in text
    assert "lead_department:  # 请填写\n" in text
    assert "现有：D01 区供电公司。" in text  # the departments to choose from, in the comment above
    assert "lead_department（牵头单位）" in err
    # only the fields left to fill in are wrong
    assert sorted(problems_of(path, "issue")) == sorted(
        ("E209", name) for name in ("source", "category", "title", "description", "lead_department")
    )


def test_issue_raised_on_the_day_of_a_visit_refers_to_it(office: OfficeRepo) -> None:
    code, out, err = new(office, "issue", "--enterprise", "E001", "--raised", "2021-08-05")
    assert code == 0, err
    text = Path(out.strip()).read_text("utf-8")
    assert "\nvisit: V0001\n" in text and "\nsource: 走访\n" in text
    _, out, _ = new(office, "issue", "--enterprise", "E001", "--raised", "2021-08-06")
    assert "\n# visit: V0001\n" in Path(out.strip()).read_text("utf-8")  # no visit that day: left as an example


def test_visit_and_rectification_are_filled_from_what_they_refer_to(office: OfficeRepo) -> None:
    _, out, _ = new(office, "visit", "--enterprise", "E001")
    assert "staff:\n  - S002\n" in Path(out.strip()).read_text("utf-8")
    _, out, _ = new(office, "rectification", "--issue", "Q0001")
    text = Path(out.strip()).read_text("utf-8")
    assert "department: D01\n" in text and "responsible: S002\n" in text and "due: 2021-09-14\n" in text


def test_every_required_field_is_present_with_its_comment_above(office: OfficeRepo) -> None:
    for kind_name in ("enterprise", "staff", "team", "department", "visit", "issue", "rectification", "legal"):
        code, out, _ = new(office, kind_name)
        assert code == 0
        lines = Path(out.strip()).read_text("utf-8").splitlines()
        kind = KINDS_BY_NAME[kind_name]
        for f in kind.fields:
            if not f.required:
                continue
            index = next(i for i, line in enumerate(lines) if line.startswith(f"{f.name}:"))
            assert lines[index - 1] == f"# {field_comment(f)}" or lines[index - 1].startswith(f"# {field_comment(f)}")
            assert f"{f.label}（必填）：{f.description}" in lines[index - 1]


def test_given_values_are_written_typed_and_quoted_when_needed(office: OfficeRepo) -> None:
    code, out, err = new(
        office, "enterprise", "--name", "示例: 有限公司", "--uscc", "91110000600037341L", "--industry", "制造",
        "--park", "高新区", "--scale", "小型", "--key-project", "是", "--employees", "12",
        "--contact.name", "孙八", "--contact.phone", "13800000009", "--team", "T01",
    )  # fmt: skip
    assert code == 0, err
    path = Path(out.strip())
    text = path.read_text("utf-8")
    assert 'name: "示例: 有限公司"\n' in text
    assert "\nkey_project: true\n" in text and "\nemployees: 12\n" in text
    assert 'contact:\n  name: 孙八\n  phone: "13800000009"\n' in text
    assert problems_of(path, "enterprise") == []
    assert office.check().report.valid


def test_values_are_checked_before_anything_is_written(office: OfficeRepo) -> None:
    before = sorted(p.relative_to(office.root) for p in office.root.rglob("*"))
    code, out, err = new(
        office, "issue", "--enterprise", "E404", "--category", "天气", "--raised", "2021-02-30",
        "--responsible", "S001",
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert "没有写入文件" in err
    assert "--category：问题类别“天气”不在可选范围内" in err
    assert "--raised：提出日期不是有效日期" in err
    assert "--enterprise：找不到企业 E404" in err
    assert sorted(p.relative_to(office.root) for p in office.root.rglob("*")) == before
    code, _, err = new(office, "team", "--judge", "S002")
    assert code == 2 and "S002 的角色是“首席服务官”，这里需要“驻企法官”" in err
    code, _, err = new(office, "issue", "--colour", "红")
    assert code == 2 and "问题没有字段“colour”" in err


def test_an_existing_record_is_never_overwritten(office: OfficeRepo) -> None:
    original = (office.root / "enterprises" / "E001.yaml").read_text("utf-8")
    code, _, err = new(office, "enterprise", "--id", "E001")
    assert code == 2 and "E001 已经存在" in err
    assert (office.root / "enterprises" / "E001.yaml").read_text("utf-8") == original
    code, _, err = new(office, "bulletin", "--period", "2021-08")  # 2021-08-monthly.md exists
    assert code == 2 and "已经存在，不会覆盖" in err


def test_write_new_file_is_exclusive_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "E001.yaml"
    store.write_new_file(target, "id: E001\n")
    with pytest.raises(FileExistsError):
        store.write_new_file(target, "id: E002\n")
    assert target.read_text("utf-8") == "id: E001\n"
    assert [p.name for p in tmp_path.iterdir()] == ["E001.yaml"]


def test_a_concurrent_new_takes_the_next_id(office: OfficeRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    real = store.write_new_file
    calls: list[Path] = []

    def racing(path: Path, content: str) -> None:
        calls.append(path)
        if len(calls) == 1:  # someone else wrote E002 between our scan and our write
            real(path, "id: E002\n")
        real(path, content)

    monkeypatch.setattr(store, "write_new_file", racing)
    code, out, _ = new(office, "enterprise")
    assert code == 0
    assert out.strip() == str(office.root / "enterprises" / "E003.yaml")
    assert (office.root / "enterprises" / "E002.yaml").read_text("utf-8") == "id: E002\n"


def test_bulletin_reports_on_the_previous_month_with_the_next_number(office: OfficeRepo) -> None:
    code, out, err = new(office, "bulletin")  # written in September: reports on August, whose text exists
    assert (code, out) == (2, "") and "2021-08-monthly.md 已经存在" in err
    code, out, err = new(office, "bulletin", "--period", "2021-09")
    assert code == 0, err
    text = Path(out.strip()).read_text("utf-8")
    assert text.startswith("---\n") and "\nkind: monthly\n" in text and "\nnumber: 9\n" in text
    assert "## 典型案例" in text
    code, out, _ = new(office, "bulletin", "--kind", "quarterly")
    # written in September, a quarterly reports on Q2; that ends before the campaign starts (2021-08-01, which
    # check refuses, E405): the first quarter the campaign has is proposed instead
    assert Path(out.strip()).name == "2021-Q3-quarterly.md"
    code, out, _ = new(office, "bulletin", "--kind", "季点评", "--period", "2021-Q4")  # by its Chinese name
    assert code == 0 and "\nkind: quarterly\n" in Path(out.strip()).read_text("utf-8")
    assert [p.code for p in office.check().report.sorted() if p.code == "E405"] == []


def test_help_lists_the_fields(office: OfficeRepo) -> None:
    code, out, _ = new(office, "issue", "--help")
    assert code == 0
    assert "--lead-department D01" in out and "--enterprise E001" in out and "--rating.result 满意" in out


def test_a_kind_is_asked_for_by_its_chinese_name_too(office: OfficeRepo, capsys: pytest.CaptureFixture[str]) -> None:
    """``reportgen new 问题`` is ``reportgen new issue``: the schema's label of each kind, listed in the help."""
    assert main(["new", "问题", "--records", str(office.root), "--enterprise", "E001"]) == 0
    assert capsys.readouterr().out.strip() == str(
        office.root / "issues" / dt.date.today().strftime("%Y-%m") / "Q0002.yaml"
    )
    assert main(["new", "--help"]) == 0
    assert "记录种类：企业 enterprise、人员 staff、" in capsys.readouterr().out


def test_a_kind_not_found_is_answered_with_its_chinese_names_too(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "问提"]) == 2
    assert capsys.readouterr().err.splitlines()[1] == (
        "reportgen new：错误：参数 种类：无效的选项值“问提”，可选：enterprise、staff、team、department、visit、issue、"
        "rectification、legal、bulletin、企业、人员、服务队伍、责任单位、走访、问题、整改事项、法治服务、通报正文"
        "（是否指 问题？）"
    )
