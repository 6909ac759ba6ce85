"""Responsibility notes inside an item close tasks (TASKS.md rule 1) (core rule).

Handles `…制定实施“一链一策”。（市发改委、市经信局负责，2025年6月底前完成）制定…`,
several notes in one item, notes in （）, (), 〔〕, [] with nested brackets
(`各县（市、区）人民政府`), and a note alone on the line after its item.
"""

from __future__ import annotations

from duban.extract.model import Task
from duban.extract.dates import looks_like_deadline
from duban.extract.notes import is_note, parse_note
from duban.extract.rules.line_note import bracket_line_note
from duban.extract.rules.paragraphs import heading_like
from duban.extract.state import ExtractState, Item
from duban.extract.text import bracket_spans

_LEAD_PUNCT = "。；;，,、：: "


def item_text(item: Item) -> tuple[str, list[tuple[int, int]]]:
    """The item's text without its enumerator, and (offset, line) where lines start.

    A bare heading followed by body paragraphs is a title, not text
    (`一、统一政务服务场所名称` ⏎ `各级政务服务管理机构要…`); one ending in `。` is a
    run-in title that PDF layout put on its own line, and stays.
    """
    paras = item.paragraphs
    if len(paras) > 1 and heading_like(paras[0]) and not paras[0].text.endswith("。") \
            and not _has_note(paras[0].text):
        paras = paras[1:]
    text, starts = "", []
    for k, p in enumerate(paras):
        skip = p.enum.length if (k == 0 and p.enum) else 0
        body, opened = bracket_line_note(p.text[skip:])
        for off, no in p.starts:
            off = max(off - skip, 0)
            starts.append((len(text) + off + (1 if opened is not None and off > opened else 0), no))
        text += body
    return text, starts


def _has_note(text: str) -> bool:
    return any(is_note(text[a:b]) for a, b in bracket_spans(text))


def line_at(starts: list[tuple[int, int]], offset: int) -> int:
    line = starts[0][1]
    for off, no in starts:
        if off > offset:
            break
        line = no
    return line


def note_tasks(state: ExtractState) -> None:
    """Split every item at its notes; each note closes one task."""
    for item in state.items:
        text, starts = item_text(item)
        if not starts:
            continue
        prev_end = 0
        for a, b in bracket_spans(text):
            content = text[a:b]
            if not is_note(content):
                # `（市发改委负责）（2023年底前完成）`: a deadline bracket right after a note
                if prev_end and state.tasks and not text[prev_end:a].strip(_LEAD_PUNCT) \
                        and looks_like_deadline(content) and not state.tasks[-1].deadline_text:
                    state.tasks[-1].deadline_text = content.strip("（()）〔〕[]【】")
                    prev_end = b
                continue
            state.has_notes = True
            body_start = prev_end
            while body_start < a and text[body_start] in _LEAD_PUNCT:
                body_start += 1
            body = text[body_start:a].strip()
            prev_end = b
            note = parse_note(content)
            if note.declared:
                state.declarations.append((line_at(starts, a), note.declared, note.declared_role))
            if not body:
                # A second note right after the first: same task, more units.
                if state.tasks and state.tasks[-1].end_line >= line_at(starts, a) - 1:
                    _merge(state.tasks[-1], note)
                continue
            state.tasks.append(_task(state, item, body, line_at(starts, body_start),
                                     line_at(starts, b - 1), note))


def _task(state, item, body, line, end_line, note) -> Task:
    t = Task(doc=state.doc, line=line, text=body, end_line=end_line,
             heading_path="/".join(item.path), rule="inline_note")
    _merge(t, note)
    return t


def _merge(t: Task, note) -> None:
    t.lead_units += [u for u in note.lead if u not in t.lead_units]
    t.co_units += [u for u in note.co if u not in t.co_units and u not in t.lead_units]
    t.internal_units += [u for u in note.internal if u not in t.internal_units]
    t.leaders += [x for x in note.leaders if x not in t.leaders]
    if note.deadline_text and not t.deadline_text:
        t.deadline_text = note.deadline_text
