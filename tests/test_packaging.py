"""The Windows build's inputs stay true to the program: its hash-locked wheels are the
Linux lock's versions but those overrides.txt names (Qt 6.8 LTS for Windows 10 1809,
numpy 1.26 for Wine), and ParkDesk.exe is the
launcher, a shebang naming python.exe beside it, and a zip that starts main."""

from __future__ import annotations

import importlib.util
import io
import os
import re
import subprocess
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _pins(path: Path) -> dict[str, str]:
    """name → version, for the lines a platform's resolver kept for Python 3.11."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        found = re.match(r"^([A-Za-z0-9_.-]+)==([^ ;\\]+)( ; (.*))?", line)
        if found and "python_full_version >= '3.12'" not in (found.group(4) or ""):
            out[found.group(1).lower()] = found.group(2)
    return out


def test_windows_runs_the_linux_versions_but_those_overridden_with_a_reason() -> None:
    linux = _pins(ROOT / "requirements" / "lock.txt")
    windows = _pins(ROOT / "packaging" / "windows" / "requirements.txt")
    overrides = _pins(ROOT / "packaging" / "windows" / "overrides.txt")
    # Qt 6.8 LTS for Windows 10 1809; numpy 1.26 that Wine can import
    assert overrides == {
        "pyside6-essentials": "6.8.3",
        "shiboken6": "6.8.3",
        "numpy": "1.26.4",
    }
    assert {n: windows[n] for n in overrides} == overrides
    different = {
        n: (linux.get(n), v) for n, v in windows.items() if n not in overrides and linux.get(n) != v
    }
    assert different == {}
    assert {"reportlab", "pypdfium2", "python-calamine", "sqlalchemy"} <= set(windows)


def test_parkdesk_exe_is_the_launcher_a_relative_shebang_and_main(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "build_windows", ROOT / "packaging" / "build_windows.py"
    )
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    fake = tmp_path / "distlib.whl"
    with zipfile.ZipFile(fake, "w") as zf:
        zf.writestr("distlib/t64.exe", b"MZ launcher stub")
    exe = tmp_path / "ParkDesk.exe"
    build.launcher(fake, exe)
    data = exe.read_bytes()
    stub, rest = data[:16], data[16:]
    assert stub == b"MZ launcher stub"
    assert rest.startswith(b"#!<launcher_dir>\\python\\python.exe\r\n")
    with zipfile.ZipFile(io.BytesIO(rest.split(b"\r\n", 1)[1])) as zf:
        script = zf.read("__main__.py").decode()
    assert "from main import main" in script and "sys.exit(main())" in script


def _build_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "build_windows", ROOT / "packaging" / "build_windows.py"
    )
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    return build


def test_the_uninstaller_removes_what_was_installed_and_nothing_else(tmp_path: Path) -> None:
    """Issue 22: installed into the user's own folder (/D=...\\Documents\\我的资料),
    uninstalling took the folder and the user's files with it (RMDir /r $INSTDIR)."""
    layout = tmp_path / "ParkDesk"
    for name in (
        "main.py",
        "ParkDesk.exe",
        "python/python.exe",
        "site-packages/PySide6/Qt/bin/Qt6Core.dll",
        "site-packages/$weird.py",
        "app/services/reports/pdf.py",
        "resources/help/用户手册.html",
    ):
        (layout / name).parent.mkdir(parents=True, exist_ok=True)
        (layout / name).write_bytes(b"x")
    script = _build_module().uninstall_script(layout).splitlines()
    nsi = (ROOT / "packaging" / "windows" / "installer.nsi").read_text(encoding="utf-8")
    uninstall = nsi.split('Section "Uninstall"')[1]
    # no recursive removal anywhere in what the uninstaller runs
    assert not [line for line in [*uninstall.splitlines(), *script] if "/r" in line.split()]
    assert '!include "${UNINSTALL_LIST}"' in uninstall
    deleted = {line[len('Delete "') : -1] for line in script if line.startswith("Delete ")}
    for path in layout.rglob("*"):
        if path.is_file():
            win = "\\".join(path.relative_to(layout).parts).replace("$", "$$")
            assert f"$INSTDIR\\{win}" in deleted, win
    assert "$INSTDIR\\uninstall.exe" in deleted
    assert "$INSTDIR\\app\\services\\reports\\__pycache__\\*.pyc" in deleted
    assert not [d for d in deleted if "*" in d and not d.endswith("__pycache__\\*.pyc")]
    # folders only when empty, each after every folder inside it, $INSTDIR last
    removed = [line[len('RMDir "') : -1] for line in script if line.startswith("RMDir ")]
    assert removed[-1] == "$INSTDIR"
    for i, folder in enumerate(removed):
        assert not [d for d in removed[i + 1 :] if d.startswith(folder + "\\")], folder
    installed = {"\\".join(p.relative_to(layout).parts) for p in layout.rglob("*") if p.is_dir()}
    assert {f"$INSTDIR\\{d}" for d in installed} <= set(removed)


