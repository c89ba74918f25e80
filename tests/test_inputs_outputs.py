"""Every input accounted for, outputs and history safe: unsupported files reported with what to
ask for, lock files skipped with a reason, links out of the tree never followed, a file reached
twice read once, parts that differ only in their separator refused, UTF-16 parts and cells
without r="…" read; -o inside an input refused, one run per output folder, a broken history a
clear error that loses nothing."""

from __future__ import annotations

import errno
import io
import os
import random
import sqlite3
import zipfile
from pathlib import Path

import pytest

from xl_kpi.cli import run
from xl_kpi.consolidation import consolidate
from xl_kpi.consolidation.outputs import output_lock
from xl_kpi.core.errors import UsageError
from xl_kpi.spec.model import Person

from . import excel_edits as edit
from .conftest import TEMPLATES
from .returned import GOOD, VICTIM
from .returned import digests as _digests
from .returned import make_return as _return
from .zipedit import rewrite_part


def _codes(result, name: str) -> list[str]:
    return [i.code for i in result.issues if Path(i.file.split("!")[0]).name == name or i.file.endswith(name)]


def test_every_file_under_the_inputs_is_read_reported_or_skipped_with_a_reason(tmp_path, specs, monkeypatch):
    returns = tmp_path / "returns"
    (returns / "sub").mkdir(parents=True)
    (returns / "locked").mkdir()
    good = _return(specs, returns, GOOD)
    for name in ("王测.ods", "王测.csv", "王测.xlsb"):
        (returns / "sub" / name).write_bytes(b"not read")
    (returns / "~$E100.xlsx").write_bytes(b"\x00lock")
    (returns / ".DS_Store").write_bytes(b"\x00")
    (returns / "passwd.xlsx").symlink_to("/etc/passwd")
    (returns / "again.xlsx").symlink_to(good)  # inside the tree: the same file, read once
    with zipfile.ZipFile(returns / "batch.zip", "w") as zf:
        zf.writestr("notes.csv", "a,b\n")
        zf.writestr("~$E200.xlsx", "lock")
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    before = _digests(returns)
    result, _ = consolidate([returns, good], tmp_path / "out", specs)
    assert [r.employee_id for r in result.records] == [GOOD.employee_id] and result.records[0].total == 80
    assert not any(i.code == "duplicate-person" for i in result.issues)  # a folder and a file in it: read once
    for name in ("王测.csv", "王测.xlsb", "notes.csv"):
        assert _codes(result, name) == ["unsupported-file"], name
    assert _codes(result, "王测.ods") == ["not-a-workbook"]  # an .ods is read like any return: these bytes are no workbook
    assert _codes(result, "~$E100.xlsx") == ["skipped-file"] and _codes(result, "~$E200.xlsx") == ["skipped-file"]
    assert _codes(result, "passwd.xlsx") == ["symlink-outside"]
    assert _codes(result, "locked") == ["unreadable-folder"]
    assert _codes(result, ".DS_Store") == []
    assert not any("root:" in i.render(lang) or "72 6f 6f 74" in i.render(lang) for i in result.issues for lang in ("zh", "en"))  # no content quoted
    assert _digests(returns) == before


def test_a_lock_file_named_explicitly_is_read_and_reported(tmp_path, specs):
    lock = tmp_path / "~$E100.xlsx"
    lock.write_bytes(b"\x00\x01lock")
    result, _ = consolidate([lock], tmp_path / "out", specs)
    assert [i.code for i in result.issues] == ["not-a-workbook"]


def test_a_part_stored_twice_under_a_backslash_name_is_refused(tmp_path, specs):
    returns = tmp_path / "returns"
    returns.mkdir()
    _return(specs, returns, GOOD)
    victim = _return(specs, returns, VICTIM)
    with zipfile.ZipFile(victim) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    with zipfile.ZipFile(victim, "a") as zf:
        zf.writestr("xl\\worksheets\\sheet1.xml", sheet.replace(b"<v>11</v>", b"<v>99</v>"))
    result, _ = consolidate([returns], tmp_path / "out", specs)
    assert [r.employee_id for r in result.records] == [GOOD.employee_id]
    assert _codes(result, victim.name) == ["corrupt-file"]


def test_utf16_parts_and_cells_without_references_are_read(tmp_path, specs):
    returns = tmp_path / "returns"
    returns.mkdir()
    path = _return(specs, returns, VICTIM)
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    text = parts["xl/worksheets/sheet1.xml"].decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    # cells after the first in each row lose their r="…" (the schema makes it optional)
    import re

    def strip(m: re.Match[str]) -> str:
        cells = re.split(r'(?=<c r=")', m.group(2))
        return m.group(1) + cells[0] + cells[1] + "".join(re.sub(r'^<c r="[A-Z]+\d+"', "<c", c) for c in cells[2:]) + "</row>"

    text = re.sub(r'(<row [^>]*>)(.*?)</row>', strip, text, flags=re.S)
    parts["xl/worksheets/sheet1.xml"] = text.encode("utf-16")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    path.write_bytes(buf.getvalue())
    result, _ = consolidate([returns], tmp_path / "out", specs)
    assert [(r.employee_id, r.total) for r in result.records] == [(VICTIM.employee_id, 80)]
    assert not [i for i in result.issues if i.severity != "info"]


