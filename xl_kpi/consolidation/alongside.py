"""Run one writer in a second process while this one goes on, so two cores share the output work.

summary.xlsx takes most of the time spent on outputs (XlsxWriter is pure Python); a forked
child writes it while the parent writes the CSV files and the history. Fork shares the
results without copying or pickling them. Where fork is unavailable (macOS, Windows), or
another thread is running (a fork beside it could copy a lock it holds), the writer simply
runs in this process. An error in the child is raised in the parent.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from .lifetime import die_with_parent

__all__ = ["alongside"]


def _child(fn: Callable[..., Any], args: tuple[Any, ...], conn: Any) -> None:
    die_with_parent()
    try:
        fn(*args)
        conn.send(None)
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
        # an OSError wrapped by a library (XlsxWriter's FileCreateError holds it) goes back as the OSError it is
        os_error = next((e for e in (exc, *exc.args, exc.__cause__, exc.__context__) if isinstance(e, OSError)), exc)
        conn.send((type(exc).__name__, str(exc), getattr(os_error, "errno", None), getattr(os_error, "strerror", None),
                   getattr(os_error, "filename", None), getattr(os_error, "filename2", None)))
    finally:
        conn.close()


def _single_threaded() -> bool:
    """Never fork beside another thread: the child would inherit any lock it holds, held forever."""
    return threading.active_count() == 1


@contextmanager
def alongside(fn: Callable[..., Any], *args: Any, parallel: bool = True) -> Iterator[None]:
    """Run ``fn(*args)`` concurrently with the ``with`` body; both have finished when it exits."""
    if not (parallel and sys.platform.startswith("linux") and _single_threaded()):
        fn(*args)
        yield
        return
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(fn, args, send), daemon=True)
    proc.start()
    send.close()
    try:
        yield
    finally:
        try:
            failure = receive.recv()
        except EOFError:  # killed before it could say why (e.g. out of memory)
            proc.join()
            failure = ("ProcessError", f"the process writing {fn.__name__} ended with exit code {proc.exitcode}",
                       None, None, None, None)
        proc.join()
        receive.close()
    if failure is not None:
        name, text, errno, strerror, filename, filename2 = failure
        if errno is not None:
            raise OSError(errno, strerror, filename, None, filename2)
        raise RuntimeError(f"{name}: {text}")
