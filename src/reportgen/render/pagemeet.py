"""附件1's pages laid out by two processes that meet at a page break of the one-process layout.

WeasyPrint resumes a table on a new page at a row (the page's ``resume_at``), and what it puts
on a page depends only on where the page starts: the table's column widths and borders are the
whole table's.  So the helper laying out 附件1 (``render.pdf``) can, once its first page is
made, fork a second process that carries on the same layout from a row halfway down the rest
of the table instead of from the row the helper's second page starts at.  The second process
sends where each of its pages starts; the helper makes its pages until the next one would start
where one of the second process's pages starts, and stops: from there on the second process's
pages are the pages the one-process layout makes.  The helper then tells it which of its pages
to keep and the number of the first; the pages it made before are dropped.  When the helper
reaches the end of the part without meeting it, the helper's pages are all of them and the
second process ends without a result.

The second process's results go to a pipe of the process that forked the helper (``second``):
the second process takes the helper's reply pipe's descriptor over, so that the helper's code,
which it runs on, sends its page count and PDF there.
"""

from __future__ import annotations

import ast
import os
import signal
from collections.abc import Callable, Iterator
from contextlib import suppress
from typing import Any

from reportgen.render.latenumbers import Unsupported

# The second process starts this far down the rows left after the helper's first page: the helper
# also makes the first page and finds where they meet, the second process drops its pages before.
SHARE = 0.5
# Fewer rows left than this after the first page: the helper makes them all.
MIN_ROWS = 120


class Meeting:
    """The helper's ``latenumbers.PagesOf``: its pages up to where they meet the second process's."""

    def __init__(
        self, first_page: Callable[[], int], replies: int, second: int, child_setup: Callable[[], Any]
    ) -> None:
        self.first_page = first_page
        self.replies = replies  # the helper's reply pipe (a descriptor)
        self.second = second  # where the second process's replies go (a descriptor)
        self.child_setup = child_setup
        self.child: int | None = None  # the second process, in the helper, once forked and met
        self.used = False
        self.in_second = False  # this process is the second one
        self.dropped = 0  # the pages this process made before those it keeps (the second process's)

    def alone(self) -> None:
        """The part is laid out again from its start, numbered (``latenumbers.Unsupported``): in the helper,
        without the second process (ended); the second process itself ends, without a result."""
        if self.in_second:
            os._exit(1)
        if self.child is not None:
            _end(self.child)
            self.child = None

    def __call__(self, made: Iterator[Any], context: Any, root_box: Any) -> tuple[list[Any], int, int]:
        """The pages to keep of this process's layout and the number of the first."""
        if self.used:
            raise Unsupported("one meeting per helper")
        self.used = True
        pages = list(_first(made))
        start = context.page_maker[len(pages)][0]
        row = _row_resume(start, root_box, SHARE)
        if row is None:
            return [*pages, *made], self.first_page(), 0
        starts, saying = os.pipe()  # the second process's page starts, to the helper
        told, telling = os.pipe()  # the helper's order, to the second process
        pid = os.fork()
        if pid == 0:  # the second process: carries on from ``row`` instead of ``start``
            os.close(starts)
            os.close(telling)
            return self._second(made, context, pages, row, saying, told)
        os.close(saying)
        os.close(told)
        os.close(self.second)
        try:
            met = _until_met(made, context, pages, starts)
            first = self.first_page()
            order = repr((met, first + len(pages))) if met is not None else "None"
        except BaseException:
            os.close(telling)
            _end(pid)
            raise
        if met is None:
            os.close(telling)
            _end(pid)
        else:
            _say(telling, order)
            self.child = pid
        return pages, first, 0

    def _second(
        self, made: Iterator[Any], context: Any, pages: list[Any], row: Any, saying: int, told: int
    ) -> tuple[list[Any], int, int]:
        """In the second process: the pages from ``row`` on, those from where the helper's stopped kept."""
        self.child_setup()
        self.in_second = True
        self.first_page = _told_by_the_helper
        os.dup2(self.second, self.replies)
        os.close(self.second)
        entry = context.page_maker[len(pages)]
        context.page_maker[len(pages)] = (row, *entry[1:])
        skipped = len(pages)
        said = _Saying(saying)
        said.say(repr(row))
        for page in made:
            pages.append(page)
            following = context.page_maker[len(pages)][0]
            if following is not None:
                said.say(repr(following))
        said.close()
        with os.fdopen(told, "r") as orders:
            order = orders.read()
        if order == "None":
            os._exit(0)
        met, first = _parsed(order)
        starts = [repr(entry[0]) for entry in context.page_maker[: len(pages)]]
        self.dropped = starts.index(met, skipped)
        return pages, first, self.dropped


