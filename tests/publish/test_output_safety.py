"""The output folder is reportgen's alone; serve is safe; hand-edited build state never gives a traceback.

Every refusal is checked for its exact message, exit code 1, and that nothing in the
refused folder (nor beside it: no lock, cache or staging folder) was created or changed.
"""

from __future__ import annotations

import errno
import hashlib
import http.client
import marshal
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from reportgen.commands.build import run_build
from reportgen.publish import cache
from reportgen.publish import serve as serve_module
from reportgen.publish.atomic import build_lock
from reportgen.publish.build import BuildOptions, BuildResult, build, read_manifest
from reportgen.publish.filestates import MAGIC
from reportgen.publish.ownership import MARKER, is_build_output, protected_reason
from reportgen.publish.serve import ServeState, preview_server, serve
from tests.compute.scenario import scenario_files, write_repository

TAIL = "reportgen 只写入它自己建立的输出目录。"
BULLETINS = 7  # what the scenario office builds


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry under ``folder`` (hidden ones and .git too, links not followed): its kind and content."""
    entries = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root, name)
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                entries[rel] = "link " + os.readlink(path)
            elif path.is_dir():
                entries[rel] = "folder"
            else:
                entries[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return entries


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """A records repository: ``tmp_path/office`` with ``.git`` and ``records/``; returns the repository root."""
    root = tmp_path / "office"
    write_repository(root / "records", scenario_files())
    (root / ".git").mkdir()
    (root / ".git/HEAD").write_text("ref: refs/heads/main\n", "utf-8")
    (root / "工作总结.docx").write_bytes(b"PK\x03\x04 a clerk's document")
    return root


def refused(
    capsys: pytest.CaptureFixture[str], watched: Path, records: Path, out: Path, shown: Path | str, why: str
) -> None:
    """``build --out out`` exits 1 with exactly ``拒绝写入 shown：why，…`` and leaves ``watched`` as it was."""
    before = snapshot(watched)
    assert run_build(BuildOptions(records, out, pdf=False)) == 1
    captured = capsys.readouterr()
    assert captured.err == f"reportgen: 拒绝写入 {shown}：{why}，{TAIL}\n"
    assert captured.out == ""
    assert snapshot(watched) == before
    assert build(BuildOptions(records, out, pdf=False)).error == f"拒绝写入 {shown}：{why}，{TAIL}"
    assert snapshot(watched) == before


# -- folders that are never an output -------------------------------------------------------


def test_the_records_folder(tmp_path: Path, office: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = office / "records"
    refused(capsys, tmp_path, records, records, records, "这就是记录目录")


def test_a_folder_inside_the_records(tmp_path: Path, office: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = office / "records"
    why = f"这个目录在记录目录 {records} 之内"
    refused(capsys, tmp_path, records, records / "bulletins", records / "bulletins", why)


def test_a_folder_inside_the_templates(tmp_path: Path, office: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (office / "templates/site").mkdir(parents=True)
    templates = office / "templates"
    why = f"这个目录在模板目录 {templates} 之内"
    refused(capsys, tmp_path, office / "records", templates / "site", templates / "site", why)


def test_dot_at_the_repository_root(
    tmp_path: Path, office: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(office)
    why = "这是记录目录所在的 git 仓库根目录（含 .git）"
    refused(capsys, tmp_path, Path("records"), Path("."), office, why)


def test_dot_dot_above_the_repository(
    tmp_path: Path, office: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(office)
    why = f"这个目录包含记录目录 {office / 'records'}"
    refused(capsys, tmp_path, Path("records"), Path(".."), tmp_path, why)


def test_a_folder_that_contains_the_records(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = write_repository(tmp_path / "plain/data/records", scenario_files())
    why = f"这个目录包含记录目录 {records}"
    refused(capsys, tmp_path, records, tmp_path / "plain", tmp_path / "plain", why)


def test_another_repository_root(tmp_path: Path, office: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other"
    (other / ".git").mkdir(parents=True)
    (other / "README.md").write_text("# 另一个仓库\n", "utf-8")
    refused(capsys, tmp_path, office / "records", other, other, "这是一个 git 仓库根目录（含 .git）")


def test_the_home_folder(
    tmp_path: Path, office: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "笔记.txt").write_text("不要删我\n", "utf-8")
    monkeypatch.setenv("HOME", str(home))
    refused(capsys, tmp_path, office / "records", Path("~"), home, "这是当前用户的主目录")


def test_the_filesystem_root(tmp_path: Path, office: Path, capsys: pytest.CaptureFixture[str]) -> None:
    refused(capsys, tmp_path, office / "records", Path("/"), "/", "这是文件系统的根目录")


def test_an_existing_file(tmp_path: Path, office: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = office / "工作总结.docx"
    refused(capsys, tmp_path, office / "records", document, document, "这是一个已有的文件，不是目录")


def test_a_symlink(tmp_path: Path, office: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site/index.html").write_text("<p>手写的页面</p>\n", "utf-8")
    link = tmp_path / "published"
    link.symlink_to(tmp_path / "site")
    why = f"这是一个符号链接（指向 {tmp_path / 'site'}）"
    refused(capsys, tmp_path, office / "records", link, link, why)


def test_a_folder_of_someone_elses_files(tmp_path: Path, office: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "材料"
    folder.mkdir()
    (folder / "工作总结.docx").write_bytes(b"PK\x03\x04")
    (folder / "说明.txt").write_text("说明\n", "utf-8")
    (folder / ".hidden").write_text("x\n", "utf-8")
    why = "其中已有 工作总结.docx 等 3 个文件，不是 reportgen 生成的输出目录。请换一个空目录，或删除后重试。"
    before = snapshot(tmp_path)
    assert run_build(BuildOptions(office / "records", folder, pdf=False)) == 1
    assert capsys.readouterr().err == f"reportgen: 拒绝写入 {folder}：{why}\n"
    assert snapshot(tmp_path) == before


def test_a_folder_with_one_file_names_it(tmp_path: Path, office: Path) -> None:
    folder = tmp_path / "材料"
    folder.mkdir()
    (folder / "manifest.json").write_text('{"name": "my app"}\n', "utf-8")
    result = build(BuildOptions(office / "records", folder, pdf=False))
    why = "其中已有 manifest.json，不是 reportgen 生成的输出目录。请换一个空目录，或删除后重试。"
    assert result.error == f"拒绝写入 {folder}：{why}"


def test_names_that_would_act_on_the_terminal_are_escaped(tmp_path: Path, office: Path) -> None:
    folder = tmp_path / "out\x1b[2J"
    folder.mkdir()
    (folder / "report\u202excod.exe").write_bytes(b"MZ")
    result = build(BuildOptions(office / "records", folder, pdf=False))
    why = "其中已有 report\\u202excod.exe，不是 reportgen 生成的输出目录。请换一个空目录，或删除后重试。"
    assert result.error == f"拒绝写入 {tmp_path}/out\\x1b[2J：{why}"


def test_protected_reason_without_records(tmp_path: Path) -> None:
    assert protected_reason(tmp_path / "new") is None
    (tmp_path / "repo/.git").mkdir(parents=True)
    reason = f"拒绝写入 {tmp_path / 'repo'}：这是一个 git 仓库根目录（含 .git），{TAIL}"
    assert protected_reason(tmp_path / "repo/sub/..") == reason


# -- folders that are -----------------------------------------------------------------------


def test_a_fresh_empty_folder_beside_the_terminal(
    tmp_path: Path, office: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    monkeypatch.chdir(tmp_path)
    assert run_build(BuildOptions(office / "records", Path("fresh"), pdf=False)) == 0
    assert "构建完成" in capsys.readouterr().out
    assert (fresh / "manifest.json").is_file() and (fresh / MARKER).is_file()
    assert (tmp_path / ".fresh.cache" / cache.STATE_FILE).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".fresh.cache", ".fresh.lock", "fresh", "office"]


SWAPPED_AWAY = "。构建会用新目录整体替换它，终端会停留在被换下的旧目录里（看起来是空的）。" + (
    "请先 cd {parent}，再把输出目录写成 {name}。"
)


@pytest.mark.parametrize("built", [False, True])
def test_dot_the_current_folder(
    tmp_path: Path, office: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, built: bool
) -> None:
    """Swapped out, the folder a terminal is in would leave it in the old one, emptied or removed."""
    site = tmp_path / "site"
    site.mkdir()
    if built:  # an earlier build's output, built from outside it
        build_quietly(office / "records", site)
    monkeypatch.chdir(site)
    before = snapshot(tmp_path)
    assert run_build(BuildOptions(office / "records", Path("."), pdf=False)) == 1
    tail = SWAPPED_AWAY.format(parent=tmp_path, name="site")
    assert capsys.readouterr().err == f"reportgen: 拒绝写入 {site}：这是当前所在的目录{tail}\n"
    assert snapshot(tmp_path) == before
    assert serve(BuildOptions(office / "records", Path("."), pdf=False), port=0) == 1
    assert capsys.readouterr().err == f"reportgen: 拒绝写入 {site}：这是当前所在的目录{tail}\n"
    assert snapshot(tmp_path) == before


def test_a_folder_holding_the_current_folder(
    tmp_path: Path, office: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    build_quietly(office / "records", site)
    monkeypatch.chdir(site / "bulletins")
    before = snapshot(tmp_path)
    assert run_build(BuildOptions(office / "records", Path(".."), pdf=False)) == 1
    why = f"当前所在的目录 {site / 'bulletins'} 在它里面"
    tail = SWAPPED_AWAY.format(parent=tmp_path, name="site")
    assert capsys.readouterr().err == f"reportgen: 拒绝写入 {site}：{why}{tail}\n"
    assert snapshot(tmp_path) == before


def build_quietly(records: Path, out: Path) -> BuildResult:
    """A build that must succeed."""
    result = build(BuildOptions(records, out, pdf=False))
    assert result.error is None and result.report.valid, (result.error, result.report.problems)
    return result


def edit_a_september_issue(records: Path) -> None:
    """An edit that changes every bulletin from September on (August's is reused)."""
    path = records / "issues/2021-09/Q0003.yaml"
    path.write_text(path.read_text("utf-8").replace("title: 用地问题", "title: 用地指标问题"), "utf-8")


def test_a_previous_build_is_replaced_and_incremental_builds_still_work(office: Path) -> None:
    records, out = office / "records", office / "output"  # beside the records, at the repository root
    assert build_quietly(records, out).html_rendered == BULLETINS
    assert build_quietly(records, out).unchanged
    edit_a_september_issue(records)
    again = build_quietly(records, out)
    assert (again.html_rendered, again.html_reused) == (BULLETINS - 1, 1)
    assert "用地指标问题" in (out / "bulletins/2021-09-monthly.html").read_text("utf-8")
    assert sorted(p.name for p in office.iterdir()) == [
        ".git",
        ".output.cache",
        ".output.lock",
        "output",
        "records",
        "工作总结.docx",
    ]


def test_an_output_built_before_the_marker_still_counts(tmp_path: Path, office: Path) -> None:
    records, out = office / "records", tmp_path / "output"
    build_quietly(records, out)
    (out / MARKER).unlink()
    edit_a_september_issue(records)
    build_quietly(records, out)
    assert (out / MARKER).is_file()


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_published_files_have_the_usual_permissions(tmp_path: Path, office: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        build_quietly(office / "records", tmp_path / "output")
    finally:
        os.umask(old)
    folders = {
        oct(p.stat().st_mode & 0o777) for p in [tmp_path / "output", *(tmp_path / "output").rglob("*")] if p.is_dir()
    }
    files = {oct(p.stat().st_mode & 0o777) for p in (tmp_path / "output").rglob("*") if p.is_file()}
    assert (folders, files) == ({oct(0o777 & ~umask)}, {oct(0o666 & ~umask)})


# -- hand-edited build state ----------------------------------------------------------------

STATE = '{"version": 3, "options": "x", "code": "y", "files": %s}'
HEAD = {"version": cache.STATE_VERSION, "options": "x", "code": "y", "day": None, "horizon": None}


def _framed(base: object) -> bytes:
    """A state file of the base ``base`` and no journal, as ``FileStates.dumped`` frames it."""
    data = marshal.dumps(base)
    return MAGIC + len(data).to_bytes(8, "little") + data


BAD_DATE = _framed([HEAD, ["records/config.yaml"], ["1 2 3 4"], ["a"], ["not a date"], [None], [None]])
ENTRY = '{"id": "2021-09-monthly", "kind": "monthly", "period": "2021-09", "title": "t", "html": "x", "sha256": %s}'
GARBAGE = [
    b"[]",
    b'"text"',
    b"\xff\xfe\x00garbage",
    b"[" * 100_000,
    (STATE % "[]").encode(),
    (STATE % '{"records/config.yaml": [1, 2, 3]}').encode(),
    (STATE % '{"records/config.yaml": ["a", "b", "not a date"]}').encode(),
    (STATE % '{"records/config.yaml": ["a", "b"]}').encode(),
    MAGIC + b"\xff\xfe\x00garbage",
    _framed([HEAD, ["records/config.yaml"], [1], ["a"], [None], [None], [None]]),
    _framed([HEAD, ["records/config.yaml"], ["1 2 3 4"], ["a"], [None], [None]]),
    _framed([HEAD, ["records/config.yaml"], ["1 2 3 4"], ["a"], [None], [None], [None]])[:-3],  # cut short
    BAD_DATE,
    b'[{"id": 1}]',
    ("[" + ENTRY % "[]" + "]").encode(),
    ("[" + ENTRY % '{"x": 1}' + "]").encode(),
]


@pytest.mark.parametrize("garbage", GARBAGE, ids=range(len(GARBAGE)))
def test_hand_edited_state_reads_as_none(tmp_path: Path, garbage: bytes) -> None:
    out = tmp_path / "output"
    out.mkdir()
    cache.cache_folder(out).mkdir()
    for path in (out / "manifest.json", cache.state_file(out)):
        path.write_bytes(garbage)
    assert (cache.load_state(out), read_manifest(out), is_build_output(out)) == ({}, [], False)


@pytest.mark.parametrize(
    ("target", "garbage", "rendered"),
    [
        (cache.STATE_FILE, BAD_DATE, BULLETINS),
        ("fingerprint", b"\xff\xfe\x00garbage", BULLETINS - 1),
        ("manifest.json", ("[" + ENTRY % "[]" + "]").encode(), BULLETINS),
        ("manifest.json", b"[" * 100_000, BULLETINS),
    ],
)
def test_hand_edited_state_means_a_full_rebuild(
    tmp_path: Path, office: Path, target: str, garbage: bytes, rendered: int
) -> None:
    records, out = office / "records", tmp_path / "output"
    build_quietly(records, out)
    (out if target == "manifest.json" else cache.cache_folder(out)).joinpath(target).write_bytes(garbage)
    edit_a_september_issue(records)
    assert build_quietly(records, out).html_rendered == rendered
    assert build_quietly(records, out).unchanged


@pytest.mark.parametrize("where", ["", cache.STATE_FILE, "fingerprint", f"{cache.STATE_FILE}.tmp"])
def test_a_folder_or_file_in_the_way_of_the_cache(tmp_path: Path, office: Path, where: str) -> None:
    records, out = office / "records", tmp_path / "output"
    build_quietly(records, out)
    folder = cache.cache_folder(out)
    shutil.rmtree(folder)
    if where:
        (folder / where / "sub").mkdir(parents=True)  # a folder where a cache file belongs
    else:
        folder.write_text("not a folder\n", "utf-8")
    edit_a_september_issue(records)
    assert build_quietly(records, out).html_rendered == BULLETINS
    assert (folder / cache.STATE_FILE).is_file()
    assert build_quietly(records, out).unchanged


def test_a_damaged_manifest_is_rebuilt_even_when_nothing_changed(tmp_path: Path, office: Path) -> None:
    records, out = office / "records", tmp_path / "output"
    build_quietly(records, out)
    (out / "manifest.json").write_text('{"not": "a list"}', "utf-8")
    assert build_quietly(records, out).html_rendered == BULLETINS
    assert (out / "manifest.json").read_text("utf-8").startswith("[")


# -- strict ---------------------------------------------------------------------------------


def test_strict_refuses_to_publish_with_warnings(
    tmp_path: Path, office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records, out = office / "records", tmp_path / "output"
    (records / "issues/notes.txt").write_text("备忘\n", "utf-8")
    build_quietly(records, out)  # without --strict a warning does not stop the build
    before = snapshot(out)
    assert run_build(BuildOptions(records, out, pdf=False, strict=True)) == 1
    err = capsys.readouterr().err
    assert f"{records / 'issues/notes.txt'}:1:1: 警告 W604 " in err
    assert err.endswith(f"构建失败：有 1 个警告，严格模式（--strict）下不发布。原有的 {out} 未被改动。\n")
    assert snapshot(out) == before
    (records / "issues/notes.txt").unlink()
    assert run_build(BuildOptions(records, out, pdf=False, strict=True)) == 0


# -- serve ----------------------------------------------------------------------------------


def test_serve_refuses_the_records_folder(office: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = office / "records"
    before = snapshot(office)
    assert serve(BuildOptions(records, records, pdf=False), 0) == 1
    assert capsys.readouterr().err == f"reportgen: 拒绝写入 {records}：这就是记录目录，{TAIL}\n"
    assert snapshot(office) == before


def test_serve_refuses_a_port_out_of_range(tmp_path: Path, office: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert serve(BuildOptions(office / "records", tmp_path / "output", pdf=False), 70000) == 1
    assert capsys.readouterr().err == "reportgen: 端口 70000 不在 1–65535 之间，请换一个端口。\n"
    assert not (tmp_path / "output").exists()


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port something else listens on, with the next one free."""
    for _ in range(50):
        taken = socket.socket()
        taken.bind(("127.0.0.1", 0))
        port: int = taken.getsockname()[1]
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port + 1))
            except OSError:
                taken.close()
                continue
        taken.listen()
        with taken:
            yield port
        return
    pytest.fail("no port with a free neighbour")


def test_serve_on_a_busy_port_says_so_before_building(
    tmp_path: Path, office: Path, busy_port: int, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(tmp_path)
    assert serve(BuildOptions(office / "records", tmp_path / "output", pdf=False), busy_port) == 1
    assert capsys.readouterr().err == f"reportgen: 端口 {busy_port} 已被占用；可改用 --port {busy_port + 1}。\n"
    assert snapshot(tmp_path) == before  # no build: no output, no lock, no cache


def test_serve_when_no_port_nearby_is_free(
    tmp_path: Path, office: Path, busy_port: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serve_module, "_port_free", lambda host, port: False)
    assert serve(BuildOptions(office / "records", tmp_path / "output", pdf=False), busy_port) == 1
    expected = f"reportgen: 端口 {busy_port} 已被占用，其后的 20 个端口也都被占用；请用 --port 换一个端口。\n"
    assert capsys.readouterr().err == expected


def test_serve_on_a_port_it_may_not_use(
    tmp_path: Path, office: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def denied(*args: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(serve_module, "preview_server", denied)
    assert serve(BuildOptions(office / "records", tmp_path / "output", pdf=False), 80) == 1
    expected = "reportgen: 无法使用 127.0.0.1 的端口 80：没有权限。请用 --port 换一个端口（如 8000）。\n"
    assert capsys.readouterr().err == expected
    assert not (tmp_path / "output").exists()


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[int]:
    """A preview server of a small site on a free port; yields the port."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html><body><p>首页</p></body></html>\n", "utf-8")
    (site / "bulletins").mkdir()
    (site / "bulletins/index.html").write_text("<p>通报</p>\n", "utf-8")
    server = preview_server(site, ServeState(), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def get(port: int, target: str, host: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.putrequest("GET", target, skip_host=True, skip_accept_encoding=True)
    connection.putheader("Host", host)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read().decode("utf-8")
    connection.close()
    return response.status, body


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "LOCALHOST", "[::1]"])
def test_serve_answers_requests_to_this_machine(preview: int, name: str) -> None:
    status, body = get(preview, "/", f"{name}:{preview}")
    assert status == 200 and "<p>首页</p><script>" in body


def test_serve_redirects_a_folder_without_its_slash(preview: int) -> None:
    assert get(preview, "/bulletins", f"127.0.0.1:{preview}")[0] == 301
    status, body = get(preview, "/bulletins/", f"127.0.0.1:{preview}")
    assert status == 200 and body.startswith("<p>通报</p>\n<script>")


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1", "localhost:1", ""])
def test_serve_refuses_another_host(preview: int, host: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert get(preview, "/", host.format(port=preview)) == (
        403,
        "预览只接受本机地址（localhost 或 127.0.0.1）的访问。\n",
    )
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("target", ["/a%00b", "/a%00b.html", "/%ff%fe", "/x%0a.html", "/a%7fb"])
def test_serve_refuses_a_garbled_path(preview: int, target: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert get(preview, target, f"127.0.0.1:{preview}") == (400, "地址中含有不允许的字符。\n")
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("target", ["/" + "a" * 5000 + ".html", "/../../etc/passwd", "/missing/"])
def test_serve_answers_a_missing_path_with_404(preview: int, target: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert get(preview, target, f"127.0.0.1:{preview}")[0] == 404
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("byte", ["\x00", "\x7f"])
def test_serve_refuses_a_raw_control_byte(preview: int, byte: str, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.create_connection(("127.0.0.1", preview), timeout=10) as connection:
        connection.sendall(f"GET /a{byte}b HTTP/1.1\r\nHost: 127.0.0.1:{preview}\r\n\r\n".encode())
        reply = b""
        while chunk := connection.recv(65536):
            reply += chunk
    assert reply.startswith(b"HTTP/1.0 400 ")
    assert reply.endswith("地址中含有不允许的字符。\n".encode())
    assert "Traceback" not in capsys.readouterr().err


def test_serve_end_to_end(tmp_path: Path, office: Path) -> None:
    """``reportgen serve`` builds, answers on localhost only, and stops cleanly on Ctrl+C."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out = tmp_path / "output"
    command = [sys.executable, "-m", "reportgen", "serve", str(office / "records"), "--out", str(out)]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src")}
    process = subprocess.Popen(
        [*command, "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    answers: list[tuple[int, str]] = []
    try:
        assert process.stderr is not None
        assert process.stderr.readline() == "校验记录……\n"  # the port is taken before the build starts
        answers.append(get(port, "/", f"localhost:{port}"))  # waits in the listen queue during the first build
        answers.append(get(port, "/", f"evil.example:{port}"))
    except ConnectionError:
        pass  # the server ended: its exit code and its output below say why
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert stdout.splitlines()[-2:] == [
        f"正在预览：http://127.0.0.1:{port}/  （修改 records/ 或 templates/ 后自动重新构建；Ctrl+C 结束）",
        "已停止。",
    ]
    assert [status for status, _ in answers] == [200, 403]
    assert "/__reportgen__/status" in answers[0][1]
    assert "Traceback" not in stderr
    assert (out / "manifest.json").is_file()


HOLD_AND_FORK = """
import os, sys
from pathlib import Path
from reportgen.publish.atomic import build_lock
with build_lock(Path(sys.argv[1])):
    if os.fork() == 0:  # a PDF worker: lives on, holding the lock file open, until its stdin closes
        sys.stdin.read()
        os._exit(0)
    print("locked", flush=True)
    os._exit(0)  # the build is killed while holding the lock
"""


def test_a_killed_build_leaves_no_lock_behind_in_its_workers(tmp_path: Path) -> None:
    out = tmp_path / "output"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src")}
    build_process = subprocess.Popen(
        [sys.executable, "-c", HOLD_AND_FORK, str(out)],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert build_process.stdout is not None and build_process.stdout.readline() == "locked\n"
        assert build_process.wait(timeout=60) == 0

        def waiting() -> None:
            raise AssertionError("the lock is still held by the killed build's worker")

        with build_lock(out, waiting):
            pass
    finally:
        assert build_process.stdin is not None
        build_process.stdin.close()  # the orphaned worker ends
