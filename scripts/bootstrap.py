#!/usr/bin/env python3
"""Set up ParkDesk on a fresh machine and run it, or run its tests.

    python3 scripts/bootstrap.py run [ParkDesk arguments…]
    python3 scripts/bootstrap.py test [pytest arguments…]

Creates .venv beside the project, installs the locked dependencies
(requirements/lock.txt, hash-checked) when the lock changed, and on Linux
installs the system libraries Qt needs, a CJK font, and the fonts printed reports
fall back to for rare characters (CJK Extension B, emoji) where they are missing.
Standard library only, so it runs before anything is installed. Works on
Windows (py scripts\\bootstrap.py run) and Linux.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements" / "lock.txt"
STAMP = VENV / ".parkdesk-lock.sha256"

# shared library → Debian/Ubuntu package, for Qt's offscreen and xcb platforms
QT_LIBS = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}
XCB_LIBS = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libX11-xcb.so.1": "libx11-xcb1",
}
CJK_FONT_PACKAGE = "fonts-wqy-microhei"
# font file → Debian/Ubuntu package: what a PDF report draws a character in when the
# shipped font lacks it (app/services/reports/fonts.py finds them by these names)
FALLBACK_FONTS = {
    "HanaMinA.ttf": "fonts-hanazono",  # CJK Extension A
    "HanaMinB.ttf": "fonts-hanazono",  # CJK Extension B (𠮷), C, D
    "Symbola_hint.ttf": "fonts-symbola",  # emoji, in outline
}


def say(text: str) -> None:
    print(f"[bootstrap] {text}", flush=True)


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def ensure_venv() -> Path:
    python = venv_python()
    if not python.exists():
        say(f"创建虚拟环境 {VENV}")
        venv.EnvBuilder(with_pip=True, clear=False).create(VENV)
    digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != digest:
        say("安装锁定的依赖（requirements/lock.txt）")
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "-q",
                "--require-hashes",
                "-r",
                str(LOCK),
            ],
            check=True,
        )
        STAMP.write_text(digest)
    return python


def _missing_libs(wanted: dict[str, str]) -> list[str]:
    try:
        out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=False).stdout
    except FileNotFoundError:
        out = subprocess.run(
            ["/sbin/ldconfig", "-p"], capture_output=True, text=True, check=False
        ).stdout
    return [pkg for lib, pkg in wanted.items() if lib not in out]


def _has_cjk_font() -> bool:
    if not shutil.which("fc-list"):
        return False
    out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    return bool(out.strip())


def _missing_fallback_fonts() -> list[str]:
    """The packages of the fallback fonts fontconfig does not list (all without fc-list)."""
    listed: set[str] = set()
    if shutil.which("fc-list"):
        done = subprocess.run(["fc-list", "--format", "%{file}\n"], capture_output=True, text=True)
        listed = {Path(line.strip()).name for line in done.stdout.splitlines()}
    wanted = [pkg for name, pkg in FALLBACK_FONTS.items() if name not in listed]
    return list(dict.fromkeys(wanted))


def ensure_linux_packages(with_display: bool) -> None:
    if not sys.platform.startswith("linux"):
        return
    wanted = dict(QT_LIBS)
    if with_display:
        wanted.update(XCB_LIBS)
    packages = _missing_libs(wanted)
    if not _has_cjk_font():
        packages += ["fontconfig", CJK_FONT_PACKAGE]
    packages += [p for p in _missing_fallback_fonts() if p not in packages]
    if not packages:
        return
    if not shutil.which("apt-get"):
        say("缺少 Qt 运行所需的系统库或中文字体，请用系统的包管理器安装：" + " ".join(packages))
        return
    prefix: list[str] = []
    if os.geteuid() != 0:
        if not shutil.which("sudo"):
            say("需要管理员权限安装：" + " ".join(packages))
            return
        prefix = ["sudo", "-n"]
    say("安装系统库与中文字体：" + " ".join(packages))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run([*prefix, "apt-get", "update", "-q"], check=False, env=env)
    subprocess.run(
        [*prefix, "apt-get", "install", "-y", "-q", "--no-install-recommends", *packages],
        check=True,
        env=env,
    )


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("run", "test"):
        print(__doc__)
        return 2
    action, rest = argv[0], argv[1:]
    has_display = bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    ensure_linux_packages(with_display=action == "run" and has_display)
    python = ensure_venv()
    os.chdir(ROOT)
    if action == "test":
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUTF8="1")
        return subprocess.run([str(python), "-m", "pytest", *rest], env=env).returncode
    if sys.platform.startswith("linux") and not has_display and not rest:
        # the system Python lacks the dependencies: name the environment's own
        command = f"{os.path.relpath(python, ROOT)} main.py --help"
        say(f"没有图形显示（DISPLAY 未设置）：无法打开窗口。命令行用法（在 {ROOT} 中）：{command}")
        return 1
    return subprocess.run([str(python), "main.py", *rest]).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
