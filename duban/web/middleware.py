"""ASGI middleware: request body limits and security headers.

The body limit sits in front of everything so an oversized upload is refused
with 413 before multipart parsing spools it to disk. Content-Length is checked
up front; a chunked body is counted as it streams and the response replaced by
413 the moment it goes over."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from duban.web.config import FORM_LIMIT, size_label

# Pages load scripts and styles only from /static: injected markup cannot run.
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]


class _TooLarge(Exception):
    pass


def too_large_message(limit: int) -> str:
    return f"文件过大：上传大小不能超过 {size_label(limit)}"


class BodyLimitMiddleware:
    """413 for bodies over the limit: the upload limit (plus room for the
    multipart envelope) for multipart forms, FORM_LIMIT for anything else."""

    def __init__(self, app: ASGIApp, upload_limit: int):
        self.app = app
        self.upload_limit = upload_limit

    def _limit(self, scope: Scope) -> int:
        ctype = _header(scope, b"content-type") or b""
        if ctype.startswith(b"multipart/form-data"):
            return self.upload_limit + 64 * 1024
        return FORM_LIMIT

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope)
        length = _header(scope, b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            await self._refuse(scope, send)
            return
        state = {"seen": 0, "over": False, "started": False}

        async def counted_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["seen"] += len(message.get("body", b""))
                if state["seen"] > limit:
                    state["over"] = True
                    raise _TooLarge()
            return message

        async def guarded_send(message: Message) -> None:
            if state["over"]:
                return  # whatever the app made of the broken body, 413 is the answer
            state["started"] = state["started"] or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except _TooLarge:
            pass
        if state["over"] and not state["started"]:
            await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        message = too_large_message(self.upload_limit)
        if scope["path"].startswith("/api/") or b"json" in (_header(scope, b"accept") or b""):
            body, ctype = json.dumps({"error": message}, ensure_ascii=False).encode(), b"application/json"
        else:
            body = (f"<!doctype html><meta charset=utf-8><title>文件过大</title>"
                    f"<p>{message}。<a href=\"/documents\">返回文件列表</a></p>").encode()
            ctype = b"text/html; charset=utf-8"
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def add_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + [
                    (k, v) for k, v in SECURITY_HEADERS if k not in present]
            await send(message)

        await self.app(scope, receive, add_headers)


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value
    return None
