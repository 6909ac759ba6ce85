"""File formats → Source (numbered lines). One reader per format.

    read(path) -> Source              a file on disk
    read_bytes(data, name) -> Source  bytes already in memory (web uploads)

The format is sniffed from the content, never from the name: PDF, Word
(.docx), HTML or plain text (UTF-8, UTF-16 with BOM, GB18030/GBK). Anything a
user can get wrong (missing file, wrong format, scanned or encrypted PDF,
binary junk, empty or oversized file) raises InputError with a one-line
message naming the file and the problem.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from duban.errors import InputError
from duban.ingest.htmlfile import read_html
from duban.ingest.limits import check_size, load
from duban.ingest.lines import one_line, scrub
from duban.ingest.pdffile import read_pdf
from duban.ingest.sniff import sniff
from duban.ingest.source import Source
from duban.ingest.textfile import read_text
from duban.ingest.wordfile import read_docx

__all__ = ["read", "read_bytes", "Source", "InputError"]

_NAMES = {"txt": "text", "docx": "Word", "pdf": "PDF", "html": "HTML"}


def read(path) -> Source:
    """Read a plan file into a Source. Raises InputError naming the file and the problem."""
    p = Path(path)
    where = _display(str(p))
    data = load(p) if where == str(p) else _load_quietly(p, where)
    return _parse(data, name=_display(p.name), where=where, path=str(p))


def read_bytes(data: bytes, name: str) -> Source:
    """Read an in-memory file (e.g. an upload) into a Source.

    ``name`` is only used for messages and ``Source.name`` (its last path
    component, so "C:\\fakepath\\方案.docx" becomes "方案.docx"); nothing is
    written to or read from the filesystem.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"read_bytes() needs bytes, not {type(data).__name__}")
    base = _display(re.split(r"[\\/]", str(name or ""))[-1]) or "upload"
    data = bytes(data)
    check_size(len(data), base)
    return _parse(data, name=base, where=base, path=None)


def _parse(data: bytes, *, name: str, where: str, path: str | None) -> Source:
    if not data.strip():
        raise InputError(where, "empty file")
    fmt = sniff(data, where)
    try:
        lines, tables, meta = _read_format(fmt, data, where)
    except InputError:
        raise
    except Exception as e:  # noqa: BLE001 - last line of defence, see below
        # Parsers of hostile formats fail in ways no list of exception types
        # covers (a crafted PDF can raise anything from pdfminer). The user must
        # still get a message, not a traceback; the readers raise precise
        # InputErrors for every failure we know of before this is reached.
        raise InputError(where, f"cannot read this {_NAMES[fmt]} file ({type(e).__name__}: {one_line(e, 80)})") from None
    if fmt != "txt":  # text lines are the file's own and stay byte-exact
        lines = [scrub(line) for line in lines]
        tables = [[[scrub(cell) for cell in row] for row in table] for table in tables]
    return Source(name=name, lines=lines, format=fmt, path=path,
                  sha256=hashlib.sha256(data).hexdigest(), tables=tables, metadata=meta)


def _read_format(fmt: str, data: bytes, where: str):
    if fmt == "pdf":
        return read_pdf(data, where)
    if fmt == "docx":
        return read_docx(data, where)
    if fmt == "html":
        return read_html(data, where)
    lines, meta = read_text(data, where)
    return lines, [], meta


def _display(text: str) -> str:
    """A name safe for a one-line message (control characters, e.g. newlines, replaced)."""
    return re.sub(r"[\x00-\x1f\x7f]", "?", text)


def _load_quietly(p: Path, where: str) -> bytes:
    """Load a file whose path holds control characters, reporting errors under the cleaned path."""
    try:
        return load(p)
    except InputError as e:
        raise InputError(where, e.problem) from None
