"""Hostile ``reportgen new``: nothing is ever written outside records/ (periods, kinds and ids that
climb out, folders that are links to elsewhere), and extreme values are refused with a plain message,
exit 2, never a traceback."""

from __future__ import annotations

import datetime as dt
import io
import os
import signal
from pathlib import Path

import pytest
from conftest import OfficeRepo

from reportgen.commands.new import run_new

TODAY = dt.date(2021, 9, 14)
FORMS = "无法识别：月份写成 2021-09，季度写成 2021-Q3，年度写成 2021"
KINDS = "不认识，只能是 monthly（月通报）、quarterly（季点评）或 annual（年度考核）"


def new(office: OfficeRepo, kind: str, *tokens: str) -> tuple[int, str, str]:
    """Run ``reportgen new`` on the minimal repository; (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = run_new(kind, list(tokens), office.root, today=TODAY, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def files_outside(office: OfficeRepo) -> list[str]:
    """Every file under the test's folder but outside records/."""
    top = office.root.parent
    return sorted(
        str(Path(folder, name).relative_to(top))
        for folder, _, names in os.walk(top)
        for name in names
        if not Path(folder, name).is_relative_to(office.root)
    )


@pytest.mark.parametrize(
    ("kind", "tokens", "message"),
    [
        ("bulletin", ["--period", "../../x"], f"--period：时期“../../x”{FORMS}"),
        ("bulletin", ["--period", "/tmp/x"], f"--period：时期“/tmp/x”{FORMS}"),
        ("bulletin", ["--period", "2021-09/../../../x"],
         f"--period：时期“2021-09/../../../x”{FORMS}"),
        ("bulletin", ["--kind", "../../y"], f"--kind：通报种类“../../y”{KINDS}"),
        ("bulletin", ["--kind", "monthly/../../y", "--period", "2021-09"],
         f"--kind：通报种类“monthly/../../y”{KINDS}"),
        ("bulletin", ["--period", "2021-9"], "--period：时期“2021-9”的写法不对，请写成 2021-09"),
        ("bulletin", ["--period", "2021-13"], "--period：时期“2021-13”的月份 13 不存在：月份从 01 到 12，如 2021-09"),
        ("bulletin", ["--period", "0001-01"], "--period：时期“0001-01”的年份 1 超出范围：年份在 1990 到 2100 之间"),
        ("bulletin", ["--period", "2021-Q3"], "--period：月通报的时期是一个月，如 2021-09，不能写 2021-Q3"),
        ("bulletin", ["--kind", "quarterly", "--period", "2021-09"],
         "--period：季点评的时期是一个季度，如 2021-Q3，不能写 2021-09"),
        ("bulletin", ["--period", "2021"], "--period：月通报的时期是一个月，如 2021-09，不能写 2021"),
        ("enterprise", ["--id", "../../z"], "编号“../../z”不是企业的编号（形如 E001），没有写入文件"),
        ("enterprise", ["--id", "/tmp/E001"], "编号“/tmp/E001”不是企业的编号（形如 E001），没有写入文件"),
        ("visit", ["--id", "../V0001"], "编号“../V0001”不是走访的编号（形如 V0001），没有写入文件"),
        ("enterprise", ["--id", "E001\n"], "编号“E001\\x0a”不是企业的编号（形如 E001），没有写入文件"),
        ("enterprise", ["--id", "E" + "1" * 100_000],
         f"编号“E{'1' * 39}…（共 100001 个字符）”不是企业的编号（形如 E001），没有写入文件"),
        ("enterprise", ["\x1b[2J", "x"], "无法理解参数“\\x1b[2J”：字段写成 --字段名 值，例如 --enterprise E012"),
        ("enterprise", ["--nam\x1be", "x"], "企业没有字段“nam\\x1be”。可用的字段："),
        ("enterprise", ["--contact.x\u202e", "x"], "字段“contact”下没有“x\\u202e”"),
    ],
)  # fmt: skip
def test_nothing_is_written_outside_records(office: OfficeRepo, kind: str, tokens: list[str], message: str) -> None:
    code, out, err = new(office, kind, *tokens)
    assert (code, out) == (2, "")
    assert err.startswith(f"reportgen: {message}"), err[:300]
    assert files_outside(office) == []


