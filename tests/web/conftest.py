"""A ledger with the sample plan and a person of every role, and the app on it.

Runs on SQLite and PostgreSQL through the shared `migrated_url` fixture. The
clock is fake (1 May 2025, Beijing time) so deadlines and session expiry are
deterministic; argon2 is made cheap so a hundred logins stay fast."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from argon2 import PasswordHasher

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "samples" / "sample_plan.txt"
PASSWORD = "正确的密码-123"
OWN_UNIT = "市市场监管局"
OTHER_UNIT = "市税务局"
# name -> (role, unit)
PEOPLE = {
    "office": ("office", None),
    "liaison": ("liaison", OWN_UNIT),
    "liaison_other": ("liaison", OTHER_UNIT),
    "leader": ("leader", None),
    "viewer": ("viewer", None),
}
ROLES = ["anon", *PEOPLE]
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


class FakeClock:
    """Injected into the app: tests move time instead of sleeping."""

    def __init__(self, now: dt.datetime):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += dt.timedelta(**delta)


@dataclass
class Web:
    url: str
    sf: object
    app: object
    clock: FakeClock
    tokens: dict[str, str]
    own_task: int  # led by 市市场监管局 only (推行“综合查一次”)
    other_task: int  # 市税务局's, nothing to do with 市市场监管局 (落实减税降费政策)
    ids: dict[str, int] = field(default_factory=dict)

    def task_by_text(self, prefix: str) -> int:
        from sqlalchemy import select

        from duban.ledger.models import Task

        with self.sf() as s:
            return s.scalar(select(Task.id).where(Task.text.like(prefix + "%")))


@pytest.fixture
def fast_hash(monkeypatch):
    from duban.ledger import people

    monkeypatch.setattr(people, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setattr(people, "_dummy", [])


@pytest.fixture
def web(migrated_url, fast_hash) -> Web:
    from duban import db
    from duban.ledger import flows, service
    from duban.web.app import create_app
    from duban.web.config import CHINA_TZ, WebConfig

    sf = db.session_factory(migrated_url)
    flows.import_document(SAMPLE, session_factory=sf, actor="test")
    tokens = {}
    with db.session_scope(sf) as s:
        for name, (role, unit) in PEOPLE.items():
            service.create_person(name, session=s, role=role, unit=unit, password=PASSWORD,
                                  actor="test", source="cli")
            tokens[name] = service.create_token(name, session=s, actor="test", source="cli")
    clock = FakeClock(dt.datetime(2025, 5, 1, 10, 0, tzinfo=CHINA_TZ).astimezone(dt.timezone.utc))
    cfg = WebConfig(db_url=migrated_url, secret_key="test-secret", clock=clock,
                    max_upload_bytes=256 * 1024)
    web = Web(migrated_url, sf, create_app(cfg), clock, tokens, 0, 0)
    web.own_task = web.task_by_text("推行“综合查一次”")
    web.other_task = web.task_by_text("落实减税降费政策")
    assert web.own_task and web.other_task
    return web


@pytest.fixture
def client(web):
    from fastapi.testclient import TestClient

    with TestClient(web.app, follow_redirects=False) as c:
        yield c


def csrf_of(client, path: str = "/login") -> str:
    html = client.get(path).text
    m = CSRF_RE.search(html)
    assert m, f"no CSRF token on {path}"
    return m.group(1)


def login(client, username: str, password: str = PASSWORD):
    token = csrf_of(client, "/login")
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": token})


def logged_in(web, who: str):
    """A new TestClient logged in as `who` (or anonymous for "anon")."""
    from fastapi.testclient import TestClient

    c = TestClient(web.app, follow_redirects=False)
    if who != "anon":
        r = login(c, who)
        assert r.status_code == 303, r.text
    return c


def bearer(web, who: str) -> dict:
    return {} if who == "anon" else {"Authorization": f"Bearer {web.tokens[who]}"}


def snapshot(web) -> dict:
    """Every task's editable values and the history length: 'nothing changed'."""
    from sqlalchemy import func, select

    from duban.ledger import service
    from duban.ledger.models import Change, Task

    with web.sf() as s:
        tasks = {t.id: service.task_values(t) for t in s.scalars(select(Task))}
        changes = s.scalar(select(func.count()).select_from(Change))
    return {"tasks": tasks, "changes": changes}
