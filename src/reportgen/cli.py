"""The command line: parse flags, call one function, exit with its code — and never show a traceback.

Messages are Chinese unless ``--lang en`` stands anywhere on the line.  Exit codes:
0 success, 1 the records have errors or the command failed, 2 a usage error, 70 a
defect of reportgen itself (a short report instead of a traceback; ``REPORTGEN_DEBUG=1``
shows the traceback), 130 interrupted.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import io
import os
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from reportgen.cliargs import PARSER_CLASSES, CliParser, bounded_int, take_lang
from reportgen.formatting import shown_path, terminal_safe
from reportgen.lang import LANGS, Pair, os_reason, pick
from reportgen.model import CacheDamaged
from reportgen.render import INTERNAL, PROFILE_NAMES, PUBLIC
from reportgen.schema.kinds import BULLETIN_KIND_NAMES, KINDS_BY_NAME

DEFAULT_RECORDS = Path("records")
INTERNAL_ERROR_CODE = 70  # EX_SOFTWARE: an internal software error
INTERRUPTED_CODE = 130

Text = Callable[[str, str], str]  # (Chinese, English) → the text in the chosen language

MESSAGES: dict[str, Pair] = {
    "missing": (
        "reportgen: 找不到记录目录 {path}（请在办公室仓库的根目录运行，或给出记录目录的路径）",
        "reportgen: records folder {path} not found (run in the office repository's root, or give its path)",
    ),
    "not_folder": (
        "reportgen: {path} 是文件，不是记录目录（请给出 records 这样的目录）",
        "reportgen: {path} is a file, not a records folder (give a folder such as records/)",
    ),
    "system": ("reportgen: 无法完成：{detail}", "reportgen: could not finish: {detail}"),
    "interrupted": ("已中断。", "Interrupted."),
    "cache_damaged": (
        "reportgen: 校验缓存已损坏并已删除，重新读取全部记录……",
        "reportgen: the check cache was damaged and is removed; reading every record again…",
    ),
    "repo_needed": (
        "reportgen: 使用 --git-host 时请用 --repo 给出仓库，如 --repo zhuqi/records",
        "reportgen: --git-host needs --repo with the repository, e.g. --repo zhuqi/records",
    ),
    "internal": (
        "reportgen 内部错误：命令意外中止。这是程序的缺陷，请把以下信息报告给维护人员：\n  {detail}",
        "reportgen internal error: the command stopped unexpectedly. This is a bug; "
        "please report this line to the maintainers:\n  {detail}",
    ),
}


def message(key: str, lang: str, **params: object) -> str:
    """One of the command line's own messages in ``lang``."""
    return pick(MESSAGES[key], lang, **params)


def _text(lang: str) -> Text:
    return lambda zh, en: en if lang == "en" else zh


def _lang_arg(parser: argparse.ArgumentParser, t: Text) -> None:
    """``--lang`` on every parser, for the help text: its value is taken from the line before parsing."""
    parser.add_argument(
        "--lang",
        choices=LANGS,
        default=argparse.SUPPRESS,
        help=t("消息语言：zh 中文（默认），en 英文；可写在命令行的任何位置", "message language: zh (default) or en"),
    )


def spelled_alike(text: str) -> Path:
    """A folder or file named on the command line, spelled one way: from the working folder when inside it.

    The check's cache and the build's page keys hold the records' paths as the command
    names them (a message says ``records/issues/2021-08/Q0001.yaml:3:1``), so ``records``
    and its absolute path were two folders to them: each switch between the two checked
    and rendered every record again (100,000 issues: a check 16 s instead of 1.6 s).  Now
    both are ``records``; a path outside the working folder keeps its form (``../office/records``,
    ``/srv/office/records``), tidied.
    """
    try:
        here = os.getcwd()
    except OSError:  # the working folder was removed: the path as given
        return Path(text)
    path = os.path.abspath(text)
    if path == here or path.startswith(os.path.join(here, "")) or not os.path.isabs(text):
        return Path(os.path.relpath(path, here))
    return Path(path)


def _records_arg(parser: argparse.ArgumentParser, t: Text) -> None:
    parser.add_argument(
        "records",
        nargs="?",
        type=spelled_alike,
        default=DEFAULT_RECORDS,
        metavar=t("记录目录", "RECORDS"),
        help=t("记录目录（默认 records/）", "the records folder (default records/)"),
    )


