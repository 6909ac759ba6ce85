"""Problem/measure tables flattened from PDF, one cell fragment per line (TASKS.md rule 3)
(block rule).

    存在问题 提升措施及目标 部门分工 责任单位 / 完成 / 时限
    ①荆门市外资 / 新设同比增长 / …              ← problem cell, narrow lines
    严格实施外资准入负面清单，高标准落实外资准 / …  ← measure paragraph(s), wide lines
    牵头单位： / 市 市 场 监 / 管局 / 责任单位： / 市招商局、 / …
    注 册 审 批 / 科，各县市 / 区局                ← the bureau's own sections
    8月 / 31 日                                   ← deadline
    深化以市场为导向的…                           ← a measure sharing the merged cells above

The table ends at the next section heading (`（二）知识产权…`, `4.先行区创建`).
"""

from __future__ import annotations

import re

from duban.extract import enumerators
from duban.extract.model import Task
from duban.extract.text import TERMINAL
from duban.extract.state import ExtractState
from duban.extract.text import nospace, strip_markup
from duban.extract.units import split_units

_HEADER_WORDS = ("存在问题", "提升措施", "部门分工", "责任单位", "完成时限", "牵头单位")
_LABEL = re.compile(r"^(牵头单位|责任单位|牵头科室|配合单位)[：:]")
_DEADLINE_PART = re.compile(r"^(\d{1,2}月(\d{1,2}日?)?|\d{1,2}日|日|长期坚持|长期推进|长期|持续推进)[）)]?$")
_CIRCLED = re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮]")
_INTERNAL = re.compile(r"(科|室|中心|支队|大队|所|队|县市区局)$")
_UNIT_END = re.compile(r"(局|委|厅|办|府|院|会|中心|部|单位|部门|行|司|组|员)$")


def is_header(t: str) -> bool:
    """Column names only: `存在问题 提升措施及目标 部门分工 责任单位` (no sentence punctuation)."""
    return ("存在问题" in t or "提升措施" in t) and sum(w in t for w in _HEADER_WORDS) >= 2 \
        and len(t) <= 40 and not re.search(r"[：:；;，,。）)]", t)


def _section_end(t: str) -> bool:
    e = enumerators.match(t)
    return bool(e) and e.kind in ("cn", "paren_cn", "num", "chapter") and len(t) <= 30 and "。" not in t


def pdf_table(state: ExtractState, i: int) -> int | None:
    t = nospace(strip_markup(state.lines[i - 1]))
    if "\t" in state.lines[i - 1] or not is_header(t):
        return None
    j, frags = i + 1, []
    while j <= len(state.lines):
        s = nospace(strip_markup(state.lines[j - 1]))
        if s and j not in state.skipped:
            if _section_end(s):
                break
            if s not in ("完成", "时限", "责任", "单位", "完成时限", "责任单位") or frags:
                frags.append((j, s))
        j += 1
    for row in _rows(frags):
        state.tasks.extend(_tasks(state, row))
    state.mark(i, j - 1, "table")
    state.env["last_block"] = "table"
    return j


def _new_row(problem=None, measures=None):
    return {"problem": problem or [], "measures": measures or [], "units": [], "deadline": [],
            "after": []}


def _rows(frags):
    """Group fragments into rows. A row runs problem → measures → unit cells → deadline,
    then measures sharing its merged cells; a problem cell (`①…`) or a new unit label
    after those shared measures opens the next row."""
    rows: list[dict] = []
    cur = None
    for no, s in frags:
        if _CIRCLED.match(s) and (cur is None or cur["units"]):
            cur = _new_row(problem=[(no, s)])
            rows.append(cur)
        elif cur is None:
            cur = _new_row(measures=[(no, s)])
            rows.append(cur)
        elif _LABEL.match(s) and cur["deadline"]:
            shared, cur["after"] = cur["after"], []
            cur = _new_row(measures=shared)
            rows.append(cur)
            cur["units"].append((no, s))
        elif cur["deadline"]:
            _after_deadline(cur, no, s)
        elif cur["units"] or _LABEL.match(s):
            (cur["deadline"] if _DEADLINE_PART.match(s) and cur["units"] else cur["units"]).append((no, s))
        elif cur["problem"] and not cur["measures"] and len(s) <= 13:
            cur["problem"].append((no, s))
        else:
            cur["measures"].append((no, s))
    return rows


def _after_deadline(row, no, s):
    """Past a row's deadline: more deadline fragments, measures sharing the merged
    unit cell, or such a measure with its own section and deadline cells
    (`建立…清单。` / `信 用 监 管` / `科` / `4 月` / `30 日`)."""
    subs = row.setdefault("subrows", [])
    if not _DEADLINE_PART.match(s):
        row["after"].append((no, s))
        return
    if not row["after"]:
        (subs[-1]["deadline"] if subs else row["deadline"]).append((no, s))
        return
    k = len(row["after"])
    while k > 0 and len(row["after"][k - 1][1]) <= 9 and not row["after"][k - 1][1].endswith("。"):
        k -= 1
    subs.append({"measures": row["after"][:k], "internal": row["after"][k:], "deadline": [(no, s)]})
    row["after"] = []


def _paragraphs(lines):
    """Measure lines → paragraphs: a line ending a sentence short of full width ends one."""
    if not lines:
        return []
    width = max(len(s) for _, s in lines)
    paras, cur = [], []
    for no, s in lines:
        cur.append((no, s))
        if s[-1] in TERMINAL and len(s) < width - 1:
            paras.append(cur)
            cur = []
    if cur:
        paras.append(cur)
    return paras


def _split_cells(units):
    """`牵头单位：` X `责任单位：` Y Z → lead X; co Y; internal Z (the next column, which
    the flattening glued on without a separator: found where its section names begin)."""
    lead, rest, label = [], [], None
    for _, s in units:
        m = _LABEL.match(s)
        if m:
            label = m.group(1)
            s = s[m.end():]
            if not s:
                continue
        (lead if label in ("牵头单位", "牵头科室") else rest).append(s)
    tail = rest if rest else lead
    internal: list[str] = []
    for k in range(1, len(tail)):
        head, cand = "".join(tail[:k]), split_units("".join(tail[k:]))
        if _UNIT_END.search(head.rstrip("等")) and cand and all(
                _INTERNAL.search(u) and not u.startswith("市") for u in cand):
            internal = cand
            del tail[k:]
            break
    return split_units("".join(lead)), (split_units("".join(rest)) if rest else []), internal


def _tasks(state, row):
    if not row["measures"] or not row["units"]:
        return []
    lead, co, internal = _split_cells(row["units"])
    groups = [(row["measures"], internal, row["deadline"])]
    for sub in row.get("subrows", []):
        own = split_units("".join(s for _, s in sub["internal"]))
        groups.append((sub["measures"], own or internal, sub["deadline"]))
    groups.append((row["after"], internal, row["deadline"]))
    out = []
    for measures, sections, deadline_parts in groups:
        deadline = "".join(s for _, s in deadline_parts).rstrip("）)") or None
        for para in _paragraphs(measures):
            out.append(Task(doc=state.doc, line=para[0][0], text="".join(s for _, s in para),
                            end_line=para[-1][0], lead_units=list(lead), co_units=list(co),
                            internal_units=list(sections), deadline_text=deadline, rule="pdf_table"))
    return sorted(out, key=lambda t: t.line)
