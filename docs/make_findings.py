"""Regenerate docs/findings.md from the findings catalogue (a test keeps the two equal)."""

from __future__ import annotations

from pathlib import Path

from xl_kpi.core.findings import markdown_table

if __name__ == "__main__":
    target = Path(__file__).resolve().parent / "findings.md"
    target.write_text(markdown_table(), encoding="utf-8")
    print(f"wrote {target}")
