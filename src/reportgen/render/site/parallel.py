"""The site on two cores: a forked child renders the unit pages and the ledger while the parent renders the rest.

Why: at 100,000 issues the site was more than half of a cold build, its 4,344 files made
one after another by one process.  Once the builder's shared tables are made (the
statistics of every period, the ledger's table, the list index, the inputs' keys), the
build forks: the child renders the department and team pages and then the ledger's pages
and downloads, writing each file into the staging folder itself; the parent renders the
dashboard, the archive and the metrics page, then, with the lists the unit pages linked
to, the list pages, and, with every path, the data files (the sitemap lists every page).

The child hands back (a pipe, pickled) what the parent needs to finish exactly as a
serial build would: each group's paths, the lists its figures linked to and the answers
they gave (``ListIndex``), and what the build's writer, page store and leak scan learnt
(``Handover``, ``publish.sitework``).  Every file's bytes depend only on what it shows, so
which process makes it changes nothing; the paths are put back in the serial order, and
the failure reported is the one a serial build meets first.  A child that ends without a
word (killed) is ``ChildEnded``.  Where there is no ``fork``, one core, or a small office,
the site is built serially (``SiteBuilder.build``), and also where the second core is not
free (``Handover.splits``): beside a public build's leak search in workers (at 100,000
issues ~80 s of CPU, as much as the site's own), or in a rebuild, whose few pages made
cost less than what both processes would work out again.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO, Protocol, TypeVar

from reportgen import heap
from reportgen.forked import cores, reap
from reportgen.lang import Phrase
from reportgen.render.environment import template_failure

# below this many issues the site is built by one process (at 2,000 issues it is made in about a second)
FORK_FROM = 2000
CHILD = ("departments", "teams", "ledger")  # the child's groups, in the order it renders them
REGISTERS = ("departments", "teams")  # the child's groups whose figures link to list pages
NEEDS_LINKS = "lists"  # the parent's group that needs every list the child's pages linked to
NEEDS_PATHS = "data"  # the parent's group that needs every path (the sitemap): the child has finished


class ChildEnded(Exception):
    """The process rendering part of the site ended without handing it back (killed by the system, …)."""

    def __init__(self, code: int | None) -> None:
        super().__init__(f"site worker ended early (exit code {code})")
        self.code = code


class TemplateFailed(Exception):
    """A mistake in a template met by the child, as ``template_failure`` said it there (a traceback cannot cross)."""

    def __init__(self, failure: Phrase) -> None:
        super().__init__(str(failure))
        self.failure = failure

    def __reduce__(self) -> tuple[type[TemplateFailed], tuple[Phrase]]:
        return TemplateFailed, (self.failure,)


class Handover(Protocol):
    """What the build's writer, page store and leak scan do across the fork (``publish.sitework.SiteHandover``)."""

    def splits(self) -> bool:
        """Whether the second core is free for the site: every page is to be made and nothing else runs beside it."""

    def in_child(self) -> None:
        """In the child, right after the fork: its own leak scan; what it writes from now on is its own."""

    def handed_back(self) -> object:
        """In the child, once its files are written: what the parent needs of them (picklable)."""

    def take(self, handed: object) -> None:
        """In the parent: what the child ``handed_back``."""


class Builder(Protocol):
    """The site builder as the split sees it (``SiteBuilder``)."""

    paths: list[str]
    lists: Any

    def groups(self) -> list[tuple[str, Callable[[], None]]]:
        """The site's files in groups, in the order a serial build writes them."""


def forks(issues: int) -> bool:
    """Whether a site of ``issues`` issues may be built on two cores (this process may run on two or more)."""
    return hasattr(os, "fork") and cores() >= 2 and issues >= FORK_FROM


@dataclass
class _Failure:
    """The first group that failed in one process, and its exception."""

    group: int
    error: BaseException


@dataclass
class _Done:
    """What the child hands back at its end."""

    paths: dict[str, list[str]]  # group → its paths, in order
    wanted: list[tuple[str, Any]]  # lists linked to, after those the parent knew at the fork
    answers: list[tuple[Any, Any]]  # figures' answers, likewise
    handed: object  # the writer's, page store's and leak scan's (``Handover.handed_back``)
    failure: _Failure | None = None


@dataclass
class _Links:
    """What the child hands back once its pages that link to lists are made."""

    wanted: list[tuple[str, Any]]
    answers: list[tuple[Any, Any]]
    failure: _Failure | None = None


