"""Files shipped with the program (resources/): the user guide, the fonts. Found beside
the source, or in the unpacked folder of a frozen build."""

from __future__ import annotations

from pathlib import Path

from app.paths import project_root


def resource(*parts: str) -> Path:
    return project_root().joinpath("resources", *parts)


USER_GUIDE = resource("help", "index.html")
CJK_FONT = resource("fonts", "wqy-microhei.ttc")
# the application icon, drawn at each size from resources/icons/parkdesk.svg
# (scripts/make_icon.py); the .ico is for Windows (installer, Start menu)
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
WINDOWS_ICON = resource("icons", "parkdesk.ico")


def icon_files() -> list[Path]:
    return [resource("icons", f"parkdesk-{size}.png") for size in ICON_SIZES]
