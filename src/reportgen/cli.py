"""The command line: parse flags, call one function, exit with its code."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

DEFAULT_RECORDS = Path("records")


def _records_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("records", nargs="?", type=Path, default=DEFAULT_RECORDS, help="记录目录（默认 records/）")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="reportgen", description="“万人助万企”记录的校验、统计、通报与发布")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="消息语言")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="校验记录，列出全部问题")
    _records_arg(check)
    check.add_argument("--format", choices=("text", "json", "github"), default="text")
    check.add_argument("--strict", action="store_true", help="警告也算失败")

    stats = sub.add_parser("stats", help="计算某一时期的统计数字")
    _records_arg(stats)
    stats.add_argument("--period", help="时期：2021-09、2021-Q3 或 2021")
    stats.add_argument("--as-of", dest="as_of", help="截止日期（YYYY-MM-DD），须在时期之内")
    stats.add_argument("--format", choices=("table", "json"), default="table")

    build = sub.add_parser("build", help="生成通报（HTML 和 PDF）、网站和 manifest.json")
    _records_arg(build)
    build.add_argument("--out", type=Path, default=Path("output"), help="输出目录（默认 output/）")
    build.add_argument("--period", action="append", default=[], help="只生成这些时期（可重复）")
    build.add_argument("--kind", choices=("monthly", "quarterly"), help="只生成月通报或季点评")
    build.add_argument("--no-pdf", dest="pdf", action="store_false", help="不生成 PDF")
    build.add_argument(
        "--profile",
        choices=("public", "internal"),
        default="public",
        help="public（默认）删去全部非公开信息；internal 保留",
    )
    build.add_argument("--jobs", type=int, default=0, help="并行生成 PDF 的进程数（默认每个 CPU 核一个）")

    serve = sub.add_parser("serve", help="构建并在本机预览，记录或模板改动后自动重新构建并刷新页面")
    _records_arg(serve)
    serve.add_argument("--out", type=Path, default=Path("output"))
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--pdf", action="store_true", help="预览时也生成 PDF（较慢）")
    serve.add_argument("--profile", choices=("public", "internal"), default="public")

    schema = sub.add_parser("schema", help="导出各类记录的 JSON Schema")
    schema.add_argument("--out", type=Path, default=Path("schemas"))

    docs = sub.add_parser("docs", help="生成 docs/records.md 与 docs/metrics.md")
    docs.add_argument("--out", type=Path, default=Path("docs"))
    _workflow_parsers(sub)
    return parser


def _workflow_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from reportgen.workflow import NEW_KINDS

    init = sub.add_parser("init", help="新建一个办公室记录仓库（含示例记录、编辑器设置和 CI 配置）")
    init.add_argument("dir", type=Path, help="新仓库的目录（不存在或为空）")
    init.add_argument("--name", help="发文机关名称，如 川汇区“万人助万企”活动领导小组办公室")
    init.add_argument("--prefix", help="发文字号前缀，如 川助企")
    init.add_argument("--district", help="地区名称，如 川汇区")
    init.add_argument("--start", help="活动开始日期（YYYY-MM-DD，默认今天）")

    new = sub.add_parser(
        "new",
        help="新建一条记录（自动编号，写好字段说明）",
        description="新建一条记录。字段用 --字段名 值 给出，如 reportgen new issue --enterprise E012；"
        "reportgen new KIND --help 列出该类记录的字段。",
    )
    new.add_argument("kind", choices=NEW_KINDS, help="记录种类")
    new.add_argument("values", nargs=argparse.REMAINDER, help="--字段名 值 …（可含 --records DIR）")

    diff = sub.add_parser("diff", help="比较两个 git 版本的统计数字（默认与工作区比较）")
    diff.add_argument("base", help="基准版本，如 origin/main、HEAD~1")
    diff.add_argument("head", nargs="?", help="新版本（默认为工作区，包括未提交的修改）")
    diff.add_argument("--records", type=Path, default=DEFAULT_RECORDS, help="记录目录（默认 records/）")
    diff.add_argument("--format", choices=("text", "markdown"), default="text")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``reportgen`` console script."""
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "check":
        from reportgen.commands.check import run_check

        if not _records_exist(args.records):
            return 2
        return run_check(args.records, args.format, args.strict, args.lang)
    if args.command == "stats":
        from reportgen.commands.stats import run_stats

        if not _records_exist(args.records):
            return 2
        return run_stats(args.records, args.period, args.as_of, args.format, args.lang)
    if args.command == "build":
        from reportgen.commands.build import run_build
        from reportgen.publish.build import BuildOptions

        if not _records_exist(args.records):
            return 2
        options = BuildOptions(args.records, args.out, tuple(args.period), args.kind, args.pdf, args.profile, args.jobs)
        return run_build(options, args.lang)
    if args.command == "serve":
        from reportgen.publish.build import BuildOptions
        from reportgen.publish.serve import serve

        if not _records_exist(args.records):
            return 2
        return serve(BuildOptions(args.records, args.out, pdf=args.pdf, profile=args.profile), args.port)
    if args.command == "schema":
        from reportgen.commands.schema import run_schema

        return run_schema(args.out)
    if args.command == "docs":
        from reportgen.commands.schema import run_docs

        return run_docs(args.out)
    return _dispatch_workflow(args)


def _dispatch_workflow(args: argparse.Namespace) -> int:
    if args.command == "init":
        from reportgen.commands.init import run_init

        return run_init(args.dir, args.name, args.prefix, args.district, args.start)
    if args.command == "new":
        from reportgen.commands.new import run_new, split_records_option

        records, values = split_records_option(args.values, DEFAULT_RECORDS)
        return run_new(args.kind, values, records)
    if args.command == "diff":
        from reportgen.commands.diff import run_diff

        return run_diff(args.base, args.head, args.records, args.format)
    raise AssertionError(args.command)  # pragma: no cover - argparse enforces the choices


def _records_exist(path: Path) -> bool:
    if path.is_dir():
        return True
    print(
        f"reportgen: 找不到记录目录 {path}（请在办公室仓库的根目录运行，或给出记录目录的路径）",
        file=sys.stderr,
    )
    return False


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
