"""Files shipped with the program (resources/): the user guide, the fonts. Found beside
the source, or in the unpacked folder of a frozen build."""

from __future__ import annotations

from pathlib import Path

from app.paths import project_root


def resource(*parts: str) -> Path:
    return project_root().joinpath("resources", *parts)


USER_GUIDE = resource("help", "index.html")
CJK_FONT = resource("fonts", "wqy-microhei.ttc")
