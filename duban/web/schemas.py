"""JSON shapes of the API (Pydantic, so /openapi.json documents them) and the
functions that build them from ledger rows. HTML views that also answer JSON
use the same functions, so a page and its API twin never disagree."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from duban.ledger import service
from duban.ledger.models import STATUS_LABELS, Document, Person, Task


class ErrorOut(BaseModel):
    error: str


class TaskOut(BaseModel):
    id: int
    document_id: int
    seq: int
    line: int = Field(description="First source line (1-based) in the document")
    end_line: int
    heading_path: str
    text: str
    lead_units: list[str]
    co_units: list[str]
    internal_units: list[str]
    leaders: list[str]
    deadline: dt.date | None
    deadline_text: str | None
    ongoing: bool
    status: str = Field(description="not_started | in_progress | done")
    status_label: str
    progress: str
    withdrawn: bool
    updated_at: dt.datetime


class ChangeOut(BaseModel):
    at: dt.datetime
    actor: str
    source: str
    field: str | None
    old: str | None
    new: str | None
    reason: str | None


class TaskDetail(TaskOut):
    document_name: str
    history: list[ChangeOut]


class TaskPage(BaseModel):
    total: int
    limit: int
    offset: int
    tasks: list[TaskOut]


class TaskPatch(BaseModel):
    """Fields to change; omitted fields stay as they are. Unit and leader lists
    take a JSON list or one string separated by 、，, or ；."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = None
    heading_path: str | None = None
    lead_units: list[str] | str | None = None
    co_units: list[str] | str | None = None
    internal_units: list[str] | str | None = None
    leaders: list[str] | str | None = None
    deadline: dt.date | str | None = Field(None, description="YYYY-MM-DD, 2025年6月底 …; null clears")
    deadline_text: str | None = None
    ongoing: bool | None = None
    status: str | None = Field(None, description="not_started | in_progress | done, or 未开始/进行中/已完成")
    progress: str | None = None
    withdrawn: bool | None = None
    reason: str | None = Field(None, description="Why (kept in the history)")


class DocumentOut(BaseModel):
    id: int
    name: str
    format: str
    title: str | None
    doc_number: str | None
    issuer: str | None
    doc_date: dt.date | None
    version: int
    version_of_id: int | None
    imported_at: dt.datetime
    imported_by: str | None
    tasks: int = Field(description="Live tasks whose latest version is this document")


class DocumentDetail(DocumentOut):
    lines: list[str]


class ImportOut(BaseModel):
    document_id: int
    name: str
    status: str = Field(description="new | unchanged | merged")
    version: int
    tasks: int
    added: int
    updated: int
    withdrawn: int
    kept: int
    warnings: list[str]


class XlsxImportOut(BaseModel):
    rows: int
    tasks_changed: int
    changes: int


class UnitOut(BaseModel):
    id: int
    name: str
    kind: str | None
    aliases: list[str]
    tasks: int = Field(description="Live tasks the unit takes part in (any role)")
    open: int
    done: int
    overdue: int = Field(description="Open tasks past their deadline (Beijing date), counted up to "
                                     "10000 for one unit, 1000 in the list: that value means as many or more")


class MeOut(BaseModel):
    username: str
    display_name: str
    role: str
    unit: str | None


def task_out(task: Task) -> dict:
    values = service.task_values(task)
    return {
        "id": task.id, "document_id": task.document_id, "seq": task.seq, "line": task.line,
        "end_line": task.end_line, "heading_path": task.heading_path or "", "text": task.text,
        "lead_units": values["lead_units"], "co_units": values["co_units"],
        "internal_units": values["internal_units"], "leaders": values["leaders"],
        "deadline": task.deadline, "deadline_text": task.deadline_text, "ongoing": task.ongoing,
        "status": task.status, "status_label": STATUS_LABELS.get(task.status, task.status),
        "progress": task.progress or "", "withdrawn": task.withdrawn, "updated_at": task.updated_at,
    }


def change_out(change) -> dict:
    return {k: getattr(change, k) for k in ("at", "actor", "source", "field", "old", "new", "reason")}


def task_detail(task: Task, document_name: str, history) -> dict:
    return {**task_out(task), "document_name": document_name,
            "history": [change_out(c) for c in history]}


def document_out(doc: Document, tasks: int) -> dict:
    keys = ("id", "name", "format", "title", "doc_number", "issuer", "doc_date", "version",
            "version_of_id", "imported_at", "imported_by")
    return {**{k: getattr(doc, k) for k in keys}, "tasks": tasks}


def unit_out(row) -> dict:
    u = row.unit
    return {"id": u.id, "name": u.name, "kind": u.kind, "aliases": sorted(a.alias for a in u.aliases),
            "tasks": row.total, "open": row.open, "done": row.done, "overdue": row.overdue}


def me_out(person: Person) -> dict:
    return {"username": person.username, "display_name": person.display_name or person.username,
            "role": person.role, "unit": person.unit.name if person.unit else None}


def import_out(result) -> dict:
    return {"document_id": result.document_id, "name": result.name, "status": result.status,
            "version": result.version, "tasks": result.tasks, "added": result.added,
            "updated": result.updated, "withdrawn": result.withdrawn, "kept": result.kept,
            "warnings": list(result.warnings)}
