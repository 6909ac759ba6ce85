"""Decide a file's format from its content. The file name is never trusted:
uploads arrive as "方案.doc" that are really .docx, or PDFs saved as .txt."""

from __future__ import annotations

import io
import zipfile

from duban.errors import InputError

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORD_MAIN_PART = "word/document.xml"

# Word documents compress well, but not a thousandfold: anything claiming more
# is a zip bomb or damage, and is refused before python-docx inflates it.
MAX_INFLATE_RATIO = 200
MAX_INFLATED_BYTES = 400 * 1024 * 1024

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def sniff(data: bytes, where) -> str:
    """Return "pdf", "docx", "html" or "txt", or raise InputError for formats we refuse."""
    head = data[:1024]
    if head.lstrip(b" \t\r\n\x00").startswith(PDF_MAGIC):
        return "pdf"
    if head.startswith(OLE_MAGIC):
        raise InputError(where, "legacy .doc/.xls format is not supported; save as .docx")
    if head.startswith(ZIP_MAGIC):
        _check_word_zip(data, where)
        return "docx"
    if _looks_like_html(head):
        return "html"
    return "txt"


def _check_word_zip(data: bytes, where) -> None:
    """A .docx is a zip holding word/document.xml; say precisely what else it is."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if WORD_MAIN_PART not in names:
                hint = ""
                if "xl/workbook.xml" in names:
                    hint = "; it is an Excel workbook"
                elif "ppt/presentation.xml" in names:
                    hint = "; it is a PowerPoint file"
                raise InputError(where, f"not a Word document (zip without {WORD_MAIN_PART}){hint}")
            inflated = sum(i.file_size for i in zf.infolist())
    except zipfile.BadZipFile:
        raise InputError(where, "corrupt or truncated zip archive (damaged .docx?)") from None
    except (OSError, ValueError, RuntimeError, EOFError, NotImplementedError) as e:
        raise InputError(where, f"corrupt zip archive ({type(e).__name__})") from None
    if inflated > MAX_INFLATED_BYTES or inflated > MAX_INFLATE_RATIO * max(len(data), 1):
        raise InputError(where, "Word document would unpack to an implausible size (zip bomb or damage)")


def _looks_like_html(head: bytes) -> bool:
    """<html or <!doctype html near the top, after an optional BOM and whitespace.

    The first non-blank character must be "<": a plain-text plan that merely
    mentions "<html" somewhere stays text. Comments or an XML declaration may
    come before the html tag, so the tag is looked for anywhere in the first KB.
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    else:
        for bom in _BOMS:
            if head.startswith(bom):
                head = head[len(bom):]
                break
        text = head.decode("latin-1")
    text = text.lstrip().lower()
    if not text.startswith("<"):
        return False
    return "<html" in text or "<!doctype html" in text
