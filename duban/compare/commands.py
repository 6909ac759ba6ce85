"""`duban search`, `duban similar`, `duban compare …`.

Contracts (scripts rely on them):
  duban search QUERY [--db URL] [--format jsonl|table] [--limit N] [--region R] [--year Y]
               [--issuer X] [--unit U] [--status S] [--documents]
      one JSON object per matching task and line (id, doc, text, region, score, snippet…),
      best first; --documents prints the matching documents instead.
  duban similar TASK_ID [--db URL] [-k N] [--format jsonl|table]
      one JSON object per similar task of another plan, best first.
  duban compare DOC_A DOC_B [--db URL] [--threshold T] [--format table|json]
  duban compare matrix [-o FILE.xlsx] [--reforms YAML] [--format table|json]
  duban compare reindex
A user error is one line on stderr (`duban: …`) and exit code 1.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from duban.errors import DubanError

DbOption = Annotated[Optional[str], typer.Option(
    "--db", help="SQLAlchemy URL or SQLite file [default: $DUBAN_DB, else ./duban.db]")]


class Format(str, Enum):
    jsonl = "jsonl"
    table = "table"
    json = "json"


class _DocsByDefault(TyperGroup):
    """`duban compare A B` means `duban compare docs A B`; subcommands still work."""

    def resolve_command(self, ctx, args):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            return "docs", self.commands["docs"], args
        return super().resolve_command(ctx, args)


compare_app = typer.Typer(cls=_DocsByDefault, no_args_is_help=True,
                          help="Compare two documents (DOC_A DOC_B), the reform matrix, reindex.")


def register(app: typer.Typer) -> None:
    app.command("search")(search_cmd)
    app.command("similar")(similar_cmd)
    app.add_typer(compare_app, name="compare")


def _session(db_url: str | None):
    from duban import db
    from duban.ledger.commands import open_db

    return db.session_scope(open_db(db_url))


def _line(obj) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False, default=str))


def _clip(s: str | None, n: int = 60) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


def search_cmd(query: Annotated[str, typer.Argument(help="检索词（空格分隔，须同时出现）")],
               db_url: DbOption = None,
               fmt: Annotated[Format, typer.Option("--format", help="jsonl or table")] = Format.jsonl,
               limit: Annotated[int, typer.Option(help="How many results (1-200).")] = 20,
               region: Annotated[Optional[str], typer.Option(help="省/市/县名称或区划代码")] = None,
               year: Annotated[Optional[str], typer.Option(help="文件年份")] = None,
               issuer: Annotated[Optional[str], typer.Option(help="发文机关（部分名称）")] = None,
               unit: Annotated[Optional[str], typer.Option(help="责任单位")] = None,
               status: Annotated[Optional[str], typer.Option(help="任务状态")] = None,
               documents: Annotated[bool, typer.Option(help="List matching documents instead.")] = False,
               ) -> None:
    """Full-text search of tasks (or documents) across regions."""
    from duban.compare import search as search_mod

    filters = search_mod.Filters(region=region, year=year, issuer=issuer, unit=unit, status=status)
    with _session(db_url) as session:
        result = search_mod.search(query, session=session, filters=filters, limit=limit,
                                   documents=documents)
    rows = result.documents if documents else result.tasks
    if fmt == Format.table:
        for h in rows:
            if documents:
                typer.echo(f"{h.id:>6}  {h.doc:<24} {h.region or '—':<8} {h.count:>4}  {_clip(h.title)}")
            else:
                typer.echo(f"{h.id:>7}  {h.doc:<24} {h.region or '—':<8} {h.score:>6.2f}  {_clip(h.text)}")
        more = "+" if result.capped else ""
        typer.echo(f"共 {len(result.documents) if documents else f'{result.total}{more}'} 条", err=True)
        return
    for h in rows:
        _line(h.to_json())


def similar_cmd(task_id: Annotated[int, typer.Argument(help="任务编号")],
                db_url: DbOption = None,
                k: Annotated[int, typer.Option("-k", help="How many similar tasks (1-100).")] = 10,
                fmt: Annotated[Format, typer.Option("--format", help="jsonl or table")] = Format.jsonl,
                ) -> None:
    """The measures of other plans most similar to a task, best first."""
    from duban.compare.similar import similar

    if not 1 <= k <= 100:
        raise DubanError("-k 应在 1 到 100 之间")
    with _session(db_url) as session:
        result = similar(task_id, session=session, k=k)
    if fmt == Format.table:
        t = result.task
        typer.echo(f"任务 {t.id}（{t.doc}，{t.region or '—'}）：{_clip(t.text, 80)}")
        for h in result.hits:
            owners = "、".join(h.lead_units) or "—"
            typer.echo(f"{h.score:.3f}  {h.id:>7}  {h.region or '—':<8} {owners:<12} "
                       f"{'、'.join(h.targets) or '—':<12} {_clip(h.text)}")
        return
    for h in result.hits:
        _line(h.to_json())


@compare_app.command("docs")
def compare_docs_cmd(doc_a: Annotated[str, typer.Argument(help="文件编号或文件名")],
                     doc_b: Annotated[str, typer.Argument(help="文件编号或文件名")],
                     db_url: DbOption = None,
                     threshold: Annotated[float, typer.Option(help="Match similarity (0-1).")] = 0.15,
                     fmt: Annotated[Format, typer.Option("--format", help="table or json")] = Format.table,
                     ) -> None:
    """Measures in both documents, only in A, only in B, and where targets differ."""
    from duban.compare.service import compare_documents

    with _session(db_url) as session:
        c = compare_documents(doc_a, doc_b, session=session, threshold=threshold)
    if fmt != Format.table:
        _line(c.to_json())
        return
    typer.echo(f"A：{c.a.doc}（{c.a.region or '—'}，{c.a.tasks} 项）  B：{c.b.doc}（{c.b.region or '—'}，{c.b.tasks} 项）")
    typer.echo(f"\n两者都有（{len(c.both)}）：")
    for m in c.both:
        mark = ("  ≠目标" if m.targets_differ else "") + ("  多对一" if m.extra else "")
        mark += f"  同名改革：{'、'.join(m.reforms)}" if m.reforms else ""
        typer.echo(f"  {m.score:.2f}  A{m.a.id} {_clip(m.a.text, 36)}  ⇄  B{m.b.id} {_clip(m.b.text, 36)}{mark}")
    typer.echo(f"\n目标不同（{len(c.differ)}）：")
    for m in c.differ:
        typer.echo(f"  A{m.a.id} {'、'.join(m.a.targets) or '（未设定）'}  ⇄  "
                   f"B{m.b.id} {'、'.join(m.b.targets) or '（未设定）'}  {_clip(m.a.text, 30)}")
    for label, items in (("仅 A 有", c.only_a), ("仅 B 有", c.only_b)):
        typer.echo(f"\n{label}（{len(items)}）：")
        for t in items:
            typer.echo(f"  {t.id:>7}  {_clip(t.text, 70)}")


@compare_app.command("matrix")
def matrix_cmd(output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write .xlsx")] = None,
               db_url: DbOption = None,
               reforms: Annotated[Optional[Path], typer.Option(help="Reform list YAML.")] = None,
               fmt: Annotated[Format, typer.Option("--format", help="table or json")] = Format.table,
               ) -> None:
    """The reform adoption matrix: named reforms × regions, with each region's targets."""
    from duban.compare import export, reforms as reforms_mod

    if reforms is not None and not reforms.exists():
        raise DubanError(f"{reforms}: no such reform list")
    if output is not None and not output.parent.exists():
        raise DubanError(f"cannot write {output}: directory {output.parent} does not exist")
    with _session(db_url) as session:
        m = reforms_mod.matrix(session, reform_list=reforms_mod.load_list(reforms))
    if output is not None:
        tmp = output.with_name(output.name + ".part")
        n = export.write_xlsx(m, tmp)
        tmp.replace(output)
        typer.echo(f"wrote {n} reforms × {len(m.regions)} regions to {output}")
        return
    if fmt != Format.table:
        _line(m.to_json())
        return
    for row in m.rows:
        cells = "；".join(f"{c.region}{'（' + '、'.join(c.targets) + '）' if c.targets else ''}"
                         for c in row.cells.values())
        typer.echo(f"{row.name}（{len(row.cells)} 地）：{cells}")


@compare_app.command("reindex")
def reindex_cmd(db_url: DbOption = None) -> None:
    """Rebuild the search index and every document's region/type description."""
    from duban.compare.flows import reindex

    with _session(db_url) as session:
        n = reindex(session)
    typer.echo(f"reindexed: {n} documents described")
