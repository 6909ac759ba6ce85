"""Supervision pages and JSON (Datasette-style: the same view answers both).

Mount from duban/web/app.py after the app's templates exist:

    from duban.supervise import views as supervise_views
    supervise_views.install(app)

    GET  /supervise                          leader dashboard: lights per unit (JSON: ?_format=json)
    GET  /supervise/tasks/{id}               a task's reports, the report form (liaison), review (督办室)
    POST /supervise/tasks/{id}/report        multipart: progress, percent|milestone, problems, period,
                                             draft, evidence (files) — a liaison of the lead unit
    POST /supervise/reports/{id}/review      form: action=accept|return|approve, reason — 督办室
    GET  /supervise/evidence/{id}            an evidence file
    GET  /supervise/letters                  letters issued (JSON too); /supervise/letters/{id}.docx
    GET  /supervise/dispatch?cycle=P&format=html|docx|pdf   the dispatch report
    GET  /supervise/notifications            the person's unread notifications (JSON)
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, Response
from sqlalchemy.orm import Session

from duban.errors import NotFound
from duban.ledger import service as ledger
from duban.ledger.models import Person
from duban.supervise import evidence as ev
from duban.supervise import flows, lights, notify, service
from duban.supervise.models import LETTER_KINDS, REPORT_STATUS_LABELS, Letter, ProgressReport
from duban.supervise.settings import TEMPLATES_DIR, Settings
from duban.web.auth import DB, require_office, require_user, require_writer
from duban.web.templating import flash
from duban.web.views.common import negotiate, redirect

router = APIRouter(include_in_schema=False)
DOCX = ev.MEDIA_TYPES["docx"]


def install(app) -> None:
    """Add this package's templates to the app's loader and include the router."""
    from jinja2 import ChoiceLoader, FileSystemLoader

    env = app.state.templates.env
    env.loader = ChoiceLoader([env.loader, FileSystemLoader(str(TEMPLATES_DIR))])
    env.globals.setdefault("LIGHTS", lights.LIGHTS)
    env.globals.setdefault("REPORT_STATUS_LABELS", REPORT_STATUS_LABELS)
    if not hasattr(app.state, "supervise_settings"):
        app.state.supervise_settings = Settings.from_env()
    app.include_router(router)


def _settings(request: Request) -> Settings:
    return request.app.state.supervise_settings


def _today(request: Request):
    return request.app.state.config.today()


@router.get("/supervise")
def dashboard(request: Request, db: Session = DB, person: Person = Depends(require_user)):
    rows = lights.unit_counts(_today(request), session=db)
    context = {"nav": "supervise", "rows": rows, "lights": lights.LIGHTS, "today": _today(request),
               "order": lights.LIGHT_ORDER}
    return negotiate(request, "supervise_dashboard.html", context,
                     lambda: {"today": _today(request), "units": [r.as_dict() for r in rows]})


def _report_out(r: ProgressReport) -> dict:
    return {"id": r.id, "task_id": r.task_id, "period": r.cycle.period, "unit": r.unit.name,
            "status": r.status, "status_label": REPORT_STATUS_LABELS[r.status],
            "progress": r.progress, "percent": r.percent, "milestone": r.milestone,
            "problems": r.problems, "revision": r.revision, "review_note": r.review_note,
            "submitted_at": r.submitted_at,
            "contributions": [{"unit": c.unit.name, "text": c.text} for c in r.contributions],
            "evidence": [{"id": e.id, "filename": e.filename, "kind": e.kind, "size": e.size,
                          "sha256": e.sha256} for e in r.evidence]}


@router.get("/supervise/tasks/{task_id}")
def task_reports(request: Request, task_id: int, db: Session = DB,
                 person: Person = Depends(require_user)):
    task = ledger.get_task(task_id, session=db)
    reports = [r for r in service.list_reports(session=db) if r.task_id == task_id]
    light = lights.task_lights([task_id], _today(request), session=db).get(task_id)
    slot = service.report_slot(task, person, _today(request), session=db) \
        if person.role == "liaison" else None
    context = {"nav": "supervise", "task": task, "reports": reports, "light": light, "slot": slot,
               "can_review": person.role == "office"}
    return negotiate(request, "supervise_task.html", context, lambda: {
        "task_id": task_id, "light": light, "light_label": lights.LIGHTS.get(light),
        "reports": [_report_out(r) for r in reports]})


@router.post("/supervise/tasks/{task_id}/report")
async def submit(request: Request, task_id: int, progress: str = Form(""),
                 percent: str = Form(""), milestone: str = Form(""), problems: str = Form(""),
                 period: str = Form(""), draft: str = Form(""),
                 evidence: list[UploadFile] = File(default=[]), db: Session = DB,
                 person: Person = Depends(require_writer)):
    files = [(f.filename or "证明材料", await f.read()) for f in evidence if f.filename]
    cfg = request.app.state.config
    report = service.submit_report(task_id, session=db, actor=person, today=cfg.today(),
                                   now=cfg.now(), settings=_settings(request), progress=progress,
                                   percent=percent or None, milestone=milestone or None,
                                   problems=problems, period=period or None, evidence=files,
                                   draft=bool(draft))
    db.refresh(report)
    return _after(request, report, f"已{'保存草稿' if draft else '报送'}（{report.cycle.period}）")


@router.post("/supervise/reports/{report_id}/review")
def review(request: Request, report_id: int, action: str = Form(...), reason: str = Form(""),
           db: Session = DB, person: Person = Depends(require_office)):
    report = service.review_report(report_id, action, session=db, actor=person,
                                   now=request.app.state.config.now(), reason=reason)
    return _after(request, report, f"进展报告 {report.id}：{REPORT_STATUS_LABELS[report.status]}")


def _after(request: Request, report: ProgressReport, message: str):
    from duban.web.errors import wants_json

    if wants_json(request):
        from fastapi.encoders import jsonable_encoder
        from fastapi.responses import JSONResponse

        return JSONResponse(jsonable_encoder(_report_out(report)))
    flash(request, message)
    return redirect(f"/supervise/tasks/{report.task_id}")


@router.get("/supervise/evidence/{evidence_id}")
def evidence_file(request: Request, evidence_id: int, db: Session = DB,
                  person: Person = Depends(require_user)):
    row = service.get_evidence(evidence_id, session=db)
    path = Path(_settings(request).data_dir) / row.path
    if not path.is_file():
        raise NotFound(f"证明材料 {evidence_id} 的文件已不在存储目录中")
    return FileResponse(path, media_type=ev.MEDIA_TYPES[row.kind], filename=row.filename)


@router.get("/supervise/letters")
def letters(request: Request, unit: str | None = None, db: Session = DB,
            person: Person = Depends(require_user)):
    unit_id = ledger.get_unit(unit, session=db).id if unit else None
    rows = flows.letters_for(session=db, unit_id=unit_id)
    context = {"nav": "supervise", "letters": rows, "kinds": LETTER_KINDS}
    return negotiate(request, "supervise_letters.html", context, lambda: [
        {"id": x.id, "number": x.number, "kind": x.kind, "kind_label": LETTER_KINDS[x.kind],
         "unit": x.unit.name, "period": x.cycle.period, "tasks": x.task_count, "cc": x.cc,
         "issued_on": x.issued_on, "reply_due": x.reply_due, "sha256": x.sha256,
         "url": f"/supervise/letters/{x.id}.docx"} for x in rows])


@router.get("/supervise/letters/{letter_id}.docx")
def letter_file(request: Request, letter_id: int, db: Session = DB,
                person: Person = Depends(require_user)):
    row = db.get(Letter, letter_id)
    path = Path(_settings(request).data_dir) / row.path if row else None
    if row is None or not path.is_file():
        raise NotFound(f"未找到函件 {letter_id}")
    return FileResponse(path, media_type=DOCX, filename=path.name)


@router.get("/supervise/dispatch")
def dispatch_report(request: Request, cycle: str | None = None, format: str = "html",
                    db: Session = DB, person: Person = Depends(require_user)):
    from duban.supervise import dispatch, render

    data = dispatch.build(session=db, period=cycle, today=_today(request),
                          settings=_settings(request))
    if format == "html":
        pngs, warnings = render.charts.all_charts(data)
        return HTMLResponse(render.html(data, pngs))
    if format not in ("docx", "pdf"):
        raise NotFound("格式应为 html、docx 或 pdf")
    with tempfile.TemporaryDirectory() as tmp:
        out = render.write(data, Path(tmp) / f"dispatch.{format}")
        body = out.read_bytes()
    media = DOCX if format == "docx" else "application/pdf"
    name = f"dispatch-{data.period}.{format}"
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/supervise/notifications")
def notifications(request: Request, db: Session = DB, person: Person = Depends(require_user)):
    rows = notify.unread(person.id, session=db)
    return [{"id": n.id, "title": n.title, "body": n.body, "letter_id": n.letter_id,
             "created_at": n.created_at} for n in rows]
