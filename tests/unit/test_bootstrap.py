"""The set-up script: its advice when there is no display names a command that works; it
installs the fonts printed reports need."""

from __future__ import annotations

import importlib.util
import subprocess

import pytest

from tests.conftest import ROOT


def test_run_without_a_display_names_the_environments_python(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bootstrap = _bootstrap()
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(bootstrap, "ensure_linux_packages", lambda with_display: None)
    monkeypatch.setattr(bootstrap, "ensure_venv", bootstrap.venv_python)
    monkeypatch.setattr(bootstrap.sys, "platform", "linux")
    assert bootstrap.main(["run"]) == 1
    advice = capsys.readouterr().out
    command = advice.split("：")[-1].strip()
    assert command.startswith(".venv")
    done = subprocess.run(command.split(), cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "用法" in done.stdout or "usage" in done.stdout.lower()


def _bootstrap():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bootstrap", ROOT / "scripts" / "bootstrap.py")
    assert spec and spec.loader
    bootstrap = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bootstrap)
    return bootstrap


@pytest.mark.parametrize(
    ("fonts", "installed"),
    [
        # only the shipped CJK font: the fallbacks for 𠮷 and emoji are installed
        (["/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"], ["fonts-hanazono", "fonts-symbola"]),
        # Extension B present, emoji not
        (
            [
                "/usr/share/fonts/truetype/hanazono/HanaMinA.ttf",
                "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf",
            ],
            ["fonts-symbola"],
        ),
        # everything there: nothing to install
        (
            [
                "/usr/share/fonts/truetype/hanazono/HanaMinA.ttf",
                "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf",
                "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf",
            ],
            None,
        ),
    ],
)
def test_the_fallback_fonts_of_printed_reports_are_installed_where_missing(
    monkeypatch: pytest.MonkeyPatch, fonts: list[str], installed: list[str] | None
) -> None:
    """A report draws 𠮷 (CJK Extension B) and emoji in fonts-hanazono and fonts-symbola;
    the set-up installs them as it installs the CJK font, and nothing already there."""
    bootstrap = _bootstrap()
    calls: list[list[str]] = []

    def run(command: list[str], **_kw: object) -> subprocess.CompletedProcess[str]:
        calls.append(command)
        if command[0].endswith("ldconfig"):  # every library Qt needs is present
            out = "\n".join(f"\t{lib} (libc6,x86-64) => /lib/{lib}" for lib in bootstrap.QT_LIBS)
        elif command[:2] == ["fc-list", ":lang=zh"]:
            out = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc: WenQuanYi Micro Hei\n"
        elif command[0] == "fc-list":
            out = "\n".join(fonts) + "\n"
        else:
            out = ""
        return subprocess.CompletedProcess(command, 0, out, "")

    monkeypatch.setattr(bootstrap.sys, "platform", "linux")
    monkeypatch.setattr(bootstrap.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(bootstrap.os, "geteuid", lambda: 0)
    monkeypatch.setattr(bootstrap.subprocess, "run", run)
    bootstrap.ensure_linux_packages(with_display=False)
    installs = [c for c in calls if c[:2] == ["apt-get", "install"]]
    if installed is None:
        assert installs == []
    else:
        (install,) = installs
        assert [p for p in install if p.startswith("fonts-")] == installed
