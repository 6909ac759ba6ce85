"""Numbered measures with no note anywhere in the document are tasks without
units (TASKS.md rule 4) (core rule): the lowest-level items, outside preamble,
targets and safeguard sections (rule 6)."""

from __future__ import annotations

import re

from duban.extract.model import Task
from duban.extract.rules.inline_note import item_text, line_at
from duban.extract.rules.items import is_leaf
from duban.extract.rules.paragraphs import heading_like
from duban.extract.state import ExtractState

NOT_MEASURES = re.compile(
    r"总体要求|指导思想|总体思路|基本原则|工作原则|主要目标|工作目标|发展目标|目标任务|"
    r"保障措施|组织保障|保障机制|工作要求|组织实施|实施保障|组织领导|附则|总则|考核监督|法律责任")


def unnoted_measures(state: ExtractState) -> None:
    if state.has_notes or state.tasks:
        return
    items = state.items
    for k, item in enumerate(items):
        if not is_leaf(items, k) or any(NOT_MEASURES.search(t) for t in item.section_titles):
            continue
        if heading_like(item.paragraphs[0]) and len(item.paragraphs) == 1:
            continue
        text, starts = item_text(item)
        if len(text) < 15:
            continue
        state.tasks.append(Task(
            doc=state.doc, line=line_at(starts, 0), text=text, end_line=item.paragraphs[-1].end,
            heading_path="/".join(item.path), rule="unnoted_measure"))
