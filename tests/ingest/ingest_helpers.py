"""Helpers for the ingest tests (a uniquely named module, so it cannot clash with other test packages' conftest)."""

from __future__ import annotations

import io
from pathlib import Path

from duban.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
FIXTURES = ROOT / "tests" / "fixtures"


def assert_input_error(excinfo, name: str, *needles: str) -> str:
    """The error is one line, names the file, and says each expected thing."""
    err = excinfo.value
    assert isinstance(err, InputError)
    message = str(err)
    assert "\n" not in message and "\r" not in message, message
    assert name in message, message
    for needle in needles:
        assert needle in message, message
    return message


def pdf_bytes(draw, **canvas_kw) -> bytes:
    """A one-page PDF drawn by draw(canvas) with reportlab."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, **canvas_kw)
    draw(c)
    c.showPage()
    c.save()
    return buf.getvalue()


def cjk_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


