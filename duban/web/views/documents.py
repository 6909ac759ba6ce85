"""文件: the list of imported plans, upload, and the review page (审核)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Request, UploadFile
from sqlalchemy.orm import Session

from duban.errors import DubanError
from duban.ledger import service
from duban.ledger.models import Person
from duban.web import actions, queries
from duban.web.auth import DB, require_office, require_user
from duban.web.forms import form_values
from duban.web.schemas import document_out
from duban.web.templating import flash
from duban.web.validate import IdPath, OffsetQuery
from duban.web.views.common import negotiate, pager, redirect, render

router = APIRouter(include_in_schema=False)
RESULT_TEXT = {"new": "已导入", "merged": "已合并为新版本", "unchanged": "文件未变化，无需重复导入"}


PAGE = 50


def _list_context(db: Session, offset: int = 0) -> dict:
    total, rows = queries.documents(session=db, limit=PAGE, offset=offset)
    return {"rows": rows, "nav": "documents", "error": None, "pager": pager(total, PAGE, offset)}


@router.get("/documents")
def document_list(request: Request, offset: OffsetQuery = 0, db: Session = DB,
                  person: Person = Depends(require_user)):
    context = _list_context(db, offset)
    return negotiate(request, "documents.html", context,
                     lambda: [document_out(r.doc, r.live) for r in context["rows"]])


@router.post("/documents")
def upload(request: Request, file: UploadFile = File(...), db: Session = DB,
           person: Person = Depends(require_office)):
    try:
        result = actions.upload_document(request, file, db=db, person=person)
    except DubanError as e:
        # The list again with the reason on one line, under the error's own status.
        db.rollback()
        context = {**_list_context(db), "error": f"文件无法导入：{e}"}
        return render(request, "documents.html", context, status=e.http_status)
    flash(request, f"{result.name}：{RESULT_TEXT[result.status]}（{_summary(result)}）")
    return redirect(f"/documents/{result.document_id}")


def _summary(result) -> str:
    if result.status == "merged":
        return (f"第{result.version}版，新增 {result.added} 项，更新 {result.updated} 项，"
                f"撤销 {result.withdrawn} 项，保留 {result.kept} 项")
    return f"共 {result.tasks} 项任务"


@router.get("/documents/{doc_id}")
def review(request: Request, doc_id: IdPath, task: int | None = None, db: Session = DB,
           person: Person = Depends(require_user)):
    """Source text beside the extracted rows; every row editable where the person may."""
    doc = service.get_document(doc_id, session=db)
    tasks = queries.document_tasks(doc_id, session=db)
    lines = doc.text.split("\n") if doc.text else []
    covered: set[int] = set()
    for t in tasks:
        covered.update(range(t.line, (t.end_line or t.line) + 1))
    context = {
        "doc": doc, "lines": lines, "tasks": tasks, "covered": covered, "selected": task,
        "forms": {t.id: form_values(t) for t in tasks}, "nav": "documents",
        "newer": queries.latest_version(doc, session=db), "today": request.app.state.config.today(),
    }
    return render(request, "review.html", context)
