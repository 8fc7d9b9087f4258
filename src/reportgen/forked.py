"""Forked children of a build (the site's second half, the earlier statistics): reaping them."""

from __future__ import annotations

import os
import signal


def reap(pid: int, wait: bool) -> int | None:
    """The child's exit code once it has ended (``wait``: for it to end, else killed if still running).

    None when it was reaped already.
    """
    try:
        done, status = os.waitpid(pid, 0 if wait else os.WNOHANG)
        if done == 0:
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
    except ChildProcessError:  # reaped already
        return None
    return os.waitstatus_to_exitcode(status)
