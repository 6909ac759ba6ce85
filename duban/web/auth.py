"""Who is asking, and may they? Dependencies for every route.

Two ways in:
* a browser session: a signed cookie (Starlette SessionMiddleware, itsdangerous)
  holding the person's id, the login time and a per-session CSRF token. It
  expires `session_max_age` after login; the login time is also checked against
  the injected clock so expiry gives a clear "登录已过期" rather than silence.
* a script: `Authorization: Bearer <token>` (tokens from `duban user token`).
  A request carrying that header is judged by the token alone and never by the
  cookie, which is why bearer requests need no CSRF token: a cross-site form
  cannot set the header.

Every unsafe method (POST/PATCH/PUT/DELETE) authenticated by the session must
carry the session's CSRF token, in the `csrf_token` form field or the
`X-CSRF-Token` header; `require_user` checks it before the view runs, so a
forged request changes nothing."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Iterator

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from duban.errors import DubanError, PermissionDenied
from duban.ledger import service
from duban.ledger.models import Person

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
WRITER_ROLES = ("office", "liaison")


@dataclass(frozen=True)
class Viewer:
    """What pages show of the logged-in person: a plain snapshot, so an error
    page rendered after the database session has ended can still show it.
    Has the attributes service.check_can_edit() reads."""

    id: int
    username: str
    display_name: str
    role: str
    unit_id: int | None
    unit_name: str | None
    active: bool

    @classmethod
    def of(cls, person: Person) -> "Viewer":
        return cls(person.id, person.username, person.display_name or person.username, person.role,
                   person.unit_id, person.unit.name if person.unit else None, person.active)


class NotAuthenticated(DubanError):
    """No valid session or token: the API answers 401, pages send the browser to /login."""

    http_status = 401

    def __init__(self, message: str = "请先登录", expired: bool = False):
        super().__init__(message)
        self.expired = expired


class CsrfFailed(PermissionDenied):
    def __init__(self):
        super().__init__("表单已失效（CSRF 校验失败），请刷新页面后重试")


def get_db(request: Request) -> Iterator[Session]:
    """One session per request: committed after the view returns, rolled back
    if it raises. Views may commit early (before a flow opens its own transaction)."""
    session = request.app.state.session_factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# scope="function": the commit happens before the response is sent, so a client
# that sees 200 can rely on the write being there.
DB = Depends(get_db, scope="function")


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use (the login page makes it
    for anonymous visitors, so the login form is protected too)."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def check_csrf(request: Request) -> None:
    """Raise CsrfFailed unless an unsafe request carries the session's token.
    Exempt: requests already authenticated by a bearer token (optional_user)."""
    if request.method in SAFE_METHODS or getattr(request.state, "auth", None) == "bearer":
        return
    expected = request.session.get("csrf")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and _is_form(request):
        sent = (await request.form()).get(CSRF_FIELD)
    if not expected or not isinstance(sent, str) or not secrets.compare_digest(sent, expected):
        raise CsrfFailed()


def _is_form(request: Request) -> bool:
    ctype = request.headers.get("content-type", "")
    return ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def optional_user(request: Request, db: Session = DB) -> Person | None:
    """The person behind the request, or None. A bad token is an error, not anonymity."""
    token = _bearer(request)
    if token is not None:
        person = service.verify_token(token, session=db) if token else None
        if person is None:
            raise NotAuthenticated("令牌无效或已吊销")
        request.state.auth = "bearer"
        request.state.user = Viewer.of(person)
        return person
    request.state.auth = None
    request.state.user = None
    uid = request.session.get("uid")
    if uid is None:
        if _had_session_cookie(request):
            request.state.session_expired = True
        return None
    cfg = request.app.state.config
    login_at = request.session.get("login_at", 0)
    person = db.get(Person, uid) if isinstance(uid, int) else None
    if cfg.now().timestamp() - login_at > cfg.session_max_age or person is None or not person.active:
        request.session.clear()
        request.state.session_expired = True
        return None
    request.state.auth = "session"
    request.state.user = Viewer.of(person)
    return person


def _had_session_cookie(request: Request) -> bool:
    """A cookie arrived but no login came out of it: expired or tampered with."""
    return request.app.state.session_cookie in request.cookies and not request.session.get("csrf")


async def require_user(request: Request, person: Person | None = Depends(optional_user)) -> Person:
    """A logged-in person; on unsafe methods also a valid CSRF token."""
    if person is None:
        expired = getattr(request.state, "session_expired", False)
        raise NotAuthenticated("登录已过期，请重新登录" if expired else "请先登录", expired=expired)
    await check_csrf(request)
    return person


def require_writer(person: Person = Depends(require_user)) -> Person:
    """Office or liaison: the roles that may change tasks (the service then
    checks a liaison's unit task by task)."""
    if person.role not in WRITER_ROLES:
        raise PermissionDenied("当前角色只能查看，无修改权限")
    return person


def require_office(person: Person = Depends(require_user)) -> Person:
    if person.role != "office":
        raise PermissionDenied("仅督办室可以执行此操作")
    return person


def can_edit(person: Person | None, task) -> bool:
    """For templates: whether to show the edit form (the service decides on save)."""
    if person is None:
        return False
    try:
        service.check_can_edit(person, task)
    except PermissionDenied:
        return False
    return True


def log_in(request: Request, person: Person) -> None:
    """A fresh session (new CSRF token: no fixation of a token seen before login)."""
    request.session.clear()
    request.session["uid"] = person.id
    request.session["login_at"] = int(request.app.state.config.now().timestamp())
    request.session["csrf"] = secrets.token_urlsafe(32)


def log_out(request: Request) -> None:
    request.session.clear()
