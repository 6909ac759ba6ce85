"""The reform adoption matrix: named reforms × regions, with each region's targets.

Rows are the reforms of a user-editable list (reforms.yaml: `include` with
aliases, `exclude` for quoted phrases that are not reforms) plus every quoted
name “…” that at least `min_documents` documents mention. A document adopts a
reform when its text names it (anywhere, quoted or not; names of digits or
Latin letters only when quoted). The targets of a cell are the numbers with
units (28个以上, 0.5天, 95%) in the sentences around each mention.
Only the latest version of each plan counts.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from duban.compare import index
from duban.compare.search import _LATEST
from duban.compare.text import squash, targets
from duban.errors import DubanError

DEFAULT_LIST = Path(__file__).resolve().parent / "reforms.yaml"
ENV_VAR = "DUBAN_REFORMS"
NO_REGION = ("", "未识别地区")
_QUOTED = re.compile(r"“([^“”]{2,16})”")
_PUNCT = re.compile(r"[，。；：？！,.;:?!（）()《》<>]")
_ASCII = re.compile(r"[0-9A-Za-z.+\-]+")
_WINDOW = 80


@dataclass
class Reform:
    name: str
    aliases: list[str] = field(default_factory=list)
    source: str = "list"  # list | quoted

    def needles(self) -> list[str]:
        """What to look for in squashed text."""
        out = []
        for n in [self.name, *self.aliases]:
            n = squash(n)
            out.append(f"“{n}”" if _ASCII.fullmatch(n) else n)
        return out


@dataclass
class ReformList:
    include: list[Reform]
    exclude: set[str]
    min_documents: int = 2


def load_list(path: str | Path | None = None) -> ReformList:
    """The reform list: `path`, else $DUBAN_REFORMS, else the shipped one."""
    source = Path(path or os.environ.get(ENV_VAR) or DEFAULT_LIST)
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise DubanError(f"{source}: cannot read the reform list: {str(e).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise DubanError(f"{source}: the reform list must be a mapping (include/exclude)")
    include = []
    for item in data.get("include") or []:
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict) or not str(item.get("name") or "").strip():
            raise DubanError(f"{source}: every include entry needs a name")
        include.append(Reform(str(item["name"]).strip(), [str(a) for a in item.get("aliases") or []]))
    return ReformList(include, {str(x).strip() for x in data.get("exclude") or []},
                      int(data.get("min_documents") or 2))


def quoted_names(body: str) -> set[str]:
    """Candidate reform names quoted in a squashed text (generic punctuation-laden
    phrases and pure numbers aside)."""
    out = set()
    for name in _QUOTED.findall(body):
        if _PUNCT.search(name) or not re.search(r"[\u4e00-\u9fff]", name):
            continue
        out.add(name)
    return out


@dataclass
class Cell:
    region_code: str
    region: str
    documents: list[str] = field(default_factory=list)
    document_ids: list[int] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    excerpts: list[str] = field(default_factory=list)
    task_ids: list[int] = field(default_factory=list)


@dataclass
class Row:
    name: str
    source: str
    cells: dict[str, Cell] = field(default_factory=dict)

    @property
    def documents(self) -> int:
        return sum(len(c.documents) for c in self.cells.values())


@dataclass
class AdoptionMatrix:
    regions: list[tuple[str, str]]  # (code, name), in code order
    rows: list[Row]

    def row(self, name: str) -> Row | None:
        return next((r for r in self.rows if r.name == name), None)

    def to_json(self) -> dict:
        return {"regions": [{"code": c, "name": n} for c, n in self.regions],
                "reforms": [{"name": r.name, "source": r.source, "documents": r.documents,
                             "regions": len(r.cells),
                             "cells": {code: asdict(c) for code, c in r.cells.items()}}
                            for r in self.rows]}


def _documents(session: Session) -> list[tuple]:
    """(id, name, squashed text, region code, region name) of latest versions."""
    rows = session.execute(text(
        "SELECT d.id, d.name, d.text, cd.region_code, cd.region_name FROM document d"
        f" LEFT JOIN compare_document cd ON cd.document_id = d.id WHERE {_LATEST} ORDER BY d.id"))
    # A tab separates table cells: a sentence boundary, not a break inside a word.
    return [(r[0], r[1], squash((r[2] or "").replace("\t", "；")), r[3] or NO_REGION[0],
             r[4] or NO_REGION[1]) for r in rows]


def _mentions(body: str, needles: list[str]) -> list[str]:
    """Excerpts (the sentence part around each mention) of a squashed text."""
    out = []
    for needle in needles:
        for m in re.finditer(re.escape(needle), body):
            start = max(body.rfind(c, 0, m.start()) for c in "。；!?！？") + 1
            start = max(start, m.start() - _WINDOW)
            ends = [i for i in (body.find(c, m.end()) for c in "。；!?！？") if i >= 0]
            end = min([*ends, m.end() + _WINDOW, len(body)])
            excerpt = body[start:end + 1].strip("；")
            if excerpt not in out:
                out.append(excerpt)
    return out


def _reforms(docs: list[tuple], lst: ReformList) -> list[Reform]:
    reforms = {r.name: r for r in lst.include}
    counts: Counter = Counter(n for d in docs for n in quoted_names(d[2]))
    for name, n in counts.items():
        if n >= lst.min_documents and name not in lst.exclude and name not in reforms:
            reforms[name] = Reform(name, source="quoted")
    return list(reforms.values())


def matrix(session: Session, *, reform_list: ReformList | None = None,
           names: list[str] | None = None) -> AdoptionMatrix:
    """The adoption matrix of the ledger's documents (only `names` if given)."""
    index.ready(session)
    lst = reform_list or load_list()
    docs = _documents(session)
    reforms = _reforms(docs, lst)
    if names:
        reforms = [r for r in reforms if r.name in set(names)] or [Reform(n) for n in names]
    rows = []
    for reform in reforms:
        row = Row(reform.name, reform.source)
        for doc_id, doc_name, body, code, region in docs:
            excerpts = _mentions(body, reform.needles())
            if not excerpts:
                continue
            cell = row.cells.setdefault(code, Cell(code, region))
            cell.documents.append(doc_name)
            cell.document_ids.append(doc_id)
            cell.excerpts.extend(excerpts[:3])
            for t in (t for e in excerpts for t in targets(e)):
                if t not in cell.targets:
                    cell.targets.append(t)
        if len({d for c in row.cells.values() for d in c.document_ids}) >= (
                1 if reform.source == "list" else lst.min_documents):
            rows.append(row)
    _attach_tasks(session, rows, {r.name: r for r in reforms})
    rows.sort(key=lambda r: (-len(r.cells), -r.documents, r.name))
    regions = sorted({(c.region_code, c.region) for r in rows for c in r.cells.values()},
                     key=lambda x: (x[0] == "", x[0]))
    return AdoptionMatrix(regions, rows)


def _attach_tasks(session: Session, rows: list[Row], reforms: dict[str, Reform]) -> None:
    """The tasks of each cell's documents that name the reform."""
    doc_ids = sorted({d for r in rows for c in r.cells.values() for d in c.document_ids})
    if not doc_ids:
        return
    by_doc: dict[int, list[tuple[int, str]]] = {}
    for task_id, doc_id, body in session.execute(text(
            "SELECT id, document_id, text FROM task WHERE document_id IN :ids AND withdrawn = :w"
            " ORDER BY id").bindparams(bindparam("ids", expanding=True)),
            {"ids": doc_ids, "w": False}):
        by_doc.setdefault(doc_id, []).append((task_id, squash(body)))
    for row in rows:
        needles = reforms[row.name].needles() if row.name in reforms else [squash(row.name)]
        for cell in row.cells.values():
            cell.task_ids = [t for d in cell.document_ids for t, body in by_doc.get(d, [])
                             if any(n in body for n in needles)]
