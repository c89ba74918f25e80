"""Recalculate workbooks in Gnumeric (``ssconvert --recalc``): a second, independent spreadsheet
engine for the tests. Gnumeric computes in long double and rounds without Excel's 15-digit
behaviour, so exact half-way values and actuals within 1e-9 of a threshold may differ from
Excel and LibreOffice (``docs/workbook.md`` lists the differences measured)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

__all__ = ["ssconvert_path", "recalc"]


def ssconvert_path() -> str | None:
    return shutil.which("ssconvert")


def recalc(files: Sequence[Path], outdir: Path, timeout: float = 300) -> list[Path]:
    """Open each file in Gnumeric, recalculate every formula, and save it as .xlsx in ``outdir``."""
    ssconvert = ssconvert_path()
    if ssconvert is None:
        raise RuntimeError("Gnumeric (ssconvert) is not installed")
    outdir.mkdir(parents=True, exist_ok=True)
    outputs = []
    for f in files:
        out = outdir / (Path(f).stem + ".xlsx")
        proc = subprocess.run([ssconvert, "--recalc", "--export-type=Gnumeric_Excel:xlsx2", str(f), str(out)],
                              capture_output=True, text=True, timeout=timeout, check=False)
        if proc.returncode != 0 or not out.exists():
            raise RuntimeError(f"Gnumeric failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
        outputs.append(out)
    return outputs