def _told_by_the_helper() -> int:
    """The second process's first page number comes from the helper, never from the pipe the helper reads."""
    raise RuntimeError("the second process asked for the helper's first page number")


def _first(made: Iterator[Any]) -> Iterator[Any]:
    """The first page of ``made`` (none when it has none)."""
    for page in made:
        yield page
        return


def _row(start: Any) -> tuple[tuple[int, ...], int] | None:
    """A page's ``resume_at`` as the path to its table row group and the row; None when it is not a table row."""
    keys = []
    level = start
    while isinstance(level, dict) and len(level) == 1:
        ((key, level),) = level.items()
        keys.append(key)
    if level is not None or len(keys) < 2 or not all(isinstance(key, int) for key in keys):
        return None
    return tuple(keys[:-1]), keys[-1]


def _resume(path: tuple[int, ...], row: int) -> Any:
    """The ``resume_at`` of a page starting at ``row`` of the row group at ``path``."""
    resume: Any = {row: None}
    for key in reversed(path):
        resume = {key: resume}
    return resume


def _row_resume(start: Any, root_box: Any, share: float) -> Any:
    """Where a page would start ``share`` down the table rows left from ``start`` (a table row); None if not a row."""
    found = _row(start)
    if found is None:
        return None
    path, row = found
    box = root_box
    with suppress(AttributeError, IndexError, TypeError):
        for key in path:
            box = box.children[key]
        if type(box).__name__ != "TableRowGroupBox":
            return None
        left = len(box.children) - row
        return None if left < MIN_ROWS else _resume(path, row + int(left * share))
    return None


def _until_met(made: Iterator[Any], context: Any, pages: list[Any], starts: int) -> str | None:
    """The helper's pages, made until the next would start where a page of the second process starts: that start.

    The first such start, whatever the two processes' speeds (the helper waits for the second
    process's starts as far as its own), so the pages each makes depend on the document alone.
    None when there is none: the helper made every page.
    """
    with os.fdopen(starts, "rb") as said:
        theirs = _Starts(said)
        while True:
            following = context.page_maker[len(pages)][0]
            if following is None:
                list(made)  # the generator's own end: the layout's state trimmed
                return None
            if theirs.has(_row(following)):
                _stop(context, len(pages))
                return repr(following)
            page = next(made, None)
            if page is None:
                return None
            pages.append(page)


class _Starts:
    """The table rows the second process's pages start at, in order, read as far as asked."""

    def __init__(self, said: Any) -> None:
        self.said = said
        self.seen: set[tuple[tuple[int, ...], int]] = set()
        self.last: tuple[tuple[int, ...], int] | None = None
        self.done = False

    def has(self, start: tuple[tuple[int, ...], int] | None) -> bool:
        """Whether a page of the second process starts at ``start`` (waiting for its starts up to there)."""
        if start is None:
            return False
        while not self.done and (self.last is None or (self.last[0] == start[0] and self.last[1] < start[1])):
            line = self.said.readline()
            found = _row(ast.literal_eval(line.decode())) if line else None
            if found is None:  # the second process is done, or past its table
                self.done = True
            else:
                self.seen.add(found)
                self.last = found
        return start in self.seen


def _stop(context: Any, count: int) -> None:
    """The layout's state as WeasyPrint leaves it after its last page, the helper's ``count``-th."""
    context.page_maker = context.page_maker[: count + 1]
    remake = context.page_maker[count][-1]
    remake["content_changed"] = remake["pages_wanted"] = False
    context.broken_out_of_flow.clear()
    context.reported_footnotes.clear()


def _say(fd: int, text: str) -> None:
    """Write ``text`` to the pipe ``fd`` and close it (the other end may be gone)."""
    with suppress(BrokenPipeError), os.fdopen(fd, "w") as out:
        out.write(text)


def _end(pid: int) -> None:
    """End the second process, whose pages are not wanted, and reap it."""
    with suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


class _Saying:
    """The second process's page starts, one a line, to the helper for as long as it reads them."""

    def __init__(self, fd: int) -> None:
        self.fd: int | None = fd

    def say(self, text: str) -> None:
        """Send one start (nothing once the helper has stopped reading: it has met these pages or made them)."""
        if self.fd is None:
            return
        try:
            os.write(self.fd, (text + "\n").encode())
        except BrokenPipeError:
            self.close()

    def close(self) -> None:
        """No more starts."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _parsed(order: str) -> tuple[str, int]:
    """The helper's order: the start of the first page to keep, and its page number."""
    met, first = ast.literal_eval(order)
    return str(met), int(first)
