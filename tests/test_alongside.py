"""The second process that writes summary.xlsx: its work lands, and its failures reach the caller."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from xl_kpi.consolidation import alongside as alongside_module
from xl_kpi.consolidation.alongside import alongside

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the second process is forked (Linux)")


@pytest.fixture(autouse=True)
def no_stray_threads(monkeypatch, request):
    """Threads left by other tests in this process would make every writer run inline."""
    if request.node.name != "test_beside_another_thread_it_runs_here":
        monkeypatch.setattr(alongside_module, "_single_threaded", lambda: True)


def _write(path: Path, text: str) -> None:
    path.write_text(f"{text} from {os.getpid()}", encoding="utf-8")


@linux_only
def test_the_writer_runs_in_another_process_while_the_body_runs(tmp_path):
    with alongside(_write, tmp_path / "a.txt", "hello"):
        _write(tmp_path / "b.txt", "body")
    a, b = (tmp_path / "a.txt").read_text(encoding="utf-8"), (tmp_path / "b.txt").read_text(encoding="utf-8")
    assert a.startswith("hello") and b == f"body from {os.getpid()}" and a != f"hello from {os.getpid()}"


def test_without_parallel_it_runs_here(tmp_path):
    with alongside(_write, tmp_path / "a.txt", "hello", parallel=False):
        pass
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == f"hello from {os.getpid()}"


def _fail() -> None:
    raise ValueError("no such grade")


def _die() -> None:
    os._exit(9)


def _locked(path: Path) -> None:
    os.replace(path / "src", path / "dst")


@linux_only
def test_an_error_in_the_writer_is_raised_here():
    with pytest.raises(RuntimeError, match="ValueError: no such grade"):
        with alongside(_fail):
            pass


@linux_only
def test_a_writer_that_dies_is_an_error_here_not_a_hang():
    with pytest.raises(RuntimeError, match="exit code 9"):
        with alongside(_die):
            pass


@linux_only
def test_an_os_error_keeps_its_paths(tmp_path):
    (tmp_path / "dst").mkdir()
    (tmp_path / "dst" / "x").write_text("x", encoding="utf-8")
    (tmp_path / "src").write_text("y", encoding="utf-8")
    with pytest.raises(OSError) as caught:
        with alongside(_locked, tmp_path):
            pass
    assert caught.value.filename == str(tmp_path / "src") and caught.value.filename2 == str(tmp_path / "dst")


def test_beside_another_thread_it_runs_here(tmp_path):
    import threading

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        with alongside(_write, tmp_path / "a.txt", "hello"):
            pass
    finally:
        stop.set()
        thread.join()
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == f"hello from {os.getpid()}"
