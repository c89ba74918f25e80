"""Read files in a child process from a process that may not start pool workers (a Dask worker is
daemonic): the same per-file time limit, memory limit and crash isolation as the local pool.

The parent starts ``python -m xl_kpi.consolidation.sandbox``, sends it the task and reads one
result per file as each is done. A file that overruns its time (even with signals blocked) gets
the child killed; a file that kills the child (a native crash, the memory limit) is reported on
its own; either way a fresh child reads the files after it. The child's stdout carries only
length-prefixed pickles; anything a library prints goes to stderr.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence

from ..core.findings import finding
from ..spec.model import Spec
from .authority import Authority
from .inputs import Source
from .record import FileResult
from .safety import CRASHED, Limits
from .store import Packed, pack

__all__ = ["read_sandboxed", "COMMAND", "STARTUP"]

COMMAND = (sys.executable, "-m", "xl_kpi.consolidation.sandbox")
STARTUP = 60.0  # seconds a child may take to import the reader and say it is ready
GRACE = 2.0  # past a file's time limit before the child is killed
_HEADER = struct.Struct("!Q")
_READY = b"xl-kpi sandbox ready\n"


class _Gone(Exception):
    """The child ended or overran before answering."""

    def __init__(self, timed_out: bool) -> None:
        super().__init__("timeout" if timed_out else "died")
        self.timed_out = timed_out


def _read_exact(fd: int, n: int, deadline: float) -> bytes:
    chunks, got = [], 0
    while got < n:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise _Gone(timed_out=True)
        data = os.read(fd, min(n - got, 1 << 20))
        if not data:
            raise _Gone(timed_out=False)
        chunks.append(data)
        got += len(data)
    return b"".join(chunks)


def _failed(source: Source, gone: _Gone, limits: Limits) -> Packed:
    if gone.timed_out:
        return pack(FileResult(source.display, issues=[finding("timeout", file=source.display, seconds=limits.seconds)]))
    return pack(FileResult(source.display, issues=[finding("worker-crashed", file=source.display,
                                                         detail=CRASHED)]))


def _send(proc: subprocess.Popen[bytes], payload: bytes) -> None:
    with contextlib.suppress(OSError):  # a child that died early: its results say so
        assert proc.stdin is not None
        proc.stdin.write(payload)
        proc.stdin.close()


def read_sandboxed(sources: Sequence[Source], templates: Mapping[str, Spec] | None, limits: Limits,
                   authority: Authority | None = None, command: Sequence[str] = COMMAND) -> list[Packed]:
    """Read ``sources`` in child processes, one result per file, whatever a file does to its reader."""
    out: list[Packed] = []
    todo = list(sources)
    while todo:
        proc = subprocess.Popen(list(command), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert proc.stdout is not None
        fd = proc.stdout.fileno()
        writer = threading.Thread(target=_send, args=(proc, pickle.dumps((todo, templates, limits, authority))), daemon=True)
        writer.start()
        try:
            if _read_exact(fd, len(_READY), time.monotonic() + STARTUP) != _READY:
                raise _Gone(timed_out=False)
            while todo:
                deadline = time.monotonic() + limits.seconds + GRACE
                size = _HEADER.unpack(_read_exact(fd, _HEADER.size, deadline))[0]
                out.append(pickle.loads(_read_exact(fd, size, deadline + 60)))  # noqa: S301 - our own child's answer
                todo.pop(0)
        except _Gone as gone:
            out.append(_failed(todo.pop(0), gone, limits))
        finally:
            with contextlib.suppress(OSError):
                proc.kill()
            proc.wait()
            proc.stdout.close()
            writer.join(timeout=5)
    return out


def main() -> None:
    """The child: read the task from stdin, answer one pickled result per file on the saved stdout."""
    answer = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a library's prints must not corrupt the answers
    sources, templates, limits, authority = pickle.load(sys.stdin.buffer)  # noqa: S301 - sent by our own parent
    from .runner import _worker_init, read_chunk

    _worker_init(limits.memory_bytes, None, authority)
    answer.write(_READY)
    answer.flush()
    for source in sources:
        result: FileResult = read_chunk([source], templates, limits, authority)[0]
        data = pickle.dumps(pack(result))
        answer.write(_HEADER.pack(len(data)) + data)
        answer.flush()


if __name__ == "__main__":
    main()
