"""Assembles the web app: database, sessions, CSRF, templates, routers.

    create_app(WebConfig(db_url=...))   or   create_app("sqlite:///ledger.db")

The database must already be at the head revision (`duban serve` and `duban
demo` run the migrations first; tests use the migrated_url fixture)."""

from __future__ import annotations

import importlib
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from duban import db
from duban.web import api, errors
from duban.web.config import WebConfig
from duban.web.middleware import BodyLimitMiddleware, SecurityHeadersMiddleware
from duban.web.templating import make_templates
from duban.web.views import auth as auth_views
from duban.web.views import documents, tasks, units

STATIC_DIR = Path(__file__).resolve().parent / "static"
# Other domains' pages: each module has install(app) (routes + its templates
# folder) and gets a sidebar entry (path, label, nav key).
PAGE_MODULES = (
    ("duban.supervise.views", ("/supervise", "督办调度", "supervise")),
    ("duban.indicators.views", ("/indicators", "指标测评", "indicators")),
    ("duban.compare.views", ("/search", "跨地区检索", "search")),
)
SESSION_COOKIE = "duban_session"
DESCRIPTION = """督办台账 API. Authenticate with `Authorization: Bearer <token>`
(`duban user token NAME`) or a browser session (then send `X-CSRF-Token` on writes).
Errors are `{"error": "..."}` with the HTTP status."""


def create_app(config: WebConfig | str) -> FastAPI:
    cfg = WebConfig(db_url=db.resolve_url(config)) if isinstance(config, str) else config
    app = FastAPI(title="duban 督办", version="0.1.0", description=DESCRIPTION,
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json")
    app.state.config = cfg
    app.state.session_factory = db.session_factory(cfg.db_url)
    app.state.templates = make_templates()
    app.state.session_cookie = SESSION_COOKIE
    # Added last = outermost: the body limit runs before anything reads the body.
    app.add_middleware(SessionMiddleware, secret_key=cfg.secret_key, session_cookie=SESSION_COOKIE,
                       max_age=cfg.session_max_age, same_site="lax", https_only=cfg.secure_cookies)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(BodyLimitMiddleware, upload_limit=cfg.max_upload_bytes)
    errors.install(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in (auth_views.router, documents.router, tasks.router, units.router, api.router):
        app.include_router(router)
    app.state.nav_links = []
    for module, link in PAGE_MODULES:
        importlib.import_module(module).install(app)
        app.state.nav_links.append(link)
    return app
