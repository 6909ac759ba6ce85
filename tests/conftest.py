"""Shared fixtures: database URLs on SQLite and PostgreSQL, the corpus.

PostgreSQL comes from $DUBAN_TEST_PG_URL (a server URL whose user may create
databases); `bash scripts/test.sh` starts a throwaway cluster and sets it.
Each test gets a database of its own, dropped afterwards. Without the
variable the PostgreSQL half of every `db_url` test is skipped, and the run
says so loudly at the top and the bottom."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the property tests on a fixed derivation of each test's name, so a
# submission passes or fails on its own code, not on the draw; local runs keep
# exploring new random inputs (that is how '等单位' was found).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

REPO = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("DUBAN_TEST_PG_URL", "").strip()
PG_MISSING = ("PostgreSQL NOT TESTED: DUBAN_TEST_PG_URL is not set "
              "(run `bash scripts/test.sh`, which starts a throwaway PostgreSQL)")


def pytest_report_header(config):
    if PG_URL:
        from sqlalchemy.engine import make_url

        return [f"duban databases: sqlite + postgresql ({make_url(_pg(PG_URL)).render_as_string()})"]
    return ["!" * 78, f"!!! {PG_MISSING}", "!" * 78]


def pytest_terminal_summary(terminalreporter):
    if not PG_URL:
        terminalreporter.write_sep("!", PG_MISSING, red=True, bold=True)


def _pg(url: str) -> str:
    from duban.db import resolve_url

    return resolve_url(url)


def _admin(url: str):
    """A psycopg autocommit connection to the server's maintenance database."""
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url).set(drivername="postgresql")
    return psycopg.connect(u.render_as_string(hide_password=False), autocommit=True)


def _dispose(url: str) -> None:
    from duban import db

    db.get_engine(url).dispose()
    db.get_engine.cache_clear()


@pytest.fixture(params=[
    "sqlite",
    pytest.param("postgresql", marks=[pytest.mark.postgres,
                                      pytest.mark.skipif(not PG_URL, reason=PG_MISSING)]),
])
def db_url(request, tmp_path):
    """An empty database, on SQLite (a temp file) and on PostgreSQL (a fresh database)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'duban.db'}"
        yield url
        _dispose(url)
        return
    base = _pg(PG_URL)
    name = f"duban_t_{uuid.uuid4().hex[:12]}"
    with _admin(base) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    from sqlalchemy.engine import make_url

    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        _dispose(url)
        with _admin(base) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def migrated_url(db_url):
    """A database at the head revision."""
    from duban import db

    db.upgrade(db_url)
    return db_url


@pytest.fixture
def session_factory(migrated_url):
    from duban import db

    return db.session_factory(migrated_url)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The shared corpus of real plans ($DUBAN_CORPUS, else ../shared/corpus)."""
    path = Path(os.environ.get("DUBAN_CORPUS") or REPO.parent / "shared" / "corpus")
    if not path.is_dir():
        pytest.skip(f"corpus not found at {path} (set DUBAN_CORPUS)")
    return path


# ---- a real browser and a real server, for every package's browser tests -------------
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
NO_BROWSER = f"BROWSER TESTS NOT RUN: {CHROMIUM} is absent (apt-get install chromium fonts-noto-cjk)"


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        print("\n" + "!" * 78 + f"\n!!! {NO_BROWSER}\n" + "!" * 78)
        pytest.skip(NO_BROWSER)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def live_app():
    """Start the real app with uvicorn on a free loopback port: `base = live_app(url)`;
    extra keyword arguments go to WebConfig. Servers stop when the test ends."""
    import socket
    import threading
    import time

    import uvicorn

    from duban import db
    from duban.web.app import create_app
    from duban.web.config import WebConfig

    servers = []

    def start(url: str, **config) -> str:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        config.setdefault("secret_key", "browser")
        app = create_app(WebConfig(db_url=url, **config))
        srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                            log_level="warning", lifespan="off"))
        thread = threading.Thread(target=srv.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not srv.started:
            assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        servers.append((srv, thread, url))
        return f"http://127.0.0.1:{port}"

    yield start
    for srv, thread, url in servers:
        srv.should_exit = True
        thread.join(timeout=10)
        db.get_engine(url).dispose()


@pytest.fixture
def browser_page(chromium):
    """A fresh zh-CN browser context and page."""
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900},
                                   accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def browser_login():
    """`browser_login(page, base, username, password)`: the login form, as a person fills it."""
    import re

    def login(page, base: str, username: str, password: str) -> None:
        page.goto(base + "/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button:has-text('登录')")
        page.wait_for_url(re.compile(r"/(tasks|units/\d+)$"))
    return login


@pytest.fixture
def screenshot(tmp_path):
    """`screenshot(page, name)`: into the test's tmp dir, or $DUBAN_SCREENSHOTS if set."""
    def shot(page, name: str, full_page: bool = False) -> None:
        folder = Path(os.environ.get("DUBAN_SCREENSHOTS") or tmp_path)
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=full_page)
    return shot
