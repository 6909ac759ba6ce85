"""`duban extract`: plans in, one record per task out."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from duban.errors import DubanError


class Format(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    xlsx = "xlsx"


def extract_files(paths, *, aliases: Optional[Path] = None, on_error=None):
    """Yield (path, source, extraction) for every file that reads; report the others."""
    from duban.extract import extract
    from duban.extract.output import region_of
    from duban.extract.registry import UnitRegistry
    from duban.ingest import read
    registry = UnitRegistry.default()
    if aliases:
        registry.load(aliases)
    for path in paths:
        try:
            source = read(path)
            ex = extract(source)
        except DubanError as e:
            on_error(str(e))
            continue
        except Exception as e:  # a bug, but one bad file must not stop the batch
            on_error(f"{path}: could not extract ({type(e).__name__}: {e})")
            continue
        ex.info.region = ex.info.region or region_of(ex.info)
        for t in ex.tasks:
            t.lead_canonical = [registry.canonical(u) for u in t.lead_units]
            t.co_canonical = [registry.canonical(u) for u in t.co_units]
        yield path, source, ex


def register(app: typer.Typer) -> None:
    @app.command("extract")
    def extract_cmd(
        paths: list[Path] = typer.Argument(..., help="Plan files: .txt .docx .pdf .html"),
        fmt: Format = typer.Option(Format.jsonl, "--format", "-f", help="Output format."),
        output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write here, not stdout."),
        coverage: bool = typer.Option(False, "--coverage",
                                      help="Report what every line became instead of tasks."),
        aliases: Optional[Path] = typer.Option(None, "--aliases",
                                               help="Unit aliases: YAML or CSV alias,canonical."),
        indicators: bool = typer.Option(False, "--indicators",
                                        help="Write indicator statements (values, averages, best, "
                                             "targets) instead of tasks; JSONL or CSV."),
    ):
        """Extract every task (text, units, leader, deadline, source line) from plans."""
        from duban.extract import output as out
        failed = []

        def report(msg: str) -> None:
            failed.append(msg)
            typer.echo(f"duban: {msg}", err=True)

        results = list(extract_files(paths, aliases=aliases, on_error=report))
        exs = [ex for _, _, ex in results]
        if coverage:
            text = "".join(out.coverage_report(ex, src.lines) for _, src, ex in results)
        elif indicators:
            text = out.indicators_text([src for _, src, _ in results], fmt.value)
        elif fmt is Format.xlsx:
            if output is None:
                raise DubanError("--format xlsx needs -o FILE.xlsx")
            out.write_xlsx(exs, output)
            text = None
        else:
            text = out.to_jsonl(exs) if fmt is Format.jsonl else out.to_csv(exs)
        if text is not None:
            if output:
                output.write_text(text, encoding="utf-8")
            else:
                sys.stdout.write(text)
        if failed:
            raise typer.Exit(1)