def build_parser(lang: str = "zh") -> CliParser:
    """The argument parser with every subcommand, its messages and help in ``lang``."""
    t = _text(lang)
    parser = PARSER_CLASSES[lang](
        prog="reportgen",
        description=t(
            "“万人助万企”记录的校验、统计、通报与发布",
            "validate, count, report and publish the records of the campaign",
        ),
    )
    _lang_arg(parser, t)
    sub = parser.add_subparsers(dest="command", required=True, metavar=t("命令", "COMMAND"))
    _check_parser(sub, t)
    _stats_parser(sub, t)
    _build_parser(sub, t, lang)
    _serve_parser(sub, t, lang)
    for name, zh, en, default in (
        ("schema", "导出各类记录的 JSON Schema", "write the JSON Schema of each record kind", "schemas"),
        ("docs", "生成 docs/records.md 与 docs/metrics.md", "write docs/records.md and docs/metrics.md", "docs"),
    ):
        generated = sub.add_parser(name, help=t(zh, en), description=t(zh, en))
        generated.add_argument(
            "--out",
            type=Path,
            default=Path(default),
            metavar=t("目录", "DIR"),
            help=t(f"输出目录（默认 {default}/）", f"output folder (default {default}/)"),
        )
        _lang_arg(generated, t)
    _workflow_parsers(sub, t)
    _excel_parsers(sub, t)
    return parser


if TYPE_CHECKING:
    Subparsers = argparse._SubParsersAction[CliParser]


def _check_parser(sub: Subparsers, t: Text) -> None:
    text = t("校验记录，列出全部问题", "validate the records and list every problem")
    check = sub.add_parser("check", help=text, description=text)
    check.add_argument(
        "records",
        nargs="*",
        type=spelled_alike,
        default=[DEFAULT_RECORDS],
        metavar=t("记录目录或文件", "PATH"),
        help=t(
            "记录目录，或其中的一个或几个文件（默认 records/）；给出文件时校验整个目录，只列出这些文件的问题",
            "the records folder, or files in it (default records/); for files the whole folder is "
            "validated and only their problems are listed",
        ),
    )
    check.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help=t(
            "输出格式：text 文字（默认），json 供其他程序读取，github 在 GitHub 的改动行上标注",
            "output: text (default), json for tools, github annotations on the changed lines",
        ),
    )
    check.add_argument("--strict", action="store_true", help=t("警告也算失败", "fail on warnings too"))
    _lang_arg(check, t)


def _stats_parser(sub: Subparsers, t: Text) -> None:
    text = t("计算某一时期的统计数字", "compute the statistics of a period")
    stats = sub.add_parser("stats", help=text, description=text)
    _records_arg(stats, t)
    stats.add_argument(
        "--period",
        metavar=t("时期", "PERIOD"),
        help=t("时期：2021-09、2021-Q3 或 2021", "period: 2021-09, 2021-Q3 or 2021"),
    )
    stats.add_argument(
        "--as-of",
        dest="as_of",
        metavar=t("日期", "DATE"),
        help=t("截止日期（YYYY-MM-DD），须在时期之内", "cut-off date (YYYY-MM-DD) within the period"),
    )
    stats.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help=t("输出格式：table 表格（默认），json 供其他程序读取", "output: table (default) or json for tools"),
    )
    _lang_arg(stats, t)


def _profile_arg(parser: argparse.ArgumentParser, t: Text) -> None:
    _labelled_arg(
        parser,
        "--profile",
        PROFILE_NAMES,
        default=PUBLIC,
        help=t(
            f"{PROFILE_NAMES[PUBLIC]}（{PUBLIC}，默认）删去全部非公开信息；{PROFILE_NAMES[INTERNAL]}（{INTERNAL}）保留",
            f"{PUBLIC} (default) leaves out every private field; {INTERNAL} keeps them",
        ),
    )


def _out_arg(parser: argparse.ArgumentParser, t: Text) -> None:
    parser.add_argument(
        "--out",
        type=spelled_alike,
        default=Path("output"),
        metavar=t("目录", "DIR"),
        help=t("输出目录（默认 output/）", "output folder (default output/)"),
    )


