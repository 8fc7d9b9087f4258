"""``schema --out`` and ``docs --out`` write only their own named files, and refuse places they must not write."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.cli import main
from reportgen.commands.schema import schema_files

TAIL = "reportgen 只写入它自己建立的输出目录。"


def _run(command: str, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main([command, "--out", str(out)])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("command", ["schema", "docs"])
def test_an_existing_file_is_refused_and_kept(command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "notes.txt"
    out.write_text("办公室的笔记\n", encoding="utf-8")
    assert _run(command, out, capsys) == (1, f"reportgen: 拒绝写入 {out}：这是一个已有的文件，不是目录，{TAIL}\n")
    assert out.read_text(encoding="utf-8") == "办公室的笔记\n"


def test_a_link_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "real").mkdir()
    out = tmp_path / "link"
    out.symlink_to(tmp_path / "real")
    code, err = _run("schema", out, capsys)
    assert (code, err) == (1, f"reportgen: 拒绝写入 {out}：这是一个符号链接（指向 {tmp_path / 'real'}），{TAIL}\n")
    assert list((tmp_path / "real").iterdir()) == []


def test_the_home_folder_and_a_repository_root_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    assert _run("docs", home, capsys) == (1, f"reportgen: 拒绝写入 {home}：这是当前用户的主目录，{TAIL}\n")
    repo = tmp_path / "office"
    (repo / ".git").mkdir(parents=True)
    refused = f"reportgen: 拒绝写入 {repo}：这是一个 git 仓库根目录（含 .git），{TAIL}\n"
    assert _run("docs", repo, capsys) == (1, refused)
    assert sorted(p.name for p in repo.iterdir()) == [".git"]


def test_a_folder_where_a_file_goes_is_refused_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "docs"
    (out / "guide.md").mkdir(parents=True)
    code, err = _run("docs", out, capsys)
    assert (code, err) == (
        1,
        f"reportgen: 拒绝写入 {out / 'guide.md'}：这个位置已经有一个文件夹或特殊文件，reportgen 不会删除它\n",
    )
    assert sorted(p.name for p in out.iterdir()) == ["guide.md"]


def test_files_are_written_beside_others_and_a_link_is_replaced_not_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "schemas"
    out.mkdir()
    (out / "mine.json").write_text("{}\n", encoding="utf-8")
    outside = tmp_path / "outside.json"
    outside.write_text("外面的文件\n", encoding="utf-8")
    (out / "enterprise.schema.json").symlink_to(outside)
    assert main(["schema", "--out", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed == [str(out / name) for name in schema_files()]
    assert sorted(p.name for p in out.iterdir()) == sorted([*schema_files(), "mine.json"])
    assert not (out / "enterprise.schema.json").is_symlink()
    assert (out / "enterprise.schema.json").read_text("utf-8") == schema_files()["enterprise.schema.json"]
    assert outside.read_text(encoding="utf-8") == "外面的文件\n"


def test_a_folder_that_cannot_be_made_is_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    out = tmp_path / "file" / "docs"
    code, err = _run("docs", out, capsys)
    assert code == 1
    assert err == f"reportgen: 不能写入 {out}：路径中有一段是文件，不是目录\n"


@pytest.mark.parametrize(("command", "inside"), [("schema", ""), ("docs", "issues")])
def test_an_offices_records_folder_and_its_folders_are_refused(
    command: str, inside: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = tmp_path / "records"
    (records / "issues").mkdir(parents=True)
    (records / "config.yaml").write_text("office: 某某办公室\n", encoding="utf-8")
    out = records / inside if inside else records
    why = "这就是记录目录" if not inside else f"这个目录在记录目录 {records} 之内"
    assert _run(command, out, capsys) == (1, f"reportgen: 拒绝写入 {out}：{why}，{TAIL}\n")
    assert sorted(p.name for p in records.rglob("*")) == ["config.yaml", "issues"]


def test_init_refuses_a_new_office_inside_anothers_records(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = tmp_path / "records"
    (records / "issues").mkdir(parents=True)
    (records / "config.yaml").write_text("office: 某某办公室\n", encoding="utf-8")
    assert main(["init", str(records / "new"), "--district", "川汇区", "--prefix", "川助企"]) == 2
    assert f"这个目录在记录目录 {records} 之内" in capsys.readouterr().err
    assert not (records / "new").exists()