def test_a_folder_that_is_a_link_to_elsewhere_is_not_written_through(office: OfficeRepo, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (office.root / "visits" / "2021-09").symlink_to(elsewhere)
    code, out, err = new(office, "visit", "--enterprise", "E001", "--date", "2021-09-10")
    path = office.root / "visits" / "2021-09" / "V0002.yaml"
    assert (code, out) == (2, "")
    assert err == (
        f"reportgen: {path} 不在记录目录 {office.root} 之内（途中的文件夹是指向别处的链接），没有写入文件；"
        "请把链接换成普通文件夹\n"
    )
    assert list(elsewhere.iterdir()) == []


def test_the_records_folder_itself_may_be_a_link(office: OfficeRepo, tmp_path: Path) -> None:
    link = tmp_path / "linked-records"
    link.symlink_to(office.root)
    out, err = io.StringIO(), io.StringIO()
    assert run_new("enterprise", [], link, today=TODAY, out=out, err=err) == 0, err.getvalue()
    assert out.getvalue() == f"{link / 'enterprises' / 'E002.yaml'}\n"


def test_a_pipe_among_the_records_is_never_waited_on(office: OfficeRepo) -> None:
    """The issue's visit is looked for among that month's visits: a named pipe there is skipped, not read."""
    os.mkfifo(office.root / "visits" / "2021-08" / "V0009.yaml")

    def hung(*_: object) -> None:
        raise TimeoutError("reportgen new waited on a named pipe")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)
    try:
        code, out, err = new(office, "issue", "--enterprise", "E001", "--raised", "2021-08-05")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert code == 0, err
    assert "visit: V0001" in Path(out.strip()).read_text("utf-8")


@pytest.mark.parametrize(
    ("tokens", "message"),
    [
        (["--employees", "9" * 5000], "--employees：用工人数应当是整数"),
        (["--employees", "-" + "9" * 30], "--employees：用工人数应当是整数"),
        (["--employees", "99999999999999999"], "--employees：用工人数不能为负数或超出范围"),
        (["--investment-yuan", "9" * 100_000], "--investment-yuan：总投资（元）"),
        (["--joined", "9999-12-31"], "--joined：入库日期不是有效日期：9999-12-31"),
        (["--joined", "2021-02-30"], "--joined：入库日期不是有效日期：2021-02-30"),
        (["--name", "甲\x1b[2J乙"], "--name：企业名称含有"),
        (["--name", "x" * 100_000], "--name：企业名称的格式不对"),
    ],
    ids=["int_5000_digits", "negative_huge", "int_out_of_range", "money_100k_digits", "year_9999", "feb_30",
         "escape", "100k_characters"],
)  # fmt: skip
def test_extreme_values_are_refused(office: OfficeRepo, tokens: list[str], message: str) -> None:
    code, out, err = new(office, "enterprise", *tokens)
    assert (code, out) == (2, "")
    first, problem = err.splitlines()[:2]
    assert first == "reportgen: 给出的值有问题，没有写入文件："
    assert problem.startswith(f"  {message}"), problem[:200]
    assert "\x1b" not in err
    assert sorted(p.name for p in (office.root / "enterprises").iterdir()) == ["E001.yaml"]


def test_bytes_that_are_no_utf8_are_refused(office: OfficeRepo) -> None:
    """A terminal in GBK passes bytes Python keeps as surrogates: refused by name, never written."""
    code, out, err = new(office, "enterprise", "--name", b"\xff\xfe".decode("utf-8", "surrogateescape") + "甲")
    assert (code, out) == (2, "")
    assert err == "reportgen: --name 的值里有无法识别的字节（不是 UTF-8 文字）：请把终端设为 UTF-8 后重新输入\n"
