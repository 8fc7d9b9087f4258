"""``reportgen init DIR``: a new office repository with example records, editor settings and CI."""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from reportgen.cms.config import office_files
from reportgen.formatting import shown_path
from reportgen.lang import Pair, Said, Words, pick
from reportgen.validate import check_repository
from reportgen.validate.fields import MIN_YEAR
from reportgen.workflow.examples import Office, calendar_years
from reportgen.workflow.holidays import calendar_for, covered_years, package_label, uncovered_note
from reportgen.workflow.install import InstallSource, SourceError, running_source, source_from_spec
from reportgen.workflow.scaffold import InitError, check_target, repository_files, staged, write_files

PLACEHOLDER_DISTRICT = "示例区"

Ask = Callable[[str, str], str]

MESSAGES: dict[str, Pair] = {
    "examples_invalid": (
        "生成的示例记录有 {count} 个错误（{first}），没有写入任何文件；请报告这个问题",
        "the example records have {count} errors ({first}); nothing was written; please report this",
    ),
    "note": ("提示：{text}", "note: {text}"),
    "uncovered": (
        "{text}",
        "the holiday data that comes with reportgen ({package}) covers {first} to {last} only, not {year}: "
        "fill in {year}'s days off and worked weekend days from the State Council's notice.",
    ),
    "local_source": (
        "CI 文件和提交前检查将从本机上的位置安装 reportgen（{label}），"
        "GitHub、GitLab 上的 CI 访问不到；推送前请用 --source 给出 reportgen 的 git 地址和版本重新生成，"
        "或修改 CI 文件中的 REPORTGEN_PIP_SPEC 和 .pre-commit-config.yaml。",
        "CI and pre-commit will install reportgen from a place on this machine ({label}), which CI on GitHub "
        "or GitLab cannot reach; before pushing, run init again with --source giving reportgen's git URL and "
        "version, or edit REPORTGEN_PIP_SPEC in the CI files and .pre-commit-config.yaml.",
    ),
    "no_district": (
        "提示：没有给出 --district，暂用“{district}”，请之后修改 records/config.yaml。",
        "note: no --district given; using '{district}' for now: change it in records/config.yaml later.",
    ),
    "ask_district": ("地区名称（如 川汇区）", "district (e.g. 川汇区)"),
    "ask_name": ("发文机关名称", "the issuing office's name"),
    "ask_prefix": (
        "发文字号前缀（文号如 川助企〔2021〕9号 中的“川助企”）",
        "document-number prefix (the 川助企 of 川助企〔2021〕9号)",
    ),
    "ask_start": ("活动开始日期（年-月-日）", "the campaign's start (YYYY-MM-DD)"),
    "prompt": ("{question} [{default}]：", "{question} [{default}]: "),
    "name": ("发文机关名称", "the issuing office's name"),
    "district": ("地区名称", "the district"),
    "prefix": ("发文字号前缀", "the document-number prefix"),
    "empty": ("{label_zh}不能为空，也不能换行", "{label_en} must not be empty or hold a line break"),
    "prefix_chars": (
        "发文字号前缀“{value}”不能含空格或括号：文号中的〔年份〕和序号会自动加上",
        "the document-number prefix '{value}' must hold no space or bracket: the year and number are added to it",
    ),
    "bad_date": (
        "活动开始日期“{value}”不是有效的日期，请写成 2021-08-01 这样的年-月-日",
        "the campaign's start '{value}' is no date: write it as YYYY-MM-DD, e.g. 2021-08-01",
    ),
    "date_range": (
        "活动开始日期 {day} 超出范围：应在 {first} 至 {last} 之间，请核对年份",
        "the campaign's start {day} is out of range: it must lie from {first} to {last}; check the year",
    ),
    "input_ended": ("输入已结束，没有创建仓库", "the input ended; no repository was created"),
    "next_steps": (
        "已创建 {target}（{name}，文号前缀 {prefix}，活动开始于 {start}），示例记录已通过检查。\n"
        "CI 和提交前检查安装的 reportgen：{source}。\n"
        "下一步：\n"
        "  cd {target}\n"
        '  git init -b main && git add . && git commit -m "新建记录仓库"\n'
        "  reportgen check records            # 检查记录\n"
        "  reportgen new 企业                 # 新建一条企业记录\n"
        "  pre-commit install                 # 每次提交前自动检查（需先 pip install pre-commit）\n"
        "示例记录（E001、Q0001 等，标有“示例记录”）正式发布前请删除或改写：在此之前检查会逐条提醒。\n",
        "created {target} ({name}, document-number prefix {prefix}, campaign from {start}); "
        "the example records pass check.\n"
        "CI and pre-commit install reportgen from: {source}.\n"
        "Next:\n"
        "  cd {target}\n"
        '  git init -b main && git add . && git commit -m "new records repository"\n'
        "  reportgen check records            # check the records\n"
        "  reportgen new enterprise           # write a new enterprise record\n"
        "  pre-commit install                 # check before every commit (pip install pre-commit first)\n"
        "Delete or rewrite the example records (E001, Q0001, …, marked example: true) before publishing: "
        "until then check warns about each one.\n",
    ),
}


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
    lang: str = "zh",
) -> int:
    """Create the repository; 0 on success, 2 when ``target`` or a value is unusable (nothing written then).

    ``git_host`` (host, repository, self-hosted address) adds the web editor's admin/ files.
    """
    out, err = out or sys.stdout, err or sys.stderr
    today = today or dt.date.today()
    if ask is None and sys.stdin.isatty():
        ask = functools.partial(_prompt, lang=lang)
    try:
        check_target(target)
        installed = source_from_spec(source) if source is not None else running_source()
        office = office_settings(name, prefix, district, start, today, ask, err, lang)
        with staged(target) as staging:
            files = repository_files(office, today, installed)
            if git_host is not None:
                files |= office_files(*git_host)
            write_files(staging, files)
            _check_examples(staging / "records")
    except (InitError, SourceError) as exc:
        print(f"reportgen: {exc.text(lang) if isinstance(exc, Said) else exc}", file=err)
        return 2
    err.write(notes(office, today, installed, lang))
    out.write(next_steps(target, office, installed, lang))
    return 0


