"""Jinja2 set-up: filters that show ledger values the way offices write them,
and the globals every page needs (current user, CSRF token, flash messages)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates

from duban.ledger.fields import FIELD_LABELS
from duban.ledger.models import PERSON_ROLE_LABELS, ROLE_LABELS, STATUS_LABELS
from duban.web.auth import can_edit, csrf_token
from duban.web.config import CHINA_TZ, size_label

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
SOURCE_LABELS = {"import": "导入", "web": "网页", "api": "接口", "xlsx": "Excel 导入",
                 "cli": "命令行", "demo": "演示"}
ENTITY_LABELS = {"task": "任务", "unit": "单位", "document": "文件", "person": "人员", "api_token": "令牌"}
HISTORY_FIELD_LABELS = {**FIELD_LABELS, "document_id": "来源文件", "alias": "别名", "password": "密码"}


def flash(request: Request, text: str, kind: str = "ok") -> None:
    """A one-line message for the next page shown (kept in the session cookie)."""
    request.session.setdefault("flash", [])
    request.session["flash"] = [*request.session["flash"], {"kind": kind, "text": text}][-5:]


def _context(request: Request) -> dict:
    user = getattr(request.state, "user", None)
    return {
        "user": user,
        "csrf_token": lambda: csrf_token(request),
        "take_flashes": lambda: request.session.pop("flash", []),
        "today": request.app.state.config.today(),
        "as_of": request.app.state.config.as_of,
        "can_edit": lambda task: can_edit(user, task),
        "upload_limit": size_label(request.app.state.config.max_upload_bytes),
    }


def fmt_date(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.isoformat()


def fmt_time(value: dt.datetime | None) -> str:
    """UTC timestamps shown in Beijing time."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")


def deadline_label(task) -> str:
    """What the 完成时限 column shows: the date, else the words (长期推进…)."""
    if task.deadline is not None:
        return task.deadline.isoformat()
    if task.ongoing:
        return task.deadline_text or "长期推进"
    return task.deadline_text or "未明确"


def history_value(change, which: str) -> str:
    """A change's old/new value as a person reads it (status codes as 未开始…)."""
    value = getattr(change, which)
    if value is None:
        return ""
    if change.field == "status":
        return STATUS_LABELS.get(value, value)
    if change.field in ("ongoing", "withdrawn"):
        return {"true": "是", "false": "否"}.get(value, value)
    return value


def capped(n: int, cap: int | None = None) -> str:
    """A count that stopped at its cap shows as 9999+ (see queries.COUNT_CAP)."""
    from duban.web.queries import COUNT_CAP

    cap = cap or COUNT_CAP
    return f"{cap}+" if n > cap else str(n)


def query(params: dict, **changes) -> str:
    """The current filters with some changed, as a query string (pagination links)."""
    merged = {k: v for k, v in {**params, **changes}.items() if v not in (None, "")}
    return urlencode(merged)


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR), context_processors=[_context])
    env = templates.env
    env.filters.update(date=fmt_date, time=fmt_time, deadline=deadline_label,
                       history_value=history_value, capped=capped)
    env.globals.update(STATUS_LABELS=STATUS_LABELS, ROLE_LABELS=ROLE_LABELS,
                       PERSON_ROLE_LABELS=PERSON_ROLE_LABELS, FIELD_LABELS=HISTORY_FIELD_LABELS,
                       SOURCE_LABELS=SOURCE_LABELS, ENTITY_LABELS=ENTITY_LABELS, query=query)
    env.trim_blocks = env.lstrip_blocks = True
    return templates
