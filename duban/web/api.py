"""The REST API under /api/: the same permissions and services as the pages.

Auth: `Authorization: Bearer <token>` (from `duban user token NAME`) or the
browser session (then unsafe methods need the `X-CSRF-Token` header). Errors
are `{"error": "…"}` with the right status: 401 no or bad credentials, 403 not
allowed, 404 unknown, 413 too large, 422 invalid value."""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session

from duban.ledger import service
from duban.ledger.models import Person
from duban.web import actions, queries
from duban.web.auth import DB, require_office, require_user, require_writer
from duban.web.schemas import (
    DocumentDetail,
    DocumentOut,
    ErrorOut,
    ImportOut,
    MeOut,
    TaskDetail,
    TaskPage,
    TaskPatch,
    UnitOut,
    XlsxImportOut,
    document_out,
    import_out,
    me_out,
    task_detail,
    task_out,
    unit_out,
)
from duban.web.validate import IdPath, OffsetQuery, no_nul, unit_ref

ERRORS = {code: {"model": ErrorOut} for code in (401, 403, 404, 422)}
router = APIRouter(prefix="/api", tags=["api"], responses=ERRORS)


@router.get("/me", response_model=MeOut)
def me(person: Person = Depends(require_user)):
    return me_out(person)


@router.get("/documents", response_model=list[DocumentOut])
def list_documents(response: Response, limit: int = Query(100, ge=1, le=service.MAX_PAGE),
                   offset: OffsetQuery = 0, db: Session = DB, person: Person = Depends(require_user)):
    """Newest first; the total is in the X-Total-Count header."""
    total, rows = queries.documents(session=db, limit=limit, offset=offset)
    response.headers["X-Total-Count"] = str(total)
    return [document_out(r.doc, r.live) for r in rows]


@router.get("/documents/{doc_id}", response_model=DocumentDetail)
def get_document(doc_id: IdPath, db: Session = DB, person: Person = Depends(require_user)):
    doc = service.get_document(doc_id, session=db)
    live = service.count_tasks(session=db, document=doc_id)
    return {**document_out(doc, live), "lines": doc.text.split("\n") if doc.text else []}


@router.post("/documents", response_model=ImportOut, status_code=201,
             responses={413: {"model": ErrorOut}, 400: {"model": ErrorOut}})
def upload_document(request: Request, file: UploadFile = File(..., description=".txt .docx .pdf .html"),
                    db: Session = DB, person: Person = Depends(require_office)):
    """Import a plan; the format is sniffed from the content. 200 if already imported."""
    result = actions.upload_document(request, file, db=db, person=person)
    status = 200 if result.status == "unchanged" else 201
    return JSONResponse(ImportOut(**import_out(result)).model_dump(mode="json"), status_code=status)


@router.get("/tasks", response_model=TaskPage)
def list_tasks(filters: dict = Depends(actions.task_filters),
               limit: int = Query(50, ge=1, le=service.MAX_PAGE), offset: OffsetQuery = 0,
               db: Session = DB, person: Person = Depends(require_user)):
    total, tasks = actions.page_of_tasks(db, filters, limit, offset)
    return {"total": total, "limit": limit, "offset": offset, "tasks": [task_out(t) for t in tasks]}


@router.get("/tasks.xlsx", responses={200: {"content": {actions.XLSX_TYPE: {}}}})
def export_tasks(filters: dict = Depends(actions.task_filters), db: Session = DB,
                 person: Person = Depends(require_user)):
    """The 台账 as an Excel workbook (unit, status and document filters apply)."""
    return actions.export_response(db, filters)


@router.post("/tasks.xlsx", response_model=XlsxImportOut, responses={400: {"model": ErrorOut}})
def import_tasks(request: Request, file: UploadFile = File(...), db: Session = DB,
                 person: Person = Depends(require_writer)):
    """Apply an edited 台账 workbook as corrections: all rows or none."""
    result = actions.import_workbook(request, file, db=db, person=person)
    return {"rows": result.rows, "tasks_changed": result.tasks_changed, "changes": result.changes}


def _detail(db: Session, task_id: int) -> dict:
    task = service.get_task(task_id, session=db)
    doc = service.get_document(task.document_id, session=db)
    return task_detail(task, doc.name, service.history("task", task_id, session=db))


@router.get("/tasks/{task_id}", response_model=TaskDetail)
def get_task(task_id: IdPath, db: Session = DB, person: Person = Depends(require_user)):
    return _detail(db, task_id)


@router.patch("/tasks/{task_id}", response_model=TaskDetail)
def patch_task(task_id: IdPath, patch: TaskPatch, db: Session = DB,
               person: Person = Depends(require_writer)):
    """Correct fields of a task (recorded in its history). A liaison may only
    change tasks its unit takes part in."""
    changes = patch.model_dump(exclude_unset=True)
    reason = changes.pop("reason", None)
    actions.edit_task(task_id, changes, db=db, person=person, source="api", reason=reason)
    return _detail(db, task_id)


@router.get("/units", response_model=list[UnitOut])
def list_units(request: Request, response: Response, q: str | None = Query(None, description="Name or alias contains"),
               limit: int = Query(100, ge=1, le=service.MAX_PAGE), offset: OffsetQuery = 0,
               db: Session = DB, person: Person = Depends(require_user)):
    """Units by name with what each owes; the total is in the X-Total-Count header."""
    total, rows = queries.unit_rows(session=db, today=request.app.state.config.today(),
                                    q=no_nul(q, "单位"), limit=limit, offset=offset)
    response.headers["X-Total-Count"] = str(total)
    return [unit_out(r) for r in rows]


@router.get("/units/{ref}", response_model=UnitOut)
def get_unit(request: Request, ref: str, db: Session = DB, person: Person = Depends(require_user)):
    """A unit by id, name or alias, with its counts (tasks: GET /api/tasks?unit=…)."""
    unit = service.get_unit(unit_ref(ref), session=db)
    counts = queries.unit_counts(unit.id, session=db, today=request.app.state.config.today())
    return {"id": unit.id, "name": unit.name, "kind": unit.kind,
            "aliases": sorted(a.alias for a in unit.aliases), "tasks": counts["total"],
            "open": counts["open"], "done": counts["done"], "overdue": counts["overdue"]}

