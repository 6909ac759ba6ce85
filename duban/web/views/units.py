"""单位: every unit with what it owes, and one unit's page ("what my unit
owes, by when") ordered by deadline through the unit's own index."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from duban.errors import NotFound
from duban.ledger import service
from duban.ledger.models import Person
from duban.web import actions, queries
from duban.web.auth import DB, require_user
from duban.web.schemas import task_out, unit_out
from duban.web.validate import IdPath, OffsetQuery, no_nul
from duban.web.views.common import negotiate, pager, redirect

router = APIRouter(include_in_schema=False)
SHOW = {"open": "未完成", "all": "全部", "done": "已完成"}


@router.get("/units")
def unit_list(request: Request, q: str | None = None, offset: OffsetQuery = 0, db: Session = DB,
              person: Person = Depends(require_user)):
    limit = 50  # each row counts a unit's tasks: a page, not the whole registry
    total, rows = queries.unit_rows(session=db, today=request.app.state.config.today(),
                                    q=no_nul(q, "单位"), limit=limit, offset=offset)
    context = {"rows": rows, "q": q or "", "nav": "units", "pager": pager(total, limit, offset)}
    return negotiate(request, "units.html", context, lambda: [unit_out(r) for r in rows])


@router.get("/my-unit")
def my_unit(person: Person = Depends(require_user)):
    if person.unit_id is None:
        raise NotFound("当前账号未关联单位")
    return redirect(f"/units/{person.unit_id}")


@router.get("/units/{unit_id}")
def unit_page(request: Request, unit_id: IdPath, show: str = Query("open", pattern="^(open|all|done)$"),
              offset: OffsetQuery = 0, db: Session = DB, person: Person = Depends(require_user)):
    cfg = request.app.state.config
    unit = service.get_unit(unit_id, session=db)
    filters = {"unit": unit.id, "status": None if show == "all" else show}
    limit = cfg.page_size  # as the 台账: fifty rows and a pager
    total, tasks = actions.page_of_tasks(db, filters, limit, offset)
    context = {"unit": unit, "tasks": tasks, "show": show, "shows": SHOW, "nav": "units",
               "counts": queries.unit_counts(unit.id, session=db, today=cfg.today()),
               "pager": pager(total, limit, offset), "urgency": queries.urgency,
               "role_of": queries.role_of, "today": cfg.today(), "mine": person.unit_id == unit.id}
    if context["mine"]:
        context["nav"] = "my-unit"
    return negotiate(request, "unit.html", context, lambda: {
        "unit": {"id": unit.id, "name": unit.name}, "counts": context["counts"], "total": total,
        "tasks": [{**task_out(t), "role": queries.role_of(t, unit.id)} for t in tasks]})