def test_an_output_folder_inside_an_input_is_refused(tmp_path, specs):
    returns = tmp_path / "returns"
    returns.mkdir()
    _return(specs, returns, GOOD)
    for out in (returns, returns / "results"):
        with pytest.raises(UsageError) as caught:
            consolidate([returns], out, specs)
        assert caught.value.code == "output-inside-input"
    assert run(["consolidate", str(returns), "-o", str(returns / "results"), "--templates", str(TEMPLATES)]) == 2
    assert not (returns / "results").exists()


def test_one_run_at_a_time_per_output_folder(tmp_path, specs):
    returns = tmp_path / "returns"
    returns.mkdir()
    _return(specs, returns, GOOD)
    out = tmp_path / "out"
    with output_lock(out):
        with pytest.raises(UsageError) as caught:
            consolidate([returns], out, specs)
    assert caught.value.code == "output-busy"
    result, _ = consolidate([returns], out, specs)  # released: the next run goes ahead
    assert [r.total for r in result.records] == [80]


@pytest.mark.parametrize("damage", ["corrupt", "locked"])
def test_a_broken_history_is_a_clear_error_and_a_rerun_repairs(tmp_path, specs, damage):
    returns = tmp_path / "returns"
    returns.mkdir()
    _return(specs, returns, GOOD)
    out = tmp_path / "out"
    out.mkdir()
    history = out / "history.sqlite"
    holder = None
    if damage == "corrupt":
        history.write_bytes(b"this is not a database" * 100)
    else:
        consolidate([returns], out, specs)
        holder = sqlite3.connect(history, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
    with pytest.raises(UsageError) as caught:
        consolidate([returns], out, specs)
    assert caught.value.code == "history-unusable" and str(history) in caught.value.render("en")
    assert (out / "scores.csv").exists() and (out / "summary.xlsx").exists()  # written before it, and whole
    if holder is not None:
        holder.execute("ROLLBACK")
        holder.close()
    else:
        history.unlink()
    result, paths = consolidate([returns], out, specs)
    with sqlite3.connect(paths["history"]) as db:
        assert db.execute("select total from totals").fetchall() == [(80.0,)]


def test_a_full_disk_is_one_line_and_exit_2(tmp_path, specs, monkeypatch, capsys):
    import xl_kpi.consolidation.outputs as outputs

    returns = tmp_path / "returns"
    returns.mkdir()
    _return(specs, returns, GOOD)

    def full(path, *args):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(outputs, "write_csv_atomic", full)
    assert run(["consolidate", str(returns), "-o", str(tmp_path / "out"), "--templates", str(TEMPLATES)]) == 2
    err = capsys.readouterr().err
    assert ("磁盘空间不足" in err or "no space left" in err) and "scores.csv" in err and "Traceback" not in err  # what it is, and where


def test_a_seeded_corpus_of_mutated_returns_is_read_to_the_end(tmp_path, specs):
    """Two hundred mutated copies (bytes flipped, cut, parts rewritten) beside good returns: no
    internal error, no hang, every file scored or reported, the good ones exact."""
    returns = tmp_path / "returns"
    returns.mkdir()
    rng = random.Random(20261123)
    template = _return(specs, tmp_path, Person("E900", "模板", "销售一部", "销售代表", "李四", "sales_rep")).read_bytes()
    for k in range(200):
        data = bytearray(template)
        kind = k % 4
        if kind == 0:
            for _ in range(rng.randint(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif kind == 1:
            data = data[: rng.randrange(len(data))]
        (returns / f"m{k:03d}.xlsx").write_bytes(bytes(data))
        if kind >= 2:
            def mutate(xml: str, kind=kind) -> str:
                at = rng.randrange(len(xml))
                return xml[:at] + ("<x>" * rng.randint(1, 5000) if kind == 2 else rng.choice(['<c r="XFD1048576"><v>1</v></c>', "&#0;", "<", "]]>"])) + xml[at:]
            rewrite_part(returns / f"m{k:03d}.xlsx", rng.choice(["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/sharedStrings.xml",
                                                                  edit.meta_part(returns / f"m{k:03d}.xlsx")]), mutate)
    for person in (GOOD, VICTIM):
        _return(specs, returns, person)
    before = _digests(returns)
    result, paths = consolidate([returns], tmp_path / "out", specs, workers=2)
    assert not any(i.code in ("internal-error", "worker-crashed", "timeout") for i in result.issues)
    accounted = {Path(r.file).name for r in result.records} | {Path(i.file).name for i in result.issues}
    assert {p.name for p in returns.iterdir()} <= accounted
    people = {r.employee_id: r for r in result.records}
    assert people[GOOD.employee_id].total == 80 and people[VICTIM.employee_id].total == 80
    assert all(paths[k].exists() for k in ("scores", "issues", "summary", "history"))
    assert _digests(returns) == before
