"""Ledger commands: import, export, import-xlsx, user add/token, db upgrade.

Thin: parse options, open the database (migrating it to head, so a new file
just works), call a flow or service, print one line per result."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated, Optional

import typer

from duban.errors import DubanError

# Heavy modules (SQLAlchemy, the extractor, openpyxl) are imported inside the
# commands, so `duban --help` and other domains' commands start quickly.
ROLES = "office|liaison|leader|viewer"

DbOption = Annotated[Optional[str], typer.Option(
    "--db", help="SQLAlchemy URL or SQLite file [default: $DUBAN_DB, else ./duban.db]")]
AsOption = Annotated[Optional[str], typer.Option(
    "--as", help="Act as this user (recorded in the history).")]

user_app = typer.Typer(help="Manage people and their API tokens.", no_args_is_help=True)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("import")(import_cmd)
    app.command("export")(export_cmd)
    app.command("import-xlsx")(import_xlsx_cmd)
    app.add_typer(user_app, name="user")
    app.add_typer(db_app, name="db")


def open_db(option: str | None):
    from duban import db

    url = db.resolve_url(option)
    db.upgrade(url)
    return db.session_factory(url)


def _system_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no login name in some containers
        return "cli"


def _actor(sf, username: str | None):
    from duban import db
    from duban.ledger import service

    if not username:
        return _system_actor()
    with db.session_scope(sf) as session:
        return service.get_person(username, session=session)


def import_cmd(paths: Annotated[list[Path], typer.Argument(help="Plan files (.txt .docx .pdf .html).")],
               db_url: DbOption = None, as_user: AsOption = None) -> None:
    """Extract tasks from plan files into the ledger, one transaction per document."""
    from rich.console import Console
    from rich.progress import (
        BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn,
    )

    from duban.ledger import flows

    sf = open_db(db_url)
    actor = _actor(sf, as_user)
    paths = _expand(paths)
    counts = {"new": 0, "unchanged": 0, "merged": 0, "failed": 0}
    err = Console(stderr=True)
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
               MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        bar = progress.add_task("importing", total=len(paths))
        for path in paths:
            progress.update(bar, description=path.name)
            try:
                result = flows.import_document(path, session_factory=sf, actor=actor)
            except DubanError as e:
                counts["failed"] += 1
                typer.echo(f"duban: {e}", err=True)
            else:
                counts[result.status] += 1
                typer.echo(f"{path.name}: {result.summary()}")
                for warning in result.warnings:
                    typer.echo(f"duban: {path.name}: {warning}", err=True)
            progress.advance(bar)
    typer.echo(f"{len(paths)} documents: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    if counts["failed"]:
        raise typer.Exit(1)


def _expand(paths: list[Path]) -> list[Path]:
    """A directory stands for the files directly inside it (hidden ones aside)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.iterdir() if f.is_file() and not f.name.startswith(".")))
        else:
            out.append(p)
    return out


def export_cmd(output: Annotated[Path, typer.Option("-o", "--output", help="The .xlsx file to write.")],
               db_url: DbOption = None,
               unit: Annotated[Optional[str], typer.Option(help="Only this unit's tasks.")] = None,
               status: Annotated[Optional[str], typer.Option(help="Only this status.")] = None,
               include_withdrawn: Annotated[bool, typer.Option(help="Also withdrawn tasks.")] = False,
               ) -> None:
    """Export the ledger (台账) as an Excel workbook."""
    from duban import db
    from duban.ledger import xlsx

    sf = open_db(db_url)
    if not output.parent.exists():
        raise DubanError(f"cannot write {output}: directory {output.parent} does not exist")
    tmp = output.with_name(output.name + ".part")
    with db.session_scope(sf) as session:
        n = xlsx.export_xlsx(tmp, session=session, unit=unit, status=status,
                             include_withdrawn=include_withdrawn)
    tmp.replace(output)  # never leave a half-written workbook under the real name
    typer.echo(f"wrote {n} tasks to {output}")


def import_xlsx_cmd(file: Annotated[Path, typer.Argument(help="An edited 台账 workbook.")],
                    as_user: Annotated[str, typer.Option("--as", help="Whose corrections these are.")],
                    db_url: DbOption = None) -> None:
    """Apply an edited 台账 workbook back as corrections (all rows or none)."""
    from duban.ledger import xlsx

    sf = open_db(db_url)
    actor = _actor(sf, as_user)
    result = xlsx.import_xlsx(file, session_factory=sf, actor=actor)
    typer.echo(f"{file.name}: {result.rows} rows, {result.tasks_changed} tasks changed, "
               f"{result.changes} field changes recorded")


@user_app.command("add")
def user_add(name: Annotated[str, typer.Argument(help="Login name.")],
             role: Annotated[str, typer.Option(help=ROLES)],
             password: Annotated[str, typer.Option(prompt=True, hide_input=True,
                                                   confirmation_prompt=True)],
             unit: Annotated[Optional[str], typer.Option(help="The person's unit (liaisons).")] = None,
             display_name: Annotated[Optional[str], typer.Option(help="Name shown in the app.")] = None,
             db_url: DbOption = None) -> None:
    """Add a person who can log in (office, liaison, leader or viewer)."""
    from duban import db
    from duban.ledger import service

    sf = open_db(db_url)
    with db.session_scope(sf) as session:
        person = service.create_person(name, session=session, role=role, password=password,
                                       unit=unit, display_name=display_name or "",
                                       actor=_system_actor(), source="cli")
        where = f", unit {person.unit.name}" if person.unit else ""
    typer.echo(f"added user {person.username} ({person.role}{where})")


@user_app.command("token")
def user_token(name: Annotated[str, typer.Argument(help="Login name.")],
               db_url: DbOption = None) -> None:
    """Create an API token for scripts (Authorization: Bearer TOKEN); prints only the token."""
    from duban import db
    from duban.ledger import service

    sf = open_db(db_url)
    with db.session_scope(sf) as session:
        token = service.create_token(name, session=session, actor=_system_actor(), source="cli")
    typer.echo(token)


@db_app.command("upgrade")
def db_upgrade(db_url: DbOption = None) -> None:
    """Create the database or bring its schema up to date."""
    from sqlalchemy.engine import make_url

    from duban import db

    url = db.resolve_url(db_url)
    db.upgrade(url)
    shown = make_url(url).render_as_string(hide_password=True)
    typer.echo(f"{shown}: schema at revision {db.current_revision(url)}")