def _build_parser(sub: Subparsers, t: Text, lang: str) -> None:
    text = t(
        "生成通报（HTML 和 PDF）、网站和 manifest.json",
        "build the bulletins (HTML and PDF), the site and manifest.json",
    )
    build = sub.add_parser("build", help=text, description=text)
    _records_arg(build, t)
    _out_arg(build, t)
    build.add_argument(
        "--period",
        action="append",
        default=[],
        metavar=t("时期", "PERIOD"),
        help=t(
            "只生成这些时期（可重复），如 2021-09、2021-Q3", "only these periods (repeatable), e.g. 2021-09, 2021-Q3"
        ),
    )
    kinds = [f"{label}（{kind}）" for kind, label in BULLETIN_KIND_NAMES.items()]
    _labelled_arg(
        build,
        "--kind",
        BULLETIN_KIND_NAMES,
        metavar=t("种类", "KIND"),
        help=t(
            f"只生成{'、'.join(kinds[:-1])}或{kinds[-1]}",
            "only the monthly notices, the quarterly reviews or the annual assessments",
        ),
    )
    build.add_argument("--no-pdf", dest="pdf", action="store_false", help=t("不生成 PDF", "no PDF"))
    _profile_arg(build, t)
    build.add_argument(
        "--jobs",
        type=bounded_int(0, None, ("进程数", "the number of processes"), lang),
        default=0,
        metavar=t("进程数", "N"),
        help=t("并行生成 PDF 的进程数（默认 0：每个 CPU 核一个）", "PDF worker processes (default 0: one per core)"),
    )
    build.add_argument("--strict", action="store_true", help=t("警告也算失败，不发布", "fail on warnings too"))
    build.add_argument(
        "--as-of",
        dest="as_of",
        type=_iso_day(lang),
        metavar=t("日期", "DATE"),
        help=t(
            "尚未结束的时期按这一天统计（YYYY-MM-DD，默认今天）",
            "compute periods not yet ended as of this day (YYYY-MM-DD, default today)",
        ),
    )
    _lang_arg(build, t)


def _iso_day(lang: str) -> Callable[[str], dt.date]:
    """A ``type=`` function: a date written YYYY-MM-DD, or a usage error in ``lang`` saying what is wrong with it
    (another spelling, with the date meant; a day its month does not have) as ``stats --as-of`` says it."""

    def convert(text: str) -> dt.date:
        from reportgen.compute.periods import PeriodError, parse_day

        try:
            return parse_day(text)
        except PeriodError as exc:
            raise argparse.ArgumentTypeError(exc.text(lang)) from None

    return convert


def _serve_parser(sub: Subparsers, t: Text, lang: str) -> None:
    text = t(
        "构建并在本机预览，记录或模板改动后自动重新构建并刷新页面",
        "build and preview on this machine, rebuilding and reloading on every change",
    )
    serve = sub.add_parser("serve", help=text, description=text)
    _records_arg(serve, t)
    _out_arg(serve, t)
    serve.add_argument(
        "--port",
        type=bounded_int(1, 65535, ("端口", "the port"), lang),
        default=8000,
        metavar=t("端口", "PORT"),
        help=t(
            "预览网址 http://127.0.0.1:端口/ 的端口（1–65535，默认 8000）", "the preview port (1–65535, default 8000)"
        ),
    )
    serve.add_argument("--pdf", action="store_true", help=t("预览时也生成 PDF（较慢）", "build PDFs too (slower)"))
    serve.add_argument(
        "--edit",
        action="store_true",
        help=t("同时打开网页表单编辑记录：http://127.0.0.1:端口/admin/", "also serve the web forms editor at /admin/"),
    )
    _profile_arg(serve, t)
    _lang_arg(serve, t)


def _labelled_arg(parser: argparse.ArgumentParser, flag: str, labels: dict[str, str], **kwargs: Any) -> None:
    """An argument taking one of ``labels``' keys, each also by its Chinese label (月通报: monthly); read as the key.

    A value not found is answered with every name it may be given by, keys first.
    """
    names = {label: name for name, label in labels.items()}
    choices = (*labels, *labels.values())
    parser.add_argument(flag, type=lambda text: names.get(text, text), choices=choices, **kwargs)


def _kind_arg(parser: argparse.ArgumentParser, flag: str, names: Sequence[str], t: Text, intro: str) -> None:
    """An argument naming one of the record kinds ``names``, each also by its Chinese label (问题: issue), all listed
    in its help after ``intro``."""
    labels = {name: KINDS_BY_NAME[name].label for name in names}
    _labelled_arg(
        parser,
        flag,
        labels,
        metavar=t("种类", "KIND"),
        help=intro + t("、", ", ").join(t(f"{label} {name}", name) for name, label in labels.items()),
    )


