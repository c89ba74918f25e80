"""Text in both of xl-kpi's languages, and the language a user reads messages in."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

__all__ = ["Lang", "Text", "ui_lang", "resolve"]

Lang = Literal["zh", "en"]


@dataclass(frozen=True, slots=True)
class Text:
    """A message in Chinese and English; ``str()`` gives the user's interface language."""

    zh: str
    en: str

    def __call__(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en

    def __reduce__(self) -> tuple[type[Text], tuple[str, str]]:
        # by its constructor: a slotted frozen dataclass otherwise unpickles field by field (a run pickles millions)
        return Text, (self.zh, self.en)

    def __str__(self) -> str:
        return self(ui_lang())


def ui_lang() -> Lang:
    """Language of command-line messages: ``XL_KPI_LANG`` (zh|en), else the locale's
    (``LC_ALL``, ``LC_MESSAGES``, ``LANG``: zh_* is Chinese, anything else English)."""
    chosen = os.environ.get("XL_KPI_LANG", "").strip().lower()
    if chosen:
        return "en" if chosen.startswith("en") else "zh"
    for key in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(key, "").strip().lower()
        if value:
            return "zh" if value.startswith("zh") else "en"
    return "en"


def resolve(value: object, lang: Lang) -> object:
    """A field value for a message in ``lang``: a :class:`Text` picks its language, anything else is kept."""
    return value(lang) if isinstance(value, Text) else value
