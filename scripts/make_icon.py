"""Render the application icon from its drawing (resources/icons/parkdesk.svg) into the
files each platform wants: PNGs for the window (Qt picks the size it needs) and a
multi-size .ico for Windows (the installer, the Start-menu entry). Run after editing
the SVG:  python scripts/make_icon.py"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(ICONS / "parkdesk.svg"))
    images = []
    for size in SIZES:  # each size drawn from the vector, not scaled down from 256
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        path = ICONS / f"parkdesk-{size}.png"
        image.save(str(path))
        images.append(Image.open(path))
    largest = images[-1]
    largest.save(
        ICONS / "parkdesk.ico",
        sizes=[(s, s) for s in SIZES],
        append_images=images[:-1],
    )
    del app
    print(f"{ICONS}: {len(SIZES)} PNGs and parkdesk.ico")
    return 0


if __name__ == "__main__":
    sys.exit(main())
