"""附件1's pages by two layouts that meet at a page break, the same pieces in one process or in two.

WeasyPrint resumes a table on a new page at a row (the page's ``resume_at``), and what it puts
on a page depends only on where the page starts: the table's column widths and borders are the
whole table's.  So 附件1 can be laid out twice at once: layout A from its start, and layout B,
which makes A's first ``LEAD_PAGES`` pages and then carries on from a row further down
(``second_start``) instead of from the row A's next page starts at.  They *meet* at the first
page start of A that is one of B's first ``PROBE_PAGES`` + 1 page starts: A's pages before it and
B's pages from it are the pages of the one layout.  Where they meet is a property of the
document alone, whoever makes the pages, so the pieces are too:

- met: 附件1 is two PDFs, A's pages up to the meeting and B's from it (B's pages before are made
  only for what they carry onto the others, such as the draft mark, and dropped after the layout);
- not met (A ends first, or passes B's last probed start): one PDF, all of A's pages.

``Meeting`` is A's page maker (``latenumbers.PagesOf``).  With ``fork``, B is a process forked
from A after its lead pages; it sends its page starts on a pipe, A makes its pages until the next
would start at one of them, and B's results go to a pipe of the process that forked A (``second``).
Without ``fork``, A makes all its pages; B's first page start is then looked up among A's (where
``rowpages`` guessed right, they meet there), else B is laid out in the same process for its probed
pages only (``probe_second``); met, the caller writes A's pages before and from the meeting as two
documents (``split``).  Pages are what their start makes them, and WeasyPrint writes the same pages
into the same bytes: the two PDFs are those of the two processes (tests).
"""

from __future__ import annotations

import ast
import os
import signal
from collections.abc import Callable, Iterator
from contextlib import suppress
from typing import Any

from reportgen.render import rowpages
from reportgen.render.latenumbers import PagesOf, Unsupported

# A's pages made before B is started: the first page carries the attachment's title, the second is
# a full page of rows, measured to guess where A's later pages start (``rowpages``).
LEAD_PAGES = 2
# B starts this far down the rows left after A's lead pages.
SHARE = 0.5
# Fewer rows left than this after the lead pages: A makes them all.
MIN_ROWS = 120
# B's pages whose starts may meet A's: past them B is abandoned (bounded cost when they never meet).
PROBE_PAGES = 4

Key = tuple[int, ...]  # a page start as the path of child indexes to its box (the last one a table row)


class NoMeeting(Exception):
    """Layout B's probe is over (in A's process): its layout ends here."""


def _key(start: Any) -> Key | None:
    """A page's ``resume_at`` as a path of child indexes (document order); None at the end or when branched."""
    keys: list[int] = []
    level = start
    while isinstance(level, dict) and len(level) == 1:
        ((key, level),) = level.items()
        if not isinstance(key, int):
            return None
        keys.append(key)
    return tuple(keys) if level is None and keys else None


def _resume(key: Key) -> Any:
    """The ``resume_at`` of a page starting at ``key``."""
    resume: Any = None
    for index in reversed(key):
        resume = {index: resume}
    return resume


def second_start(start: Any, root_box: Any, page: Any) -> Any:
    """Where B carries on after the lead pages: a table row, or None (no second layout).

    ``start`` is where A's page after the lead pages starts, ``page`` A's last lead page.  The row
    halfway down the rows left, moved on to where ``rowpages`` guesses A will start a page (where
    they then meet at once).  None when A's next page does not start at a table row or fewer than
    ``MIN_ROWS`` rows are left.
    """
    key = _key(start)
    if key is None or len(key) < 2:
        return None
    box = root_box
    with suppress(AttributeError, IndexError, TypeError):
        for index in key[:-1]:
            box = box.children[index]
        if type(box).__name__ != "TableRowGroupBox":
            return None
        left = len(box.children) - key[-1]
        if left < MIN_ROWS:
            return None
        halfway = key[-1] + int(left * SHARE)
        return _resume((*key[:-1], rowpages.guess(page, box, key[-1], halfway) or halfway))
    return None


def _take(made: Iterator[Any], count: int) -> list[Any]:
    """The first ``count`` pages of ``made`` (fewer when it has fewer)."""
    pages = []
    for page in made:
        pages.append(page)
        if len(pages) == count:
            break
    return pages