class _Join:
    """The parent's side of the split: its groups' paths, and the child's two messages, read when needed."""

    def __init__(self, builder: Builder, order: list[str], source: BinaryIO, pid: int) -> None:
        self.builder, self.order, self.source, self.pid = builder, order, source, pid
        self.own: dict[str, list[str]] = {}  # the parent's groups' paths
        self.links: _Links | None = None
        self.done: _Done | None = None
        self.joined = False

    def run(self, groups: list[tuple[str, Callable[[], None]]], handover: Handover) -> None:
        """The parent's groups in serial order, taking the child's links and then its whole share when needed."""
        for at, (name, make) in enumerate(groups):
            if name in CHILD:
                continue
            if name == NEEDS_LINKS:
                self.take_links()
            if name == NEEDS_PATHS:
                self.join(handover)
            start = len(self.builder.paths)
            try:
                make()
            except Exception as error:
                self.fail_first(_Failure(at, error))
                raise
            self.own[name] = self.builder.paths[start:]
        self.join(handover)

    def take_links(self) -> None:
        """The lists the child's pages linked to, and the answers their figures gave (its first message)."""
        if self.links is not None:
            return
        self.links = links = self.receive(_Links)
        if links.failure is not None:
            raise links.failure.error
        self.learn(links.wanted, links.answers)

    def join(self, handover: Handover) -> None:
        """The child's whole share: its paths put in their serial place, and what the writer, store and scan need."""
        if self.joined:
            return
        self.take_links()
        self.done = done = self.receive(_Done)
        if done.failure is not None:
            raise done.failure.error
        self.learn(done.wanted, done.answers)
        handover.take(done.handed)
        made = {**self.own, **done.paths}
        self.builder.paths[:] = [path for name in self.order if name in made for path in made[name]]
        self.joined = True

    def learn(self, wanted: list[tuple[str, Any]], answers: list[tuple[Any, Any]]) -> None:
        """The lists the child's pages linked to and its figures' answers, added to the parent's list index."""
        lists = self.builder.lists
        for path, key in wanted:
            lists.wanted.setdefault(path, key)
        lists.answers.update(answers)

    def fail_first(self, failure: _Failure) -> None:
        """A group of the parent failed: the child's failure instead when a serial build would have met it first."""
        if failure.group < min(self.order.index(name) for name in CHILD):
            os.kill(self.pid, signal.SIGKILL)  # before any of the child's groups: its work is not wanted
            return
        try:
            if self.links is None:
                self.links = self.receive(_Links)
            first = self.links.failure
            if first is None and self.done is None:
                self.done = self.receive(_Done)
            first = first or (self.done.failure if self.done is not None else None)
        except ChildEnded:
            return
        if first is not None and first.group < failure.group:
            raise first.error

    def receive(self, kind: type[_Message]) -> _Message:
        """The child's next message, of ``kind``; ``ChildEnded`` when it ended without it."""
        try:
            message = pickle.load(self.source)
        except (EOFError, pickle.UnpicklingError, OSError) as exc:
            raise ChildEnded(reap(self.pid, wait=True)) from exc
        if not isinstance(message, kind):
            raise ChildEnded(reap(self.pid, wait=False))
        return message


_Message = TypeVar("_Message", _Links, _Done)


def build_split(builder: Builder, handover: Handover) -> None:
    """Write every file of the site from two processes; ``builder.paths`` ends as a serial build's."""
    groups = builder.groups()
    order = [name for name, _ in groups]
    heap.give_back()  # a forked child's size starts at its parent's
    gc.freeze()  # the shared tables stay shared: the collector never writes to their pages
    marks = (len(builder.lists.wanted), len(builder.lists.answers))
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        os.close(read)
        _child(builder, groups, handover, marks, os.fdopen(write, "wb"))
    os.close(write)
    with os.fdopen(read, "rb") as source:
        try:
            _Join(builder, order, source, pid).run(groups, handover)
        finally:
            reap(pid, wait=False)  # after the child's last message it is ending; after a failure, not wanted


def _child(
    builder: Builder,
    groups: list[tuple[str, Callable[[], None]]],
    handover: Handover,
    marks: tuple[int, int],
    sink: BinaryIO,
) -> None:  # pragma: no cover - runs in the forked child
    """Render the child's groups and hand them back in two messages (``_Links``, ``_Done``); never returns."""
    code = 1
    try:
        handover.in_child()
        makers, order = dict(groups), [name for name, _ in groups]
        paths: dict[str, list[str]] = {}
        failure = None
        for name in CHILD:
            failure = _made(builder, order, makers, name, paths)
            if failure is not None:
                failure = _first_failure(builder, order, makers, paths, failure)
                if name in REGISTERS:
                    _send(sink, _Links([], [], failure))
                break
            if name == REGISTERS[-1]:
                _send(sink, _Links(_tail(builder.lists.wanted, marks[0]), _tail(builder.lists.answers, marks[1])))
        wanted, answers = _tail(builder.lists.wanted, marks[0]), _tail(builder.lists.answers, marks[1])
        handed = handover.handed_back() if failure is None else None
        _send(sink, _Done(paths, wanted, answers, handed, failure))
        code = 0
    finally:
        os._exit(code)


def _made(
    builder: Builder, order: list[str], makers: dict[str, Callable[[], None]], name: str, paths: dict[str, list[str]]
) -> _Failure | None:
    """Render one group, keeping its paths; its failure, if it fails."""
    start = len(builder.paths)
    try:
        makers[name]()
    except Exception as error:
        return _Failure(order.index(name), _picklable(error))
    paths[name] = builder.paths[start:]
    return None


def _first_failure(
    builder: Builder,
    order: list[str],
    makers: dict[str, Callable[[], None]],
    paths: dict[str, list[str]],
    failure: _Failure,
) -> _Failure:
    """The failure a serial build meets first: a group of the child's not made yet that comes before may fail too."""
    for name in CHILD:
        at = order.index(name)
        if name not in paths and at < failure.group and (earlier := _made(builder, order, makers, name, paths)):
            return earlier
    return failure


def _picklable(error: Exception) -> Exception:
    """``error`` as it can cross the pipe: a template's mistake as its message (``TemplateFailed``), else itself,
    or a ``RuntimeError`` with its text and traceback where it cannot be pickled."""
    failure = template_failure(error)
    if failure is not None:
        return TemplateFailed(failure)
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return RuntimeError("".join(traceback.format_exception(error)))
    return error


def _send(sink: BinaryIO, message: _Done | _Links) -> None:
    pickle.dump(message, sink, pickle.HIGHEST_PROTOCOL)
    sink.flush()


def _tail(values: dict[Any, Any], start: int) -> list[tuple[Any, Any]]:
    """The entries of ``values`` after its first ``start`` (a dict keeps the order they came in)."""
    items: Sequence[tuple[Any, Any]] = list(values.items())
    return list(items[start:])
