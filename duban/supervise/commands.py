"""Supervision commands:

    duban supervise run [--db URL] [--today YYYY-MM-DD] [--out DIR]
    duban supervise schedule [--document ID] [--kind monthly|quarterly|once] [--day N] ...
    duban supervise status [--today D] [--json]          lights per unit (leader dashboard)
    duban supervise submit TASK --as LIAISON --progress T (--percent N | --milestone T) [--evidence F]...
    duban supervise review REPORT --as OFFICE (--accept | --return REASON | --approve)
    duban supervise letters [--unit U]                  letters issued
    duban supervise template -o FILE                    the default letter template, to edit
    duban report dispatch [--db URL] [--cycle YYYY-MM] -o FILE   (.docx .pdf .html)

Thin: parse, open the database (migrated to head), call a flow or service, print.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Annotated, Optional

import typer

from duban.errors import DubanError

DbOption = Annotated[Optional[str], typer.Option(
    "--db", help="SQLAlchemy URL or SQLite file [default: $DUBAN_DB, else ./duban.db]")]
TodayOption = Annotated[Optional[str], typer.Option(
    "--today", help="Act as of this date (YYYY-MM-DD) [default: today in China]")]
AsOption = Annotated[Optional[str], typer.Option("--as", help="Act as this user.")]
CHINA_TZ = dt.timezone(dt.timedelta(hours=8))

app = typer.Typer(help="Closed-loop supervision: cycles, reports, lights, letters.",
                  no_args_is_help=True)
report_app = typer.Typer(help="Reports: the dispatch report (通报).", no_args_is_help=True)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="supervise")
    root.add_typer(report_app, name="report")


def _today(value: str | None) -> dt.date:
    if not value:
        return dt.datetime.now(CHINA_TZ).date()
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise DubanError(f"--today: not a date (YYYY-MM-DD): {value!r}") from None


def _open(db_url: str | None):
    from duban.ledger.commands import open_db

    return open_db(db_url)


def _settings():
    from duban.supervise.settings import Settings

    return Settings.from_env()


def _person(sf, username: str | None):
    from duban.ledger import service

    if not username:
        raise DubanError("--as USER is required (the liaison or office person acting)")
    with sf() as s:
        person = service.get_person(username, session=s)
        person.unit  # noqa: B018 - load before the session ends
        return person


@app.command("run")
def run_cmd(db_url: DbOption = None, today: TodayOption = None,
            out: Annotated[Optional[Path], typer.Option("--out", help="Also write each new letter here.")] = None,
            ) -> None:
    """Issue the letters due as of --today: one line per new letter (kind, unit, file)."""
    from duban.supervise import flows

    day = _today(today)
    sf = _open(db_url)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    result = flows.run(session_factory=sf, today=day, settings=_settings(), out_dir=out,
                       actor="cli:supervise")
    for issued in result.issued:
        typer.echo(issued.line())
    if result.email_failed:
        typer.echo(f"duban: {result.email_failed} e-mail(s) not sent (will retry next run)", err=True)


@app.command("schedule")
def schedule_cmd(db_url: DbOption = None,
                 document: Annotated[Optional[int], typer.Option(help="A plan's own schedule (document id).")] = None,
                 kind: Annotated[str, typer.Option(help="monthly | quarterly | once")] = "monthly",
                 day: Annotated[int, typer.Option(help="Day of the month reports are due.")] = 25,
                 once_due: Annotated[Optional[str], typer.Option("--once-due", help="Due date of a one-off report.")] = None,
                 start: Annotated[Optional[str], typer.Option(help="First period (YYYY-MM or YYYY-Qn).")] = None,
                 reply_days: Annotated[int, typer.Option(help="Working days to answer a letter.")] = 5,
                 due_soon_days: Annotated[int, typer.Option(help="Days before a deadline a task is due soon.")] = 15,
                 today: TodayOption = None) -> None:
    """Set the reporting schedule of the ledger (or of one plan)."""
    from duban.supervise import cycles, service

    due = dt.date.fromisoformat(once_due) if once_due else None
    sf = _open(db_url)
    day0 = _today(today)
    with sf() as s, s.begin():
        row = service.set_schedule(session=s, actor="cli:supervise", kind=kind, day=day,
                                   once_due=due, document_id=document,
                                   start_period=start or ("" if kind == "once" else
                                                          cycles.period_of(kind, day0)),
                                   reply_days=reply_days, due_soon_days=due_soon_days)
        cyc = cycles.ensure_cycles(row, day0, session=s)
        typer.echo(f"schedule {row.id}: {row.kind} day {row.day} from {row.start_period}; "
                   f"cycles: " + ", ".join(f"{c.period} due {c.due}" for c in cyc[-3:]))


@app.command("status")
def status_cmd(db_url: DbOption = None, today: TodayOption = None,
               as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Status lights per lead unit (已逾期/未报送/即将到期/正常推进/已完成)."""
    from duban.supervise import lights

    sf = _open(db_url)
    with sf() as s:
        rows = lights.unit_counts(_today(today), session=s)
    if as_json:
        typer.echo(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=1))
        return
    order = ("overdue", "report_missing", "due_soon", "on_track", "done")
    typer.echo("单位\t" + "\t".join(lights.LIGHTS[k] for k in order))
    for r in rows:
        typer.echo(r.unit + "\t" + "\t".join(str(r.counts[k]) for k in order))