def _workflow_parsers(sub: Subparsers, t: Text) -> None:
    from reportgen.workflow import NEW_KINDS

    text = t(
        "新建一个办公室记录仓库（含示例记录、编辑器设置和 CI 配置）",
        "create an office repository (example records, editor settings, CI)",
    )
    init = sub.add_parser("init", help=text, description=text)
    init.add_argument(
        "dir",
        type=Path,
        metavar=t("目录", "DIR"),
        help=t("新仓库的目录（不存在或为空）", "the new repository's folder (missing or empty)"),
    )
    for flag, zh, en in (
        ("--name", "发文机关名称，如 川汇区“万人助万企”活动领导小组办公室", "the issuing office's name"),
        ("--prefix", "发文字号前缀，如 川助企", "the document-number prefix, e.g. 川助企"),
        ("--district", "地区名称，如 川汇区", "the district, e.g. 川汇区"),
        ("--start", "活动开始日期（YYYY-MM-DD，默认今天）", "the campaign's start (YYYY-MM-DD, default today)"),
        (
            "--source",
            "CI 和提交前检查安装的 reportgen：git+地址@版本、目录或安装要求",
            "what CI and pre-commit install (git+URL@rev, a folder or a requirement)",
        ),
    ):
        init.add_argument(flag, metavar=t("值", "VALUE"), help=t(zh, en))
    init.add_argument(
        "--git-host",
        choices=("github", "gitlab", "gitea"),
        help=t("网页编辑器使用的代码托管平台（写入 admin/config.yml）", "the git host the web editor saves to"),
    )
    init.add_argument("--repo", metavar=t("仓库", "REPO"), help=t("托管平台上的仓库，如 zhuqi/records", "owner/name"))
    init.add_argument(
        "--git-url",
        metavar=t("地址", "URL"),
        help=t("自建 GitLab、Gitea 的地址，如 https://git.example.gov.cn", "a self-hosted server's address"),
    )
    _lang_arg(init, t)

    new = sub.add_parser(
        "new",
        help=t("新建一条记录（自动编号，写好字段说明）", "write a new record with the next id"),
        description=t(
            "新建一条记录。种类写中文或英文名，字段用 --字段名 值 给出，如 reportgen new 问题 --enterprise E012；"
            "reportgen new 种类 --help 列出该类记录的字段。",
            "Write a new record. Give fields as --field value, e.g. reportgen new issue --enterprise E012; "
            "reportgen new KIND --help lists the fields of a kind.",
        ),
    )
    _kind_arg(new, "kind", NEW_KINDS, t, t("记录种类：", "record kind: "))
    new.add_argument(
        "values",
        nargs=argparse.REMAINDER,
        metavar=t("--字段名 值", "--FIELD VALUE"),
        help=t("字段的值（可含 --records 记录目录）", "field values (and --records DIR)"),
    )
    _lang_arg(new, t)

    text = t(
        "比较两个 git 版本的统计数字（默认与工作区比较）",
        "compare the statistics of two git revisions (default: with the work tree)",
    )
    diff = sub.add_parser("diff", help=text, description=text)
    diff.add_argument(
        "base", metavar=t("基准版本", "BASE"), help=t("基准版本，如 origin/main、HEAD~1", "e.g. origin/main")
    )
    diff.add_argument(
        "head",
        nargs="?",
        metavar=t("新版本", "HEAD"),
        help=t(
            "新版本（默认为工作区，包括未提交的修改）",
            "the new revision (default: the work tree, uncommitted changes included)",
        ),
    )
    diff.add_argument(
        "--records",
        type=Path,
        default=DEFAULT_RECORDS,
        metavar=t("记录目录", "DIR"),
        help=t("记录目录（默认 records/）", "the records folder (default records/)"),
    )
    diff.add_argument(
        "--format",
        choices=("text", "markdown"),
        default="text",
        help=t("输出格式：text 文字（默认），markdown 用于合并请求的评论", "output: text (default) or markdown"),
    )
    _lang_arg(diff, t)

    text = t(
        "记录已印发通报的数字（records/frozen/，只补写还没有的，从不改写已有的）",
        "record the figures of issued bulletins that have none yet (records/frozen/; never rewrites one)",
    )
    freeze = sub.add_parser("freeze", help=text, description=text)
    _records_arg(freeze, t)
    _lang_arg(freeze, t)