def _probe(made: Iterator[Any], context: Any, pages: list[Any], row: Any, offer: Callable[[Key], bool]) -> int | None:
    """Layout B: the lead ``pages`` made, its next page from ``row``; each of its first page starts offered.

    The starts of B's next ``PROBE_PAGES`` pages and the one after are offered in order (those that
    are paths) until ``offer`` says A's meets it; then the number of B's pages before the meeting,
    else None.  B's pages are appended to ``pages``.
    """
    entry = context.page_maker[len(pages)]
    context.page_maker[len(pages)] = (row, *entry[1:])
    for probed in range(PROBE_PAGES + 1):
        key = _key(context.page_maker[len(pages)][0])
        if key is not None and offer(key):
            return len(pages)
        page = next(made, None) if probed < PROBE_PAGES else None
        if page is None:
            return None
        pages.append(page)
    return None


def _stop(context: Any, count: int) -> None:
    """The layout's state as WeasyPrint leaves it after its last page, the ``count``-th."""
    context.page_maker = context.page_maker[: count + 1]
    remake = context.page_maker[count][-1]
    remake["content_changed"] = remake["pages_wanted"] = False
    context.broken_out_of_flow.clear()
    context.reported_footnotes.clear()


class _Ahead:
    """Layout A's pages, made as far as asked: up to a page start of B's, where it stops."""

    def __init__(self, made: Iterator[Any], context: Any, pages: list[Any]) -> None:
        self.made = made
        self.context = context
        self.pages = pages
        self.done = False  # A made its last page without meeting B

    def next_key(self) -> Key | None:
        """Where A's next page starts (None where that is no path); at A's end, A is run to it and done."""
        following = self.context.page_maker[len(self.pages)][0]
        if following is None:
            self.finish()
            return None
        return _key(following)

    def make(self) -> None:
        """A's next page."""
        page = next(self.made, None)
        if page is None:
            self.done = True
        else:
            self.pages.append(page)

    def finish(self) -> None:
        """A's pages to its end."""
        self.pages.extend(self.made)
        self.done = True


class Meeting:
    """Layout A's page maker (``latenumbers.PagesOf``): its pages up to where they meet layout B's.

    ``first_page`` gives A's first page number (asked once A's pages are made).  Without ``fork``,
    ``probe_second`` lays out the same part with another page maker (B's probe, which ends the
    layout by raising ``NoMeeting``); A's pages are then all of them, and ``split`` the index of
    the page B's PDF starts at (0: no meeting).  With ``fork``, B is a forked process (see the module).
    """

    def __init__(
        self,
        first_page: Callable[[], int],
        probe_second: Callable[[PagesOf], object] | None = None,
        fork: tuple[int, int, Callable[[], object]] | None = None,
    ) -> None:
        self.first_page = first_page
        self.probe_second = probe_second
        self.fork = fork  # (A's reply pipe, B's reply pipe, what B does first), descriptors
        self.used = False
        self.split = 0  # without fork: the page from which the pages are B's PDF's
        self.child: int | None = None  # with fork, once met: B's process
        self.in_second = False  # this process is B
        self.dropped = 0  # the pages this layout made before those it keeps (B's)

    def alone(self) -> None:
        """The part is laid out again from its start, numbered (``latenumbers.Unsupported``): B is ended;
        in B itself, this process ends without a result."""
        if self.in_second:
            os._exit(1)
        if self.child is not None:
            _end(self.child)
            self.child = None
        self.split = 0

    def __call__(self, made: Iterator[Any], context: Any, root_box: Any) -> tuple[list[Any], int, int]:
        """The pages to keep of A's layout (or, in B's process, of B's), the first one's number, the dropped."""
        if self.used:
            raise Unsupported("one meeting per part")
        self.used = True
        pages = _take(made, LEAD_PAGES)
        full = len(pages) == LEAD_PAGES
        row = second_start(context.page_maker[len(pages)][0], root_box, pages[-1]) if full else None
        if row is None:
            return [*pages, *made], self.first_page(), 0
        if self.fork is not None:
            return self._forked(made, context, pages, row, *self.fork)
        lead = len(pages)
        pages.extend(made)
        starts = [_key(entry[0]) for entry in context.page_maker[: len(pages)]]  # where each page starts
        met = self._meeting(row, starts[lead:])
        self.split = 0 if met is None else starts.index(met, lead)
        return pages, self.first_page(), 0

    def _meeting(self, row: Any, starts: list[Key | None]) -> Key | None:
        """The first of A's page ``starts`` that is one of B's probed page starts, B starting at ``row``."""
        if _key(row) in starts:
            return _key(row)
        probe = _Probe(row, {key for key in starts if key is not None})
        if self.probe_second is not None:
            with suppress(NoMeeting):
                self.probe_second(probe)
        return probe.met

    def _forked(
        self, made: Iterator[Any], context: Any, pages: list[Any], row: Any, replies: int, second: int, setup: Any
    ) -> tuple[list[Any], int, int]:
        """A's pages up to the meeting with B forked here (B's own pages in B's process)."""
        starts, saying = os.pipe()  # B's page starts, to A
        told, telling = os.pipe()  # A's order, to B
        pid = os.fork()
        if pid == 0:
            os.close(starts)
            os.close(telling)
            setup()
            self.in_second = True
            os.dup2(second, replies)  # B's page count and PDF go where the worker reads B's
            os.close(second)
            return self._as_second(made, context, pages, row, saying, told)
        os.close(saying)
        os.close(told)
        os.close(second)
        try:
            met = _until_met(_Ahead(made, context, pages), _Starts(os.fdopen(starts, "rb")), pid)
            first = self.first_page()
        except BaseException:
            os.close(telling)
            _end(pid)
            raise
        if met is None:
            os.close(telling)
            _end(pid)
        else:
            _say(telling, repr((met, first + len(pages))))
            self.child = pid
        return pages, first, 0

    def _as_second(
        self, made: Iterator[Any], context: Any, pages: list[Any], row: Any, saying: int, told: int
    ) -> tuple[list[Any], int, int]:
        """In B's process: its pages to the end, those before A's meeting dropped; its first page's number."""

        def offer(key: Key) -> bool:
            with suppress(BrokenPipeError):  # A has met or passed these starts and stopped reading
                os.write(saying, (repr(key) + "\n").encode())
            return False

        _probe(made, context, pages, row, offer)
        os.close(saying)
        pages.extend(made)
        with os.fdopen(told, "r") as orders:
            order = orders.read()
        if not order:  # A made every page
            os._exit(0)
        met, first = ast.literal_eval(order)
        keys = [_key(entry[0]) for entry in context.page_maker[: len(pages)]]
        self.dropped = keys.index(tuple(met), LEAD_PAGES)
        return pages, int(first), self.dropped


