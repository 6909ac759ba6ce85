"""Errors to responses. A user's mistake (DubanError) is one clear line with its
own HTTP status: JSON `{"error": …}` for the API and scripts, a page for
browsers. Anything else is a bug: logged with its traceback, answered 500."""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from duban.errors import DubanError
from duban.web.auth import NotAuthenticated

log = logging.getLogger("duban.web")
HTTP_MESSAGES = {404: "页面不存在", 405: "不支持该请求方法", 400: "请求无效"}


def wants_json(request: Request) -> bool:
    """API paths, bearer scripts and clients that ask for JSON get JSON."""
    if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
        return True
    if request.headers.get("authorization"):
        return True
    if request.query_params.get("_format") == "json":
        return True
    accept = request.headers.get("accept", "")
    return accept.startswith("application/json")


def safe_next(target: str | None, default: str = "/") -> str:
    """Only local paths: a login link must not bounce a user to another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def error_response(request: Request, message: str, status: int, headers: dict | None = None):
    if wants_json(request):
        return JSONResponse({"error": message}, status_code=status, headers=headers)
    templates = request.app.state.templates
    return templates.TemplateResponse(request, "error.html", {"message": message, "status": status},
                                      status_code=status, headers=headers)


async def on_duban_error(request: Request, exc: DubanError):
    if isinstance(exc, NotAuthenticated):
        return _unauthenticated(request, exc)
    return error_response(request, str(exc), exc.http_status)


def _unauthenticated(request: Request, exc: NotAuthenticated):
    if wants_json(request):
        return JSONResponse({"error": str(exc)}, status_code=401,
                            headers={"WWW-Authenticate": 'Bearer realm="duban"'})
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET":  # a form post cannot be replayed after login
        target = "/"
    url = f"/login?next={quote(target)}" + ("&expired=1" if exc.expired else "")
    return RedirectResponse(url, status_code=303)


async def on_validation_error(request: Request, exc: RequestValidationError):
    problems = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path"))
        problems.append(f"{where}: {err.get('msg')}" if where else str(err.get("msg")))
    message = "请求参数无效：" + "；".join(problems[:3])
    if wants_json(request):
        detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")}
                  for e in exc.errors()]
        return JSONResponse({"error": message, "detail": detail}, status_code=422)
    return error_response(request, message, 422)


async def on_http_error(request: Request, exc: StarletteHTTPException):
    message = HTTP_MESSAGES.get(exc.status_code) or str(exc.detail)
    return error_response(request, message, exc.status_code, getattr(exc, "headers", None))


async def on_data_error(request: Request, exc: DataError):
    """The database refused a value (too long, out of range, a NUL byte) that
    slipped past the web's own checks: the user's input, so 422, not 500."""
    log.warning("database refused a value on %s %s: %s", request.method, request.url.path,
                str(getattr(exc, "orig", exc)).splitlines()[0] if str(exc) else type(exc).__name__)
    return error_response(request, "输入的内容无效（过长、超出范围或含有非法字符）", 422)


async def on_bug(request: Request, exc: Exception):
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(request, "服务器内部错误，已记录，请联系管理员", 500)


def install(app: FastAPI) -> None:
    app.add_exception_handler(DubanError, on_duban_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(DataError, on_data_error)
    app.add_exception_handler(Exception, on_bug)
