"""What both the pages and the API do: filter tasks, upload a plan, correct a
task, export and import the workbook. Each is one call into the ledger, with
the web's own checks (size, roles) in front."""

from __future__ import annotations

import os
import tempfile
from urllib.parse import quote

from fastapi import Query, Request, UploadFile
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask

from duban.errors import DubanError
from duban.ledger import flows, service, xlsx
from duban.ledger.models import Person
from duban.web.middleware import too_large_message
from duban.web.queries import OPEN
from duban.web.validate import check_changes, document_ref, no_nul, unit_ref

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TooLarge(DubanError):
    http_status = 413


NO_FILTERS = {"unit": None, "status": None, "due_before": None, "document": None, "q": None}


def task_filters(
    unit: str | None = Query(None, description="Unit id, name or alias"),
    status: str | None = Query(None, description="not_started | in_progress | done | open (not done)"),
    due_before: str | None = Query(None, description="Deadline on or before (YYYY-MM-DD)"),
    document: str | None = Query(None, description="Document id"),
    q: str | None = Query(None, description="Text search in the task text"),
) -> dict:
    """The ledger filters from the query string; empty form fields mean "any"."""
    return {"unit": unit_ref((unit or "").strip()) or None,
            "status": no_nul((status or "").strip(), "状态") or None,
            "due_before": no_nul((due_before or "").strip(), "完成时限") or None,
            "document": document_ref(document), "q": no_nul((q or "").strip(), "关键词") or None}


def service_filters(filters: dict) -> dict:
    """Filters as list_tasks() takes them ("open" is the web's shorthand)."""
    out = dict(filters)
    if out.get("status") == "open":
        out["status"] = list(OPEN)
    return out


def page_of_tasks(db: Session, filters: dict, limit: int, offset: int):
    f = service_filters(filters)
    total = service.count_tasks(session=db, **f)
    tasks = service.list_tasks(session=db, limit=limit, offset=offset, **f)
    return total, tasks


def _read_upload(request: Request, upload: UploadFile) -> tuple[bytes, str]:
    """The uploaded bytes, refused over the limit. The client's file name is
    only ever a label: nothing is written under it."""
    limit = request.app.state.config.max_upload_bytes
    name = upload.filename or "upload"
    data = upload.file.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(too_large_message(limit))
    return data, name


def upload_document(request: Request, upload: UploadFile, *, db: Session, person: Person):
    """Read (format sniffed from content), extract and import one plan."""
    from duban.ingest import read_bytes

    data, name = _read_upload(request, upload)
    source = read_bytes(data, name)
    # The import runs in its own transaction; end ours first so SQLite's single
    # writer is not held by this request (a bearer token's last_used_at).
    db.commit()
    return flows.import_document(source, session_factory=request.app.state.session_factory,
                                 actor=person)


def import_workbook(request: Request, upload: UploadFile, *, db: Session, person: Person):
    """Apply an edited 台账 workbook as corrections: every row or none."""
    data, name = _read_upload(request, upload)
    db.commit()
    label = name.replace("\\", "/").rsplit("/", 1)[-1]
    return xlsx.import_xlsx(data, session_factory=request.app.state.session_factory,
                            actor=person, name=label)


def edit_task(task_id: int, changes: dict, *, db: Session, person: Person, source: str,
              reason: str | None = None) -> list:
    """A correction by a person; the service checks their right to it and audits it."""
    return service.update_task(task_id, check_changes(changes), session=db, actor=person,
                               source=source, reason=no_nul(reason, "修改说明") or None)


def export_response(db: Session, filters: dict) -> FileResponse:
    """The 台账 as .xlsx, written to a temporary file (a big ledger never sits in memory)."""
    f = service_filters(filters)
    fd, path = tempfile.mkstemp(prefix="duban-export-", suffix=".xlsx")
    os.close(fd)
    try:
        xlsx.export_xlsx(path, session=db, unit=f["unit"], status=f["status"], document=f["document"])
    except BaseException:
        os.unlink(path)
        raise
    disposition = f"attachment; filename=\"duban-ledger.xlsx\"; filename*=UTF-8''{quote('台账.xlsx')}"
    return FileResponse(path, media_type=XLSX_TYPE, headers={"Content-Disposition": disposition},
                        background=BackgroundTask(os.unlink, path))
