"""Full-text search over tasks and documents, for Chinese, with filters.

Every query term must occur (AND) as a substring of the squashed text. Terms
of three or more characters are trigram phrases on SQLite and bigram phrases
on PostgreSQL; two-character terms (企业) use the trigrams that start with
them (SQLite) or their one bigram (PostgreSQL).

Ranking is bounded for big ledgers: the newest CAP matches that pass the
filters are fetched in index order (the query stops there), then ranked in
Python (BM25-like: term frequency, text length, longer terms weigh more, a
match in the heading path counts). `total` is exact below CAP, else "CAP+".
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from duban.compare import index, regions
from duban.compare.text import QueryError, plain_input, query_terms, snippet, squash
from duban.errors import DubanError
from duban.ledger import service as ledger
from duban.ledger.fields import parse_status

CAP = 1000  # task matches ranked per query
DOC_CAP = 200
MAX_LIMIT = 200
_K1, _B, _AVG = 1.2, 0.75, 80.0


@dataclass
class Filters:
    """What a search is narrowed to; values as people type them."""

    region: str | None = None
    year: int | str | None = None
    issuer: str | None = None
    unit: str | None = None
    status: str | None = None
    document: int | None = None
    include_withdrawn: bool = False


@dataclass
class TaskHit:
    id: int
    doc: str
    document_id: int
    text: str
    score: float
    snippet: str
    line: int | None = None
    heading_path: str = ""
    status: str = ""
    region: str | None = None
    region_code: str | None = None
    year: int | None = None
    issuer: str | None = None
    lead_units: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class DocHit:
    id: int
    doc: str
    title: str | None
    count: int
    snippet: str
    region: str | None = None
    region_code: str | None = None
    year: int | None = None
    doc_type: str | None = None

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class SearchResult:
    query: str
    terms: list[str]
    tasks: list[TaskHit]
    total: int
    capped: bool
    documents: list[DocHit] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"query": self.query, "terms": self.terms, "total": self.total,
                "capped": self.capped, "tasks": [h.to_json() for h in self.tasks],
                "documents": [d.to_json() for d in self.documents]}


# ---- filters -----------------------------------------------------------------

def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _filter_sql(f: Filters, session: Session, *, tasks: bool) -> tuple[list[str], dict]:
    """SQL conditions (on t = task, d = document, cd = compare_document) and params."""
    where, params = [], {}
    if f.region not in (None, ""):
        params["region"] = regions.resolve(plain_input(f.region, "地区")).prefix + "%"
        where.append("cd.region_code LIKE :region")
    if f.year not in (None, ""):
        year = plain_input(f.year, "年份")
        if not (len(year) == 4 and year.isascii() and year.isdigit()):
            raise QueryError(f"年份「{year[:20]}」无效，应为四位数字")
        params["year"] = int(year)
        where.append("d.year = :year")
    if f.issuer not in (None, ""):
        params["issuer"] = _like(plain_input(f.issuer, "发文机关"))
        where.append("(cd.issuer LIKE :issuer ESCAPE '\\' OR d.title LIKE :issuer ESCAPE '\\')")
    if not tasks:
        return where, params
    if f.unit not in (None, ""):
        params["unit"] = ledger.get_unit(plain_input(f.unit, "单位"), session=session).id
        where.append("EXISTS (SELECT 1 FROM task_unit tu WHERE tu.task_id = t.id"
                     " AND tu.unit_id = :unit)")
    if f.status not in (None, ""):
        params["status"] = parse_status(plain_input(f.status, "状态"))
        where.append("t.status = :status")
    if f.document not in (None, ""):
        params["document"] = int(f.document)
        where.append("t.document_id = :document")
    if not f.include_withdrawn:
        params["withdrawn"] = False
        where.append("t.withdrawn = :withdrawn")
    return where, params


_TASK_JOINS = (" JOIN document d ON d.id = t.document_id"
               " LEFT JOIN compare_document cd ON cd.document_id = t.document_id")
_DOC_JOINS = " LEFT JOIN compare_document cd ON cd.document_id = d.id"
_LATEST = ("NOT EXISTS (SELECT 1 FROM document n WHERE n.plan_key = d.plan_key"
           " AND n.version > d.version)")


# ---- match expressions ----------------------------------------------------------

def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def sqlite_match(session: Session, terms: list[str], vocab: str) -> str | None:
    """An FTS5 MATCH string; None when some term occurs nowhere."""
    parts = []
    for term in terms:
        if len(term) >= 3:
            parts.append(_quote(term))
            continue
        grams = [g for g in session.scalars(
            text(f"SELECT term FROM {vocab} WHERE term >= :lo AND term < :hi"),
            {"lo": term, "hi": term + "\U0010ffff"}) if g.startswith(term)]
        if not grams:
            return None
        parts.append("(" + " OR ".join(_quote(g) for g in grams) + ")")
    return " AND ".join(parts)


def _has_bigram(term: str) -> bool:
    return any(a.isalnum() and b.isalnum() for a, b in zip(term, term[1:]))


def pg_task_condition(terms: list[str], params: dict) -> str:
    """The PostgreSQL condition for tasks (g = compare_task_tsv): a bigram phrase
    per term, answered by the GIN index."""
    phrases, scans = [], []
    for i, term in enumerate(terms):
        params[f"q{i}"] = term
        if _has_bigram(term):
            phrases.append(f"phraseto_tsquery('simple', {index.PG_GRAMS}(:q{i}))")
        else:  # "2.0": no bigram to look up
            params[f"l{i}"] = _like(term)
            scans.append(f"{index.PG_SQUASH}(t.text) LIKE :l{i} ESCAPE '\\'")
    conds = [f"g.grams @@ ({' && '.join(phrases)})"] if phrases else []
    return " AND ".join(conds + scans)


# ---- tasks ---------------------------------------------------------------------------

def _task_candidates(session: Session, terms: list[str], f: Filters, cap: int) -> list[tuple]:
    where, params = _filter_sql(f, session, tasks=True)
    params["cap"] = cap
    kind = index.dialect(session)
    cols = "t.id, t.text, t.heading_path"
    if kind == "sqlite":
        match = sqlite_match(session, terms, "compare_task_vocab")
        if match is None:
            return []
        params["match"] = match
        sql = (f"SELECT {cols} FROM compare_task_fts f JOIN task t ON t.id = f.rowid{_TASK_JOINS}"
               f" WHERE f.body MATCH :match" + "".join(f" AND {w}" for w in where)
               + " ORDER BY f.rowid DESC LIMIT :cap")
    elif kind == "postgresql":
        cond = pg_task_condition(terms, params)
        sql = (f"SELECT {cols} FROM {index.PG_TASK_TABLE} g JOIN task t ON t.id = g.task_id"
               f"{_TASK_JOINS} WHERE {cond}" + "".join(f" AND {w}" for w in where)
               + " ORDER BY g.task_id DESC LIMIT :cap")
    else:
        raise DubanError(f"检索需要 SQLite 或 PostgreSQL 数据库（当前为 {kind}）")
    return [tuple(r) for r in session.execute(text(sql), params)]


def score(body: str, heading: str, terms: list[str]) -> float:
    """BM25-like relevance of one squashed text to the terms."""
    total, norm = 0.0, _K1 * (1 - _B + _B * len(body) / _AVG)
    for term in terms:
        tf = body.count(term)
        weight = math.log(1 + len(term))
        total += weight * tf * (_K1 + 1) / (tf + norm) if tf else 0.0
        if term in heading:
            total += 0.3 * weight
    return round(total, 4)


def _describe_hits(session: Session, hits: list[TaskHit]) -> None:
    """Fill document name, region, status and lead units of the hits shown."""
    if not hits:
        return
    ids = [h.id for h in hits]
    rows = session.execute(text(
        "SELECT t.id, t.document_id, d.name, t.line, t.status, d.year, cd.region_name,"
        " cd.region_code, cd.issuer FROM task t JOIN document d ON d.id = t.document_id"
        " LEFT JOIN compare_document cd ON cd.document_id = t.document_id WHERE t.id IN :ids")
        .bindparams(bindparam("ids", expanding=True)), {"ids": ids})
    by_id = {r[0]: r for r in rows}
    leads: dict[int, list[str]] = {}
    for task_id, name in session.execute(text(
            "SELECT tu.task_id, u.name FROM task_unit tu JOIN unit u ON u.id = tu.unit_id"
            " WHERE tu.task_id IN :ids AND tu.role = 'lead' ORDER BY tu.task_id, tu.pos")
            .bindparams(bindparam("ids", expanding=True)), {"ids": ids}):
        leads.setdefault(task_id, []).append(name)
    for h in hits:
        r = by_id[h.id]
        h.document_id, h.doc, h.line, h.status, h.year = r[1], r[2], r[3], r[4], r[5]
        h.region, h.region_code, h.issuer = r[6], r[7], r[8]
        h.lead_units = leads.get(h.id, [])


def search_tasks(terms: list[str], *, session: Session, filters: Filters | None = None,
                 limit: int = 20, offset: int = 0, cap: int = CAP) -> tuple[list[TaskHit], int, bool]:
    """(hits of this page, total, capped) for already-parsed terms."""
    rows = _task_candidates(session, terms, filters or Filters(), cap)
    ranked = sorted(((score(squash(t), squash(h), terms), i, t, h) for i, t, h in rows),
                    key=lambda x: (-x[0], -x[1]))
    page = [TaskHit(id=i, doc="", document_id=0, text=t, score=s, snippet=snippet(t, terms),
                    heading_path=h or "") for s, i, t, h in ranked[offset:offset + limit]]
    _describe_hits(session, page)
    return page, len(rows), len(rows) >= cap


# ---- documents --------------------------------------------------------------------

def search_documents(terms: list[str], *, session: Session, filters: Filters | None = None,
                     limit: int = 20, cap: int = DOC_CAP) -> list[DocHit]:
    """Latest versions of documents whose text has every term, most mentions first."""
    where, params = _filter_sql(filters or Filters(), session, tasks=False)
    params["cap"] = cap
    kind = index.dialect(session)
    cols = "d.id"
    if kind == "sqlite":
        match = sqlite_match(session, terms, "compare_doc_vocab")
        if match is None:
            return []
        params["match"] = match
        sql = (f"SELECT {cols} FROM compare_doc_fts f JOIN document d ON d.id = f.rowid{_DOC_JOINS}"
               f" WHERE f.body MATCH :match AND {_LATEST}" + "".join(f" AND {w}" for w in where)
               + " ORDER BY f.rowid DESC LIMIT :cap")
    else:
        conds = []
        for i, term in enumerate(terms):
            params[f"l{i}"] = _like(term)
            conds.append(f"{index.PG_SQUASH}(d.text) LIKE :l{i} ESCAPE '\\'")
        sql = (f"SELECT {cols} FROM document d{_DOC_JOINS} WHERE {' AND '.join(conds)}"
               f" AND {_LATEST}" + "".join(f" AND {w}" for w in where)
               + " ORDER BY d.id DESC LIMIT :cap")
    ids = list(session.scalars(text(sql), params))
    return _document_hits(session, ids, terms)[:limit]


def _document_hits(session: Session, ids: list[int], terms: list[str]) -> list[DocHit]:
    if not ids:
        return []
    rows = session.execute(text(
        "SELECT d.id, d.name, d.title, d.text, d.year, cd.region_name, cd.region_code, cd.doc_type"
        " FROM document d LEFT JOIN compare_document cd ON cd.document_id = d.id WHERE d.id IN :ids")
        .bindparams(bindparam("ids", expanding=True)), {"ids": ids})
    hits = []
    for r in rows:
        body = squash(r[3])
        count = sum(body.count(t) for t in terms)
        hits.append(DocHit(id=r[0], doc=r[1], title=r[2], count=count, snippet=snippet(r[3], terms),
                           year=r[4], region=r[5], region_code=r[6], doc_type=r[7]))
    return sorted(hits, key=lambda h: (-h.count, -h.id))


# ---- the one entry point -----------------------------------------------------------

def search(query: str | None, *, session: Session, filters: Filters | None = None,
           limit: int = 20, offset: int = 0, documents: bool = True,
           cap: int = CAP) -> SearchResult:
    """Tasks (and documents) matching every term of `query`, best first."""
    terms = query_terms(query)
    limit = _bounded(limit, "limit", 1, MAX_LIMIT)
    offset = _bounded(offset, "offset", 0, cap)
    index.ready(session)
    hits, total, capped = search_tasks(terms, session=session, filters=filters, limit=limit,
                                       offset=offset, cap=cap)
    docs = search_documents(terms, session=session, filters=filters) if documents else []
    return SearchResult(query=query or "", terms=terms, tasks=hits, total=total, capped=capped,
                        documents=docs)


def _bounded(value, name: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise QueryError(f"{name} 应为整数") from None
    if not low <= number <= high:
        raise QueryError(f"{name} 应在 {low} 到 {high} 之间")
    return number
