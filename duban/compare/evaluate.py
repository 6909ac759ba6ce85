"""Measuring similar measures against a gold file of pairs.

Gold lines (tests/compare/gold/similar_pairs.jsonl) name two tasks by the file
and line of the shared gold annotations, and say whether they are the same
measure: {"a": {"doc", "line"}, "b": {"doc", "line"}, "same": true|false, …}.

For every task in a same-measure pair, its known counterparts are the
relevant results. precision@5 is counted two ways: relevant-in-top-5 / 5
(bounded by how few counterparts a task has) and relevant-in-top-5 /
min(5, counterparts) (1.0 when every known counterpart is in the top 5);
hit@5 is the share of tasks with a counterpart in their top 5.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger.models import Document, Task


@dataclass
class Pair:
    a: tuple[str, int]
    b: tuple[str, int]
    same: bool
    measure: str | None = None


def load_pairs(path: Path) -> list[Pair]:
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            out.append(Pair((r["a"]["doc"], r["a"]["line"]), (r["b"]["doc"], r["b"]["line"]),
                            bool(r["same"]), r.get("measure")))
    return out


def task_at(session: Session, doc: str, line: int) -> int | None:
    """The live task of document `doc` at (or spanning) `line` in its latest version."""
    tasks = session.execute(
        select(Task.id, Task.line, Task.end_line).join(Document, Document.id == Task.document_id)
        .where(Document.name == doc, Task.withdrawn.is_(False)).order_by(Task.line)).all()
    for task_id, start, end in tasks:
        if start == line:
            return task_id
    for task_id, start, end in tasks:
        if start <= line <= (end or start):
            return task_id
    return None


def counterparts(session: Session, pairs: list[Pair]) -> tuple[dict[int, set[int]], list[str]]:
    """{task id: ids of its known counterparts}, and the gold references not found."""
    relevant: dict[int, set[int]] = defaultdict(set)
    missing = []
    for p in pairs:
        if not p.same:
            continue
        a, b = task_at(session, *p.a), task_at(session, *p.b)
        if a is None or b is None:
            missing.append(f"{p.a if a is None else p.b}")
            continue
        relevant[a].add(b)
        relevant[b].add(a)
    return dict(relevant), missing


def precision_at(ranked: dict[int, list[int]], relevant: dict[int, set[int]], k: int = 5) -> dict:
    """{"p@k", "p@k_norm", "hit@k", "mrr", "queries"} over the tasks in `relevant`."""
    p, pn, hit, rr = [], [], [], []
    for task_id, good in relevant.items():
        top = ranked.get(task_id, [])[:k]
        found = sum(1 for t in top if t in good)
        p.append(found / k)
        pn.append(found / min(k, len(good)))
        hit.append(1.0 if found else 0.0)
        ranks = [i for i, t in enumerate(ranked.get(task_id, []), 1) if t in good]
        rr.append(1.0 / ranks[0] if ranks else 0.0)
    n = len(relevant) or 1
    return {f"p@{k}": sum(p) / n, f"p@{k}_norm": sum(pn) / n, f"hit@{k}": sum(hit) / n,
            "mrr": sum(rr) / n, "queries": len(relevant)}
