"""指标测评 pages: enter observations, see the DTF ranking, dimension scores, gaps to
the frontier, charts, and the ledger tasks that move an indicator.

Mount it from duban/web/app.py with `from duban.indicators import views;
views.install(app)` after the app's templates exist: it adds this package's
templates folder to the app's Jinja loader and includes the router.

    GET  /indicators?period=P[&region=R]        page (JSON with ?_format=json: the CLI contract)
    POST /indicators/observations               form: period, region, indicator, value (督办室);
                                                a registry name or alias is kept as the registry's
    GET  /indicators/chart/{overall|dimensions|gaps}.png?period=P[&region=R]
    GET  /indicators/tasks?name=N               tasks that move an indicator, with status
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.errors import InputError, NotFound
from duban.indicators import service
from duban.indicators.models import SOURCE_LABELS, Observation
from duban.indicators.registry import Registry
from duban.ledger.models import Person
from duban.web.auth import DB, require_office, require_user
from duban.web.templating import flash
from duban.web.views.common import negotiate, redirect

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
router = APIRouter(include_in_schema=False)
_RETRY = "indicator_observation_retry"  # session key: the rejected entry, refilled once


def install(app) -> None:
    from jinja2 import ChoiceLoader, FileSystemLoader

    env = app.state.templates.env
    env.loader = ChoiceLoader([env.loader, FileSystemLoader(str(TEMPLATES_DIR))])
    app.include_router(router)


def _registry() -> Registry:
    return Registry.default()


def _contract(result) -> dict:
    from duban.indicators.commands import _contract as contract
    return contract(result)


@router.get("/indicators")
def indicators_page(request: Request, period: str = "", region: str | None = None,
                    db: Session = DB, person: Person = Depends(require_user)):
    reg = _registry()
    result = service.score_period(period, session=db, registry=reg)
    periods = sorted(db.scalars(select(Observation.period).distinct()))
    regions = [r.region for r in result.overall]
    chosen = region if region in regions else (regions[-1] if regions else None)
    context = {"nav": "indicators", "result": result, "period": period, "periods": periods,
               "region": chosen, "gaps": result.gaps(chosen) if chosen else [],
               "dimensions": result.dimensions(), "registry": reg,
               "observations": service.list_observations(session=db, period=period),
               "source_labels": SOURCE_LABELS, "retry": request.session.pop(_RETRY, None) or {}}
    return negotiate(request, "indicators.html", context, lambda: _contract(result))


@router.post("/indicators/observations")
def add_observation(request: Request, period: str = Form(""), region: str = Form(...),
                    indicator: str = Form(...), value: str = Form(...), db: Session = DB,
                    person: Person = Depends(require_office)):
    # A registry name or alias is stored under the registry's name (and unit), so that
    # 开办时间 typed for one region and 企业开办时间 for another score as one indicator.
    ind = _registry().get(indicator)
    name = ind.name if ind is not None else indicator.strip()
    period = period.strip()
    try:
        obs = service.set_observation(region, name, value.strip(), period=period, session=db,
                                      actor=person, source="web", unit=ind.unit if ind else None)
        flash(request, f"已录入：{obs.region}「{obs.indicator}」= {obs.value:g}{obs.unit or ''}"
                       + (f"（期间 {period}）" if period else ""))
    except InputError as e:
        flash(request, e.problem, "error")
        # Shown again in the form, so the person corrects the value instead of retyping all.
        request.session[_RETRY] = {"region": region, "indicator": indicator, "value": value}
    return redirect(f"/indicators?{urlencode({'period': period})}")


@router.get("/indicators/chart/{kind}.png")
def chart(kind: str, period: str = "", region: str | None = None, db: Session = DB,
          person: Person = Depends(require_user)):
    from duban.indicators import charts

    if kind not in ("overall", "dimensions", "gaps") or not charts.available():
        raise NotFound("没有这个图表")
    result = service.score_period(period, session=db, registry=_registry())
    if not result.overall:
        raise NotFound("该期间没有可计分的观测值")
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "c.png"
        if kind == "overall":
            charts.bar_overall(result, p)
        elif kind == "dimensions":
            charts.radar(result, p)
        else:
            charts.gap_bars(result, region or result.overall[-1].region, p)
        return Response(p.read_bytes(), media_type="image/png")


@router.get("/indicators/tasks")
def indicator_tasks(request: Request, name: str = Query(..., min_length=1), db: Session = DB,
                    person: Person = Depends(require_user)):
    reg = _registry()
    tasks = service.tasks_for_indicator(name, session=db, registry=reg)
    ind = reg.match(name)
    context = {"nav": "indicators", "name": ind.name if ind else name, "indicator": ind,
               "tasks": tasks}
    return negotiate(request, "indicator_tasks.html", context, lambda: [
        {"id": t.id, "text": t.text, "status": t.status,
         "deadline": t.deadline.isoformat() if t.deadline else None} for t in tasks])
