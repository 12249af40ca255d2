"""Which font draws each character of a printed report. The shipped Chinese font
(文泉驿微米黑) draws what it has; a character it lacks — CJK Extension B (𠮷), emoji,
other scripts — is drawn in the first fallback font on this machine that has it, and a
character no font has is named (``Typesetter.missing``) so the report can say so:
a PDF never drops a character without a word.

Fallbacks, in order: SimSun-ExtB (and Windows 11's SimSun-ExtG); HanaMin A/B on Linux (Debian's
fonts-hanazono, installed by scripts/bootstrap.py); Segoe UI Symbol or Symbola
(fonts-symbola) for emoji; Tahoma on Windows and DejaVu Sans (shipped inside
matplotlib's own data, so present wherever ParkDesk runs) for other scripts.
Fonts are found by file name in the system's font folders and loaded only when a
character first needs one; which font has a character is looked up once per process.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from app.services.files.resources import CJK_FONT

PRIMARY = "ParkDeskCJK"
MISSING_WARNING = "以下字符没有字体可以显示："


@dataclass(frozen=True, slots=True)
class Fallback:
    name: str  # as registered with reportlab
    file: str  # the font file's name in a system font folder


FALLBACKS: tuple[Fallback, ...] = (
    Fallback("ParkDeskSimSunExtB", "simsunb.ttf"),  # Windows: CJK Extension B
    Fallback("ParkDeskSimSunExtG", "SimsunExtG.ttf"),  # Windows 11: Extensions C to G
    Fallback("ParkDeskHanaMinA", "HanaMinA.ttf"),  # fonts-hanazono: the BMP and Extension A
    Fallback("ParkDeskHanaMinB", "HanaMinB.ttf"),  # fonts-hanazono: Extensions B, C, D
    Fallback("ParkDeskSegoeSymbol", "seguisym.ttf"),  # Windows: emoji and symbols, in outline
    Fallback("ParkDeskSymbola", "Symbola_hint.ttf"),  # fonts-symbola: emoji and symbols
    Fallback("ParkDeskTahoma", "tahoma.ttf"),  # Windows: Thai, Hebrew, Arabic…
    Fallback("ParkDeskDejaVu", "DejaVuSans.ttf"),  # other scripts (matplotlib ships it)
)


def font_folders() -> list[Path]:
    """Where this system keeps fonts, and matplotlib's own folder (DejaVu Sans)."""
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = Path(os.environ.get("LOCALAPPDATA", "")) / "Microsoft" / "Windows" / "Fonts"
        folders = [windir / "Fonts", local]
    else:
        home = Path.home()
        folders = [
            Path("/usr/share/fonts"),
            Path("/usr/local/share/fonts"),
            home / ".local" / "share" / "fonts",
            home / ".fonts",
        ]
    spec = importlib.util.find_spec("matplotlib")  # found without importing it (slow)
    if spec and spec.origin:
        folders.append(Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf")
    return folders


def _font_files(folders: Iterable[Path]) -> dict[str, Path]:
    """Every font file under the folders by its lower-case name (Windows ignores case)."""
    found: dict[str, Path] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for dirpath, _dirs, files in os.walk(folder):
            for name in files:
                found.setdefault(name.lower(), Path(dirpath, name))
    return found


def _is_invisible(ch: str) -> bool:
    """Joiners, variation selectors, zero-width spaces, controls: nothing to draw."""
    return unicodedata.category(ch) in ("Cf", "Cc", "Zl", "Zp") or "\ufe00" <= ch <= "\ufe0f"


class FontChain:
    """The shipped font, then the fallbacks present on this machine; for each character,
    the first that has a glyph for it (looked up once, whatever report asks)."""

    def __init__(self, primary: TTFont, fallbacks: Iterable[tuple[str, Path]]) -> None:
        self._primary = primary
        self._pending = list(fallbacks)  # (name, file) not loaded yet, in order
        self._loaded: list[TTFont] = []
        self._font_of: dict[str, str | None] = {}
        self._lock = threading.Lock()  # reports are made in a worker thread
        # characters the primary font has, grown as text is seen: issuperset() on a
        # whole string runs in C, so a register's 80,000 cells cost next to nothing
        self.plain: set[str] = {" "}

    @property
    def primary(self) -> str:
        return self._primary.fontName

    def font_of(self, ch: str) -> str | None:
        """The font that draws ``ch``, or None when no font has it."""
        try:
            return self._font_of[ch]
        except KeyError:
            pass
        with self._lock:
            found = self._lookup(ord(ch))
            self._font_of[ch] = found
            if found == self.primary:
                self.plain.add(ch)
        return found

    def has(self, font: str, ch: str) -> bool:
        """Whether the registered ``font`` has a glyph for ``ch``."""
        return ord(ch) in pdfmetrics.getFont(font).face.charToGlyph

    def _lookup(self, code: int) -> str | None:
        # a line break or tab is white space to a paragraph, whatever the font maps
        if code in self._primary.face.charToGlyph or chr(code).isspace():
            return self.primary
        for font in self._loaded:
            if code in font.face.charToGlyph:
                return font.fontName
        while self._pending:
            font = self._load(*self._pending.pop(0))
            if font is not None and code in font.face.charToGlyph:
                return font.fontName
        return None

    def _load(self, name: str, file: Path) -> TTFont | None:
        """A fallback registered with reportlab; None when it cannot be used (PostScript
        outlines, a damaged file): the next fallback is asked instead."""
        try:
            font = TTFont(name, str(file), subfontIndex=0)
        except (TTFError, OSError, ValueError):
            return None
        pdfmetrics.registerFont(font)
        self._loaded.append(font)
        return font


def _utf16_hex(code: int) -> str:
    """A character as UTF-16BE hex: four digits, or a surrogate pair's eight."""
    if code < 0x10000:
        return f"{code:04X}"
    return chr(code).encode("utf-16-be").hex().upper()


def to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap of a font subset (ttfonts.makeToUnicodeCMap), but with a
    character beyond the BMP written as UTF-16 (𠮷 as <D842DFB7>, as the PDF standard
    says), not <20BB7>, which readers reject: copying or searching the PDF, and the
    text extracted from it, then lost such characters although the page showed them."""
    head = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
    ]
    chars = [f"<{n:02X}> <{_utf16_hex(code)}>" for n, code in enumerate(subset)]
    tail = ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(head + chars + tail)


ttfonts.makeToUnicodeCMap = to_unicode_cmap  # read by TTFont.addObjects at each build


def primary_font() -> TTFont:
    """The shipped CJK font, registered once; reportlab embeds the glyphs a PDF uses."""
    if PRIMARY not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(PRIMARY, str(CJK_FONT), subfontIndex=0))
    font = pdfmetrics.getFont(PRIMARY)
    assert isinstance(font, TTFont)
    return font


@cache
def chain() -> FontChain:
    """This machine's fonts, found once per process."""
    files = _font_files(font_folders())
    present = [(f.name, files[f.file.lower()]) for f in FALLBACKS if f.file.lower() in files]
    return FontChain(primary_font(), present)


class Typesetter:
    """One report's text split into runs by the font that has each character, and the
    characters no font has (to be named in the report's warning). Every text a report
    prints — paragraphs, table cells, the page header, chart labels — passes here."""

    def __init__(self, fonts: FontChain | None = None) -> None:
        self.fonts = fonts or chain()
        self.missing: dict[str, None] = {}  # in the order met

    @property
    def primary(self) -> str:
        return self.fonts.primary

    def is_plain(self, text: str) -> bool:
        """Whether the shipped font draws all of ``text`` (the fast, common case)."""
        return self.fonts.plain.issuperset(text) or all(
            self.fonts.font_of(ch) == self.primary for ch in text
        )

    def runs(self, text: str) -> list[tuple[str, str]]:
        """``text`` as (font, part) runs. An invisible character (a joiner, a variation
        selector) goes with its neighbour's run if that font has it, else is left out:
        it has nothing to show. A character no font has keeps its place (a blank the
        width of a character, in the shipped font) and is noted in ``missing``."""
        if self.is_plain(text):
            return [(self.primary, text)] if text else []
        out: list[tuple[str, str]] = []
        for ch in text:
            if _is_invisible(ch):  # with its neighbour (❤ and its VS16), or not at all
                if out and self.fonts.has(out[-1][0], ch):
                    out[-1] = (out[-1][0], out[-1][1] + ch)
                continue
            font = self.fonts.font_of(ch)
            if font is None:
                self.missing.setdefault(ch, None)
                font = self.primary
            if out and out[-1][0] == font:
                out[-1] = (font, out[-1][1] + ch)
            else:
                out.append((font, ch))
        return out

    def markup(self, text: str) -> str:
        """``text`` as Paragraph markup: escaped, each run in its font."""
        return "".join(
            escaped(part) if font == self.primary else f'<font name="{font}">{escaped(part)}</font>'
            for font, part in self.runs(text)
        )

    def single_font(self, text: str) -> str:
        """One font for a label drawn in one piece (a chart's): the shipped font when it
        has every character, else the fallback with the most; what none has is noted."""
        runs = self.runs(text)
        if len(runs) <= 1:
            return runs[0][0] if runs else self.primary
        counts: dict[str, int] = {}
        for font, part in runs:
            counts[font] = counts.get(font, 0) + len(part)
        chosen = max(counts, key=lambda f: counts[f])
        for _font, part in runs:
            for ch in part:
                if not self.fonts.has(chosen, ch):
                    self.missing.setdefault(ch, None)
        return chosen

    def warning(self) -> str:
        """“以下字符没有字体可以显示：…” naming each character and its code, or ""."""
        if not self.missing:
            return ""
        named = "、".join(f"{ch}（U+{ord(ch):04X}）" for ch in self.missing)
        return MISSING_WARNING + named


def escaped(text: str) -> str:
    """Paragraph reads a little markup: a unit named "A&B <分公司>" prints as written."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