class _Probe:
    """Layout B's page maker in A's process: its first page starts offered to A's known ``starts``."""

    def __init__(self, row: Any, starts: set[Key]) -> None:
        self.row = row
        self.starts = starts
        self.met: Key | None = None  # the first of B's probed starts that is one of A's

    def __call__(self, made: Iterator[Any], context: Any, _root_box: Any) -> tuple[list[Any], int, int]:
        """B's lead pages and probed pages made, the first met start kept; the layout then ended."""
        pages = _take(made, LEAD_PAGES)
        if len(pages) == LEAD_PAGES:
            _probe(made, context, pages, self.row, self._offer)
        raise NoMeeting("probed")

    def _offer(self, key: Key) -> bool:
        if key in self.starts:
            self.met = key
            return True
        return False


def _until_met(ahead: _Ahead, theirs: _Starts, pid: int) -> Key | None:
    """A's pages, made until the next would start where one of B's probed pages starts: that start.

    The first such start, whatever the two processes' speeds (A waits for B's starts as far as
    its own), so the pages each makes depend on the document alone.  None when there is none: A
    made every page (B ended as soon as that is sure).
    """
    with theirs:
        while not ahead.done:
            key = ahead.next_key()
            if key is not None and theirs.has(key):
                _stop(ahead.context, len(ahead.pages))
                return key
            if key is not None and theirs.passed(key):
                _end(pid)
                ahead.finish()
            elif not ahead.done:
                ahead.make()
    return None


class _Starts:
    """B's probed page starts, in order, read from its pipe as far as asked."""

    def __init__(self, said: Any) -> None:
        self.said = said
        self.seen: set[Key] = set()
        self.last: Key | None = None
        self.done = False  # B sent all it will

    def __enter__(self) -> _Starts:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.said.close()

    def has(self, key: Key) -> bool:
        """Whether one of B's probed pages starts at ``key`` (waiting for its starts up to there)."""
        while not self.done and (self.last is None or self.last < key):
            line = self.said.readline()
            if not line:
                self.done = True
            else:
                self.last = tuple(ast.literal_eval(line.decode()))
                self.seen.add(self.last)
        return key in self.seen

    def passed(self, key: Key) -> bool:
        """Whether ``key`` is past all of B's probed starts (asked after ``has``)."""
        return self.done and (self.last is None or key > self.last)


def _say(fd: int, text: str) -> None:
    """Write ``text`` to the pipe ``fd`` and close it (the other end may be gone)."""
    with suppress(BrokenPipeError), os.fdopen(fd, "w") as out:
        out.write(text)


def _end(pid: int) -> None:
    """End B, whose pages are not wanted, and reap it."""
    with suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with suppress(ChildProcessError):
        os.waitpid(pid, 0)
