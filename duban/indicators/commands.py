"""`duban indicators …`: extract statements, keep the registry, score tables (DTF),
simulate a plan's targets, keep observations in the ledger database.

`score` contract: `duban indicators score OBS.csv|OBS.xlsx [--format json|csv]`
prints {"scores": [{"region", "indicator", "score"}], "overall": [{"region", "score",
"rank"}]} (scores 0–100, two decimals). Each problem found is one line on stderr,
`duban: <file>: row N: …` for a bad cell, `duban: <file>: …` for a gap or an excluded
indicator. Exit code 0 when anything could be scored (problems or not), 1 when
nothing could (or the file itself is unusable).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from duban.errors import DubanError

app = typer.Typer(help="指标与前沿距离法测评 (indicators, distance to frontier).",
                  no_args_is_help=True)

RegistryOption = Annotated[Optional[Path], typer.Option(
    "--registry", help="User registry YAML (overrides the seeded one) [default: $DUBAN_REGISTRY]")]
DbOption = Annotated[Optional[str], typer.Option(
    "--db", help="SQLAlchemy URL or SQLite file [default: $DUBAN_DB, else ./duban.db]")]


class Format(str, Enum):
    json = "json"
    csv = "csv"


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="indicators")


def _registry(path: Optional[Path]):
    from duban.indicators.registry import Registry
    if path is not None and not path.exists():
        raise DubanError(f"{path}: no such registry file")
    return Registry.default(path)


def _say(where: str, problems: list[str]) -> None:
    for p in problems:
        typer.echo(f"duban: {where}: {p}", err=True)


def _contract(result) -> dict:
    return {
        "scores": [{"region": s.region, "indicator": s.indicator, "score": round(s.score, 2)}
                   for s in result.scores],
        "overall": [{"region": r.region, "score": round(r.score, 2), "rank": r.rank}
                    for r in result.overall],
    }


def _csv(result) -> str:
    """One table: a row per region and indicator (rank within the indicator), then a row
    per region with indicator `overall` (its overall rank)."""
    from duban.indicators.dtf import rank
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["region", "indicator", "score", "rank"])
    by_ind: dict[str, dict[str, float]] = {}
    for s in result.scores:
        by_ind.setdefault(s.indicator, {})[s.region] = s.score
    ranks = {ind: rank(v) for ind, v in by_ind.items()}
    for s in result.scores:
        w.writerow([s.region, s.indicator, f"{s.score:.2f}", ranks[s.indicator][s.region]])
    for r in result.overall:
        w.writerow([r.region, "overall", f"{r.score:.2f}", r.rank])
    return buf.getvalue()


@app.command("score")
def score_cmd(
    table: Annotated[Path, typer.Argument(help="Observations: CSV or xlsx with region, indicator, "
                                               "value, higher_is_better [, dimension, weight, frontier, worst]")],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.json,
    charts: Annotated[Optional[Path], typer.Option("--charts", help="Write PNG charts into this directory.")] = None,
    report: Annotated[Optional[Path], typer.Option("--report", help="Write an xlsx report (scores, gaps, charts).")] = None,
    gaps: Annotated[bool, typer.Option("--gaps", help="Also print gaps to frontier and gain per unit on stderr.")] = False,
    registry: RegistryOption = None,
) -> None:
    """Distance-to-frontier scores, overall scores and ranks of the regions in a table."""
    from duban.indicators import dtf
    from duban.indicators.table import read_table

    reg = _registry(registry)
    t = read_table(table, registry=reg)
    _say(str(table), t.problems)
    result = dtf.score(t.rows)
    _say(str(table), result.problems)
    if not result.scores:
        raise DubanError(f"{table}: nothing could be scored")
    sys.stdout.write(json.dumps(_contract(result), ensure_ascii=False, indent=1) + "\n"
                     if fmt is Format.json else _csv(result))
    if gaps:
        for r in result.overall:
            for s in result.gaps(r.region):
                typer.echo(f"{r.region}\t{s.indicator}\t{'提高' if s.higher_is_better else '降低'} "
                           f"{s.gap:g}{s.unit or ''}\t可得 {100 - s.score:.2f} 分", err=True)
        for b in result.leverage():
            typer.echo(f"每单位改进得分\t{b.indicator}\t{b.gain_per_unit:.4g}", err=True)
    if charts is not None:
        from duban.indicators import charts as ch
        if ch.available():
            ch.write_all(result, charts)
        if (w := ch.font_warning()):
            typer.echo(f"duban: {w}", err=True)
    if report is not None:
        from duban.indicators.report import write_xlsx
        write_xlsx(result, report)


@app.command("extract")
def extract_cmd(
    paths: Annotated[list[Path], typer.Argument(help="Plan files: .txt .docx .pdf .html")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl or csv")] = "jsonl",
    registry: RegistryOption = None,
) -> None:
    """Indicator statements (value, average, best, rank, target, direction, line) of plans."""
    from duban.indicators import extract_indicators
    from duban.ingest import read

    reg = _registry(registry)
    failed = False
    records = []
    for p in paths:
        try:
            records += [s.to_record() for s in extract_indicators(read(p), registry=reg)]
        except DubanError as e:
            typer.echo(f"duban: {e}", err=True)
            failed = True
    if fmt == "csv":
        buf = io.StringIO()
        if records:
            w = csv.DictWriter(buf, fieldnames=list(records[0]), lineterminator="\n")
            w.writeheader()
            w.writerows(records)
        sys.stdout.write(buf.getvalue())
    else:
        for r in records:
            sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
    if failed:
        raise typer.Exit(1)


@app.command("registry")
def registry_cmd(
    add: Annotated[Optional[str], typer.Option("--add", help="Add (or replace) this indicator.")] = None,
    dimension: Annotated[Optional[str], typer.Option("--dimension", help="Its dimension (with --add).")] = None,
    unit: Annotated[Optional[str], typer.Option("--unit")] = None,
    lower_is_better: Annotated[bool, typer.Option("--lower-is-better", help="Lower values are better.")] = False,
    weight: Annotated[float, typer.Option("--weight", min=0.0001)] = 1.0,
    alias: Annotated[Optional[list[str]], typer.Option("--alias", help="Another name (repeatable).")] = None,
    file: Annotated[Path, typer.Option("--file", help="User registry file --add writes to.")] = Path("duban-indicators.yaml"),
    registry: RegistryOption = None,
) -> None:
    """List the registry (dimensions, indicators, unit, direction, weight) or add to it."""
    from duban.indicators.registry import Indicator, add_to_file
    if add:
        if not dimension:
            raise DubanError("--add needs --dimension")
        add_to_file(file, Indicator(add, dimension, unit, not lower_is_better, weight, list(alias or [])))
        typer.echo(f"added {add} to {file}")
        registry = registry or file
    reg = _registry(registry)
    for d in reg.dimensions.values():
        typer.echo(f"{d.name} (weight {d.weight:g})")
        for i in d.indicators.values():
            arrow = "越高越好" if i.higher_is_better else "越低越好"
            extra = f"  aliases: {'、'.join(i.aliases)}" if i.aliases else ""
            typer.echo(f"  {i.name}\t{i.unit or '-'}\t{arrow}\tweight {i.weight:g}{extra}")


@app.command("simulate")
def simulate_cmd(
    table: Annotated[Path, typer.Argument(help="Observations table (as for `score`).")],
    region: Annotated[str, typer.Option("--region", help="The region whose targets are applied.")],
    plan: Annotated[Optional[list[Path]], typer.Option("--plan", help="Plan whose targets apply.")] = None,
    target: Annotated[Optional[list[str]], typer.Option(
        "--target", help="INDICATOR>=VALUE, INDICATOR<=VALUE or INDICATOR=VALUE (repeatable).")] = None,
    registry: RegistryOption = None,
) -> None:
    """模拟测评: score, apply the targets as if met, score again; print before/after."""
    from duban.indicators import extract_indicators
    from duban.indicators.simulate import simulate, targets_from_statements
    from duban.indicators.table import read_table
    from duban.ingest import read

    reg = _registry(registry)
    t = read_table(table, registry=reg)
    _say(str(table), t.problems)
    targets = []
    for p in plan or []:
        targets += targets_from_statements(extract_indicators(read(p), registry=reg), reg)
    targets += [_parse_target(x) for x in target or []]
    if not targets:
        raise DubanError("give --plan or --target")
    sim = simulate(t.rows, region, targets, registry=reg)
    _say(str(table), sim.not_applied)
    out = {"region": region,
           "before": {"score": _r(sim.score_before), "rank": sim.rank_before},
           "after": {"score": _r(sim.score_after), "rank": sim.rank_after},
           "applied": [{"indicator": a.indicator, "target": f"{a.target.comparator}{a.target.value:g}",
                        "before": a.before, "after": a.after, "source": a.target.source}
                       for a in sim.applied],
           "overall_after": _contract(sim.after)["overall"]}
    sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=1) + "\n")


def _r(v):
    return None if v is None else round(v, 2)


def _parse_target(text: str):
    import re

    from duban.indicators.simulate import Target
    m = re.match(r"^(.+?)(>=|<=|≥|≤|=)\s*(-?\d+(?:\.\d+)?)\s*$", text.strip())
    if not m:
        raise DubanError(f"--target {text!r}: expected INDICATOR>=VALUE, <=VALUE or =VALUE")
    comp = {">=": "≥", "<=": "≤"}.get(m.group(2), m.group(2))
    return Target(m.group(1).strip(), float(m.group(3)), comp, source="--target")


from duban.indicators import db_commands  # noqa: E402  (adds the database commands to `app`)

db_commands.register(app)