def _excel_parsers(sub: Subparsers, t: Text) -> None:
    from reportgen.excel.layout import IMPORT_KINDS  # not .mapping: every command makes this parser, few import

    text = t(
        "生成填报模板（Excel 工作簿：每类记录一张表，带下拉选项和填写说明）",
        "write the fill-in workbook (a sheet per record kind, with lists and input messages)",
    )
    workbook = sub.add_parser("workbook", help=text, description=text)
    workbook.add_argument(
        "--out", type=Path, required=True, metavar=t("文件", "FILE"), help=t("输出的 .xlsx 文件", "the .xlsx to write")
    )
    workbook.add_argument(
        "--with-records",
        action="store_true",
        help=t("填入现有的记录，供各单位修改", "pre-fill the current records"),
    )
    _records_arg(workbook, t)
    _lang_arg(workbook, t)

    text = t(
        "从 Excel 工作簿或 CSV 台账导入记录（先整体校验，有错误时不写入任何文件）",
        "import records from a workbook or CSV ledger (validated first; nothing written on an error)",
    )
    imported = sub.add_parser("import", help=text, description=text)
    imported.add_argument("file", type=Path, metavar=t("文件", "FILE"), help=t(".xlsx 或 .csv 文件", ".xlsx or .csv"))
    _kind_arg(
        imported, "--kind", IMPORT_KINDS, t, t("CSV 或单张表中的记录种类：", "the record kind of a CSV file or sheet: ")
    )
    imported.add_argument(
        "--map",
        type=Path,
        metavar=t("对照表", "MAP"),
        help=t("本单位台账的对照表 import-map.yaml", "the ledger's mapping file (import-map.yaml)"),
    )
    imported.add_argument(
        "--dry-run", action="store_true", help=t("只列出将写入的文件，不写入", "list what would be written")
    )
    _records_arg(imported, t)
    _lang_arg(imported, t)


def console() -> NoReturn:
    """The ``reportgen`` console script: :func:`main`, then leave without tearing the interpreter down.

    When the command is done every file it wrote is closed; what is left is freeing the
    objects of the records and caches one by one, which the system does at once when the
    process ends (0.85 s after a one-issue build at 100,000 issues). So the exit waits for
    what a normal exit waits for (other threads, the ``atexit`` handlers: the check's
    cache writer), flushes the streams, and ends the process. Under a profiler, a debugger
    or coverage the exit stays the normal one, so that they can write what they measured.
    """
    code = main()
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    _flush(sys.stdout)
    _flush(sys.stderr)
    os._exit(code)


