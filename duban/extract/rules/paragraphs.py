"""Prose lines → paragraphs, undoing the line and page breaks of conversion.

Handles lines cut at the page width (`实现企业开办跨区域办理。大力推行容缺受理、免费寄` /
`递、上门办证…`), paragraphs split by a page break (`…要加` ⏎⏎ `加大…`), and runs
of lines holding several items (`②大幅提升…` starting a new item mid-run).
"""

from __future__ import annotations

from duban.extract import enumerators
from duban.extract.state import ExtractState, Paragraph
from duban.extract.rules.pdf_table import is_header
from duban.extract.text import TERMINAL, nospace, squeeze, strip_markup

_INNER_PUNCT = set("。；;，,：:")


def heading_like(p: Paragraph) -> bool:
    """A bare heading: `（一）企业开办`, `二、推动人力资源加快聚集`, `3.提升措施`."""
    if p.full:
        return False
    body = p.body.rstrip("。")
    return len(body) <= 40 and not (_INNER_PUNCT & set(body)) and (
        p.enum is not None or len(body) <= 25)


def _line_width(state: ExtractState) -> int:
    """The document's full line width: lines cut by width end near it."""
    if "width" not in state.env:
        lens = sorted(len(squeeze(x)) for x in state.lines if x.strip() and "\t" not in x)
        state.env["width"] = lens[int(len(lens) * 0.9)] if lens else 0
    return state.env["width"]


def _new(no: int, text: str, width: int) -> Paragraph:
    return Paragraph(start=no, end=no, text=text, starts=[(0, no)], enum=enumerators.match(text),
                     full=_full(text, width))


def _full(line: str, width: int) -> bool:
    return width >= 12 and len(line) >= width * 0.85 and line[-1:] not in TERMINAL + "）)"


def _append(p: Paragraph, no: int, text: str, width: int) -> None:
    p.starts.append((len(p.text), no))
    p.text += text
    p.end = no
    p.full = _full(text, width)


def _breaks_before(p: Paragraph, text: str, width: int) -> bool:
    """Whether `text` starts a new paragraph after `p` within one run of lines.
    An enumerator-like start right after a line cut at the page width is the
    sentence going on (`…职责清晰、规则统` ⏎ `一、信息互通…`), not a new item."""
    if heading_like(p) or (enumerators.match(text) and not _cut_mid_sentence(p)):
        return True
    last = p.text[p.starts[-1][0]:]
    return last[-1:] in "。！？；" and width > 0 and len(last) < width - 2


def _continues(prev: Paragraph, cur: Paragraph) -> bool:
    """Whether `cur`, after a blank line, is the rest of `prev` (a page or line break)."""
    return (prev.text[-1:] not in TERMINAL + "）)" and not heading_like(prev)
            and (cur.enum is None or _cut_mid_sentence(prev)) and prev.end >= cur.start - 6)


def _cut_mid_sentence(p: Paragraph) -> bool:
    """A paragraph of several lines whose last line runs to the page width without
    ending a sentence: what follows is the same sentence. A single numbered line
    (`四、健全行政决策制度体系，不断提升…执行力`) is a heading, however long."""
    return p.full and not (p.enum is not None and len(p.starts) == 1)


def paragraph(state: ExtractState, i: int) -> int | None:
    """Consume a run of non-blank prose lines starting at line `i` (1-based)."""
    n = len(state.lines)
    width = _line_width(state)
    made: list[Paragraph] = []
    j = i
    while j <= n:
        raw = state.lines[j - 1]
        if not raw.strip() or j in state.skipped or "\t" in raw or (j > i and is_header(nospace(raw))):
            break
        text = squeeze(strip_markup(raw))
        if text:
            if made and not _breaks_before(made[-1], text, width):
                _append(made[-1], j, text, width)
            else:
                made.append(_new(j, text, width))
        j += 1
    if j == i:
        return None
    if made and state.paragraphs and _continues(state.paragraphs[-1], made[0]) \
            and state.env.get("last_block") == "paragraph":
        prev, first = state.paragraphs[-1], made.pop(0)
        for off, no in first.starts:
            prev.starts.append((len(prev.text) + off, no))
        prev.text += first.text
        prev.end, prev.full = first.end, first.full
    state.paragraphs.extend(made)
    return j
