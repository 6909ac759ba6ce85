"""PDF (pdfplumber): per page, ruled tables as tab-joined rows, other text line by line.

Tables come from ``page.find_tables()``; each row becomes one line of cells
joined by a tab, with a cell's own line breaks removed. Text outside the
table boxes is extracted line by line. Text lines and tables are then put in
reading order by their top edge, so a table sits between the paragraphs that
surround it. Merged cells read like Word's: a cell spanning several rows or
columns shows its text once (first row, first column) and the positions it
covers are empty in the line; ``Source.tables`` gets the filled grid and
``metadata["merged_cells"]`` the spans, worked out from the cell boxes.
"""

from __future__ import annotations

import io
import logging

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from duban.errors import InputError
from duban.ingest.lines import flatten, one_line, row_line

# A PDF whose text layer is mostly "(cid:123)" has fonts without a Unicode map:
# reading it would produce garbage that looks like text.
MAX_CID_SHARE = 0.3
_CID = "(cid:"


def read_pdf(data: bytes, where) -> tuple[list[str], list, dict]:
    """PDF reader: (lines, tables, metadata)."""
    # pdfminer logs a warning for every small irregularity; they are not the user's concern.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        pdf = pdfplumber.open(io.BytesIO(data), raise_unicode_errors=False)
    except Exception as e:  # pdfplumber wraps pdfminer's many error types in PdfminerException
        raise _open_error(e, where) from None
    with pdf:
        try:
            pages = pdf.pages
        except Exception as e:
            raise _open_error(e, where) from None
        if not pages:
            raise InputError(where, "PDF has no pages")
        lines: list[str] = []
        tables: list[list[list[str]]] = []
        merges: list[list[int]] = []
        page_starts: list[int] = []
        no_text: list[int] = []
        chars = cids = 0
        for number, page in enumerate(pages, 1):
            page_starts.append(len(lines) + 1)
            try:
                page_chars = page.chars
                if not page_chars:
                    no_text.append(number)
                    continue
                chars += len(page_chars)
                cids += sum(1 for c in page_chars if str(c.get("text", "")).startswith(_CID))
                _read_page(page, lines, tables, merges)
            finally:
                page.close()  # frees the page's parsed objects; long plans stay light
    if chars == 0:
        raise InputError(where, "no text layer (scanned PDF?) — OCR it first")
    if cids > MAX_CID_SHARE * chars:
        raise InputError(where, "PDF fonts have no Unicode mapping, text cannot be extracted — OCR it or export it again")
    if not lines:
        raise InputError(where, "PDF has no readable text")
    meta = {"pages": len(page_starts), "page_starts": page_starts, "merged_cells": merges}
    if no_text:
        meta["pages_without_text"] = no_text
    return lines, tables, meta


def _open_error(e: Exception, where) -> InputError:
    """Turn pdfplumber/pdfminer's opening errors into one clear message."""
    cause = e.args[0] if e.args and isinstance(e.args[0], Exception) else e
    if isinstance(cause, PDFPasswordIncorrect):
        return InputError(where, "PDF is password-protected (encrypted); remove the password and try again")
    if isinstance(cause, PDFEncryptionError):
        return InputError(where, "PDF is encrypted with an unsupported method; save an unencrypted copy")
    return InputError(where, f"corrupt or unreadable PDF ({type(cause).__name__}: {one_line(cause, 80)})")


def _read_page(page, lines: list[str], tables: list, merges: list) -> None:
    """Append one page's lines (and its tables) in reading order."""
    page = page.dedupe_chars()  # some PDFs fake bold by drawing each glyph twice
    found = page.find_tables()
    boxes = [t.bbox for t in found]
    items: list[tuple[float, float, int, object]] = []
    for i, table in enumerate(found):
        x0, top, _, _ = table.bbox
        items.append((top, x0, i, table))

    def outside_tables(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

    text_page = page.filter(outside_tables) if boxes else page
    for line in text_page.extract_text_lines(return_chars=False):
        items.append((line["top"], line["x0"], -1, line["text"]))
    # Sort by top edge, then left edge; the index keeps equal keys stable.
    for _, _, _, item in sorted(items, key=lambda it: (round(it[0], 1), it[1], it[2])):
        if isinstance(item, str):
            text = flatten(item)
            if text:
                lines.append(text)
        else:
            shown = [[flatten(cell or "") for cell in row] for row in item.extract()]
            filled, spans = _fill_merged(item, shown)
            merges.extend([len(tables), *span] for span in spans)
            tables.append(filled)
            lines.extend(row_line(row) for row in shown if any(row))


def _fill_merged(table, shown: list[list[str]]) -> tuple[list[list[str]], list[list[int]]]:
    """The grid with each merged cell's text in every position it covers, and the
    merges as [row, col, rowspan, colspan]. pdfplumber's grid is the sorted
    distinct cell tops (rows) and left edges (columns); a cell box covering
    several of them is a merged cell."""
    tops = sorted({c[1] for c in table.cells})
    lefts = sorted({c[0] for c in table.cells})
    if len(tops) != len(shown):  # not the grid extract() used; leave it as it is
        return [row[:] for row in shown], []
    filled = [row[:] for row in shown]
    spans = []
    for x0, top, x1, bottom in table.cells:
        r, c = tops.index(top), lefts.index(x0)
        rows = [i for i, t in enumerate(tops) if top <= t < bottom]
        cols = [j for j, x in enumerate(lefts) if x0 <= x < x1]
        if len(rows) > 1 or len(cols) > 1:
            spans.append([r, c, len(rows), len(cols)])
            for i in rows:
                for j in cols:
                    if j < len(filled[i]):
                        filled[i][j] = shown[r][c]
    spans.sort()
    return filled, spans
