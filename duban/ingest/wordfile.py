"""Word (.docx): the body in document order, paragraphs and tables interleaved.

A paragraph is one line. A table row is one line, its cells joined by a tab,
so a Word table reads like the tab-flattened tables the extractor already
knows. Merged cells, in the lines:

* a horizontally merged cell (gridSpan) puts its text in its first grid
  column and empty cells in the others, so column k of every row is the same
  column of the table;
* a vertically merged cell (vMerge) puts its text in the first row it spans
  and leaves the continuation rows empty, exactly what copying a Word table
  to text (or flattening a PDF) gives, so Word tables and flattened text
  tables look the same to the extractor, which already treats a blank unit
  cell under a filled one as belonging to both rows (TASKS.md, rule 2).

``Source.tables`` holds the resolved grid instead: every grid cell carries
the text of the merged cell covering it, so each row stands alone. The merges
themselves are listed in ``metadata["merged_cells"]`` as
``[table, row, col, rowspan, colspan]``.

Word's automatic list numbers are rendered into the text (wordnumbering.py).
Headers, footers, footnotes and comments are left out: they hold page
furniture and remarks, not the plan.
"""

from __future__ import annotations

import io

import docx
from docx.oxml.ns import nsmap, qn
from lxml import etree

from duban.errors import InputError
from duban.ingest.lines import flatten, join_parts, one_line, row_line, tidy_lines
from duban.ingest.wordnumbering import Numbering

_NS = {"w": nsmap["w"], "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006"}
# Visible text of a paragraph, in order. mc:Fallback repeats mc:Choice content
# (text boxes appear twice otherwise); w:delText (deleted revisions) and
# w:instrText (field codes) are different tags and so are left out.
_RUN_TEXT = etree.XPath(
    ".//w:r/w:t[not(ancestor::mc:Fallback)] | .//w:r/w:tab[not(ancestor::mc:Fallback)]"
    " | .//w:r/w:br[not(ancestor::mc:Fallback)] | .//w:r/w:cr[not(ancestor::mc:Fallback)]"
    " | .//w:r/w:noBreakHyphen[not(ancestor::mc:Fallback)]", namespaces=_NS)
# Paragraphs of a cell, nested tables included; text-box paragraphs are
# already part of the paragraph that anchors them.
_CELL_PARAGRAPHS = etree.XPath(
    ".//w:p[not(ancestor::mc:Fallback) and not(ancestor::w:txbxContent)]", namespaces=_NS)
_ROW_CELLS = etree.XPath("./w:tc | ./w:sdt/w:sdtContent/w:tc", namespaces=_NS)
_ROWS = etree.XPath("./w:tr | ./w:sdt/w:sdtContent/w:tr", namespaces=_NS)

_P, _TBL, _SDT, _SDT_CONTENT, _CUSTOM_XML = (qn(t) for t in ("w:p", "w:tbl", "w:sdt", "w:sdtContent", "w:customXml"))
_T, _TAB, _HYPHEN = qn("w:t"), qn("w:tab"), qn("w:noBreakHyphen")


def read_docx(data: bytes, where) -> tuple[list[str], list, dict]:
    """Word reader: (lines, tables, metadata)."""
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises KeyError, ValueError, lxml errors… for damaged files
        raise InputError(where, f"cannot open Word document ({type(e).__name__}: {one_line(e, 80)})") from None
    walker = _Walker(Numbering(document))
    walker.walk(document.element.body)
    lines = tidy_lines(walker.lines)
    if not any(line.strip() for line in lines):
        raise InputError(where, "Word document has no text")
    meta = {"paragraphs": walker.paragraphs, "merged_cells": walker.merges}
    title = (document.core_properties.title or "").strip()
    if title:
        meta["title"] = one_line(title)
    return lines, walker.tables, meta


