"""Every example in docs/api.md runs, as written, and its assertions hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from .docblocks import python_blocks

PAGE = Path(__file__).resolve().parent.parent / "docs" / "api.md"
BLOCKS = python_blocks(PAGE)


def test_the_page_has_its_examples():
    assert len(BLOCKS) >= 5


@pytest.mark.parametrize("block", range(len(BLOCKS)))
def test_api_doc_example_runs(block, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # examples write nowhere but temporary folders
    exec(compile(BLOCKS[block], f"{PAGE.name}[{block}]", "exec"), {"__name__": "__doc_example__"})
    assert capsys.readouterr().out  # each example shows its result
