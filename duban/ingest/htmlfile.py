"""HTML (BeautifulSoup + lxml): a web page's article as lines.

Block elements (p, div, h1-h6, li, br …) end lines; a data table becomes one
tab-joined line per row, merged cells handled as for Word (text in the first
row/column a cell spans, empty in the rest; ``Source.tables`` holds the
filled grid). Scripts, styles and navigation-like chrome are dropped.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

from duban.errors import InputError
from duban.ingest.htmlcharset import decode_html
from duban.ingest.lines import join_parts, one_line, row_line

_DROP_TAGS = {"script", "style", "noscript", "template", "iframe", "head", "nav", "aside", "button",
              "select", "option", "textarea", "input", "svg", "canvas", "object", "embed", "audio", "video",
              "map", "dialog", "rp"}
_PAGE_CHROME = {"header", "footer"}  # site chrome, unless inside the article itself
_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
               "blockquote", "section", "article", "main", "center", "address", "figure", "figcaption",
               "caption", "hr", "form", "fieldset", "legend", "details", "summary", "body", "tr", "td", "th"}
# class/id words that mark navigation, menus, share bars and page footers.
_NOISE_WORDS = {"nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "crumb", "crumbs",
                "sidebar", "share", "footer", "topbar"}
_NOISE_ROLES = {"navigation", "banner", "contentinfo", "search"}
# Never drop an element holding this share of the page's text: it is the article,
# whatever its class says ("main-nav-content").
MAX_NOISE_SHARE = 0.5
MAX_SPAN = 100


def read_html(data: bytes, where) -> tuple[list[str], list, dict]:
    """HTML reader: (lines, tables, metadata)."""
    text, encoding = decode_html(data)
    soup = BeautifulSoup(text, "lxml")
    meta: dict = {"encoding": encoding}
    if soup.title and soup.title.get_text(strip=True):
        meta["title"] = one_line(soup.title.get_text(" ", strip=True))
    _drop_noise(soup)
    walker = _Walker()
    walker.walk(soup)
    walker.flush()
    if not walker.lines:
        raise InputError(where, "web page has no text")
    meta["merged_cells"] = walker.merges
    return walker.lines, walker.tables, meta


def _drop_noise(soup: BeautifulSoup) -> None:
    for tag in soup.find_all(["script", "style", "noscript", "template"]):
        tag.decompose()
    total = len(soup.get_text())
    candidates = []
    for tag in soup.find_all(True):
        name = tag.name
        if name in _DROP_TAGS:
            candidates.append(tag)
        elif name in _PAGE_CHROME and not tag.find_parent(["article", "main"]):
            candidates.append(tag)
        elif _noise_attrs(tag):
            candidates.append(tag)
    for tag in candidates:
        if tag.decomposed:
            continue
        if tag.name in ("head", "iframe") or len(tag.get_text()) <= MAX_NOISE_SHARE * total:
            tag.decompose()


def _noise_attrs(tag: Tag) -> bool:
    if str(tag.get("role", "")).lower() in _NOISE_ROLES:
        return True
    classes = tag.get("class") or []
    if isinstance(classes, str):
        classes = [classes]
    words = set()
    for value in [*classes, str(tag.get("id") or "")]:
        words.update(w for w in re.split(r"[-_\s]+", value.lower()) if w)
    return bool(words & _NOISE_WORDS)


_WIDE = 0x2E80  # CJK scripts and full-width punctuation start here


def _inline(text: str) -> str:
    """Collapse HTML whitespace. A source line break between two Chinese characters
    is only source formatting and goes away; other runs become one space."""
    def repl(m: re.Match) -> str:
        before = m.string[m.start() - 1] if m.start() else ""
        after = m.string[m.end()] if m.end() < len(m.string) else ""
        if "\n" in m.group() and before and after and ord(before) >= _WIDE and ord(after) >= _WIDE:
            return ""
        return " "
    text = re.sub(r"[ \t\r\n\f\v\xa0\u3000]+", repl, text.replace("\u200b", ""))
    return text.strip()


class _Walker:
    def __init__(self):
        self.lines: list[str] = []
        self.tables: list[list[list[str]]] = []
        self.merges: list[list[int]] = []
        self._buf: list[str] = []

    def flush(self) -> None:
        line = _inline("".join(self._buf)).replace("\t", " ")
        self._buf = []
        if line:
            self.lines.append(line)

    def walk(self, node) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if not isinstance(child, PreformattedString):
                    self._buf.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name == "br":
                self.flush()
            elif name == "pre":
                self.flush()
                for raw in child.get_text().splitlines():
                    self._buf.append(raw.replace("\n", " "))
                    self.flush()
            elif name == "table" and not _layout_table(child):
                self.flush()
                self._table(child)
            elif name in _BLOCK_TAGS or name == "table":
                self.flush()
                self.walk(child)
                self.flush()
            else:
                self.walk(child)

    def _cell(self, cell: Tag) -> str:
        inner = _Walker()
        inner.walk(cell)
        inner.flush()
        return join_parts(inner.lines)

    def _table(self, table: Tag) -> None:
        caption = table.find("caption")
        if caption is not None and caption.find_parent("table") is table and self._cell(caption):
            self.lines.append(self._cell(caption))
        rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
        shown: dict[tuple[int, int], str] = {}
        filled: dict[tuple[int, int], str] = {}
        index, width = len(self.tables), 0
        for r, tr in enumerate(rows):
            c = 0
            for cell in tr.find_all(["td", "th"], recursive=False):
                while (r, c) in filled:
                    c += 1
                rs, cs = _span(cell, "rowspan"), _span(cell, "colspan")
                rs = min(rs, len(rows) - r)
                text = self._cell(cell)
                shown[(r, c)] = text
                for dr in range(rs):
                    for dc in range(cs):
                        filled[(r + dr, c + dc)] = text
                if rs > 1 or cs > 1:
                    self.merges.append([index, r, c, rs, cs])
                c += cs
                width = max(width, c)
        grid = []
        for r in range(len(rows)):
            line = [shown.get((r, c), "") for c in range(width)]
            grid.append([filled.get((r, c), "") for c in range(width)])
            if any(line):
                self.lines.append(row_line(line))
        self.tables.append(grid)


def _span(cell: Tag, attr: str) -> int:
    """rowspan/colspan as a sane int (missing, junk, 0 or huge → clamped)."""
    match = re.match(r"\s*(\d+)", str(cell.get(attr) or "1"))
    return max(1, min(int(match.group(1)) if match else 1, MAX_SPAN))


def _layout_table(table: Tag) -> bool:
    """Tables used for page layout, not data: they nest tables or have one column.

    Old government sites put the whole page in a table; treating it as data
    would squeeze the article into a single line.
    """
    if str(table.get("role", "")).lower() in ("presentation", "none"):
        return True
    if table.find("table") is not None:
        return True
    widest = max((len(tr.find_all(["td", "th"], recursive=False)) for tr in table.find_all("tr")), default=0)
    return widest <= 1
