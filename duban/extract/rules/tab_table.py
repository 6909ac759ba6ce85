"""Tables flattened with tabs (TASKS.md rule 2) (block rule).

Two flattenings occur, and DOCX/PDF/HTML readers produce the second:
- one cell per line, each line starting with a tab (`\t（1）` ⏎ `\t实现企业开办“2050”标准…`
  ⏎ `\t市市场监管局` ⏎ `\t市公安局、…，各区` ⏎ `\t2022年5月底，长期推进`);
- one row per line, cells joined by tabs (`\t\t（2）省直相关部门要…\t省直有关部门按照职能分别负责；\t2023年12月底前完成`).
A header row names the columns; a table without a task column and a unit or
deadline column (`序号 处罚事项名称 不予处罚的情形`) is left as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from duban.extract.model import Task
from duban.extract.notes import parse_note
from duban.extract.state import ExtractState
from duban.extract.text import nospace, squeeze, strip_markup
from duban.extract.units import split_units

_TASK_COLS = ["重点任务", "改革举措", "具体措施", "工作任务", "任务内容", "工作措施", "具体任务",
              "具体举措", "主要举措", "工作举措", "任务举措", "改革事项", "任务名称", "重点工作",
              "主要任务", "工作内容", "主要措施", "任务"]
_COLS = {
    "seq": re.compile(r"^序号$"),
    "lead": re.compile(r"^(牵头单位|牵头部门|牵头科室|牵头处室|主办单位)$"),
    "resp": re.compile(r"^(责任单位|责任部门|配合单位|配合部门|协办单位|责任主体|实施单位)$"),
    "internal": re.compile(r"^(责任科室|责任处室)$"),
    "deadline": re.compile(r"^(完成时限|完成时间|时限|时间节点|完成期限|办结时限|时间安排|时间要求|进度安排)$"),
    "leader": re.compile(r"^(责任领导|牵头领导|分管领导|牵头市领导|责任市领导|责任人)$"),
}
_DEADLINE_DONE = re.compile(r"(完成|前|底|末|日|长期|推进|坚持)$")
_SEQ = re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*")
# A unit cell's first character when it starts a unit rather than finishing one.
_UNIT_START = re.compile(r"^[省市各国县区中人全自赣鄂湘豫]")
# A unit cell that ends a whole name or a role verb is complete.
_COMPLETE = re.compile(r"(负责|牵头|配合|落实|局|厅|委|办|府|院|会|中心|部门|单位|公司|行|组|室)[；;。]?$")


@dataclass
class Row:
    line: int
    seq: str
    cells: dict[str, str] = field(default_factory=dict)
    path: tuple[str, ...] = ()
    end: int = 0


def _columns(cells: list[str]) -> dict[str, int] | None:
    names = [nospace(strip_markup(c)) for c in cells]
    cols: dict[str, int] = {}
    for key, rx in _COLS.items():
        for k, name in enumerate(names):
            if rx.match(name):
                cols.setdefault(key, k)
    # With several task-like columns (重点任务 | 具体措施, 具体内容 | 改革举措) the rightmost
    # is the measure itself; those left of it are the group it belongs to.
    tasks = [k for k, name in enumerate(names) if name in _TASK_COLS]
    if tasks:
        cols["task"] = max(tasks)
    if "task" not in cols or not ({"lead", "resp", "deadline"} & cols.keys()):
        return None
    return cols


def _header(state: ExtractState, i: int) -> tuple[str, dict[str, int], int] | None:
    """Recognise a header at line i: a tab-joined row, or one cell per line."""
    raw = state.lines[i - 1]
    if raw.count("\t") >= 2 and raw.strip():
        cols = _columns(raw.split("\t"))
        return ("rows", cols, i + 1) if cols else None
    cells, at, j = [], [], i
    while j <= len(state.lines) and len(cells) < 8:
        line = state.lines[j - 1]
        if line.startswith("\t") and line.count("\t") == 1 and line.strip():
            cells.append(line.strip())
            at.append(j)
        elif line.strip():
            break
        j += 1
    cols = _columns(cells) if len(cells) >= 3 else None
    return ("cells", cols, at[max(cols.values())] + 1) if cols else None


def tab_table(state: ExtractState, i: int) -> int | None:
    """Consume a whole tab-flattened table starting at line i."""
    if "\t" not in state.lines[i - 1]:
        return None
    found = _header(state, i)
    if not found:
        return None
    shape, cols, j = found
    rows, j = (_rows_per_line if shape == "rows" else _cells_per_line)(state, cols, j)
    # A sequence number with no task cell after it (a row cut off at the end of the
    # text, a number repeated) is not a task, and must not lend or take merged cells.
    rows = [r for r in rows if r.cells.get("task", "").strip()]
    _join_split_cells(rows)
    _fill_merged(rows, cols)
    for row in rows:
        state.tasks.append(_task(state, row, cols))
    state.mark(i, j - 1, "table")
    return j


def _table_line(state, j, prev_was_table) -> str | None:
    """'cell', 'cont' (a wrapped cell's rest), 'blank', or None when the table ended."""
    if j in state.skipped:
        return "blank"
    raw = state.lines[j - 1]
    if "\t" in raw:
        return "cell"
    if not raw.strip():
        return "blank"
    return "cont" if prev_was_table else None


def _cells_per_line(state, cols, j):
    """`\t（1）` ⏎ `\t<task>` ⏎ `\t<lead>` ⏎ `\t<co>` ⏎ `\t<deadline>`."""
    order = [k for k, _ in sorted(cols.items(), key=lambda kv: kv[1]) if cols[k] > cols.get("seq", -1)]
    rows: list[Row] = []
    path: list[str] = []
    row, filled, prev = None, 0, False
    while j <= len(state.lines):
        kind = _table_line(state, j, prev)
        if kind is None:
            break
        text = squeeze(strip_markup(state.lines[j - 1]))
        if kind == "cont" and row is not None and filled:
            key = order[filled - 1]
            row.cells[key] += text
        elif kind == "cell" and text:
            if _SEQ.fullmatch(text) or (text.isdigit() and len(text) <= 3):
                row = Row(line=j, seq=text.strip("（()）"), path=tuple(path))
                rows.append(row)
                filled = 0
            elif row is not None and filled < len(order):
                row.cells[order[filled]] = text
                if order[filled] == "task":
                    row.line = j
                filled += 1
                row.end = j
            else:
                path = _group_heading(path, text)
                row = None
        elif kind == "cell" and row is not None and filled:
            row = None  # an empty cell closes the row
        prev = kind in ("cell", "cont") and bool(text)
        j += 1
    return rows, j


def _group_heading(path: list[str], text: str) -> list[str]:
    from duban.extract import enumerators
    e = enumerators.match(text)
    if not e:
        return path
    label = enumerators.ordinal(e.label)
    depth = {"cn": 0, "paren_cn": 1, "num": 2}.get(e.kind, len(path))
    return path[:depth] + [label]


def _rows_per_line(state, cols, j):
    """One row per line; a line without its own sequence number continues the row above."""
    rows: list[Row] = []
    pending: dict[str, str] = {}  # cells that open the next row, cut off by a page break
    prev = True
    while j <= len(state.lines):
        kind = _table_line(state, j, prev)
        if kind is None:
            break
        raw = state.lines[j - 1]
        prev = kind != "blank"
        if kind != "cell":
            if kind == "cont" and rows:
                rows[-1].cells["task"] = rows[-1].cells.get("task", "") + squeeze(raw)
            j += 1
            continue
        cells = [squeeze(strip_markup(c)) for c in raw.split("\t")]
        get = {k: (cells[v] if v < len(cells) else "") for k, v in cols.items()}
        m = _SEQ.match(get["task"])
        seq = get.get("seq", "").strip()
        if m or (seq.isdigit() and get["task"]):
            row = Row(line=j, seq=m.group(1) if m else seq, end=j)
            row.cells = {k: pending.pop(k, "") + v for k, v in get.items() if v or k in pending}
            row.cells["task"] = get["task"][m.end():] if m else get["task"]
            rows.append(row)
        elif rows:
            _continue_row(rows[-1], get, pending)
            rows[-1].end = j
        j += 1
    return rows, j


def _continue_row(row: Row, get: dict[str, str], pending: dict[str, str]) -> None:
    """A line with no sequence number: the rest of the row above, except unit and
    deadline cells that start after the row above already had complete ones."""
    for k, v in get.items():
        if not v:
            continue
        have = row.cells.get(k, "")
        if k != "task" and have and (_DEADLINE_DONE if k == "deadline" else _COMPLETE).search(have):
            if len(v) > 2:  # a lone stray character (`责`) is OCR noise
                pending[k] = pending.get(k, "") + v
        else:
            row.cells[k] = have + v


def _join_split_cells(rows: list[Row]) -> None:
    """Unit cells merged over rows, or cut by a page break, belong to every row they span:
    a cell ending in `、` or followed by a cell that starts mid-name (`区工程…办公室负责`)."""
    for key in ("resp", "lead"):
        for a, b in zip(rows, rows[1:]):
            x, y = a.cells.get(key, ""), b.cells.get(key, "")
            if x and y and (x[-1] in "、，," or not (_UNIT_START.match(y) or _COMPLETE.search(x))):
                joined = x + y
                a.cells[key] = b.cells[key] = joined
                dx, dy = a.cells.get("deadline", ""), b.cells.get("deadline", "")
                if dy.startswith("前") or (dx and dx[-1].isdigit() is False and dy and dy[0] in "前底"):
                    a.cells["deadline"] = b.cells["deadline"] = dx + dy



def _fill_merged(rows: list[Row], cols: dict[str, int]) -> None:
    """A blank lead (or sole unit) or deadline cell under a filled one is a merged cell:
    it belongs to the row below too. A blank supporting-units cell may be truly empty."""
    keys = ["deadline", "lead" if "lead" in cols else "resp"]
    for a, b in zip(rows, rows[1:]):
        for key in keys:
            if not b.cells.get(key) and a.cells.get(key):
                b.cells[key] = a.cells[key]


def _task(state: ExtractState, row: Row, cols) -> Task:
    c = row.cells
    t = Task(doc=state.doc, line=row.line, text=c.get("task", ""), end_line=row.end or row.line,
             heading_path="/".join(row.path + (row.seq,)), rule="tab_table")
    if "lead" in cols:
        t.lead_units = split_units(c.get("lead", ""))
        t.co_units = [u for u in split_units(c.get("resp", "")) if u not in t.lead_units]
    elif c.get("resp"):
        note = parse_note(re.sub(r"[；;，,]\s*责任单位$", "", c["resp"]))
        t.lead_units, t.co_units = note.lead, note.co
    t.internal_units = split_units(c.get("internal", ""))
    t.leaders = [x for x in re.split(r"[、，,；;\s]+", c.get("leader", "")) if x]
    t.deadline_text = c.get("deadline") or None
    return t
