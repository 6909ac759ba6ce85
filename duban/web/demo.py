"""`duban demo`: a ledger built from our own sample plan, with a person of
every role, so the app can be tried in a minute.

The plan is imported through the same flow as `duban import`: first the .txt,
then the .docx of the same plan (same 文号), which the ledger recognises as a
revised version and merges; the .docx carries an appendix table with six more
tasks, so the demo also shows a merge."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

import duban
from duban import db
from duban.errors import DubanError
from duban.ledger import flows, service
from duban.ledger.models import Document

DEMO_DB = "duban-demo.db"
# The sample plan runs through 2025: mid-July of that year shows every light a
# real office sees (June deadlines overdue, July's due soon, the rest on track),
# however long after 2025 the demo is started.
DEMO_TODAY = dt.date(2025, 7, 15)
SAMPLE_FILES = ("sample_plan.txt", "sample_plan.docx")
# (username, display name, role, unit)
DEMO_PEOPLE = (
    ("admin", "督办室管理员", "office", None),
    ("scjg", "市场监管局联络员", "liaison", "市市场监管局"),
    ("leader", "分管领导", "leader", None),
    ("viewer", "查阅人员", "viewer", None),
)
# A little progress, so the 台账 and the unit page are not all 未开始.
DEMO_PROGRESS = (
    ("深化企业开办", "in_progress", "已完成“一件事”集成办理系统联调，5月上线试运行。"),
    ("落实减税降费政策", "in_progress", "一季度已精准推送政策 1.2 万户次。"),
    ("推进政务诚信建设", "done", "失信责任追究办法已印发。"),
)


@dataclass
class DemoLogin:
    username: str
    password: str
    role: str
    unit: str | None


@dataclass
class Demo:
    url: str
    logins: list[DemoLogin] = field(default_factory=list)
    token: str = ""
    summaries: list[str] = field(default_factory=list)


def samples_dir() -> Path:
    """samples/ next to the installed package (an editable install of the repo)."""
    path = Path(duban.__file__).resolve().parent.parent / "samples"
    if not (path / SAMPLE_FILES[0]).is_file():
        raise DubanError(f"demo needs the sample plans in {path} (samples/{SAMPLE_FILES[0]}); "
                         "run duban from a checkout of the repository (pip install -e .)")
    return path


def prepare_database(option: str | None) -> str:
    """The demo database URL, emptied and migrated. A SQLite file is recreated;
    another database is only used when it holds no documents yet."""
    url = db.resolve_url(option or DEMO_DB)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        db.get_engine.cache_clear()
        path = Path(parsed.database)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    db.upgrade(url)
    with db.session_scope(db.session_factory(url)) as session:
        if session.scalar(select(func.count()).select_from(Document)):
            raise DubanError(f"{parsed.render_as_string(hide_password=True)} already holds documents; "
                             "the demo only fills an empty database (or a SQLite file it recreates)")
    return url


def build_demo(url: str, *, passwords: dict[str, str] | None = None) -> Demo:
    """Import the sample plan and create the demo people (random passwords
    unless given, e.g. by tests). `url` must be migrated and empty."""
    sf = db.session_factory(url)
    demo = Demo(url=url)
    folder = samples_dir()
    for name in SAMPLE_FILES:
        path = folder / name
        if path.is_file():
            result = flows.import_document(path, session_factory=sf, actor="demo")
            demo.summaries.append(f"{name}: {result.summary()}")
    with db.session_scope(sf) as session:
        for username, display, role, unit in DEMO_PEOPLE:
            password = (passwords or {}).get(username) or secrets.token_urlsafe(9)
            service.create_person(username, session=session, role=role, unit=unit, password=password,
                                  display_name=display, actor="demo", source="demo")
            demo.logins.append(DemoLogin(username, password, role, unit))
        demo.token = service.create_token("admin", session=session, actor="demo", source="demo")
        _add_progress(session)
    return demo


def _add_progress(session) -> None:
    for prefix, status, progress in DEMO_PROGRESS:
        task = next(iter(service.list_tasks(session=session, q=prefix, limit=1)), None)
        if task is not None:
            service.update_task(task.id, {"status": status, "progress": progress}, session=session,
                                actor="demo", source="demo", reason="演示数据")
