"""The charts as PNG (for DOCX): the same geometry as the SVG of the HTML, drawn with Pillow.

Pillow comes pinned with WeasyPrint (requirements.txt); the text is set in DejaVu Sans, the font
the PDF uses (fonts-dejavu-core, installed by scripts/fonts.sh). Without DejaVu the chart is still
drawn, with Pillow's own font, and `font_found()` says so.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from otklik.reports.render.common import Chart, layout

SCALE = 3  # pixels per layout unit: sharp when Word prints the 16-cm picture
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts",
             "/usr/share/fonts", "/Library/Fonts", "C:/Windows/Fonts")

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@cache
def font_path(bold: bool = False) -> str | None:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for d in FONT_DIRS:
        base = Path(d)
        direct = base / name
        if direct.is_file():
            return str(direct)
        if base.is_dir():
            found = next(iter(sorted(base.rglob(name))), None)
            if found is not None:
                return str(found)
    return None


def font_found() -> bool:
    return font_path() is not None


@cache
def _font(size: int, bold: bool) -> Font:
    path = font_path(bold) or font_path(False)
    if path is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(path, size)


def chart_png(chart: Chart) -> bytes:
    lay = layout(chart)
    img = Image.new("RGB", (lay.width * SCALE, lay.height * SCALE), "white")
    draw = ImageDraw.Draw(img)
    for r in lay.rects:
        draw.rectangle((r.x * SCALE, r.y * SCALE, (r.x + r.w) * SCALE - 1, (r.y + r.h) * SCALE - 1), fill=r.fill)
    for t in lay.texts:
        anchor = "rs" if t.anchor == "end" else "ls"  # right/left, at the baseline — as SVG's text
        draw.text((t.x * SCALE, t.y * SCALE), t.text, fill=t.fill, font=_font(t.size * SCALE, t.bold),
                  anchor=anchor)
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()
