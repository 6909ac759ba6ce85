"""What a document says once for all its tasks (core rules): its year and header,
a deadline for every measure (`各项工作措施在9月底前全面落地`), and units named once
for the rest (`各市州、县市区人民政府均为责任单位，以下不再列出`, TASKS.md rule 5)."""

from __future__ import annotations

import re
from collections import Counter

from duban.extract.dates import resolve
from duban.extract.state import ExtractState
from duban.extract.text import nospace

_DOC_NO = re.compile(r"([\u4e00-\u9fa5]{1,12})\s*[〔\[［（(]\s*(\d{4})\s*[〕\]］）)]\s*(\d{1,4})\s*号")
_DATE_LINE = re.compile(r"^[（(]?\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[)）]?$")
_TITLE_DATE = re.compile(r"[（(]\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[)）]\s*$")
_COMPILED_TITLE = re.compile(r"^\d{1,3}\s*[.．]\s*\S.*(关于|印发|通知|意见|方案|办法|措施|要点|清单|决定)")
_YEAR = re.compile(r"(20\d{2})\s*年")
_ALL_MEASURES = re.compile(
    r"(?:各项|所有|全部)(?:工作)?(?:措施|任务|工作)[^。；，,]{0,8}?(?:在|于)?"
    r"(?P<when>(?:\d{4}\s*年)?\s*\d{1,2}\s*月\s*(?:底|末|\d{1,2}\s*日)?)前?[^。；]{0,6}?(?:全面)?(?:落地|完成|落实到位)")
_ISSUER = re.compile(r"(人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|监督管理局|管理局|委员会|局|厅|委)$")


def read_header(state: ExtractState) -> None:
    """Year, 文号, issue date, title, issuer; lines of a compilation's own title."""
    info, lines = state.info, state.lines
    head = [(i, nospace(x)) for i, x in enumerate(lines[:60], 1) if x.strip()]
    for i, t in head[:3]:
        if _COMPILED_TITLE.match(t):
            state.env.setdefault("header_lines", set()).add(i)
            state.coverage[i] = "header"
            m = _TITLE_DATE.search(t)
            if m:
                info.date = f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
            info.title = re.sub(r"^\d{1,3}[.．]", "", _TITLE_DATE.sub("", t))
    for i, t in head:
        m = _DOC_NO.search(t)
        if m and not info.doc_number and len(t) <= 30:
            info.doc_number = m.group(0).replace(" ", "")
        m = _DATE_LINE.match(t)
        if m and not info.date:
            info.date = f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
            prev = [x for j, x in head if j < i]
            if prev and _ISSUER.search(prev[-1]) and len(prev[-1]) <= 30:
                info.issuer = prev[-1]
    if not info.title:
        info.title = _title(head)
    if info.date:
        info.year = int(info.date[:4])
    elif info.doc_number:
        info.year = int(_DOC_NO.search(info.doc_number).group(2))
    else:
        years = _YEAR.findall(info.title or "") or _YEAR.findall("\n".join(lines))
        info.year = int(Counter(years).most_common(1)[0][0]) if years else None


_TITLE_END = re.compile(r"(方案|清单|措施|要点|意见|通知|办法|决定|规划|计划)$")


def _title(head: list[tuple[int, str]]) -> str | None:
    """The first title in the header, joined across the lines it wraps over
    (`关于印发《2023年荆门市…行动方` ⏎ `案》的通知`)."""
    for k, (_, t) in enumerate(head[:30]):
        if t.startswith("各") or t.endswith("：") or len(t) > 60 or re.search(r"[。；]", t):
            continue
        if t.startswith("关于") or _TITLE_END.search(t) or ("《" in t and "》" not in t):
            title = t
            for _, nxt in head[k + 1:k + 4]:
                if _TITLE_END.search(title) and title.count("《") == title.count("》"):
                    break
                title += nxt
            return title if len(title) <= 80 else t
    return None


def global_deadline(state: ExtractState) -> None:
    """`除持续推进工作外,各项工作措施在9月底前全面落地` sets every task's deadline."""
    for p in state.paragraphs:
        m = _ALL_MEASURES.search(p.text)
        if m:
            state.global_deadline = nospace(m["when"]) + "前"
            return


def resolve_deadlines(state: ExtractState) -> None:
    for t in state.tasks:
        if not t.deadline_text and state.global_deadline:
            t.deadline_text = state.global_deadline
        if t.deadline_text:
            t.deadline_text = nospace(t.deadline_text) if "\t" not in t.deadline_text else t.deadline_text
            t.deadline, t.ongoing = resolve(t.deadline_text, state.info.year)


def declared_units(state: ExtractState) -> None:
    """Rule 5: units a note names once join every task from that note on."""
    if not state.declarations:
        return
    decls = sorted(state.declarations)
    for t in state.tasks:
        active = [d for d in decls if d[0] <= (t.end_line or t.line)]
        if not active:
            continue
        _, units, role = active[-1]
        for u in units:
            if u not in t.lead_units and u not in t.co_units:
                (t.lead_units if role == "lead" else t.co_units).append(u)
