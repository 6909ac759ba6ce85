"""Login, logout and the landing page."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from sqlalchemy.orm import Session

from duban.ledger import service
from duban.ledger.models import Person
from duban.web.auth import DB, check_csrf, log_in, log_out, optional_user, require_user
from duban.web.errors import safe_next
from duban.web.templating import flash
from duban.web.views.common import redirect, render

router = APIRouter(include_in_schema=False)


def home_for(person: Person) -> str:
    """A liaison lands on what their unit owes; everyone else on the 台账."""
    if person.role == "liaison" and person.unit_id:
        return f"/units/{person.unit_id}"
    return "/tasks"


@router.get("/")
def home(person: Person = Depends(require_user)):
    return redirect(home_for(person))


@router.get("/login")
def login_page(request: Request, next: str | None = None, expired: bool = False,
               person: Person | None = Depends(optional_user)):
    if person is not None:
        return redirect(safe_next(next, home_for(person)))
    message = "登录已过期，请重新登录" if expired else None
    return render(request, "login.html", {"next": safe_next(next, ""), "error": message,
                                          "username": ""})


@router.post("/login", dependencies=[Depends(check_csrf)])
def login(request: Request, username: str = Form(""), password: str = Form(""),
          next: str = Form(""), db: Session = DB):
    # Sync on purpose: argon2 takes tens of milliseconds and must not block the event loop.
    valid = "\x00" not in username + password
    person = service.authenticate(username, password, session=db) if valid else None
    if person is None:
        return render(request, "login.html", {"next": safe_next(next, ""), "username": username,
                                              "error": "用户名或密码错误"}, status=401)
    log_in(request, person)
    return redirect(safe_next(next, home_for(person)))


@router.post("/logout")
def logout(request: Request, person: Person = Depends(require_user)):
    log_out(request)
    flash(request, "已退出登录")
    return redirect("/login")
