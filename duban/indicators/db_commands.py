"""`duban indicators` commands that work on the ledger database: import observations,
take them from a plan, list them, score a period, list the tasks that move an indicator."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

DbOption = Annotated[Optional[str], typer.Option(
    "--db", help="SQLAlchemy URL or SQLite file [default: $DUBAN_DB, else ./duban.db]")]
RegistryOption = Annotated[Optional[Path], typer.Option(
    "--registry", help="User registry YAML (overrides the seeded one) [default: $DUBAN_REGISTRY]")]
PeriodOption = Annotated[str, typer.Option("--period", help="Period of the values, e.g. 2023.")]


def _open(db_url):
    from duban.ledger.commands import open_db
    return open_db(db_url)


def register(app: typer.Typer) -> None:
    @app.command("import")
    def import_cmd(table: Annotated[Path, typer.Argument(help="CSV or xlsx observations.")],
                   period: PeriodOption = "", db_url: DbOption = None,
                   registry: RegistryOption = None) -> None:
        """Store observations (values per region, indicator, period) from a table."""
        from duban import db
        from duban.indicators.commands import _registry, _say
        from duban.indicators.service import import_table

        sf = _open(db_url)
        with db.session_scope(sf) as session:
            rep = import_table(table, session=session, actor="cli", period=period,
                               registry=_registry(registry))
        _say(str(table), rep.problems)
        typer.echo(f"{rep.written} observations written")
        if not rep.written:
            raise typer.Exit(1)

    @app.command("from-plan")
    def from_plan_cmd(plan: Annotated[Path, typer.Argument(help="Plan file.")],
                      region: Annotated[str, typer.Option("--region", help="Whose values the plan states (我市).")],
                      period: PeriodOption = "", db_url: DbOption = None,
                      registry: RegistryOption = None) -> None:
        """A plan's statements as observations (ours, 全省平均, the best city) and its targets."""
        from duban import db
        from duban.indicators import extract_indicators
        from duban.indicators.commands import _registry
        from duban.indicators.service import observations_from_statements, save_targets
        from duban.ingest import read

        stmts = extract_indicators(read(plan), registry=_registry(registry))
        sf = _open(db_url)
        with db.session_scope(sf) as session:
            rep = observations_from_statements(stmts, region=region, period=period,
                                               session=session, actor="cli")
            kept = save_targets(stmts, session=session, region=region)
        typer.echo(f"{len(stmts)} statements: {rep.written} observations, {len(kept)} targets")

    @app.command("observations")
    def observations_cmd(period: Annotated[Optional[str], typer.Option("--period")] = None,
                         db_url: DbOption = None) -> None:
        """List stored observations as CSV."""
        import csv

        from duban import db
        from duban.indicators.service import list_observations

        sf = _open(db_url)
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(["region", "indicator", "period", "value", "unit", "source"])
        with db.session_scope(sf) as session:
            for o in list_observations(session=session, period=period):
                w.writerow([o.region, o.indicator, o.period, f"{o.value:g}", o.unit or "", o.source])

    @app.command("score-db")
    def score_db_cmd(period: PeriodOption = "", db_url: DbOption = None,
                     registry: RegistryOption = None) -> None:
        """DTF scores of the stored observations of one period (JSON as `score`)."""
        from duban import db
        from duban.errors import DubanError
        from duban.indicators.commands import _contract, _registry, _say
        from duban.indicators.service import score_period

        sf = _open(db_url)
        with db.session_scope(sf) as session:
            result = score_period(period, session=session, registry=_registry(registry))
        _say(f"period {period or '-'}", result.problems)
        if not result.scores:
            raise DubanError(f"period {period or '-'}: nothing could be scored")
        sys.stdout.write(json.dumps(_contract(result), ensure_ascii=False, indent=1) + "\n")

    @app.command("tasks")
    def tasks_cmd(indicator: Annotated[str, typer.Argument(help="Indicator name or alias.")],
                  db_url: DbOption = None, registry: RegistryOption = None) -> None:
        """Ledger tasks that move an indicator (their text names it or its target)."""
        from duban import db
        from duban.indicators.commands import _registry
        from duban.indicators.service import tasks_for_indicator
        from duban.ledger.models import STATUS_LABELS

        sf = _open(db_url)
        with db.session_scope(sf) as session:
            tasks = tasks_for_indicator(indicator, session=session, registry=_registry(registry))
            for t in tasks:
                typer.echo(f"{t.id}\t{STATUS_LABELS.get(t.status, t.status)}\t{t.text[:60]}")
        if not tasks:
            typer.echo(f"no task names {indicator}", err=True)
