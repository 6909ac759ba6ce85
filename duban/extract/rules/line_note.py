"""Notes written as plain sentences rather than in brackets (TASKS.md rule 1):
`…推行容缺受理。牵头单位：市行政审批局。责任单位：各县（市、区）人民政府。完成时限：2023年6月底。`
or the same fields alone on the line after the measure. The note is wrapped in
brackets so the one bracket-note reader handles every form."""

from __future__ import annotations

import re

from duban.extract.text import CLOSE, OPEN

_LABEL_START = re.compile(
    r"(?:^|(?<=[。；;！]))\s*(?=(?:牵头单位|牵头部门|牵头科室|责任单位|责任部门|配合单位|责任领导)[：:])")


def _depth_at(text: str, pos: int) -> int:
    depth = 0
    for ch in text[:pos]:
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE and depth:
            depth -= 1
    return depth


def bracket_line_note(text: str) -> tuple[str, int | None]:
    """Wrap a paragraph's unbracketed note, from its first label to the paragraph's
    end, in （）. Returns the new text and the offset where `（` was inserted."""
    for m in _LABEL_START.finditer(text):
        at = m.end()
        if _depth_at(text, at) == 0:
            return text[:at] + "（" + text[at:].rstrip("。；; ") + "）", at
    return text, None
