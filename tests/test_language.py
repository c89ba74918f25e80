"""The language xl-kpi speaks comes from the system on every platform: the display language on
Windows (which sets no LANG) and macOS, the locale elsewhere; XL_KPI_LANG overrides it, and a value
xl-kpi does not speak is a usage error naming the choices. Each platform is simulated: its probe
is replaced by what that system would answer."""

from __future__ import annotations

import subprocess
import sys

import pytest

from xl_kpi.cli import run
from xl_kpi.core import syslang
from xl_kpi.core.text import ui_lang

LOCALE_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture
def system(monkeypatch):
    """A machine with no XL_KPI_LANG and no locale variables, on the platform a test chooses."""
    for var in (syslang.ENV, *LOCALE_VARS):
        monkeypatch.delenv(var, raising=False)
    syslang.forget()
    yield monkeypatch
    syslang.forget()


def _windows(monkeypatch, langid: int | None) -> None:
    """Windows answering GetUserDefaultUILanguage with ``langid`` (None: the call fails)."""

    class Kernel32:
        def GetUserDefaultUILanguage(self) -> int:  # noqa: N802 - the Win32 name
            if langid is None:
                raise OSError("no kernel32")
            return langid

    class WinDLL:
        kernel32 = Kernel32()

    import ctypes

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(ctypes, "windll", WinDLL(), raising=False)


@pytest.mark.parametrize(("langid", "expected"), [(0x0804, "zh"), (0x0404, "zh"), (0x0C04, "zh"), (0x0409, "en"),
                                                   (0x0411, "en"), (None, "en")],
                         ids=["zh-CN", "zh-TW", "zh-HK", "en-US", "ja-JP → English", "no answer → English"])
def test_windows_speaks_its_display_language(system, langid, expected):
    _windows(system, langid)
    assert ui_lang() == expected


def test_a_chinese_windows_is_chinese_although_no_lang_is_set(system):
    """The regression of this issue: Windows sets none of LANG/LC_*; a Chinese PC got English."""
    _windows(system, 0x0804)
    assert ui_lang() == "zh"
    system.setenv("LANG", "en_US.UTF-8")  # Git Bash sets this whatever Windows shows: the display language still decides
    assert ui_lang() == "zh"


@pytest.mark.parametrize(("languages", "locale", "expected"), [
    ('(\n    "zh-Hans-CN",\n    "en-CN"\n)', "", "zh"),
    ('(\n    "en-GB",\n    "zh-Hans-CN"\n)', "", "en"),
    ('(\n    "zh-Hant-TW"\n)', "", "zh"),
    ("", "zh_CN", "zh"),  # an older macOS without AppleLanguages: the region's locale
    ("", "", "en"),
], ids=["Chinese first", "English first", "traditional Chinese", "AppleLocale only", "neither"])
def test_macos_speaks_the_first_preferred_language(system, languages, locale, expected):
    system.setattr(sys, "platform", "darwin")
    system.setattr(syslang, "_defaults", lambda key: {"AppleLanguages": languages, "AppleLocale": locale}[key])
    assert ui_lang() == expected


def test_macos_asks_its_preferences_once_per_process(system):
    asked = []
    system.setattr(sys, "platform", "darwin")
    system.setattr(syslang, "_defaults", lambda key: asked.append(key) or '("zh-Hans-CN")')
    assert [ui_lang() for _ in range(50)] == ["zh"] * 50
    system.setenv("LANG", "en_US.UTF-8")  # a setting changed: decided again, without asking macOS again
    assert ui_lang() == "zh"
    assert asked == ["AppleLanguages"]


@pytest.mark.parametrize(("env", "expected"), [
    ({"LANG": "zh_CN.UTF-8"}, "zh"), ({"LANG": "zh_TW.Big5"}, "zh"), ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "en"), ({}, "en"), ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, "zh"),  # LC_ALL wins over LANG
    ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "en"),  # the messages category wins over LANG
    ({"LANG": "en_US.UTF-8", "LANGUAGE": "zh_CN:en"}, "zh"),  # gettext's priority list comes first…
    ({"LC_ALL": "C", "LANGUAGE": "zh_CN"}, "en"),  # …except under the C locale, as gettext does
], ids=lambda v: str(v))
def test_linux_speaks_the_locale_by_gettexts_rules(system, env, expected):
    system.setattr(sys, "platform", "linux")
    for key, value in env.items():
        system.setenv(key, value)
    assert ui_lang() == expected


@pytest.mark.parametrize("platform", ["win32", "darwin", "linux"])
@pytest.mark.parametrize(("value", "expected"), [("zh", "zh"), ("en", "en"), ("ZH_cn", "zh"), ("en-US", "en")])
def test_xl_kpi_lang_overrides_every_system(system, platform, value, expected):
    system.setattr(sys, "platform", platform)
    _windows(system, 0x0804 if expected == "en" else 0x0409)
    system.setattr(sys, "platform", platform)
    system.setattr(syslang, "_defaults", lambda key: '("zh-Hans")' if expected == "en" else '("en-US")')
    system.setenv("LANG", "zh_CN.UTF-8" if expected == "en" else "en_US.UTF-8")
    system.setenv(syslang.ENV, value)
    assert ui_lang() == expected


@pytest.mark.parametrize("value", ["fr", "japanese", "1", "chinese-simplified"])
def test_an_unknown_xl_kpi_lang_is_a_usage_error_naming_the_choices(system, value, capsys):
    system.setattr(sys, "platform", "linux")
    system.setenv("LANG", "en_US.UTF-8")
    system.setenv(syslang.ENV, value)
    assert run(["check", "anything.yaml"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"XL_KPI_LANG={value}" in err and "zh (Chinese) or en (English)" in err


def test_the_usage_error_speaks_the_systems_language(system, capsys):
    system.setattr(sys, "platform", "linux")
    system.setenv("LANG", "zh_CN.UTF-8")
    system.setenv(syslang.ENV, "fr")
    assert run(["--version"]) == 2
    assert "XL_KPI_LANG=fr 不是 xl-kpi 的界面语言" in capsys.readouterr().err


def test_the_command_line_follows_the_locale_in_a_real_process():
    """End to end, no probe replaced: a Linux process with a Chinese locale gets Chinese help."""
    if sys.platform != "linux":
        pytest.skip("the locale decides on Linux only")
    env = {"PATH": "/usr/bin:/bin", "LANG": "zh_CN.UTF-8"}
    done = subprocess.run([sys.executable, "-m", "xl_kpi", "-h"], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.startswith("用法: xl-kpi")
    env["LANG"] = "en_US.UTF-8"
    done = subprocess.run([sys.executable, "-m", "xl_kpi", "-h"], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.startswith("Usage: xl-kpi")
