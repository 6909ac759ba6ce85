"""Small text helpers shared by the readers.

Every reader ends with a list of lines. Plain text keeps its lines exactly
(extraction cites line numbers of the file); the structured formats build
their lines from paragraphs and table rows and tidy them with these helpers.
"""

from __future__ import annotations

import re

# Only these three are line breaks in a text file. str.splitlines() also breaks
# on \v, \f, \x1c-\x1e, \x85, \u2028 and \u2029, which editors and `wc -l` do
# not count, so using it would shift line numbers against the file.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

# Characters str.splitlines() would treat as breaks, left inside a line. We
# turn them into spaces so that "\n".join(lines).splitlines() == lines holds
# for every Source, whichever way a caller re-splits the text.
_ODD_BREAKS = str.maketrans({c: " " for c in "\v\f\x1c\x1d\x1e\x85\u2028\u2029"})

_ASCII_WORD = re.compile(r"[0-9A-Za-z]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def split_lines(text: str) -> list[str]:
    """Split text into the file's lines: \\r\\n, \\r and \\n end a line, nothing else.

    Matches str.splitlines() on ordinary text: a final line break does not add
    an empty last line.
    """
    if not text:
        return []
    parts = _LINE_BREAK.split(text)
    if parts[-1] == "":
        parts.pop()
    return [p.translate(_ODD_BREAKS) for p in parts]


def join_parts(parts) -> str:
    """Join text pieces that were one run of text before a break split them.

    Chinese needs no separator; a space goes back only where two ASCII letters
    or digits would otherwise fuse into one word ("Action" + "Plan").
    """
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and _ASCII_WORD.match(out[-1]) and _ASCII_WORD.match(part[0]):
            out += " "
        out += part
    return out


def flatten(text: str) -> str:
    """Flatten a paragraph or a table cell to one line: no line breaks, no tabs.

    A soft line break inside a Word paragraph or a PDF cell is layout, not
    structure. A tab inside a paragraph or cell would read as a column boundary
    once rows are tab-joined, so it becomes a space.
    """
    text = join_parts(_LINE_BREAK.split(text.translate(_ODD_BREAKS)))
    return re.sub(r"[ \t]+", " ", text).strip()


def row_line(cells) -> str:
    """One table row as one line, cells joined by a tab (the tab-flattened table shape)."""
    return "\t".join(cells)


def tidy_lines(lines) -> list[str]:
    """Drop leading/trailing blank lines and collapse runs of blank lines to one.

    Word and HTML documents use empty paragraphs for spacing; one blank line
    keeps the block boundary without padding the line count.
    """
    out: list[str] = []
    for line in lines:
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return out


def scrub(line: str) -> str:
    """Final pass for lines built from structured formats: no characters that
    split lines, no stray control characters (tabs, the cell separator, stay)."""
    return _CONTROL.sub("", line.translate(_ODD_BREAKS).replace("\r", " ").replace("\n", " "))


def one_line(text, limit: int = 160) -> str:
    """Make any text safe to put into a one-line error message."""
    text = " ".join(str(text).split())
    text = _CONTROL.sub("?", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
