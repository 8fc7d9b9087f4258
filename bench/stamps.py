#!/usr/bin/env python3
"""When each named function of a reportgen command starts and ends, in wall seconds from the start.

Where ``timeline.py`` shows which process used each second, this says which stage of the
build's own process was running then: a stage that runs on one core while the other stands
idle is found by reading the two side by side.  Each function is named as ``module:attribute``
(a method as ``module:Class.method``) and wrapped before the command runs; only the calls in
reportgen's own process are stamped (a forked child's are not).  A function imported by name
into another module is wrapped only where the name is looked up in the module given.

    .venv/bin/python bench/stamps.py reportgen.validate:check_repository \\
        reportgen.publish.pipeline:_plan reportgen.render.site.listpages:ListPages.render_all \\
        -- build RECORDS --out OUT --no-pdf

The stamps go to the standard error, each line starting with ``@``, between reportgen's own
progress lines and warnings (``grep '^@'`` keeps them alone).
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
import time
from collections.abc import Callable
from typing import Any

START = time.perf_counter()
MAIN = os.getpid()


def say(text: str) -> None:
    """One stamp line, in this process only."""
    if os.getpid() == MAIN:
        print(f"@{time.perf_counter() - START:7.2f} {text}", file=sys.stderr, flush=True)


def stamped(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, saying ``> name`` when a call starts and ``< name`` when it ends (or raises)."""

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        say(f"> {name}")
        try:
            return function(*args, **kwargs)
        finally:
            say(f"< {name}")

    return call


def wrap(spec: str) -> None:
    """Wrap the function ``module:attribute`` (``module:Class.method``) in place."""
    module, _, path = spec.partition(":")
    owner: Any = importlib.import_module(module)
    *outer, last = path.split(".")
    for part in outer:
        owner = getattr(owner, part)
    setattr(owner, last, stamped(path, getattr(owner, last)))


def main() -> None:
    argv = sys.argv[1:]
    if "--" not in argv or argv[0] in ("-h", "--help"):
        raise SystemExit(__doc__)
    at = argv.index("--")
    for spec in argv[:at]:
        wrap(spec)
    say("start")
    from reportgen.cli import console

    sys.argv = ["reportgen", *argv[at + 1 :]]
    console()


if __name__ == "__main__":
    main()
