"""Text in both of xl-kpi's languages, and the language a user reads messages in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .syslang import current

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
    """Language of what xl-kpi says to its user: ``XL_KPI_LANG`` (zh|en), else the system's — the display
    language on Windows and macOS, the locale elsewhere (:mod:`xl_kpi.core.syslang`). Chinese is
    Chinese; every other language is English. An unknown ``XL_KPI_LANG`` is ignored here (the command
    line refuses it)."""
    return current()


def resolve(value: object, lang: Lang) -> object:
    """A field value for a message in ``lang``: a :class:`Text` picks its language, anything else is kept."""
    return value(lang) if isinstance(value, Text) else value
