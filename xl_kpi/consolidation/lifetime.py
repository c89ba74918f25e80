"""Child processes die with the run: a worker or the summary writer never outlives the main process."""

from __future__ import annotations

import os
import signal
import sys

__all__ = ["die_with_parent"]


def die_with_parent() -> None:
    """Linux: the kernel kills this process when the process that started it dies, even by SIGKILL
    (PR_SET_PDEATHSIG). Elsewhere a no-op: the pool's own shutdown ends its workers."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
