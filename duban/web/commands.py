"""Web commands: `duban serve` and `duban demo`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from duban.ledger.models import PERSON_ROLE_LABELS

DbOption = Annotated[Optional[str], typer.Option(
    "--db", help="SQLAlchemy URL or SQLite file [default: $DUBAN_DB, else ./duban.db]")]
HostOption = Annotated[str, typer.Option("--host", help="Address to listen on.")]
PortOption = Annotated[int, typer.Option("--port", help="Port to listen on.")]


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cmd)
    app.command("demo")(demo_cmd)


def serve_cmd(db_url: DbOption = None, host: HostOption = "127.0.0.1", port: PortOption = 8000) -> None:
    """Start the web app (the database is migrated to the current schema first)."""
    from duban import db

    url = db.resolve_url(db_url)
    db.upgrade(url)
    _serve(url, host, port)


def demo_cmd(db_url: Annotated[Optional[str], typer.Option(
                 "--db", help="Demo database [default: ./duban-demo.db, recreated]")] = None,
             host: HostOption = "127.0.0.1", port: PortOption = 8000,
             no_serve: Annotated[bool, typer.Option("--no-serve", help="Build the database only.")] = False,
             ) -> None:
    """Build a demo ledger from the sample plan, with a user of every role, and serve it."""
    from urllib.parse import quote

    from sqlalchemy.engine import make_url

    from duban.web import demo

    url = demo.prepare_database(db_url)
    built = demo.build_demo(url)
    base = f"http://{_display_host(host)}:{port}"
    typer.echo(f"demo database: {make_url(url).render_as_string(hide_password=True)}")
    for line in built.summaries:
        typer.echo(f"  imported {line}")
    typer.echo("logins (username / password):")
    for login in built.logins:
        where = f", {login.unit}" if login.unit else ""
        typer.echo(f"  {login.username:<8} {login.password:<14} {PERSON_ROLE_LABELS[login.role]}"
                   f" ({login.role}{where})")
    typer.echo(f"API token of admin: {built.token}")
    typer.echo(f"  curl -H 'Authorization: Bearer {built.token}' '{base}/api/tasks?unit={quote('市市场监管局')}'")
    if no_serve:
        typer.echo(f"serve it with: duban serve --db {make_url(url).render_as_string(hide_password=True)}")
        return
    typer.echo(f"open {base}/ and log in")
    _serve(url, host, port)


def _display_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "::", "") else host


def _serve(url: str, host: str, port: int) -> None:
    import gc
    import os

    import uvicorn

    from duban.web.app import create_app
    from duban.web.config import SECRET_ENV, WebConfig

    if not os.environ.get(SECRET_ENV):
        typer.echo(f"note: {SECRET_ENV} is not set; logins end when the server restarts", err=True)
    app = create_app(WebConfig(db_url=url))
    # Reporting cycles, escalation letters and reminders run once a day inside the server.
    from duban.supervise.scheduled import start_daily
    start_daily(app)
    # Everything loaded so far lives as long as the server: keep it out of the
    # cyclic collector's full passes, which otherwise add tens of ms to a page.
    gc.collect()
    gc.freeze()
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False)
