"""Paragraphs → numbered items with their heading path (core rule).

The heading stack is built from the order enumerator kinds appear in, as
markdown-it builds nesting: a kind already on the stack closes everything below
it; a new kind opens a level, unless it ranks above the open one by convention
(`一、` → `（一）` → `1.` → `（1）` → `①`), which closes the deeper levels first. A
document that starts at `1.` works the same way.
"""

from __future__ import annotations

from duban.extract import enumerators
from duban.extract.rules.paragraphs import heading_like
from duban.extract.state import ExtractState, Item


def build_items(state: ExtractState) -> None:
    """Group every paragraph after the document's header into items."""
    stack: list[tuple[str, str, str]] = []  # (kind, ordinal, title)
    for p in state.paragraphs:
        if p.start in state.env.get("header_lines", ()):
            continue
        if p.enum is None:
            if state.items and not _loose_heading(p, state):
                state.items[-1].paragraphs.append(p)
            continue
        kind = p.enum.kind
        kinds = [k for k, _, _ in stack]
        if kind in kinds:
            del stack[kinds.index(kind):]
        else:
            while stack and enumerators.RANK[stack[-1][0]] > enumerators.RANK[kind]:
                stack.pop()
        title = p.body.rstrip("。") if heading_like(p) else _run_in_title(p.body)
        stack.append((kind, enumerators.ordinal(p.enum.label), title))
        state.items.append(Item(
            enum=p.enum, depth=len(stack), path=tuple(o for _, o, _ in stack), paragraphs=[p],
            title=p.body if heading_like(p) else "",
            section_titles=tuple(t for _, _, t in stack)))


def _loose_heading(p, state) -> bool:
    """An unnumbered short line with no punctuation ends the item before it (`附件2`)."""
    return heading_like(p) and not any(ch in p.text for ch in "（）()，。") and len(p.text) <= 25 \
        and state.items[-1].paragraphs[-1].text[-1:] in "。）)；"


def _run_in_title(body: str) -> str:
    """`着力构建高质量产业链。完善…` → `着力构建高质量产业链`."""
    head = body.split("。", 1)[0]
    return head if len(head) <= 40 else ""


def is_leaf(items, k: int) -> bool:
    return k + 1 >= len(items) or items[k + 1].depth <= items[k].depth