@app.command("submit")
def submit_cmd(task: int, db_url: DbOption = None, as_user: AsOption = None,
               progress: Annotated[str, typer.Option(help="Progress this cycle.")] = "",
               percent: Annotated[Optional[int], typer.Option(help="0-100")] = None,
               milestone: Annotated[Optional[str], typer.Option()] = None,
               problems: Annotated[str, typer.Option(help="Problems needing coordination.")] = "",
               evidence: Annotated[Optional[list[Path]], typer.Option(help="Evidence file (repeat).")] = None,
               cycle: Annotated[Optional[str], typer.Option(help="Period (YYYY-MM) [default: the open one].")] = None,
               today: TodayOption = None) -> None:
    """Submit a task's progress report for a cycle (a liaison of its lead unit)."""
    from duban.ingest.limits import load
    from duban.supervise import service

    sf = _open(db_url)
    person = _person(sf, as_user)
    day = _today(today)
    files = [(p.name, load(p)) for p in (evidence or [])]
    with sf() as s, s.begin():
        person = s.merge(person)
        report = service.submit_report(task, session=s, actor=person, today=day,
                                       now=dt.datetime.now(dt.timezone.utc), settings=_settings(),
                                       progress=progress, percent=percent, milestone=milestone,
                                       problems=problems, period=cycle, evidence=files)
        typer.echo(f"report {report.id}: task {task} {report.cycle.period} {report.status}, "
                   f"{len(files)} evidence file(s)")


@app.command("review")
def review_cmd(report: int, db_url: DbOption = None, as_user: AsOption = None,
               accept: Annotated[bool, typer.Option("--accept")] = False,
               return_reason: Annotated[Optional[str], typer.Option("--return", help="Return with this reason.")] = None,
               approve: Annotated[bool, typer.Option("--approve", help="Approve completion (销号).")] = False) -> None:
    """Review a report: accept, return for revision, or approve completion."""
    from duban.supervise import service

    chosen = [a for a, on in (("accept", accept), ("return", return_reason is not None),
                              ("approve", approve)) if on]
    if len(chosen) != 1:
        raise DubanError("give exactly one of --accept, --return REASON, --approve")
    sf = _open(db_url)
    person = _person(sf, as_user)
    with sf() as s, s.begin():
        row = service.review_report(report, chosen[0], session=s, actor=s.merge(person),
                                    now=dt.datetime.now(dt.timezone.utc), reason=return_reason)
        typer.echo(f"report {row.id}: {row.status}")


@app.command("letters")
def letters_cmd(db_url: DbOption = None, unit: Annotated[Optional[str], typer.Option()] = None) -> None:
    """Letters issued, newest first: number, kind, unit, cycle, tasks, file."""
    from duban.ledger import service as ledger
    from duban.supervise import flows
    from duban.supervise.models import LETTER_KINDS

    sf = _open(db_url)
    with sf() as s:
        uid = ledger.get_unit(unit, session=s).id if unit else None
        for row in flows.letters_for(session=s, unit_id=uid):
            typer.echo(f"{row.number}\t{LETTER_KINDS[row.kind]}\t{row.unit.name}\t{row.cycle.period}"
                       f"\t{row.task_count}\t{row.path}")


@app.command("template")
def template_cmd(out: Annotated[Path, typer.Option("-o", "--output", help="Where to write it.")]) -> None:
    """Write the default letter template (.docx) for editing; use it with DUBAN_LETTER_TEMPLATE."""
    from duban.supervise.settings import DEFAULT_TEMPLATE

    shutil.copyfile(DEFAULT_TEMPLATE, out)
    typer.echo(str(out))


@report_app.command("dispatch")
def dispatch_cmd(out: Annotated[Path, typer.Option("-o", "--output", help=".docx, .pdf or .html")],
                 db_url: DbOption = None,
                 cycle: Annotated[Optional[str], typer.Option(help="Period YYYY-MM [default: the last one due].")] = None,
                 today: TodayOption = None) -> None:
    """Write the dispatch report (通报) of a cycle."""
    from duban.supervise import dispatch, render

    suffix = out.suffix.lower()
    if suffix not in (".docx", ".pdf", ".html", ".htm"):
        raise DubanError(f"{out}: the output must end in .docx, .pdf or .html")
    sf = _open(db_url)
    with sf() as s:
        data = dispatch.build(session=s, period=cycle, today=_today(today), settings=_settings())
    render.write(data, out)
    for warning in data.warnings:
        typer.echo(f"duban: {warning}", err=True)
    typer.echo(str(out))
