"""``reportgen build``: bulletins (HTML + PDF), the site and the manifest, written atomically."""

from __future__ import annotations

import sys
from pathlib import Path

from reportgen.formatting import shown_path
from reportgen.publish.build import BuildOptions, BuildResult, build
from reportgen.publish.ownership import output_refusal
from reportgen.publish.progress import Progress


def run_build(options: BuildOptions, lang: str = "zh") -> int:
    """Build; print problems or a summary; 0 on success, 1 when nothing was published."""
    if options.periods:  # the compute package is imported only when it is needed (a no-op build is not)
        from reportgen.compute.periods import PeriodError, parse_period
    for text in options.periods:
        try:
            parse_period(text)
        except PeriodError as exc:
            print(f"reportgen: {exc}", file=sys.stderr)
            return 2
    refusal = output_refusal(options.out, options.records_dir, options.templates_dir)
    if refusal is not None:
        print(f"reportgen: {refusal}", file=sys.stderr)
        return 1
    result = build(options, Progress(sys.stderr))
    if result.error:
        if options.strict and result.report.warnings:  # the warnings that stopped it
            from reportgen.commands.check import format_text

            print(format_text(result.report.sorted(), lang), end="", file=sys.stderr)
        print(f"构建失败：{result.error}。原有的 {shown_path(options.out)} 未被改动。", file=sys.stderr)
        return 1
    if not result.report.valid:
        from reportgen.commands.check import print_report  # only on failure: it imports the validator

        print_report(result.report, "text", lang, sys.stderr)
        print(f"构建失败：记录有错误。原有的 {shown_path(options.out)} 未被改动。", file=sys.stderr)
        return 1
    if result.report.warnings:  # published, but the office should see them (example records, a gap in the numbers)
        from reportgen.commands.check import format_text

        print(format_text(result.report.sorted(), lang), end="", file=sys.stderr)
    print(summary(result, options.out))
    return 0


def summary(result: BuildResult, out: Path) -> str:
    """One line saying what was built, reused and how long it took."""
    if result.unchanged:
        return f"记录和模板均无变化，{shown_path(out)} 保持不变（{result.seconds:.2f} 秒）。"
    warnings = f"，{len(result.report.warnings)} 个警告" if result.report.warnings else ""
    return (
        f"构建完成：通报 {len(result.bulletins)} 期（HTML 生成 {result.html_rendered}、复用 {result.html_reused}；"
        f"PDF 生成 {result.pdf_rendered}、复用 {result.pdf_reused}），网站文件 {result.site_files} 个{warnings}，"
        f"用时 {result.seconds:.1f} 秒 → {shown_path(out)}"
    )
