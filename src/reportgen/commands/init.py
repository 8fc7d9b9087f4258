"""``reportgen init DIR``: a new office repository with example records, editor settings and CI."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from reportgen.validate import check_repository
from reportgen.workflow.examples import Office
from reportgen.workflow.scaffold import InitError, check_target, repository_files, write_repository

PLACEHOLDER_DISTRICT = "示例区"

Ask = Callable[[str, str], str]


def run_init(
    target: Path,
    name: str | None,
    prefix: str | None,
    district: str | None,
    start: str | None,
    today: dt.date | None = None,
    ask: Ask | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Create the repository; 0 on success, 2 when ``target`` is taken or a value is unusable."""
    out, err = out or sys.stdout, err or sys.stderr
    today = today or dt.date.today()
    if ask is None and sys.stdin.isatty():
        ask = _prompt
    try:
        check_target(target)
        office = office_settings(name, prefix, district, start, today, ask, err)
        write_repository(target, repository_files(office, today))
    except InitError as exc:
        print(f"reportgen: {exc}", file=err)
        return 2
    report = check_repository(target / "records").report
    if not report.valid:  # pragma: no cover - the examples are tested to be valid
        print(f"reportgen: 生成的示例记录有 {len(report.errors)} 个错误，请报告这个问题", file=err)
        return 1
    out.write(next_steps(target, office))
    return 0


def office_settings(
    name: str | None,
    prefix: str | None,
    district: str | None,
    start: str | None,
    today: dt.date,
    ask: Ask | None,
    err: TextIO,
) -> Office:
    """The office's settings: the flags, else answers to questions, else defaults (with a note)."""
    if district is None:
        district = ask("地区名称（如 川汇区）", PLACEHOLDER_DISTRICT) if ask else None
        if district is None:
            district = PLACEHOLDER_DISTRICT
            print(f"提示：没有给出 --district，暂用“{district}”，请之后修改 records/config.yaml。", file=err)
    default_name = f"{district}“万人助万企”活动领导小组办公室"
    default_prefix = f"{district[:1]}助企"
    if name is None:
        name = ask("发文机关名称", default_name) if ask else default_name
    if prefix is None:
        prefix = ask("发文字号前缀（文号如 川助企〔2021〕9号 中的“川助企”）", default_prefix) if ask else default_prefix
    if start is None and ask:
        start = ask("活动开始日期（年-月-日）", today.isoformat())
    return Office(_text(name, "发文机关名称"), _text(district, "地区名称"), _prefix(prefix), _date(start, today))


def _text(value: str, label: str) -> str:
    value = value.strip()
    if not value or "\n" in value:
        raise InitError(f"{label}不能为空，也不能换行")
    return value


def _prefix(value: str) -> str:
    value = _text(value, "发文字号前缀")
    if any(ch.isspace() for ch in value) or any(ch in value for ch in "〔〕[]"):
        raise InitError(f"发文字号前缀“{value}”不能含空格或括号：文号中的〔年份〕和序号会自动加上")
    return value


def _date(value: str | None, today: dt.date) -> dt.date:
    if value is None or not value.strip():
        return today
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise InitError(f"活动开始日期“{value}”无效，请写成 2021-08-01") from exc


def _prompt(question: str, default: str) -> str:
    try:
        answer = input(f"{question} [{default}]：").strip()
    except EOFError:
        raise InitError("输入已结束，没有创建仓库") from None
    return answer or default


def next_steps(target: Path, office: Office) -> str:
    """What to do after ``init``."""
    return (
        f"已创建 {target}（{office.name}，文号前缀 {office.prefix}，活动开始于 {office.start.isoformat()}），"
        "示例记录已通过检查。\n"
        "下一步：\n"
        f"  cd {target}\n"
        '  git init -b main && git add . && git commit -m "新建记录仓库"\n'
        "  reportgen check records            # 检查记录\n"
        "  reportgen new enterprise           # 新建一条企业记录\n"
        "  pre-commit install                 # 每次提交前自动检查（需先 pip install pre-commit）\n"
        "示例记录（E001、Q0001 等）正式使用前请修改或删除；CI 文件中的 REPORTGEN_PIP_SPEC 请改成实际地址。\n"
    )
