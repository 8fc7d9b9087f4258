"""Build progress: a bar on a terminal, plain lines elsewhere (CI logs), in the language of ``--lang``.

Every line is a pair of ``STEPS`` (or another module's table), worded by ``lang.pick``.
"""

from __future__ import annotations

import sys
from typing import TextIO

from reportgen.lang import Pair, pick

# The build's own lines: the steps it takes and what it says between them.
STEPS: dict[str, Pair] = {
    "validating": ("校验记录……", "checking the records…"),
    "bulletins_html": ("通报 HTML", "bulletin HTML"),
    "bulletins_pdf": ("通报 PDF", "bulletin PDF"),
    "unchanged": ("{item}（未变化）", "{item} (unchanged)"),
    "site": ("生成网站……", "writing the site…"),
    "written": ("已写入 {count} 个文件", "{count} files written"),
    "leak_scan": ("检查公开版中有没有不公开的信息……", "searching the public output for private values…"),
    "cache_damaged": (
        "校验缓存已损坏并已删除，重新读取全部记录……",
        "the check cache was damaged and is removed; reading every record again…",
    ),
    "waiting": (
        "另一个构建正在写入同一目录，等待它完成……",
        "another build is writing the same folder; waiting for it to finish…",
    ),
    "drafts_left_out": (
        "草稿不在公开版中：{names}（要发布草稿，在{setting}填 true；或用 --profile {internal} 构建）",
        "drafts are left out of the public output: {names} (set {setting_en} to true, or use --profile {internal_en})",
    ),
    "narrowed": (
        "只构建了指定的时期：上次输出中的 {names} 不在新的输出中（不带 --period、--kind 再构建一次即可恢复）",
        "only the periods asked for were built: {names} of the last output are not in the new one "
        "(build again without --period or --kind to get them back)",
    ),
    "frozen": (
        "已记录印发时的数字：{path}（请提交到仓库）",
        "recorded the figures as issued: {path} (commit it to the repository)",
    ),
}


class Progress:
    """Reports steps of a build to ``stream`` in ``lang``; quiet when ``enabled`` is False."""

    def __init__(self, stream: TextIO = sys.stderr, enabled: bool = True, lang: str = "zh") -> None:
        self.stream = stream
        self.enabled = enabled
        self.lang = lang
        self.tty = enabled and stream.isatty()
        self.total = 0
        self.count = 0
        self.label = ""

    def note(self, pair: Pair, **params: object) -> None:
        """A line of its own: ``pair`` worded in the build's language."""
        if self.enabled:
            self._clear()
            self.stream.write(pick(pair, self.lang, **params) + "\n")
            self.stream.flush()

    def start(self, pair: Pair, total: int) -> None:
        """Begin a counted step such as rendering PDFs; ``pair`` is its label."""
        self.label, self.total, self.count = pick(pair, self.lang), total, 0

    def advance(self, item: str, unchanged: bool = False) -> None:
        """One more item of the current step is done (``unchanged``: reused from the last build)."""
        self.count += 1
        if not self.enabled:
            return
        if unchanged:
            item = pick(STEPS["unchanged"], self.lang, item=item)
        if self.tty:
            width = 24
            filled = width * self.count // max(self.total, 1)
            bar = "█" * filled + "·" * (width - filled)
            self.stream.write(f"\r{self.label} [{bar}] {self.count}/{self.total} {item}\033[K")
            if self.count == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(f"{self.label} {self.count}/{self.total} {item}\n")
        self.stream.flush()

    def _clear(self) -> None:
        if self.tty and 0 < self.count < self.total:
            self.stream.write("\r\033[K")
