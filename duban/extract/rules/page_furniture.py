"""Page furniture: page numbers and running headers left by PDF conversion."""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher

from duban.extract.state import ExtractState
from duban.extract.text import nospace

_PAGE_NO = re.compile(r"^[—\-－–─_\s]*(第\s*)?\d{1,3}\s*(页)?[—\-－–─_\s]*$|^[—\-－–─]\s*\d{1,3}\s*[—\-－–─]$")
_ROLE = re.compile(r"负责|牵头|单位|部门|完成|[。；：]")


def detect(state: ExtractState) -> None:
    """Mark page numbers (`— 11 —`) and running headers (`国家及各省市营商环境政策汇编（2023）`).

    A running header is a short line that repeats at least three times and names no
    unit or deadline; a near-identical variant of it (one character off) is one too.
    """
    texts = [nospace(line) for line in state.lines]
    counts = Counter(t for t, raw in zip(texts, state.lines) if "\t" not in raw and 8 <= len(t) <= 40)
    # At most a few running headers: the most repeated qualifying lines.
    headers = [t for t, c in counts.most_common()
               if c >= 3 and len(t) >= 10 and not _ROLE.search(t) and t[0] not in "（(〔0123456789"][:3]
    for i, t in enumerate(texts, 1):
        if not t:
            continue
        if _PAGE_NO.match(state.lines[i - 1].strip()) or t in headers or (
                "\t" not in state.lines[i - 1] and any(
                    abs(len(t) - len(h)) <= 2 and SequenceMatcher(None, t, h).ratio() >= 0.9
                    for h in headers)):
            state.skipped.add(i)
            state.coverage[i] = "furniture"


def furniture(state: ExtractState, i: int) -> int | None:
    """Skip a line `detect` marked: `— 11 —`."""
    return i + 1 if i in state.skipped else None
