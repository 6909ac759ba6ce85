"""The 台账 as an Excel workbook, out and back in.

Export writes the columns offices use plus a hidden 任务ID column; import reads
an edited copy back, matches rows by 任务ID and applies every changed cell as a
correction (audit source "xlsx"). A workbook with any bad row changes nothing:
everything is checked first, then applied in one transaction."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from duban.errors import DubanError, InputError, PermissionDenied
from duban.ledger import service
from duban.ledger.audit import Actor
from duban.ledger.fields import InvalidValue, parse_date, parse_status
from duban.ledger.models import STATUS_LABELS, Document, Task

SHEET = "台账"
SOURCE = "xlsx"
# (header, width); 任务ID is last and hidden: it is how a row finds its task again.
COLUMNS = (("序号", 6), ("任务内容", 60), ("牵头单位", 18), ("责任单位", 24), ("完成时限", 14),
           ("进展情况", 36), ("状态", 9), ("来源文件", 22), ("任务ID", 9))
HEADERS = tuple(h for h, _ in COLUMNS)
REQUIRED = ("任务ID", "任务内容", "牵头单位", "责任单位", "完成时限", "进展情况", "状态")
_ONGOING = re.compile(r"长期|持续|常态")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_THIN = Side(style="thin", color="A6A6A6")
_WRAP = Alignment(wrap_text=True, vertical="top")


# ---- export ----------------------------------------------------------------

def export_xlsx(dest, *, session: Session, unit=None, status=None, document: int | None = None,
                include_withdrawn: bool = False) -> int:
    """Write the 台账 to `dest` (path or binary file); returns the number of task rows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    for i, (_, width) in enumerate(COLUMNS, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.column_dimensions[get_column_letter(len(COLUMNS))].hidden = True
    ws.freeze_panes = "A2"
    ws.append([_header_cell(ws, h) for h in HEADERS])
    doc_names = dict(session.execute(select(Document.id, Document.name)).all())
    n = 0
    for task in _export_tasks(session, unit, status, document, include_withdrawn):
        n += 1
        ws.append(_row_cells(ws, n, task, doc_names))
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{n + 1}"
    wb.save(dest)
    return n


def _header_cell(ws, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=text)
    cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    cell.border = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
    return cell


def _export_tasks(session: Session, unit, status, document, include_withdrawn):
    """Tasks in document order, streamed so a million rows fit in memory."""
    stmt, _ = service.task_select(session=session, unit=unit, status=status, document=document,
                                  include_withdrawn=include_withdrawn)
    stmt = (stmt.order_by(Task.document_id, Task.seq, Task.id).options(selectinload(Task.units))
            .execution_options(yield_per=1000))
    yield from session.scalars(stmt)


def deadline_cell(task: Task):
    """What the 完成时限 column shows: the date, else the words (长期推进…)."""
    if task.deadline is not None:
        return task.deadline
    if task.ongoing:
        return task.deadline_text or "长期推进"
    return task.deadline_text or ""


def _row_cells(ws, n: int, task: Task, doc_names: dict) -> list:
    values = service.task_values(task)
    text = WriteOnlyCell(ws, value=task.text)
    text.alignment = _WRAP
    due = WriteOnlyCell(ws, value=deadline_cell(task))
    if isinstance(due.value, dt.date):
        due.number_format = "yyyy-mm-dd"
    progress = WriteOnlyCell(ws, value=task.progress or "")
    progress.alignment = _WRAP
    return [n, text, "、".join(values["lead_units"]), "、".join(values["co_units"]), due, progress,
            STATUS_LABELS.get(task.status, task.status),
            f"{doc_names.get(task.document_id, '')}:{task.line}", task.id]


# ---- import ----------------------------------------------------------------

@dataclass
class XlsxImportResult:
    rows: int  # task rows read
    tasks_changed: int
    changes: int  # change rows written


@dataclass
class _Row:
    number: int  # 1-based row in the sheet, as Excel shows it
    task_id: int
    cells: dict  # header -> value


def import_xlsx(src, *, session_factory: sessionmaker[Session], actor: Actor,
                name: str | None = None) -> XlsxImportResult:
    """Apply an edited 台账 workbook (path, bytes or binary file) as corrections."""
    label = name or (str(src) if isinstance(src, (str, Path)) else "workbook.xlsx")
    sheet, rows = _read(src, label)
    with session_factory() as session, session.begin():
        plans = [(row, _changes(session, row, label, sheet)) for row in rows]
        changed = written = 0
        for row, changes in plans:
            if not changes:
                continue
            try:
                out = service.update_task(row.task_id, changes, session=session, actor=actor,
                                          source=SOURCE, reason=f"{label} 第{row.number}行")
            except PermissionDenied as e:
                raise PermissionDenied(_where(label, sheet, row.number, str(e))) from None
            except DubanError as e:
                raise InputError(label, _where(None, sheet, row.number, str(e))) from None
            changed += bool(out)
            written += len(out)
    return XlsxImportResult(len(rows), changed, written)


def _where(label: str | None, sheet: str, row: int, problem: str) -> str:
    where = f"工作表「{sheet}」第{row}行：{problem}"
    return f"{label}: {where}" if label else where


def _read(src, label: str) -> tuple[str, list[_Row]]:
    if isinstance(src, (bytes, bytearray)):
        src = io.BytesIO(src)
    try:
        wb = load_workbook(src, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
        problem = "不是有效的 xlsx 文件" if not isinstance(e, FileNotFoundError) else "文件不存在"
        raise InputError(label, problem) from None
    try:
        ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
        return ws.title, _rows(ws, label)
    finally:
        wb.close()


def _rows(ws, label: str) -> list[_Row]:
    it = ws.iter_rows(values_only=True)
    header, start = None, 0
    for start, values in enumerate(it, 1):
        names = [str(v).strip() if v is not None else "" for v in values]
        if "任务ID" in names or "任务内容" in names:
            header = names
            break
        if start >= 10:
            break
    missing = [h for h in REQUIRED if header is None or h not in header]
    if missing:
        raise InputError(label, f"工作表「{ws.title}」缺少表头列：{'、'.join(missing)}")
    index = {h: header.index(h) for h in REQUIRED}
    rows, seen = [], {}
    for number, values in enumerate(it, start + 1):
        cells = {h: (values[i] if i < len(values) else None) for h, i in index.items()}
        if all(v is None or str(v).strip() == "" for v in cells.values()):
            continue
        task_id = _task_id(cells["任务ID"])
        if task_id is None:
            raise InputError(label, _where(None, ws.title, number, f"任务ID「{cells['任务ID'] or ''}」无效"))
        if task_id in seen:
            raise InputError(label, _where(None, ws.title, number,
                                           f"任务ID {task_id} 与第{seen[task_id]}行重复"))
        seen[task_id] = number
        rows.append(_Row(number, task_id, cells))
    return rows


def _task_id(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return int(value) if value > 0 else None
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


def _changes(session: Session, row: _Row, label: str, sheet: str) -> dict:
    """The fields this row changes, checked; an error names the file, sheet and row."""
    try:
        task = service.get_task(row.task_id, session=session)
    except DubanError as e:
        raise InputError(label, _where(None, sheet, row.number, str(e))) from None
    current = service.task_values(task)
    c = row.cells
    try:
        out = {}
        text = _text(c["任务内容"])
        if text != task.text:
            out["text"] = text
        for header, field in (("牵头单位", "lead_units"), ("责任单位", "co_units")):
            cell = _text(c[header])
            if cell == "、".join(current[field]):  # as exported: 、 may sit inside a name
                continue
            names = service.split_unit_text(cell, session=session)
            if names != current[field]:
                out[field] = names
        out.update(_deadline_changes(task, c["完成时限"]))
        if _text(c["进展情况"]) != (task.progress or ""):
            out["progress"] = _text(c["进展情况"])
        status = parse_status(_text(c["状态"]) or STATUS_LABELS["not_started"])
        if status != task.status:
            out["status"] = status
        return out
    except InvalidValue as e:
        raise InputError(label, _where(None, sheet, row.number, str(e))) from None


def _deadline_changes(task: Task, value) -> dict:
    shown = deadline_cell(task)
    if isinstance(value, dt.datetime):
        value = value.date()
    if value == shown or (isinstance(value, str) and value.strip() == shown) or (
            value is None and shown == ""):
        return {}
    # A date typed in the cell ends "ongoing"; an emptied cell means no deadline
    # at all (else the document's words would reappear in the next export).
    if isinstance(value, dt.date):
        return {"deadline": value, "ongoing": False}
    text = _text(value)
    if not text:
        return {"deadline": None, "deadline_text": None, "ongoing": False}
    if _ONGOING.search(text):
        return {"deadline": None, "ongoing": True, "deadline_text": text}
    return {"deadline": parse_date(text), "ongoing": False}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
