"""The language of the system xl-kpi runs on: the user's display language on Windows and macOS, the
locale elsewhere. Chinese (any script or region) is Chinese; every other language is English.

``XL_KPI_LANG`` (``zh`` or ``en``) overrides it; any other value is refused by the command line,
which names the choices (:func:`override_problem`).

Windows sets no ``LANG``: its display language is ``GetUserDefaultUILanguage`` (the language of
the Start menu and Explorer, which a Chinese edition has in Chinese whatever the formats or the
keyboard). macOS keeps the user's preferred languages in ``AppleLanguages`` (``defaults read -g``),
with ``AppleLocale`` for older systems; a terminal's ``LANG`` follows them only when it is set to.
Elsewhere gettext's order applies: ``LANGUAGE`` (unless the locale is C), ``LC_ALL``,
``LC_MESSAGES``, ``LANG``.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
from typing import Literal

__all__ = ["ENV", "CHOICES", "lang_of", "override", "override_problem", "system_lang", "current", "forget", "windows_ui_language",
           "macos_language", "locale_language"]

Lang = Literal["zh", "en"]
ENV = "XL_KPI_LANG"
CHOICES: tuple[Lang, ...] = ("zh", "en")
_TAG = re.compile(r"^([a-z]{2,3})(?:$|[-_.@])")
_NAMES = {"chinese": "zh", "english": "en", "中文": "zh", "英文": "en", "简体中文": "zh", "繁體中文": "zh"}
LANG_CHINESE, LANG_ENGLISH = 0x04, 0x09  # PRIMARYLANGID of a Windows LANGID


def lang_of(tag: str) -> str | None:
    """The ISO 639 language of a locale or language tag: ``zh_CN.UTF-8``, ``zh-Hans-CN``, ``zh`` → "zh",
    ``en_US`` → "en", ``fr_FR`` → "fr"; None for none (empty, ``C``, ``POSIX``)."""
    text = tag.strip().strip('"').lower()
    if text in _NAMES:
        return _NAMES[text]
    found = _TAG.match(text)
    if found is None or text in ("c", "posix") or text.startswith(("c.", "posix.")):
        return None
    return found[1]


def _lang(language: str | None) -> Lang:
    return "zh" if language == "zh" else "en"


def override() -> Lang | None:
    """``XL_KPI_LANG`` when it names one of :data:`CHOICES` (``zh``, ``en``, or a tag of them: ``zh_CN``)."""
    value = os.environ.get(ENV, "").strip()
    language = lang_of(value) if value else None
    return language if language in CHOICES else None


def override_problem() -> str | None:
    """The value of ``XL_KPI_LANG`` when it is set to something xl-kpi does not speak, else None."""
    value = os.environ.get(ENV, "").strip()
    if value and lang_of(value) not in CHOICES:
        return value
    return None


def windows_ui_language() -> str | None:
    """The Windows display language ("zh", "en", or another ISO 639 code), None if it cannot be asked."""
    try:
        import ctypes

        langid = int(ctypes.windll.kernel32.GetUserDefaultUILanguage())  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return None
    primary = langid & 0x3FF
    return {LANG_CHINESE: "zh", LANG_ENGLISH: "en"}.get(primary, "other")


def _defaults(key: str) -> str:
    try:
        done = subprocess.run(["defaults", "read", "-g", key], capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout if done.returncode == 0 else ""


def macos_language() -> str | None:
    """The first of the user's preferred languages on macOS (``AppleLanguages``: ``("zh-Hans-CN", "en")``),
    else the region's (``AppleLocale``: ``zh_CN``); None if neither can be read."""
    for key in ("AppleLanguages", "AppleLocale"):
        for token in re.findall(r'"?([A-Za-z][A-Za-z0-9_@.-]*)"?', _defaults(key)):
            language = lang_of(token)
            if language:
                return language
    return None


def locale_language(environ: os._Environ[str] | dict[str, str] | None = None) -> str | None:
    """The messages locale's language by gettext's rules: ``LANGUAGE`` first (unless the locale is C),
    then the first of ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set."""
    env = os.environ if environ is None else environ
    locale = next((env[k].strip() for k in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(k, "").strip()), "")
    if locale and lang_of(locale) is None:
        return None  # C or POSIX: gettext ignores LANGUAGE too
    for part in env.get("LANGUAGE", "").split(":"):
        if lang_of(part):
            return lang_of(part)
    return lang_of(locale) if locale else None


@functools.cache
def _display_language(platform: str) -> str | None:
    """What the operating system shows its user in (asked once per process: macOS runs a program)."""
    if platform == "win32":
        return windows_ui_language()
    if platform == "darwin":
        return macos_language()
    return None


def system_lang() -> Lang:
    """The system's language for xl-kpi: Chinese when the display language (Windows, macOS) or else the
    locale is Chinese; English otherwise."""
    shown = _display_language(sys.platform)
    return _lang(shown if shown is not None else locale_language())


_SETTINGS = (ENV, "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def current() -> Lang:
    """``XL_KPI_LANG`` (zh|en), else :func:`system_lang` — decided once per set of settings (every
    message asks: reading five variables is cheap, deciding again is not)."""
    env = os.environ
    return _decided(tuple(env.get(k) for k in _SETTINGS), sys.platform)


@functools.lru_cache(maxsize=16)
def _decided(settings: tuple[str | None, ...], platform: str) -> Lang:
    return override() or system_lang()


def forget() -> None:
    """Ask the system again (tests that play another platform)."""
    _decided.cache_clear()
    _display_language.cache_clear()