def _flush(stream: object) -> None:
    """Flush a stream that may be gone or closed (a closed pipe was reported by :func:`main`)."""
    try:
        if isinstance(stream, io.TextIOBase):
            stream.flush()
    except (OSError, ValueError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``reportgen`` console script: the exit code, never a traceback."""
    lang, args = take_lang(sys.argv[1:] if argv is None else argv)
    _tolerate_unprintable(sys.stdout)
    code: int | None = None
    try:
        code = _run(args, lang)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
    except BrokenPipeError:
        _silence_stdout()
    except KeyboardInterrupt:
        _say(message("interrupted", lang))
        return INTERRUPTED_CODE
    except OSError as exc:  # the machine said no (a file where a folder should be, no permission, disk full)
        _say(message("system", lang, detail=describe_os_error(exc, lang)))
        return 1
    except Exception as exc:
        if os.environ.get("REPORTGEN_DEBUG") == "1":
            raise
        _say(message("internal", lang, detail=describe_defect(exc)))
        return INTERNAL_ERROR_CODE
    return 1 if code is None else code


def _run(argv: list[str], lang: str) -> int:
    try:
        args = build_parser(lang).parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2), already printed
        return exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    try:
        return _dispatch(args, lang)
    except CacheDamaged:  # a record's values, read from the check cache when first needed, were not as written
        _say(message("cache_damaged", lang))  # the cache is removed by then: the second run reads the records
        return _dispatch(args, lang)


def _tolerate_unprintable(stream: object) -> None:
    """Text the terminal's encoding cannot show comes out as escapes instead of an exception."""
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(errors="backslashreplace")


def _silence_stdout() -> None:
    """After a closed pipe: point stdout at devnull so Python's final flush stays quiet (Python docs, signal)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        return


def _say(text: str) -> None:
    """A line on stderr; a closed stderr is not worth a second error."""
    try:
        print(text, file=sys.stderr, flush=True)
    except (OSError, ValueError):
        return


def describe_os_error(exc: OSError, lang: str) -> str:
    """The system's reason (in Chinese for the common ones) and the path it concerns, on one line."""
    reason = os_reason(exc, lang)
    name = exc.filename
    if name is None:
        return terminal_safe(reason)
    separator = "：" if lang == "zh" else ": "
    return (
        f"{terminal_safe(reason)}{separator}{shown_path(os.fsdecode(name) if isinstance(name, str | bytes) else name)}"
    )


def describe_defect(exc: BaseException) -> str:
    """One line for the maintainers: the exception's type and message, and where it was raised."""
    import traceback  # only on this path: it is slow to import and a no-op build must start fast

    frames = traceback.extract_tb(exc.__traceback__)
    where = f" @ {_short_path(frames[-1].filename)}:{frames[-1].lineno}" if frames else ""
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    return terminal_safe(text[:300]) + where


def _short_path(filename: str) -> str:
    """A source file relative to the folder holding the reportgen package, when it is there."""
    package_parent = Path(__file__).resolve().parent.parent
    try:
        return Path(filename).resolve().relative_to(package_parent).as_posix()
    except ValueError:
        return filename


def _dispatch(args: argparse.Namespace, lang: str) -> int:
    if args.command == "check":
        from reportgen.commands.check import run_check

        return run_check(args.records, args.format, args.strict, lang)
    if args.command == "stats":
        from reportgen.commands.stats import run_stats

        if not _records_folder(args.records, lang):
            return 2
        return run_stats(args.records, args.period, args.as_of, args.format, lang)
    if args.command in ("build", "serve"):
        return _dispatch_publish(args, lang)
    if args.command == "schema":
        from reportgen.commands.schema import run_schema

        return run_schema(args.out, lang)
    if args.command == "docs":
        from reportgen.commands.schema import run_docs

        return run_docs(args.out, lang)
    return _dispatch_workflow(args, lang)


def _dispatch_publish(args: argparse.Namespace, lang: str) -> int:
    from reportgen.publish.build import BuildOptions

    if not _records_folder(args.records, lang):
        return 2
    if args.command == "build":
        from reportgen.commands.build import run_build

        options = BuildOptions(
            args.records,
            args.out,
            tuple(args.period),
            args.kind,
            args.pdf,
            args.profile,
            args.jobs,
            strict=args.strict,
            as_of=args.as_of,
        )
        return run_build(options, lang)
    from reportgen.publish.serve import serve

    options = BuildOptions(args.records, args.out, pdf=args.pdf, profile=args.profile)
    return serve(options, args.port, edit=args.edit, lang=lang)


def _dispatch_workflow(args: argparse.Namespace, lang: str) -> int:
    if args.command == "init":
        from reportgen.commands.init import run_init

        if args.git_host and not args.repo:
            _say(message("repo_needed", lang))
            return 2
        host = (args.git_host, args.repo, args.git_url) if args.git_host else None
        return run_init(
            args.dir, args.name, args.prefix, args.district, args.start, args.source, git_host=host, lang=lang
        )
    if args.command == "new":
        from reportgen.commands.new import run_new, split_records_option

        records, values = split_records_option(args.values, DEFAULT_RECORDS)
        return run_new(args.kind, values, records, lang=lang)
    if args.command == "diff":
        from reportgen.commands.diff import run_diff

        return run_diff(args.base, args.head, args.records, args.format, lang=lang)
    if args.command in ("workbook", "import"):
        return _dispatch_excel(args, lang)
    if args.command == "freeze":
        from reportgen.commands.freeze import run_freeze

        if not _records_folder(args.records, lang):
            return 2
        return run_freeze(args.records, lang)
    raise AssertionError(args.command)  # pragma: no cover - argparse enforces the choices


def _dispatch_excel(args: argparse.Namespace, lang: str) -> int:
    if args.command == "workbook":
        from reportgen.commands.workbook import run_workbook

        return run_workbook(args.records, args.out, args.with_records, lang=lang)
    from reportgen.commands.importer import run_import

    if not _records_folder(args.records, lang):
        return 2
    return run_import(args.file, args.records, args.kind, args.map, args.dry_run, lang=lang)


def _records_folder(path: Path, lang: str) -> bool:
    """Whether ``path`` is a folder; if not, say why on stderr."""
    if path.is_dir():
        return True
    key = "not_folder" if path.exists() else "missing"
    _say(message(key, lang, path=shown_path(path)))
    return False


if __name__ == "__main__":  # pragma: no cover
    console()