def _paragraph_text(p) -> str:
    """A paragraph's visible text, soft breaks kept as \\n for flatten() to join."""
    out = []
    for el in _RUN_TEXT(p):
        if el.tag == _T:
            out.append(el.text or "")
        elif el.tag == _TAB:
            out.append(" ")
        elif el.tag == _HYPHEN:
            out.append("-")
        else:  # w:br, w:cr
            out.append("\n")
    return "".join(out)


class _Walker:
    """Collects lines and tables while walking the body once, in order."""

    def __init__(self, numbering: Numbering):
        self.numbering = numbering
        self.lines: list[str] = []
        self.tables: list[list[list[str]]] = []
        self.merges: list[list[int]] = []
        self.paragraphs = 0

    def walk(self, container) -> None:
        for child in container:
            if child.tag == _P:
                self.paragraphs += 1
                self.lines.append(self._para(child))
            elif child.tag == _TBL:
                self._table(child)
            elif child.tag == _SDT:  # content controls wrap ordinary paragraphs and tables
                content = child.find(_SDT_CONTENT)
                if content is not None:
                    self.walk(content)
            elif child.tag == _CUSTOM_XML:
                self.walk(child)

    def _para(self, p) -> str:
        # The list number goes straight before the text, as typed numbers do ("1.持续…").
        return flatten(self.numbering.label(p) + _paragraph_text(p))

    def _cell(self, tc) -> str:
        return join_parts(self._para(p) for p in _CELL_PARAGRAPHS(tc))

    def _table(self, tbl) -> None:
        index = len(self.tables)
        shown: list[list[str]] = []   # what the lines show: merged text once
        filled: list[list[str]] = []  # what Source.tables keeps: merged text everywhere
        open_merge: dict[int, list[int]] = {}  # grid column → its vertical merge record
        for r, tr in enumerate(_ROWS(tbl)):
            col = _row_skip(tr, "w:gridBefore")
            row_shown, row_filled = [""] * col, [""] * col
            for tc in _ROW_CELLS(tr):
                span = max(1, min(_tc_prop(tc, "w:gridSpan", 1), 64))
                vmerge = _vmerge(tc)
                above = filled[-1][col] if filled and col < len(filled[-1]) else ""
                if vmerge == "continue" and col in open_merge:
                    open_merge[col][3] += 1
                    text_shown, text_filled = "", above
                else:
                    text = self._cell(tc)
                    text_shown = text_filled = text
                    record = [index, r, col, 1, span]
                    for c in range(col, col + span):
                        open_merge.pop(c, None)
                    if vmerge == "restart":
                        open_merge[col] = record
                    if span > 1 or vmerge == "restart":
                        self.merges.append(record)
                row_shown += [text_shown] + [""] * (span - 1)
                row_filled += [text_filled] * span
                col += span
            shown.append(row_shown)
            filled.append(row_filled)
        width = max((len(row) for row in shown), default=0)
        for row_shown, row_filled in zip(shown, filled):
            pad = [""] * (width - len(row_shown))
            self.lines.append(row_line(row_shown + pad))
            row_filled += pad
        # Drop merge records that turned out to span a single cell (restart with no continuation).
        self.merges = [m for m in self.merges if m[3] > 1 or m[4] > 1]
        self.tables.append(filled)


def _tc_prop(tc, tag: str, default: int) -> int:
    el = tc.find(f"{qn('w:tcPr')}/{qn(tag)}")
    try:
        return int(el.get(qn("w:val"))) if el is not None else default
    except (TypeError, ValueError):
        return default


def _vmerge(tc) -> str | None:
    """None, "restart" or "continue" (a bare <w:vMerge/> means continue)."""
    el = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
    if el is None:
        return None
    return "restart" if el.get(qn("w:val")) == "restart" else "continue"


def _row_skip(tr, tag: str) -> int:
    """Grid columns a row leaves out before its first cell (w:trPr/w:gridBefore)."""
    el = tr.find(f"{qn('w:trPr')}/{qn(tag)}")
    try:
        return max(0, min(int(el.get(qn("w:val"))), 64)) if el is not None else 0
    except (TypeError, ValueError):
        return 0
