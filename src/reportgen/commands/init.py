"""``reportgen init DIR``: a new office repository with example records, editor settings and CI."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from reportgen.cms.config import office_files
from reportgen.validate import check_repository
from reportgen.validate.fields import MIN_YEAR
from reportgen.workflow.examples import Office, calendar_years
from reportgen.workflow.holidays import calendar_for, uncovered_note
from reportgen.workflow.install import InstallSource, SourceError, running_source, source_from_spec
from reportgen.workflow.scaffold import InitError, check_target, repository_files, staged, write_files

PLACEHOLDER_DISTRICT = "示例区"

Ask = Callable[[str, str], str]


def run_init(
    target: Path,
    name: str | None,
    prefix: str | None,
    district: str | None,
    start: str | None,
    source: str | None = None,
    today: dt.date | None = None,
    ask: Ask | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    git_host: tuple[str, str, str | None] | None = None,
) -> int:
    """Create the repository; 0 on success, 2 when ``target`` or a value is unusable (nothing written then).

    ``git_host`` (host, repository, self-hosted address) adds the web editor's admin/ files.
    """
    out, err = out or sys.stdout, err or sys.stderr
    today = today or dt.date.today()
    if ask is None and sys.stdin.isatty():
        ask = _prompt
    try:
        check_target(target)
        installed = source_from_spec(source) if source is not None else running_source()
        office = office_settings(name, prefix, district, start, today, ask, err)
        with staged(target) as staging:
            files = repository_files(office, today, installed)
            if git_host is not None:
                files |= office_files(*git_host)
            write_files(staging, files)
            _check_examples(staging / "records")
    except (InitError, SourceError) as exc:
        print(f"reportgen: {exc}", file=err)
        return 2
    err.write(notes(office, today, installed))
    out.write(next_steps(target, office, installed))
    return 0


def _check_examples(records: Path) -> None:
    """The new repository must pass its own ``check``: warnings about the examples only."""
    report = check_repository(records, use_cache=False).report
    if not report.valid:  # pragma: no cover - the examples are tested to be valid
        first = report.errors[0].message()
        raise InitError(f"生成的示例记录有 {len(report.errors)} 个错误（{first}），没有写入任何文件；请报告这个问题")


def notes(office: Office, today: dt.date, installed: InstallSource) -> str:
    """What the office must know at once: calendar years left empty, a source CI cannot reach."""
    years = calendar_years(office, today)
    lines = [f"提示：{uncovered_note(year)}" for year in years if calendar_for(year) is None]
    if installed.local:
        lines.append(
            f"提示：CI 文件和提交前检查将从本机上的位置安装 reportgen（{installed.label}），"
            "GitHub、GitLab 上的 CI 访问不到；推送前请用 --source 给出 reportgen 的 git 地址和版本重新生成，"
            "或修改 CI 文件中的 REPORTGEN_PIP_SPEC 和 .pre-commit-config.yaml。"
        )
    return "".join(line + "\n" for line in lines)


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
        day = dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise InitError(f"活动开始日期“{value}”不是有效的日期，请写成 2021-08-01 这样的年-月-日") from exc
    first, last = dt.date(MIN_YEAR, 1, 1), dt.date(today.year + 1, 12, 31)
    if not first <= day <= last:
        raise InitError(
            f"活动开始日期 {day.isoformat()} 超出范围：应在 {first.isoformat()} 至 {last.isoformat()} 之间，请核对年份"
        )
    return day


def _prompt(question: str, default: str) -> str:
    try:
        answer = input(f"{question} [{default}]：").strip()
    except EOFError:
        raise InitError("输入已结束，没有创建仓库") from None
    return answer or default


def next_steps(target: Path, office: Office, installed: InstallSource) -> str:
    """What to do after ``init``."""
    return (
        f"已创建 {target}（{office.name}，文号前缀 {office.prefix}，活动开始于 {office.start.isoformat()}），"
        "示例记录已通过检查。\n"
        f"CI 和提交前检查安装的 reportgen：{installed.label}。\n"
        "下一步：\n"
        f"  cd {target}\n"
        '  git init -b main && git add . && git commit -m "新建记录仓库"\n'
        "  reportgen check records            # 检查记录\n"
        "  reportgen new enterprise           # 新建一条企业记录\n"
        "  pre-commit install                 # 每次提交前自动检查（需先 pip install pre-commit）\n"
        "示例记录（E001、Q0001 等，标有“示例记录”）正式发布前请删除或改写：在此之前检查会逐条提醒。\n"
    )
