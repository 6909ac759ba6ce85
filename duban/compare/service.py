"""Comparing two documents: measures in both, only in one, and where targets differ.

Two measures are counterparts when their score (n-gram TF-IDF cosine plus the
named-reform bonus, similar.score) reaches the threshold (0.15 separates the
gold pairs from the gold non-pairs best: tests/compare/gold/NOTES.md).

Pairs are formed one to one, best first. A measure left over whose best
counterpart was taken by a closer measure is still *in both* — listed with
that counterpart as an `extra` match — because "only in A" must mean that B
has nothing like it: a plan that states one measure twice (a summary table and
the text) would otherwise show it under both headings. So every task of A is
either in `both` (as the A side of one or more matches) or in `only_a`, never
in both, and likewise for B.

A matched pair's targets differ when the numbers with units, or the benchmark
targets (高于全省平均水平), they set are not the same (28个 vs 25个, or one sets
a target and the other none).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.compare import index, named
from duban.compare.similar import Measure, corpus, measures
from duban.compare.text import as_id, plain_input, target_values
from duban.compare.vectors import pairwise
from duban.errors import DubanError, NotFound
from duban.ledger.models import Document, Task

THRESHOLD = 0.15


@dataclass
class Match:
    a: Measure
    b: Measure
    score: float
    extra: bool = False  # one side's counterpart is matched more closely elsewhere too
    reforms: list[str] = field(default_factory=list)  # named reforms both lead with

    @property
    def targets_differ(self) -> bool:
        ta, tb = target_values(self.a.text), target_values(self.b.text)
        return (ta or tb) and ta != tb

    def to_json(self) -> dict:
        return {"a": self.a.to_json(), "b": self.b.to_json(), "score": round(self.score, 4),
                "targets_differ": bool(self.targets_differ), "extra": self.extra,
                "reforms": self.reforms}


@dataclass
class Side:
    id: int
    doc: str
    title: str | None
    region: str | None
    tasks: int


@dataclass
class Comparison:
    a: Side
    b: Side
    threshold: float
    both: list[Match] = field(default_factory=list)
    only_a: list[Measure] = field(default_factory=list)
    only_b: list[Measure] = field(default_factory=list)

    @property
    def differ(self) -> list[Match]:
        return [m for m in self.both if m.targets_differ]

    def to_json(self) -> dict:
        return {"a": vars(self.a), "b": vars(self.b), "threshold": self.threshold,
                "both": [m.to_json() for m in self.both],
                "only_a": [m.to_json() for m in self.only_a],
                "only_b": [m.to_json() for m in self.only_b],
                "targets_differ": [m.to_json() for m in self.differ]}


def find_document(ref: str | int, *, session: Session) -> Document:
    """A document by id, by file name (its latest version), or by a unique part of
    its name or title."""
    raw = plain_input(ref, "文件")
    if not raw:
        raise DubanError("请指定文件（编号或文件名）")
    doc_id = as_id(raw)
    if doc_id is not None:
        doc = session.get(Document, doc_id)
        if doc is not None:
            return doc
    doc = session.scalar(select(Document).where(Document.name == raw)
                         .order_by(Document.version.desc()).limit(1))
    if doc is not None:
        return doc
    pattern = "%" + raw.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    found = list(session.scalars(select(Document).where(
        Document.name.like(pattern, escape="\\") | Document.title.like(pattern, escape="\\"))
        .order_by(Document.id).limit(6)))
    latest = {d.plan_key: d for d in found}  # later versions replace earlier ones
    if len(latest) == 1:
        return next(iter(latest.values()))
    if not latest:
        raise NotFound(f"未找到文件「{raw[:60]}」")
    names = "、".join(d.name for d in list(latest.values())[:5])
    raise DubanError(f"「{raw[:60]}」对应多个文件（{names}），请写全文件名或用编号")


def _side(session: Session, doc: Document, n: int) -> Side:
    from duban.compare.models import CompareDocument

    meta = session.get(CompareDocument, doc.id)
    return Side(doc.id, doc.name, doc.title, meta.region_name if meta else None, n)


def compare_documents(a_ref, b_ref, *, session: Session,
                      threshold: float = THRESHOLD) -> Comparison:
    """Match the live tasks of two documents and sort them into both / only A / only B."""
    if not 0 < threshold <= 1:
        raise DubanError("相似度阈值应在 0 到 1 之间")
    a, b = find_document(a_ref, session=session), find_document(b_ref, session=session)
    if a.id == b.id:
        raise DubanError("请选择两个不同的文件")
    index.ready(session)
    ids_a, ids_b = _task_ids(session, a.id), _task_ids(session, b.id)
    shown = measures(session, ids_a + ids_b)
    result = Comparison(_side(session, a, len(ids_a)), _side(session, b, len(ids_b)), threshold)
    if not ids_a or not ids_b:
        result.only_a, result.only_b = [shown[t] for t in ids_a], [shown[t] for t in ids_b]
        return result
    texts_a, texts_b = [shown[i].text for i in ids_a], [shown[i].text for i in ids_b]
    names_a, names_b = named.headline_names_all(texts_a), named.headline_names_all(texts_b)
    scores = np.minimum(1.0, pairwise(corpus(session).model, texts_a, texts_b)
                        + named.bonus_matrix(names_a, names_b))

    def match(i: int, j: int, extra: bool = False) -> Match:
        return Match(shown[ids_a[i]], shown[ids_b[j]], float(scores[i, j]), extra,
                     sorted(names_a[i] & names_b[j]))

    used_a, used_b = set(), set()
    for _, i, j in sorted(((float(scores[i, j]), i, j) for i, j in
                           zip(*np.nonzero(scores >= threshold))), reverse=True):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            result.both.append(match(i, j))
    # Leftovers with a counterpart above the threshold are in both, not "only".
    for i in range(len(ids_a)):
        j = int(scores[i].argmax())
        if i not in used_a and scores[i, j] >= threshold:
            used_a.add(i)
            result.both.append(match(i, j, extra=True))
    for j in range(len(ids_b)):
        i = int(scores[:, j].argmax())
        if j not in used_b and scores[i, j] >= threshold:
            used_b.add(j)
            result.both.append(match(i, j, extra=True))
    result.both.sort(key=lambda m: (m.a.line or 0, m.b.line or 0))
    result.only_a = [shown[t] for k, t in enumerate(ids_a) if k not in used_a]
    result.only_b = [shown[t] for k, t in enumerate(ids_b) if k not in used_b]
    return result


def _task_ids(session: Session, document_id: int) -> list[int]:
    return list(session.scalars(select(Task.id).where(Task.document_id == document_id,
                                                      Task.withdrawn.is_(False))
                                .order_by(Task.seq)))
