"""Printing from the window: a report is made as PDF (app/reports, in a worker, the same
file the command line makes), then shown in Qt's print preview — its pages drawn at the
printer's resolution by pdfium — from where it is printed; or saved as PDF as it is
(vector text and charts, the font embedded)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog, QWidget

from ui import messages
from ui.tasks import run_task

MakePdf = Callable[[Path], int]  # writes the report to the path, returns its pages
PREVIEW_DPI = 150  # on screen and for most office printers: sharp 9 pt Chinese


def tr(text: str) -> str:
    return QCoreApplication.translate("printing", text)


def _made(parent: QWidget, title: str, make: MakePdf, then: Callable[[Path], None]) -> None:
    """Make the report in a worker (into a temporary folder), then ``then(path)``."""
    folder = Path(tempfile.mkdtemp(prefix="parkdesk-print-"))
    path = folder / f"{title}.pdf"

    def done(_pages: object) -> None:
        try:
            then(path)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def failed(exc: BaseException) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        if isinstance(exc, ValueError | LookupError | OSError):
            messages.warn(parent, tr("无法生成报表"), str(exc))
            return
        raise exc

    run_task(parent, tr("正在生成“%s”…") % title, lambda _p: make(path), done, failed)


def save_pdf(parent: QWidget, title: str, make: MakePdf) -> None:
    """保存为PDF: the report as the command line makes it, where the clerk chooses."""
    target, _ = QFileDialog.getSaveFileName(
        parent, tr("保存为PDF"), str(Path.home() / f"{title}.pdf"), tr("PDF 文件 (*.pdf)")
    )
    if not target:
        return

    def copy(path: Path) -> None:
        try:
            shutil.copyfile(path, target)
        except OSError as exc:
            messages.save_failed(parent, exc, Path(target))
            return
        messages.info(parent, tr("已保存"), tr("已保存为：\n%s") % target)

    _made(parent, title, make, copy)


def preview(parent: QWidget, title: str, make: MakePdf) -> None:
    """打印预览 (and from there 打印): the report's pages on the printer's paper."""

    def show(path: Path) -> None:
        pages = render_pages(path, PREVIEW_DPI)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title)
        wide = bool(pages) and pages[0].width() > pages[0].height()
        printer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Landscape if wide else QPageLayout.Orientation.Portrait,
                QMarginsF(),
            )
        )
        dialog = QPrintPreviewDialog(printer, parent)
        dialog.setWindowTitle(tr("打印预览：%s") % title)
        dialog.paintRequested.connect(lambda p: paint(p, pages))
        dialog.resize(1000, 760)
        dialog.exec()

    _made(parent, title, make, show)


def print_directly(parent: QWidget, title: str, make: MakePdf) -> None:
    """打印: the system's print dialog, then the pages."""

    def send(path: Path) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title)
        if QPrintDialog(printer, parent).exec():
            paint(printer, render_pages(path, min(printer.resolution(), 300)))

    _made(parent, title, make, send)


def render_pages(path: Path, dpi: int) -> list[QImage]:
    """The PDF's pages as images at ``dpi`` (pdfium: the renderer Chrome uses)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        out = []
        for page in document:
            # RGB byte order, as QImage's RGB888 reads it
            bitmap = page.render(scale=dpi / 72, rev_byteorder=True)
            image = QImage(
                bytes(bitmap.buffer),
                bitmap.width,
                bitmap.height,
                bitmap.stride,
                QImage.Format.Format_RGB888,
            )
            out.append(image.copy())  # its own pixels: the bitmap goes with the page
            page.close()
        return out
    finally:
        document.close()


def paint(printer: QPrinter, pages: list[QImage]) -> None:
    """Each page image onto a page of the printer, filling its paper."""
    painter = QPainter()
    if not painter.begin(printer):
        return
    try:
        for n, image in enumerate(pages):
            if n:
                printer.newPage()
            target = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
            painter.drawImage(target, image)
    finally:
        painter.end()
