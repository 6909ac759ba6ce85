"""Web commands: `duban serve` and `duban demo`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from duban.ledger.models import PERSON_ROLE_LABELS

DbOption = Annotated[Optional[str], typer.Option(
    "--db", help="SQLAlchemy URL or SQLite file [default: $DUBAN_DB, else ./duban.db]")]
HostOption = Annotated[str, typer.Option("--host", help="Address to listen on.")]
PortOption = Annotated[int, typer.Option("--port", help="Port to listen on.")]
TodayOption = Annotated[Optional[str], typer.Option(
    "--today", help="Business date YYYY-MM-DD for deadlines and supervision (training copies).")]


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cmd)
    app.command("demo")(demo_cmd)


def serve_cmd(db_url: DbOption = None, host: HostOption = "127.0.0.1", port: PortOption = 8000,
              today: TodayOption = None) -> None:
    """Start the web app (the database is migrated to the current schema first)."""
    from duban import db

    as_of = _as_of(today)
    url = db.resolve_url(db_url)
    db.upgrade(url)
    _serve(url, host, port, as_of)


def _as_of(text: str | None):
    """--today as a date; a bad value is one line on stderr and exit code 2."""
    import datetime as dt

    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        typer.echo(f"error: --today {text!r} is not a date (YYYY-MM-DD)", err=True)
        raise typer.Exit(2) from None


def demo_cmd(db_url: Annotated[Optional[str], typer.Option(
                 "--db", help="Demo database [default: ./duban-demo.db, recreated]")] = None,
             host: HostOption = "127.0.0.1", port: PortOption = 8000,
             no_serve: Annotated[bool, typer.Option("--no-serve", help="Build the database only.")] = False,
             today: Annotated[Optional[str], typer.Option(
                 "--today", help="Business date [default: mid-way through the sample plan's year]")] = None,
             ) -> None:
    """Build a demo ledger from the sample plan, with a user of every role, and serve it."""
    from urllib.parse import quote

    from sqlalchemy.engine import make_url

    from duban.web import demo

    as_of = _as_of(today) or demo.DEMO_TODAY
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
        typer.echo(f"serve it with: duban serve --db {make_url(url).render_as_string(hide_password=True)}"
                   f" --today {as_of.isoformat()}")
        return
    typer.echo(f"business date: {as_of.isoformat()} (the sample plan is for {demo.DEMO_TODAY.year}; "
               "deadlines and letters are reckoned from this day, --today changes it)")
    typer.echo(f"open {base}/ and log in")
    _serve(url, host, port, as_of)


def _display_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "::", "") else host


def _serve(url: str, host: str, port: int, as_of=None) -> None:
    import gc
    import os

    import uvicorn

    from duban.web.app import create_app
    from duban.web.config import SECRET_ENV, WebConfig

    if not os.environ.get(SECRET_ENV):
        typer.echo(f"note: {SECRET_ENV} is not set; logins end when the server restarts", err=True)
    app = create_app(WebConfig(db_url=url, as_of=as_of))
    # Reporting cycles, escalation letters and reminders run once a day inside the server.
    from duban.supervise.scheduled import start_daily
    start_daily(app)
    # Everything loaded so far lives as long as the server: keep it out of the
    # cyclic collector's full passes, which otherwise add tens of ms to a page.
    gc.collect()
    gc.freeze()
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False)
