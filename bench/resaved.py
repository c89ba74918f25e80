"""Returns as HR meets them: saved by another program, sharing nothing byte for byte with their template.

``resaved(n)`` takes the first n returns of the bench corpus (xl-kpi's own, filled) and re-saves
``openpyxl_share`` of them with openpyxl (a program that rewrites every part: inline strings, its own
styles, no cached results) and ``libreoffice_share`` with LibreOffice Calc (shared strings in its own
order, `aca` formula attributes, its own styles and protection hashes); the rest stay as xl-kpi wrote
them. Built once per corpus version under bench/.cache (LibreOffice takes ~0.2-0.7 s a file).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

__all__ = ["resaved"]


def _openpyxl_range(args: tuple[list[str], str, str]) -> None:
    import warnings

    import openpyxl

    files, source, target = args
    warnings.simplefilter("ignore")  # openpyxl's word on the parts it drops (conditional-format extensions)
    for name in files:
        book = openpyxl.load_workbook(Path(source) / name)
        dest = Path(target) / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        book.save(dest)


def _libreoffice_range(args: tuple[list[str], str, str]) -> None:
    files, source, target = args
    with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryDirectory() as out:
        left = list(files)
        for _ in range(3):  # a loaded machine makes Calc skip a file of a long batch now and then: those are converted again
            for chunk in _chunks(left, 100):
                subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                                "xlsx:Calc MS Excel 2007 XML", "--outdir", out, *[str(Path(source) / f) for f in chunk]],
                               capture_output=True, check=True, timeout=3600)
            for name in left:
                if (Path(out) / Path(name).name).exists():
                    dest = Path(target) / name
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.move(str(Path(out) / Path(name).name), dest)
            left = [name for name in left if not (Path(target) / name).exists()]
            if not left:
                return
        raise RuntimeError(f"LibreOffice did not convert {len(left)} files, e.g. {left[0]}")


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[k : k + size] for k in range(0, len(items), size)]


def resaved(source: Path, cache: Path, n: int, stamp: str, openpyxl_share: float = 0.4,
            libreoffice_share: float = 0.1) -> Path:
    """A folder of n returns: the first of ``source``'s, ``openpyxl_share`` of them re-saved by openpyxl and
    ``libreoffice_share`` by LibreOffice, spread over the departments; ``stamp`` names the corpus version."""
    folder = cache / f"resaved-{n}"
    marker = cache / f"{folder.name}.stamp"
    if marker.exists() and marker.read_text() == stamp and len(list(folder.rglob("*.xlsx"))) == n:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    names = sorted(str(p.relative_to(source)) for p in source.rglob("*.xlsx"))[:n]
    tenths = round(openpyxl_share * 10), round(libreoffice_share * 10)  # of every ten files in turn
    by_openpyxl = [f for k, f in enumerate(names) if k % 10 < tenths[0]]
    by_libreoffice = [f for k, f in enumerate(names) if tenths[0] <= k % 10 < sum(tenths)]
    own = [f for k, f in enumerate(names) if k % 10 >= sum(tenths)]
    for name in own:
        dest = folder / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.link(source / name, dest)
    workers = os.cpu_count() or 1
    with ProcessPoolExecutor(workers) as pool:
        jobs = [pool.submit(_openpyxl_range, (chunk, str(source), str(folder))) for chunk in _chunks(by_openpyxl, 200)]
        jobs += [pool.submit(_libreoffice_range, (chunk, str(source), str(folder)))
                 for chunk in _chunks(by_libreoffice, max(1, -(-len(by_libreoffice) // workers)))]
        for job in jobs:
            job.result()
    marker.write_text(stamp)
    return folder
