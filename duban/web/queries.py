"""Read queries the pages need that the ledger service does not offer yet.

Written against the ledger models only; candidates to move into
duban.ledger.service (see the module list in the report of issue 3)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import false, func, select
from sqlalchemy.orm import Session, selectinload

from duban.ledger import service
from duban.ledger.models import Document, Task, TaskUnit, Unit, UnitAlias

OPEN = ("not_started", "in_progress")
DUE_SOON_DAYS = 30
COUNT_CAP = 9999  # a unit's overdue/due-soon counts stop here (shown as 9999+)
LIST_CAP = 999  # the same in the list of units, where a page counts a hundred units


@dataclass
class DocumentRow:
    doc: Document
    live: int  # tasks whose latest version is this document, not withdrawn
    withdrawn: int
    superseded_by: int | None  # id of the next version, if any


def documents(*, session: Session, limit: int, offset: int) -> tuple[int, list[DocumentRow]]:
    """One page of documents (newest first) with task counts for that page only:
    a million-task ledger is never counted in full to show fifty rows."""
    total = session.scalar(select(func.count()).select_from(Document))
    docs = list(session.scalars(select(Document).order_by(Document.id.desc()).limit(limit).offset(offset)))
    ids = [d.id for d in docs]
    counts = {(doc_id, withdrawn): n for doc_id, withdrawn, n in session.execute(
        select(Task.document_id, Task.withdrawn, func.count()).where(Task.document_id.in_(ids))
        .group_by(Task.document_id, Task.withdrawn))}
    newer = dict(session.execute(select(Document.version_of_id, Document.id)
                                 .where(Document.version_of_id.in_(ids))).all())
    return total, [DocumentRow(d, counts.get((d.id, False), 0), counts.get((d.id, True), 0),
                               newer.get(d.id)) for d in docs]


def latest_version(doc: Document, *, session: Session) -> Document | None:
    """The newest version of this document's plan, when it is not this one."""
    latest = service.document_versions(doc.id, session=session)[-1]
    return latest if latest.id != doc.id else None


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
    total: int  # live tasks the unit takes part in
    open: int
    done: int
    overdue: int


def _due_count(unit_id: int, session: Session, after: dt.date | None, before: dt.date,
               cap: int = COUNT_CAP) -> int:
    """Open live tasks of a unit due in [after, before), counted up to cap + 1:
    past the cap, "9999+" says enough and the page stays fast for the biggest
    unit. Fastest with an index on task_unit (unit_id, withdrawn, status, due)."""
    cond = [TaskUnit.unit_id == unit_id, TaskUnit.withdrawn == false(),
            TaskUnit.status.in_(OPEN), TaskUnit.due < before]
    if after is not None:
        cond.append(TaskUnit.due >= after)
    capped = select(TaskUnit.task_id).where(*cond).limit(cap + 1).subquery()
    return session.scalar(select(func.count()).select_from(capped))


def unit_rows(*, session: Session, today: dt.date, q: str | None = None, limit: int = 50,
              offset: int = 0) -> tuple[int, list[UnitRow]]:
    """One page of units (by name) with what each owes: counted for that page only."""
    units = select(Unit)
    if q and q.strip():
        pattern = "%" + q.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        aliased = select(UnitAlias.unit_id).where(UnitAlias.alias.like(pattern, escape="\\"))
        units = units.where(Unit.name.like(pattern, escape="\\") | Unit.id.in_(aliased))
    total = session.scalar(select(func.count()).select_from(units.subquery()))
    page = list(session.scalars(units.order_by(Unit.name).limit(limit).offset(offset)
                                .options(selectinload(Unit.aliases))))
    statuses = service.unit_status_counts([u.id for u in page], session=session)
    return total, [UnitRow(u, sum(statuses[u.id].values()),
                           sum(statuses[u.id].get(s, 0) for s in OPEN), statuses[u.id].get("done", 0),
                           _due_count(u.id, session, None, today, LIST_CAP)) for u in page]


def unit_counts(unit_id: int, *, session: Session, today: dt.date) -> dict[str, int]:
    """One unit's totals for the unit page header: kept counts by status, and
    capped range scans of task_unit's deadline copies (never the task table)."""
    statuses = service.unit_status_counts([unit_id], session=session)[unit_id]
    soon = today + dt.timedelta(days=DUE_SOON_DAYS + 1)
    return {"total": sum(statuses.values()), "open": sum(statuses.get(s, 0) for s in OPEN),
            "done": statuses.get("done", 0),
            "overdue": _due_count(unit_id, session, None, today),
            "due_soon": _due_count(unit_id, session, today, soon)}


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
