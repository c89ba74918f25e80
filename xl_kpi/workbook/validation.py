"""Data validation for input cells: what each actual may be, said in the sheet's language."""

from __future__ import annotations

from typing import Any

from ..spec.model import Indicator


def _fit(text: str, limit: int) -> str:
    """Excel refuses validation texts over its limits (UTF-16 units): cut with an ellipsis."""
    if len(text.encode("utf-16-le")) // 2 <= limit:
        return text
    while len(text.encode("utf-16-le")) // 2 > limit - 1:
        text = text[:-1]
    return text + "…"


def actual_validation(ind: Indicator, lang: str) -> dict[str, Any]:
    """XlsxWriter ``data_validation`` options for an indicator's actual cell."""
    zh = lang == "zh"
    title = _fit(f"{ind.name}", 32)
    choices = ind.method.choices(ind)
    if choices is not None:
        labels = [label for label, _ in choices]
        lines = [f"{label}: {meaning}" if meaning else label for label, meaning in choices]
        msg = ("请选择等级:\n" if zh else "Choose a level:\n") + "\n".join(lines)
        return {
            "validate": "list", "source": labels, "input_title": title, "input_message": _fit(msg, 255),
            "error_title": _fit("无效等级" if zh else "Invalid level", 32),
            "error_message": _fit(("只能选择: " if zh else "Choose one of: ") + ", ".join(labels), 255),
        }
    target = ind.show(float(ind.target)) if isinstance(ind.target, (int, float)) else ""
    if ind.range:
        lo, hi = ind.range
    elif ind.is_percent:
        lo, hi = 0.0, 10.0
    else:
        lo, hi = 0.0, 1e12
    whole = ind.is_count and not ind.range
    if ind.is_percent:
        example = "例如 105% 请输入 105%" if zh else "e.g. type 105% for 105%"
        allowed = f"{lo * 100:g}%–{hi * 100:g}%"
    else:
        example = (f"例如 {ind.show(float(ind.target or 0))} 请输入 {float(ind.target or 0):g}" if zh
                   else f"e.g. type {float(ind.target or 0):g}")
        allowed = f"{lo:g}–{hi:g}" + ((" 的整数" if zh else " (whole numbers)") if whole else "")
    unit = f"({ind.unit})" if ind.unit else ""
    msg = (f"单位{unit};目标 {target}。{example}。" if zh else f"Unit {unit}; target {target}. {example}.")
    return {
        "validate": "integer" if whole else "decimal",
        "criteria": "between", "minimum": lo, "maximum": hi,
        "input_title": title, "input_message": _fit(msg, 255),
        "error_title": _fit("超出允许范围" if zh else "Value not allowed", 32),
        "error_message": _fit((f"请输入 {allowed} 之间的数值。" if zh else f"Enter a number within {allowed}."), 255),
    }


def count_validation(name: str, lang: str) -> dict[str, Any]:
    """An adjustment count: a whole number of times, 0 or more."""
    zh = lang == "zh"
    return {"validate": "integer", "criteria": ">=", "value": 0, "input_title": _fit(name, 32),
            "input_message": _fit("填写发生次数(整数),没有发生填 0 或留空。" if zh else "Times it happened (a whole number); 0 or blank if never.", 255),
            "error_title": _fit("次数无效" if zh else "Not a count", 32),
            "error_message": _fit("请输入不小于 0 的整数。" if zh else "Enter a whole number, 0 or more.", 255)}


def veto_validation(lang: str) -> dict[str, Any]:
    """A veto mark: picked from 是/否 (Yes/No)."""
    zh = lang == "zh"
    return {"validate": "list", "source": ["是", "否"] if zh else ["Yes", "No"],
            "input_message": _fit("发生则选“是”,本期考核总分为 0。" if zh else "Pick Yes if it happened: the total becomes 0.", 255),
            "error_title": _fit("请选择" if zh else "Pick from the list", 32),
            "error_message": _fit("只能选择“是”或“否”。" if zh else "Choose Yes or No.", 255)}
