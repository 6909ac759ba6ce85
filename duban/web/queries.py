"""Read queries the pages need that the ledger service does not offer yet.

Written against the ledger models only; candidates to move into
duban.ledger.service (see the module list in the report of issue 3)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, selectinload, undefer

from duban.errors import NotFound
from duban.ledger.models import Document, Task, TaskUnit, Unit, UnitAlias

OPEN = ("not_started", "in_progress")
DUE_SOON_DAYS = 30


@dataclass
class DocumentRow:
    doc: Document
    live: int  # tasks whose latest version is this document, not withdrawn
    withdrawn: int
    superseded_by: int | None  # id of the next version, if any


def documents(*, session: Session) -> list[DocumentRow]:
    """Every document (newest first) with its task counts."""
    counts = dict(((doc_id, withdrawn), n) for doc_id, withdrawn, n in session.execute(
        select(Task.document_id, Task.withdrawn, func.count()).group_by(Task.document_id, Task.withdrawn)))
    newer = dict(session.execute(select(Document.version_of_id, Document.id)
                                 .where(Document.version_of_id.is_not(None))).all())
    docs = session.scalars(select(Document).order_by(Document.id.desc()))
    return [DocumentRow(d, counts.get((d.id, False), 0), counts.get((d.id, True), 0), newer.get(d.id))
            for d in docs]


def get_document(doc_id: int, *, session: Session, with_text: bool = False) -> Document:
    options = [undefer(Document.text)] if with_text else []
    doc = session.get(Document, doc_id, options=options)
    if doc is None:
        raise NotFound(f"未找到文件 {doc_id}")
    return doc


def newer_version(doc: Document, *, session: Session) -> Document | None:
    return session.scalar(select(Document).where(Document.version_of_id == doc.id))


def document_tasks(doc_id: int, *, session: Session) -> list[Task]:
    """All tasks of a document in reading order, withdrawn ones included (the
    review page shows what the plan says and what was dropped)."""
    return list(session.scalars(select(Task).where(Task.document_id == doc_id)
                                .order_by(Task.seq, Task.id).options(selectinload(Task.units))))


def document_names(*, session: Session) -> dict[int, str]:
    return dict(session.execute(select(Document.id, Document.name)).all())


@dataclass
class UnitRow:
    unit: Unit
    total: int
    lead: int
    open: int
    overdue: int


def unit_rows(*, session: Session, today: dt.date, q: str | None = None) -> list[UnitRow]:
    """Units with what they owe: live tasks, as lead, still open, overdue."""
    live = Task.withdrawn.is_(False)
    is_open = Task.status.in_(OPEN)
    stmt = (select(TaskUnit.unit_id, func.count(),
                   func.sum(case((TaskUnit.role == "lead", 1), else_=0)),
                   func.sum(case((is_open, 1), else_=0)),
                   func.sum(case((is_open & (TaskUnit.due < today), 1), else_=0)))
            .join(Task, Task.id == TaskUnit.task_id).where(live).group_by(TaskUnit.unit_id))
    counts = {row[0]: row[1:] for row in session.execute(stmt)}
    units = select(Unit).order_by(Unit.name)
    if q and q.strip():
        pattern = f"%{q.strip()}%"
        aliased = select(UnitAlias.unit_id).where(UnitAlias.alias.like(pattern))
        units = units.where(Unit.name.like(pattern) | Unit.id.in_(aliased))
    rows = [UnitRow(u, *(int(x or 0) for x in counts.get(u.id, (0, 0, 0, 0)))) for u in session.scalars(units)]
    return sorted(rows, key=lambda r: (-r.overdue, -r.open, r.unit.name))


def unit_counts(unit_id: int, *, session: Session, today: dt.date) -> dict[str, int]:
    """One unit's totals for the unit page header (served by ix_task_unit_unit_due)."""
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    is_open = Task.status.in_(OPEN)
    row = session.execute(
        select(func.count(),
               func.sum(case((is_open, 1), else_=0)),
               func.sum(case((is_open & (TaskUnit.due < today), 1), else_=0)),
               func.sum(case((is_open & (TaskUnit.due >= today) & (TaskUnit.due <= soon), 1), else_=0)),
               func.sum(case((Task.status == "done", 1), else_=0)),
               func.sum(case((TaskUnit.role == "lead", 1), else_=0)))
        .select_from(TaskUnit).join(Task, Task.id == TaskUnit.task_id)
        .where(TaskUnit.unit_id == unit_id, Task.withdrawn.is_(False))).one()
    keys = ("total", "open", "overdue", "due_soon", "done", "lead")
    return {k: int(v or 0) for k, v in zip(keys, row)}


def urgency(task: Task, today: dt.date) -> str:
    """overdue | soon | ok | done: the colour of a deadline badge."""
    if task.status == "done":
        return "done"
    if task.deadline is None:
        return "ok"
    if task.deadline < today:
        return "overdue"
    if task.deadline <= today + dt.timedelta(days=DUE_SOON_DAYS):
        return "soon"
    return "ok"


def role_of(task: Task, unit_id: int) -> str | None:
    for tu in task.units:
        if tu.unit_id == unit_id:
            return tu.role
    return None
