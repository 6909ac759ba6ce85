"""跨地区检索与对比 pages and JSON.

Mount from duban/web/app.py by adding to PAGE_MODULES
    ("duban.compare.views", ("/search", "跨地区检索", "search"))
(install(app) adds this package's templates folder to the app's Jinja loader
and includes the router). Every page also answers JSON (?_format=json).

    GET /api/search?q=&region=&year=&issuer=&unit=&status=&limit=&offset=&documents=
    GET /api/similar/{task_id}?k=
    GET /api/compare?a=&b=&threshold=
    GET /api/reforms/matrix
    GET /search   /similar/{task_id}   /compare?a=&b=   /reforms   /reforms/matrix.xlsx
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask

from duban.compare import export, reforms, search as search_mod, service, similar as similar_mod
from duban.errors import DubanError
from duban.ledger.models import Document, Person
from duban.web.auth import DB, require_user
from duban.web.views.common import negotiate

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["compare"])


def install(app) -> None:
    from jinja2 import ChoiceLoader, FileSystemLoader

    env = app.state.templates.env
    env.loader = ChoiceLoader([env.loader, FileSystemLoader(str(TEMPLATES_DIR))])
    app.include_router(api)
    app.include_router(router)


def _filters(region, year, issuer, unit, status) -> search_mod.Filters:
    return search_mod.Filters(region=region or None, year=year or None, issuer=issuer or None,
                              unit=unit or None, status=status or None)


def _run_search(db: Session, q, filters, limit, offset, documents: bool = True) -> dict:
    started = time.perf_counter()
    result = search_mod.search(q, session=db, filters=filters, limit=limit, offset=offset,
                               documents=documents)
    payload = result.to_json()
    payload["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return payload


@api.get("/search")
def api_search(q: str = "", region: str = "", year: str = "", issuer: str = "", unit: str = "",
               status: str = "", limit: str = "20", offset: str = "0", documents: bool = True,
               db: Session = DB, person: Person = Depends(require_user)):
    """Tasks (and documents) matching every term of q, best first, with <mark> snippets."""
    return _run_search(db, q, _filters(region, year, issuer, unit, status), limit, offset,
                       documents)


@api.get("/similar/{task_id}")
def api_similar(task_id: int, k: int = 10, db: Session = DB,
                person: Person = Depends(require_user)):
    return similar_mod.similar(task_id, session=db, k=k).to_json()


@api.get("/compare")
def api_compare(a: str = "", b: str = "", threshold: float = service.THRESHOLD, db: Session = DB,
                person: Person = Depends(require_user)):
    return service.compare_documents(a, b, session=db, threshold=threshold).to_json()


@api.get("/reforms/matrix")
def api_matrix(db: Session = DB, person: Person = Depends(require_user)):
    return reforms.matrix(db).to_json()


# ---- pages ------------------------------------------------------------------------

@router.get("/search")
def search_page(request: Request, q: str = "", region: str = "", year: str = "",
                issuer: str = "", unit: str = "", status: str = "", limit: str = "20",
                offset: str = "0", db: Session = DB, person: Person = Depends(require_user)):
    form = {"q": q, "region": region, "year": year, "issuer": issuer, "unit": unit,
            "status": status}
    context = {"nav": "search", "form": form, "result": None, "error": None}
    status_code = 200
    if q.strip():
        try:
            context["result"] = _run_search(db, q, _filters(region, year, issuer, unit, status),
                                            limit, offset)
        except DubanError as e:
            context["error"], status_code = str(e), e.http_status
    return negotiate(request, "compare_search.html", context,
                     lambda: context["result"] or {"error": context["error"]}, status_code)


@router.get("/similar/{task_id}")
def similar_page(request: Request, task_id: int, k: int = 10, db: Session = DB,
                 person: Person = Depends(require_user)):
    result = similar_mod.similar(task_id, session=db, k=k)
    return negotiate(request, "compare_similar.html", {"nav": "search", "result": result},
                     result.to_json)


def _document_choices(db: Session) -> list[tuple[int, str]]:
    return [(i, n) for i, n in db.execute(select(Document.id, Document.name).order_by(Document.name))]


@router.get("/compare")
def compare_page(request: Request, a: str = "", b: str = "", threshold: float = service.THRESHOLD,
                 db: Session = DB, person: Person = Depends(require_user)):
    context = {"nav": "search", "a": a, "b": b, "threshold": threshold, "result": None,
               "error": None, "documents": _document_choices(db)}
    status_code = 200
    if a and b:
        try:
            context["result"] = service.compare_documents(a, b, session=db, threshold=threshold)
        except DubanError as e:
            context["error"], status_code = str(e), e.http_status
    return negotiate(request, "compare_docs.html", context,
                     lambda: context["result"].to_json() if context["result"]
                     else {"error": context["error"]}, status_code)


@router.get("/reforms")
def matrix_page(request: Request, db: Session = DB, person: Person = Depends(require_user)):
    m = reforms.matrix(db)
    return negotiate(request, "compare_matrix.html",
                     {"nav": "search", "matrix": m, "label": export.cell_label}, m.to_json)


@router.get("/reforms/matrix.xlsx")
def matrix_xlsx(db: Session = DB, person: Person = Depends(require_user)):
    m = reforms.matrix(db)
    tmp = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)
    tmp.close()
    export.write_xlsx(m, tmp.name)
    return FileResponse(tmp.name, filename="改革事项采用矩阵.xlsx",
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        background=BackgroundTask(Path(tmp.name).unlink, missing_ok=True))
