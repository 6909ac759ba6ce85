"""台账 (the filtered ledger), the task page with its history, corrections
from the edit form, and the Excel export/import."""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Request, UploadFile
from sqlalchemy.orm import Session

from duban.errors import DubanError
from duban.ledger import service
from duban.ledger.models import Person
from duban.web import actions, queries
from duban.web.auth import DB, require_user, require_writer
from duban.web.errors import safe_next
from duban.web.forms import changed_fields, form_values
from duban.web.schemas import task_detail, task_out
from duban.web.templating import flash
from duban.web.validate import IdPath, OffsetQuery
from duban.web.views.common import negotiate, pager, redirect, render

router = APIRouter(include_in_schema=False)


def _ledger_context(request: Request, db: Session, filters: dict, offset: int,
                    error: str | None = None) -> dict:
    limit = request.app.state.config.page_size
    total, tasks = 0, []
    if error is None:
        try:
            total, tasks = actions.page_of_tasks(db, filters, limit, offset)
        except DubanError as e:  # an unknown unit or a bad date: say so above an empty table
            error = str(e)
    return {"tasks": tasks, "filters": filters, "pager": pager(total, limit, offset),
            "all_units": service.list_units(session=db), "doc_names": queries.document_names(session=db),
            "error": error, "nav": "tasks", "today": request.app.state.config.today(),
            "urgency": queries.urgency}


@router.get("/tasks")
def ledger(request: Request, offset: OffsetQuery = 0, filters: dict = Depends(actions.task_filters),
           db: Session = DB, person: Person = Depends(require_user)):
    context = _ledger_context(request, db, filters, offset)
    if context["error"]:
        return render(request, "tasks.html", context, status=400)
    return negotiate(request, "tasks.html", context, lambda: {
        "total": context["pager"]["total"], "limit": context["pager"]["limit"], "offset": offset,
        "tasks": [task_out(t) for t in context["tasks"]]})


@router.get("/tasks.xlsx")
def export(filters: dict = Depends(actions.task_filters), db: Session = DB,
           person: Person = Depends(require_user)):
    return actions.export_response(db, filters)


@router.post("/tasks/import-xlsx")
def import_xlsx(request: Request, file: UploadFile = File(...), db: Session = DB,
                person: Person = Depends(require_writer)):
    try:
        result = actions.import_workbook(request, file, db=db, person=person)
    except DubanError as e:
        db.rollback()
        context = _ledger_context(request, db, actions.NO_FILTERS, 0,
                                  error=f"Excel 导入失败，未做任何修改：{e}")
        return render(request, "tasks.html", context, status=e.http_status)
    flash(request, f"Excel 导入完成：读取 {result.rows} 行，{result.tasks_changed} 项任务有修改，"
                   f"共记录 {result.changes} 处修改")
    return redirect("/tasks")


def _task_context(request: Request, db: Session, task_id: int, error: str | None = None,
                  form: dict | None = None) -> dict:
    task = service.get_task(task_id, session=db)
    doc = service.get_document(task.document_id, session=db)
    lines = doc.text.split("\n") if doc.text else []
    first = max(1, task.line - 2)
    excerpt = [(n, lines[n - 1]) for n in range(first, min(len(lines), (task.end_line or task.line) + 2) + 1)]
    return {"task": task, "doc": doc, "excerpt": excerpt, "error": error, "nav": "tasks",
            "form": form or form_values(task), "history": service.history("task", task_id, session=db),
            "doc_names": queries.document_names(session=db),
            "urgency": queries.urgency(task, request.app.state.config.today())}


@router.get("/tasks/{task_id}")
def task_page(request: Request, task_id: IdPath, db: Session = DB, person: Person = Depends(require_user)):
    context = _task_context(request, db, task_id)
    return negotiate(request, "task.html", context,
                     lambda: task_detail(context["task"], context["doc"].name, context["history"]))


async def form_data(request: Request) -> dict:
    """The posted form as a dict (already parsed and cached by the CSRF check)."""
    return dict(await request.form())


@router.post("/tasks/{task_id}")
def save_task(request: Request, task_id: IdPath, form: dict = Depends(form_data), db: Session = DB,
              person: Person = Depends(require_writer)):
    """A correction from the review page or the task page: only the fields the
    person changed, through update_task (permission check + history)."""
    changes = changed_fields(form)
    try:
        rows = actions.edit_task(task_id, changes, db=db, person=person, source="web",
                                 reason=form.get("reason"))
    except DubanError as e:
        db.rollback()
        # The task page with the reason and the person's input kept, under the error's status.
        task = service.get_task(task_id, session=db)
        context = _task_context(request, db, task_id, error=str(e),
                                form={**form_values(task), **changes})
        return render(request, "task.html", context, status=e.http_status)
    flash(request, f"已保存任务 {task_id} 的 {len(rows)} 处修改" if rows else "没有需要保存的修改")
    return redirect(safe_next(form.get("next"), f"/tasks/{task_id}"))
