"""Helpers shared by the page modules."""

from __future__ import annotations

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, RedirectResponse

from duban.web.errors import wants_json


def render(request: Request, name: str, context: dict, status: int = 200):
    return request.app.state.templates.TemplateResponse(request, name, context, status_code=status)


def negotiate(request: Request, name: str, context: dict, payload, status: int = 200):
    """Datasette-style: the page's data as JSON when the client asks for it
    (Accept: application/json or ?_format=json), the HTML page otherwise.
    `payload` is a callable so pages do not build JSON nobody asked for."""
    if wants_json(request):
        return JSONResponse(jsonable_encoder(payload()), status_code=status)
    return render(request, name, context, status)


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def pager(total: int, limit: int, offset: int) -> dict:
    """Page numbers for the pagination bar."""
    pages = max(1, -(-total // limit))
    current = offset // limit + 1
    return {"total": total, "limit": limit, "offset": offset, "pages": pages, "current": current,
            "prev": (current - 2) * limit if current > 1 else None,
            "next": current * limit if current < pages else None,
            "first_row": offset + 1 if total else 0, "last_row": min(offset + limit, total)}