def _check_examples(records: Path) -> None:
    """The new repository must pass its own ``check``: warnings about the examples only."""
    report = check_repository(records, use_cache=False).report
    if not report.valid:  # pragma: no cover - the examples are tested to be valid
        first = report.errors[0]
        raise InitError(
            MESSAGES["examples_invalid"],
            count=len(report.errors),
            first=Words(first.message("zh"), first.message("en")),
        )


def notes(office: Office, today: dt.date, installed: InstallSource, lang: str = "zh") -> str:
    """What the office must know at once: calendar years left empty, a source CI cannot reach."""
    texts = [_uncovered(year, lang) for year in calendar_years(office, today) if calendar_for(year) is None]
    if installed.local:
        texts.append(pick(MESSAGES["local_source"], lang, label=installed.label.text(lang)))
    return "".join(pick(MESSAGES["note"], lang, text=text) + "\n" for text in texts)


def _uncovered(year: int, lang: str) -> str:
    """Why ``year``'s calendar file is left empty (in Chinese as ``holidays.uncovered_note`` words it)."""
    years = covered_years()
    return pick(
        MESSAGES["uncovered"],
        lang,
        text=uncovered_note(year),
        package=package_label(),
        first=years[0],
        last=years[-1],
        year=year,
    )


def office_settings(
    name: str | None,
    prefix: str | None,
    district: str | None,
    start: str | None,
    today: dt.date,
    ask: Ask | None,
    err: TextIO,
    lang: str = "zh",
) -> Office:
    """The office's settings: the flags, else answers to questions, else defaults (with a note)."""

    def question(key: str, default: str) -> str:
        return ask(pick(MESSAGES[key], lang), default) if ask else default

    if district is None and ask is None:
        district = PLACEHOLDER_DISTRICT
        print(pick(MESSAGES["no_district"], lang, district=district), file=err)
    elif district is None:
        district = question("ask_district", PLACEHOLDER_DISTRICT)
    default_name = f"{district}“万人助万企”活动领导小组办公室"
    default_prefix = f"{district[:1]}助企"
    if name is None:
        name = question("ask_name", default_name)
    if prefix is None:
        prefix = question("ask_prefix", default_prefix)
    if start is None and ask:
        start = question("ask_start", today.isoformat())
    return Office(_text(name, "name"), _text(district, "district"), _prefix(prefix), _date(start, today))


def _text(value: str, label: str) -> str:
    """A setting's value without surrounding spaces; an InitError naming it (``MESSAGES[label]``) when empty."""
    value = value.strip()
    if not value or "\n" in value:
        zh, en = MESSAGES[label]
        raise InitError(MESSAGES["empty"], label_zh=zh, label_en=en)
    return value


def _prefix(value: str) -> str:
    value = _text(value, "prefix")
    if any(ch.isspace() for ch in value) or any(ch in value for ch in "〔〕[]"):
        raise InitError(MESSAGES["prefix_chars"], value=value)
    return value


def _date(value: str | None, today: dt.date) -> dt.date:
    if value is None or not value.strip():
        return today
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise InitError(MESSAGES["bad_date"], value=value) from exc
    first, last = dt.date(MIN_YEAR, 1, 1), dt.date(today.year + 1, 12, 31)
    if not first <= day <= last:
        raise InitError(MESSAGES["date_range"], day=day.isoformat(), first=first.isoformat(), last=last.isoformat())
    return day


def _prompt(question: str, default: str, lang: str = "zh") -> str:
    """The answer typed at the terminal, or ``default`` when none was typed."""
    try:
        answer = input(pick(MESSAGES["prompt"], lang, question=question, default=default)).strip()
    except EOFError:
        raise InitError(MESSAGES["input_ended"]) from None
    return answer or default


def next_steps(target: Path, office: Office, installed: InstallSource, lang: str = "zh") -> str:
    """What to do after ``init``."""
    return pick(
        MESSAGES["next_steps"],
        lang,
        target=shown_path(target, lang),
        name=office.name,
        prefix=office.prefix,
        start=office.start.isoformat(),
        source=installed.label.text(lang),
    )
