"""The rule chains, in order (as markdown-it's ruler)."""

from __future__ import annotations

from duban.extract.model import Extraction
from duban.extract.rules import (
    document_defaults, inline_note, items, label_brackets, page_furniture, paragraphs, pdf_table,
    tab_table, unnoted_measure)
from duban.extract.state import ExtractState

# Block rules: each takes (state, line) and returns the next line, or None.
BLOCK_RULES = [
    ("furniture", page_furniture.furniture),
    ("tab_table", tab_table.tab_table),
    ("pdf_table", pdf_table.pdf_table),
    ("paragraph", paragraphs.paragraph),
]

# Core rules: run once, in order, over the whole state.
CORE_RULES = [
    items.build_items,
    inline_note.note_tasks,
    unnoted_measure.unnoted_measures,
    document_defaults.global_deadline,
    document_defaults.resolve_deadlines,
    document_defaults.declared_units,
]


def run(doc: str, lines: list[str]) -> Extraction:
    # Line rules: rewrite one line into a form the block rules read (lengths may change,
    # line numbers never do).
    state = ExtractState(doc=doc, lines=[label_brackets.label_brackets(x.rstrip("\r\n")) for x in lines])
    document_defaults.read_header(state)
    page_furniture.detect(state)
    i, n = 1, len(state.lines)
    while i <= n:
        if not state.lines[i - 1].strip():
            i += 1
            continue
        for name, rule in BLOCK_RULES:
            nxt = rule(state, i)
            if nxt is not None:
                if name != "furniture":
                    state.env["last_block"] = name
                i = nxt
                break
        else:
            i += 1
    for rule in CORE_RULES:
        rule(state)
    state.tasks.sort(key=lambda t: t.line)
    _coverage(state)
    return Extraction(doc=doc, info=state.info, tasks=state.tasks, coverage=state.coverage)


def _coverage(state: ExtractState) -> None:
    """What each non-blank line became: task, heading, table (a table row that is no
    task: headers, group cells), text (prose judged not a task), furniture, header."""
    for t in state.tasks:
        for n in range(t.line, (t.end_line or t.line) + 1):
            if state.lines[n - 1].strip() and state.coverage.get(n) not in ("furniture", "header"):
                state.coverage[n] = "task"
    for p in state.paragraphs:
        state.mark(p.start, p.end, "heading" if paragraphs.heading_like(p) else "text")
    state.mark(1, len(state.lines), "skipped")
