"""Children of a build (the site's second half, the earlier statistics, …): when to fork, reaping them, their errors."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import threading


def cores() -> int:
    """How many cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def alone() -> bool:
    """Whether this process may fork a child safely: POSIX, and no other thread (a lock another thread holds,
    as ``serve``'s web server may, would stay held in the child for good).
    """
    return hasattr(os, "fork") and threading.active_count() == 1


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


def child_errors() -> int | None:
    """Where a started child's error output goes (``subprocess``'s ``stderr``): the terminal only under
    ``REPORTGEN_DEBUG=1``; the build says in words when a child ends early."""
    return None if os.environ.get("REPORTGEN_DEBUG") == "1" else subprocess.DEVNULL


def die_with_parent(signal_number: int = signal.SIGKILL) -> bool:
    """Have this process sent ``signal_number`` when its parent ends (Linux: PR_SET_PDEATHSIG); False where not."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal_number)
    except (OSError, AttributeError):  # not Linux
        return False
    return True


def end_with(parent: int, signal_number: int = signal.SIGKILL) -> None:
    """Be ended (``signal_number``) when ``parent``, this process's parent, ends; end now if it already has."""
    if die_with_parent(signal_number) and os.getppid() != parent:  # the parent died before it was set
        os._exit(1)


_PR_SET_PDEATHSIG = 1
