"""Build progress: a bar on a terminal, plain lines elsewhere (CI logs)."""

from __future__ import annotations

import sys
from typing import TextIO


class Progress:
    """Reports steps of a build to ``stream``; quiet when ``enabled`` is False."""

    def __init__(self, stream: TextIO = sys.stderr, enabled: bool = True) -> None:
        self.stream = stream
        self.enabled = enabled
        self.tty = enabled and stream.isatty()
        self.total = 0
        self.count = 0
        self.label = ""

    def note(self, message: str) -> None:
        """A line of its own."""
        if self.enabled:
            self._clear()
            self.stream.write(message + "\n")
            self.stream.flush()

    def start(self, label: str, total: int) -> None:
        """Begin a counted step such as rendering PDFs."""
        self.label, self.total, self.count = label, total, 0

    def advance(self, item: str) -> None:
        """One more item of the current step is done."""
        self.count += 1
        if not self.enabled:
            return
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
