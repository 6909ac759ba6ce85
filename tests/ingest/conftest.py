"""Fixtures for the ingest tests: PDFs that are hard to commit as files."""

from __future__ import annotations

import pytest
from ingest_helpers import cjk_font, pdf_bytes


@pytest.fixture
def scanned_pdf() -> bytes:
    """A 'scan': a page holding only a raster image, no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    image = Image.new("L", (400, 200), 255)
    ImageDraw.Draw(image).rectangle((40, 40, 360, 160), outline=0, width=4)

    def draw(c):
        c.drawImage(ImageReader(image), 50, 500, width=400, height=200)

    return pdf_bytes(draw)


@pytest.fixture
def encrypted_pdf() -> bytes:
    """A PDF that needs the user password 'pw' to open."""
    font = cjk_font()

    def draw(c):
        c.setFont(font, 12)
        c.drawString(72, 760, "青川市2025年优化营商环境行动方案")

    return pdf_bytes(draw, encrypt="pw")


@pytest.fixture
def small_pdf() -> bytes:
    font = cjk_font()

    def draw(c):
        c.setFont(font, 12)
        c.drawString(72, 760, "一、主要目标")
        c.drawString(72, 740, "到2025年底，经营主体满意度达到95%以上。")

    return pdf_bytes(draw)
