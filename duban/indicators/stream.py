"""Document lines → sentences and clauses that remember their source lines.

PDF flattening breaks a statement anywhere, numbers included (`我市为 6.87` ⏎⏎ `件`,
`（17.85%` ⏎⏎ `）`), and table cells interleave columns. The indicator rules need
whole sentences, so every non-blank line is squeezed (stray spaces gone, half-width
punctuation made full-width) and joined without a separator into one text whose
characters each keep their line number. Hard breaks go before lines that start a
numbered item; circled numbers (①…⑳) and 。；！？ end sentences wherever they stand;
responsibility notes (`（市发改委负责，2025年12月底前完成）`) are cut out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from duban.extract.text import squeeze

_WIDTH = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "％": "%",
                        "－": "-", "／": "/", "．": ".",
                        **{chr(0xFF10 + i): str(i) for i in range(10)}})
_PAGE_NO = re.compile(r"^[—\-–─_\s]*(第\s*)?\d{1,3}\s*(页)?[—\-–─_\s]*$")
_ITEM_START = re.compile(r"^(?:[（]?[一二三四五六七八九十]+[）、]|[（]\d{1,2}[）]|\d{1,2}[.、](?!\d))")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_NOTE = re.compile(r"（[^（）]*?(?:负责|牵头单位|责任单位|完成时限|责任领导)[^（）]*）")
_END = set("。；！？\n") | set(_CIRCLED)


@dataclass
class Clause:
    """A comma-separated piece of a sentence."""

    text: str
    line: int  # line of its first character
    sentence: int  # index of its sentence in the document
    lines: list[int] = field(default_factory=list)  # lines[i]: source line of text[i]

    def line_at(self, offset: int) -> int:
        if not self.lines:
            return self.line
        return self.lines[min(max(offset, 0), len(self.lines) - 1)]


@dataclass
class Stream:
    text: str
    lines: list[int]  # lines[i] is the source line (1-based) of text[i]

    def line_at(self, offset: int) -> int:
        if not self.lines:
            return 1
        return self.lines[min(max(offset, 0), len(self.lines) - 1)]


def normalize(line: str) -> str:
    """One line as the rules read it: full-width punctuation, ASCII digits, no stray spaces."""
    return squeeze(line.translate(_WIDTH))


def join(lines: list[str]) -> Stream:
    """All lines as one text with a line number per character."""
    chars: list[str] = []
    nos: list[int] = []
    for no, raw in enumerate(lines, 1):
        if not raw.strip() or _PAGE_NO.match(raw.strip()):
            continue
        text = normalize(raw)
        if not text:
            continue
        if _ITEM_START.match(text) and chars and chars[-1] != "\n":
            chars.append("\n")
            nos.append(no)
        chars.extend(text)
        nos.extend([no] * len(text))
    return _cut_notes(Stream("".join(chars), nos))


def _cut_notes(s: Stream) -> Stream:
    """Replace every bracketed responsibility note by a sentence end."""
    out, nos, pos = [], [], 0
    for m in _NOTE.finditer(s.text):
        out.append(s.text[pos:m.start()])
        nos.extend(s.lines[pos:m.start()])
        out.append("。")
        nos.append(s.lines[m.start()])
        pos = m.end()
    out.append(s.text[pos:])
    nos.extend(s.lines[pos:])
    return Stream("".join(out), nos)


def sentences(s: Stream) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence; the end character is not included."""
    spans, start = [], 0
    for i, ch in enumerate(s.text):
        if ch in _END:
            if ch in _CIRCLED:
                if i > start:
                    spans.append((start, i))
                start = i  # the enumerator opens the next sentence
            else:
                if i > start:
                    spans.append((start, i))
                start = i + 1
    if start < len(s.text):
        spans.append((start, len(s.text)))
    return spans


def clauses(s: Stream) -> list[Clause]:
    """Every clause of the document, split at commas outside brackets."""
    out = []
    for k, (a, b) in enumerate(sentences(s)):
        depth, start = 0, a
        for i in range(a, b + 1):
            ch = s.text[i] if i < b else "，"
            if ch == "（":
                depth += 1
            elif ch == "）" and depth:
                depth -= 1
            elif ch == "，" and (depth == 0 or i == b):
                piece = s.text[start:i]
                lead = len(piece) - len(piece.lstrip(_CIRCLED + "、 "))
                if piece.strip(_CIRCLED + "、 "):
                    out.append(Clause(piece[lead:], s.line_at(start + lead), k,
                                      s.lines[start + lead:i]))
                start = i + 1
    return out
