"""Printing from the window: a report is made as PDF (app/reports, in a worker, the same
file the command line makes), then shown in Qt's print preview — its pages drawn at the
printer's resolution by pdfium — from where it is printed; or saved as PDF as it is
(vector text and charts, the font embedded)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog, QWidget

from app.services.files.database_files import FileNotWritten, refuse_protected
from ui import messages
from ui.tasks import run_task

if TYPE_CHECKING:
    from app.services.reports.pdf import Printed

# writes the report (in a worker, told its progress: Cancelled when the window closes);
# its pages, what no font has
MakePdf = Callable[[Path, Callable[[int, int], None]], "Printed"]
PREVIEW_DPI = 150  # on screen and for most office printers: sharp 9 pt Chinese


def tr(text: str) -> str:
    return QCoreApplication.translate("printing", text)


def _made(parent: QWidget, title: str, make: MakePdf, then: Callable[[Path], None]) -> None:
    """Make the report in a worker (into a temporary folder), then ``then(path)``;
    the characters no font has are named first (the report's own words)."""
    folder = Path(tempfile.mkdtemp(prefix="parkdesk-print-"))
    path = folder / f"{title}.pdf"

    def done(printed: Printed) -> None:
        try:
            if printed.warning:
                messages.warn(parent, tr("有字符无法显示"), printed.warning)
            then(path)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def failed(exc: BaseException) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        if isinstance(exc, ValueError | LookupError | OSError):
            messages.warn(parent, tr("无法生成报表"), str(exc))
            return
        raise exc

    run_task(
        parent, tr("正在生成“%s”…") % title, lambda progress: make(path, progress), done, failed
    )


def save_pdf(parent: QWidget, title: str, make: MakePdf) -> None:
    """保存为PDF: the report as the command line makes it, where the clerk chooses."""
    target, _ = QFileDialog.getSaveFileName(
        parent, tr("保存为PDF"), str(Path.home() / f"{title}.pdf"), tr("PDF 文件 (*.pdf)")
    )
    if not target:
        return
    try:
        refuse_protected(Path(target))  # the output guard, before the report is made
    except FileNotWritten as exc:
        messages.save_failed(parent, exc, Path(target))
        return

    refused: list[BaseException] = []

    def make_and_copy(path: Path, progress: Callable[[int, int], None]) -> Printed:
        """In the worker: the report, then its copy where the clerk chose (a register of
        50,000 units is tens of megabytes: copied on the GUI thread, the window froze)."""
        printed = make(path, progress)
        try:
            refuse_protected(Path(target))
            shutil.copyfile(path, target)
        except (OSError, FileNotWritten) as exc:
            refused.append(exc)
        return printed

    def saved(_path: Path) -> None:
        if refused:
            messages.save_failed(parent, refused[0], Path(target))
            return
        messages.info(parent, tr("已保存"), tr("已保存为：\n%s") % target)

    _made(parent, title, make_and_copy, saved)


PREVIEW_PAGES = 60  # a 10,000-unit register has 400: the preview shows the first ones


def preview(parent: QWidget, title: str, make: MakePdf) -> None:
    """打印预览 (and from there 打印): the report's pages on the printer's paper."""

    def show(path: Path) -> None:
        total, wide = page_count_and_shape(path)
        printer = _printer(title, wide)
        dialog = QPrintPreviewDialog(printer, parent)
        shown = min(total, PREVIEW_PAGES)
        if shown < total:
            dialog.setWindowTitle(
                tr("打印预览：%s（共%d页，这里显示前%d页；全部请用“打印”或“保存为PDF”）")
                % (title, total, shown)
            )
        else:
            dialog.setWindowTitle(tr("打印预览：%s") % title)
        dialog.paintRequested.connect(lambda p: paint(p, path, PREVIEW_DPI, shown))
        dialog.resize(1000, 760)
        dialog.exec()

    _made(parent, title, make, show)


def print_directly(parent: QWidget, title: str, make: MakePdf) -> None:
    """打印: the system's print dialog, then every page, one at a time."""

    def send(path: Path) -> None:
        _total, wide = page_count_and_shape(path)
        printer = _printer(title, wide)
        if QPrintDialog(printer, parent).exec():
            paint(printer, path, min(printer.resolution(), 300))

    _made(parent, title, make, send)


def _printer(title: str, wide: bool) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    orientation = QPageLayout.Orientation.Landscape if wide else QPageLayout.Orientation.Portrait
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation, QMarginsF()))
    return printer


def page_count_and_shape(path: Path) -> tuple[int, bool]:
    """How many pages, and whether the first is landscape."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        width, height = document[0].get_size() if len(document) else (0, 0)
        return len(document), width > height
    finally:
        document.close()


def page_images(path: Path, dpi: int, limit: int | None = None) -> Iterator[QImage]:
    """The PDF's pages as images at ``dpi``, one at a time (pdfium, Chrome's renderer):
    a 400-page register is never held in memory whole."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        for n in range(min(len(document), limit or len(document))):
            page = document[n]
            # RGB byte order, as QImage's RGB888 reads it
            bitmap = page.render(scale=dpi / 72, rev_byteorder=True)
            image = QImage(
                bytes(bitmap.buffer),
                bitmap.width,
                bitmap.height,
                bitmap.stride,
                QImage.Format.Format_RGB888,
            )
            yield image.copy()  # its own pixels: the bitmap goes with the page
            page.close()
    finally:
        document.close()


def render_pages(path: Path, dpi: int) -> list[QImage]:
    return list(page_images(path, dpi))


def paint(printer: QPrinter, path: Path, dpi: int, limit: int | None = None) -> None:
    """Each page onto a page of the printer, filling its paper."""
    painter = QPainter()
    if not painter.begin(printer):
        return
    try:
        for n, image in enumerate(page_images(path, dpi, limit)):
            if n:
                printer.newPage()
            target = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
            painter.drawImage(target, image)
    finally:
        painter.end()