def _smoke_checks(tmp_path: Path, wine: str, steps: str) -> subprocess.CompletedProcess[str]:
    """The Windows smoke test's checks (packaging/windows/smoke_test.sh), run by sh under
    ``set -eu`` as the script runs them, with a stand-in ``wine64`` (a shell script)."""
    script = (ROOT / "packaging" / "windows" / "smoke_test.sh").read_text(encoding="utf-8")
    checks = script.split("# --- the checks")[1].split("# --- end of the checks")[0]
    fake = tmp_path / "bin" / "wine64"
    fake.parent.mkdir(exist_ok=True)
    fake.write_text("#!/bin/sh\n" + wine)
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{fake.parent}:{os.environ['PATH']}"}
    head = (
        f"set -eu\nexport WINEPREFIX={tmp_path}\nOUT=$WINEPREFIX/out.txt ERR=$WINEPREFIX/err.txt\n"
    )
    return subprocess.run(
        ["sh", "-c", head + checks.split("\n", 1)[1] + steps + "\necho REACHED\n"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_smoke_run_fails_when_the_program_cannot_start_though_wine_names_it(
    tmp_path: Path,
) -> None:
    # Wine's own error names the program: the exit code is what says it did not run.
    # A run that passed comes first: under set -e a plain `echo $?` after the failing
    # one was never reached, and the passing run's 0 was read again.
    wine = (
        'if [ -e "$WINEPREFIX/ran" ]; then\n'
        '  echo "wine: cannot start ParkDesk.exe" >&2; exit 53\n'
        "fi\n"
        'touch "$WINEPREFIX/ran"; echo "ParkDesk 0.1.0"\n'
    )
    steps = "run ParkDesk.exe --version\nrun ParkDesk.exe --version\nsaid ParkDesk"
    done = _smoke_checks(tmp_path, wine, steps)
    assert done.returncode != 0
    assert "FAILED: exit code 53: ParkDesk.exe --version" in done.stdout
    assert "REACHED" not in done.stdout


def test_smoke_said_wants_the_exact_words_on_stdout(tmp_path: Path) -> None:
    wine = "echo 'ParkDesk 0.1.0'; echo 'ParkDesk 0.2.0 (a warning)' >&2\n"
    passed = _smoke_checks(tmp_path, wine, 'run ParkDesk.exe --version\nsaid "ParkDesk 0.1.0"')
    assert passed.returncode == 0 and "REACHED" in passed.stdout, passed.stdout + passed.stderr
    failed = _smoke_checks(tmp_path, wine, 'run ParkDesk.exe --version\nsaid "ParkDesk 0.2.0"')
    assert failed.returncode != 0
    assert "FAILED: the program did not say: ParkDesk 0.2.0" in failed.stdout


def test_an_upgrade_clears_old_libraries_only_over_a_parkdesk() -> None:
    """The installer removes an older version's site-packages only where a ParkDesk is
    installed (its uninstaller there): never a folder of the user's own so named."""
    nsi = (ROOT / "packaging" / "windows" / "installer.nsi").read_text(encoding="utf-8")
    install = nsi.split('Section "ParkDesk"')[1].split("SectionEnd")[0]
    lines = [line.strip() for line in install.splitlines()]
    recursive = [n for n, line in enumerate(lines) if line.startswith("RMDir /r")]
    assert recursive
    for n in recursive:
        assert lines[n - 1] == 'IfFileExists "$INSTDIR\\uninstall.exe" 0 +2', lines[n - 1]
