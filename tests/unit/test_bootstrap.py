"""The set-up script's advice when there is no display names a command that works."""

from __future__ import annotations

import importlib.util
import subprocess

import pytest

from tests.conftest import ROOT


def test_run_without_a_display_names_the_environments_python(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = importlib.util.spec_from_file_location("bootstrap", ROOT / "scripts" / "bootstrap.py")
    assert spec and spec.loader
    bootstrap = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bootstrap)
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
