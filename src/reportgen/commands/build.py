"""``reportgen build``: bulletins (HTML + PDF), the site and the manifest, written atomically."""

from __future__ import annotations

import sys
from pathlib import Path

from reportgen.formatting import shown_path
from reportgen.lang import Pair, pick
from reportgen.publish.build import BuildOptions, BuildResult, build
from reportgen.publish.ownership import output_refusal
from reportgen.publish.progress import Progress

MESSAGES: dict[str, Pair] = {
    "failed": ("构建失败：{error}。原有的 {out} 未被改动。", "build failed: {error}. {out} was left as it was."),
    "invalid": (
        "构建失败：记录有错误。原有的 {out} 未被改动。",
        "build failed: the records have errors. {out} was left as it was.",
    ),
    "unchanged": (
        "记录和模板均无变化，{out} 保持不变（{seconds:.2f} 秒）。",
        "records and templates unchanged; {out} left as it was ({seconds:.2f} s).",
    ),
    "warnings": ("，{count} 个警告", ", {count} warnings"),
    "built": (
        "构建完成：通报 {bulletins} 期（HTML 生成 {html_rendered}、复用 {html_reused}；"
        "PDF 生成 {pdf_rendered}、复用 {pdf_reused}），网站文件 {site_files} 个{warnings}，"
        "用时 {seconds:.1f} 秒 → {out}",
        "built {bulletins} bulletins (HTML {html_rendered} rendered, {html_reused} reused; "
        "PDF {pdf_rendered} rendered, {pdf_reused} reused), {site_files} site files{warnings} "
        "in {seconds:.1f} s → {out}",
    ),
}


def run_build(options: BuildOptions, lang: str = "zh") -> int:
    """Build; print problems or a summary; 0 on success, 1 when nothing was published."""
    if options.periods:  # the compute package is imported only when it is needed (a no-op build is not)
        from reportgen.compute.periods import PeriodError, parse_period
    for text in options.periods:
        try:
            parse_period(text)
        except PeriodError as exc:
            print(f"reportgen: {exc.text(lang)}", file=sys.stderr)
            return 2
    refusal = output_refusal(options.out, options.records_dir, options.templates_dir, lang)
    if refusal is not None:
        print(f"reportgen: {refusal}", file=sys.stderr)
        return 1
    result = build(options, Progress(sys.stderr, lang=lang))
    if result.error:
        if options.strict and result.report.warnings:  # the warnings that stopped it
            from reportgen.commands.check import format_text

            print(format_text(result.report.sorted(), lang), end="", file=sys.stderr)
        print(pick(MESSAGES["failed"], lang, error=result.error, out=shown_path(options.out, lang)), file=sys.stderr)
        return 1
    if not result.report.valid:
        from reportgen.commands.check import print_report  # only on failure: it imports the validator

        print_report(result.report, "text", lang, sys.stderr)
        print(pick(MESSAGES["invalid"], lang, out=shown_path(options.out, lang)), file=sys.stderr)
        return 1
    if result.report.warnings:  # published, but the office should see them (example records, a gap in the numbers)
        from reportgen.commands.check import format_text

        print(format_text(result.report.sorted(), lang), end="", file=sys.stderr)
    print(summary(result, options.out, lang))
    return 0


def summary(result: BuildResult, out: Path, lang: str = "zh") -> str:
    """One line saying what was built, reused and how long it took."""
    shown = shown_path(out, lang)
    if result.unchanged:
        return pick(MESSAGES["unchanged"], lang, out=shown, seconds=result.seconds)
    count = len(result.report.warnings)
    return pick(
        MESSAGES["built"],
        lang,
        bulletins=len(result.bulletins),
        html_rendered=result.html_rendered,
        html_reused=result.html_reused,
        pdf_rendered=result.pdf_rendered,
        pdf_reused=result.pdf_reused,
        site_files=result.site_files,
        warnings=pick(MESSAGES["warnings"], lang, count=count) if count else "",
        seconds=result.seconds,
        out=shown,
    )
