"""What each worker is reading since when, in memory the parent process sees: the parent kills a worker whose
file overruns its time limit, so a native library that hangs with signals blocked (a Rust panic handler
deadlocked under RUST_BACKTRACE=1) cannot stop the run.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import time

from .authority import Authority
from .safety import Limits

__all__ = ["Watch", "GRACE"]

GRACE = 2.0  # seconds past a file's time limit before the parent kills the worker reading it


class Watch:
    """What each worker is reading since when, in memory the parent sees: the parent kills a worker
    whose file overruns its time limit, so a native library that hangs with signals blocked (a
    Rust panic handler deadlocked under RUST_BACKTRACE=1) cannot stop the run."""

    def __init__(self, ctx: multiprocessing.context.BaseContext | None, slots: int, authority: Authority | None = None) -> None:
        ctx = ctx or multiprocessing.get_context()
        self.authority = authority or Authority()  # what every worker of this run inherits: HR's register, the roster's bases
        self.pids = ctx.RawArray("q", slots)
        self.starts = ctx.RawArray("d", slots)
        self.lock = ctx.Lock()  # taken only by workers, to claim a slot
        self.timed_out: set[int] = set()  # pids this process killed for overrunning

    def claim(self) -> int:
        with self.lock:
            for k, pid in enumerate(self.pids):
                if pid == 0 or not _alive(pid):
                    self.pids[k], self.starts[k] = os.getpid(), 0.0
                    return k
        return -1

    def enforce(self, limits: Limits) -> None:
        """Kill every worker whose current file has run past its limit (parent side)."""
        now = time.monotonic()
        for k, pid in enumerate(self.pids):
            start = self.starts[k]
            if pid and start and now - start > limits.seconds + GRACE:
                self.starts[k] = 0.0
                if not _our_child(pid):  # a worker that died mid-file: its pid may be another process's now
                    continue
                self.timed_out.add(pid)
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)


def _our_child(pid: int) -> bool:
    """Whether ``pid`` is a process this one started (Linux: its parent in /proc; elsewhere assumed)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return int(fh.read().rsplit(")", 1)[1].split()[1]) == os.getpid()
    except FileNotFoundError:
        return not sys.platform.startswith("linux")
    except (OSError, ValueError, IndexError):
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
