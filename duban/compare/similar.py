"""Similar measures: for one task, the closest tasks in *other* plans.

Scoring is character n-gram TF-IDF cosine (vectors.py), plus the named-reform
bonus when both measures lead with the same reform (named.py). Two ways to find the
candidates, one scoring:
  * up to FULL_LIMIT live tasks: every task is scored (exact); the vectors are
    kept per process and rebuilt when the ledger changes;
  * bigger ledgers: document frequencies come from a sample of SAMPLE tasks,
    and the candidates are the tasks sharing the query's rarest n-grams,
    fetched through the search index (FTS5 rank on SQLite, GIN on PostgreSQL).
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.orm import Session

from duban.compare import index, named
from duban.compare.text import MAX_ID, benchmarks, squash, targets
from duban.compare.vectors import Matrix, Model, cosine
from duban.errors import NotFound
from duban.ledger.models import Task

FULL_LIMIT = 30_000
SAMPLE = 20_000
CANDIDATES = 400
QUERY_GRAMS = 32
_cache: dict = {}
_lock = threading.Lock()


@dataclass
class Measure:
    """A task shown side by side: where it is from, who owns it, what it targets."""

    id: int
    doc: str
    document_id: int
    text: str
    score: float = 1.0
    line: int | None = None
    region: str | None = None
    region_code: str | None = None
    year: int | None = None
    lead_units: list[str] = field(default_factory=list)
    co_units: list[str] = field(default_factory=list)
    deadline: str | None = None
    targets: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class SimilarResult:
    task: Measure
    hits: list[Measure]
    method: str  # "exact" | "index"

    def to_json(self) -> dict:
        return {"task": self.task.to_json(), "method": self.method,
                "similar": [h.to_json() for h in self.hits]}


# ---- the corpus the scores are computed against ----------------------------------

@dataclass
class _Corpus:
    model: Model
    ids: list[int] = field(default_factory=list)
    plans: list[str] = field(default_factory=list)
    matrix: Matrix | None = None
    names: named.NameIndex | None = None  # headline reform names, rows as in matrix


def score(model: Model, a: str | None, b: str | None) -> float:
    """How similar two measures are: cosine plus the named-reform bonus."""
    s = cosine(model.vector(a), model.vector(b))
    return min(1.0, s + named.bonus(named.headline_names(a), named.headline_names(b)))


def _signature(session: Session, full_limit: int) -> tuple:
    """What the cached corpus depends on. Small ledgers: live tasks and their last
    edit (exact scores must follow edits); big ones: the size only (the sampled
    document frequencies barely move), read without scanning the task table twice."""
    url = str(session.get_bind().url)
    n = session.scalar(select(func.count()).select_from(Task))
    if n > full_limit:
        return ("sampled", url, n // 1000 * 1000, session.scalar(select(func.max(Task.id))) // 1000)
    row = session.execute(select(func.count(Task.id), func.max(Task.id), func.max(Task.updated_at))
                          .where(Task.withdrawn.is_(False))).one()
    return ("exact", url, row[0], row[1], str(row[2]))


def _live_rows(session: Session, where: str = "", params: dict | None = None):
    return session.execute(text(
        "SELECT t.id, t.text, d.plan_key FROM task t JOIN document d ON d.id = t.document_id"
        " WHERE t.withdrawn = :w" + where + " ORDER BY t.id"), {"w": False, **(params or {})}).all()


def corpus(session: Session, full_limit: int = FULL_LIMIT) -> _Corpus:
    """The scoring corpus for the ledger as it is now (cached per process)."""
    sig = _signature(session, full_limit) + (full_limit, named.list_key())
    with _lock:
        hit = _cache.get("corpus")
        if hit is not None and hit[0] == sig:
            return hit[1]
    if sig[0] == "exact":  # small enough to score every task
        rows = _live_rows(session)
        texts = [r[1] for r in rows]
        model = Model.fit(texts, [r[2] for r in rows])
        built = _Corpus(model, [r[0] for r in rows], [r[2] for r in rows], Matrix(model, texts),
                        named.NameIndex(named.headline_names_all(texts)))
    else:
        step = max(1, sig[2] // SAMPLE)
        rows = _live_rows(session, " AND t.id % :step = 0", {"step": step})
        built = _Corpus(Model.fit([r[1] for r in rows], [r[2] for r in rows]))
    with _lock:
        _cache["corpus"] = (sig, built)
    return built


# ---- candidates through the search index (big ledgers) ------------------------------

def _rare_grams(model: Model, body: str, size: int) -> list[str]:
    grams = {body[i:i + size] for i in range(len(body) - size + 1)}
    # Rarest first, but shared with at least one other measure: a gram only
    # the query has finds nothing.
    grams = [g for g in grams if all(ch.isalnum() and not ch.isdigit() for ch in g)
             and model.df.get(g, 0) >= 2 and g not in model.stop]
    return sorted(grams, key=lambda g: (-model.idf(g), g))[:QUERY_GRAMS]


def index_candidates(session: Session, model: Model, task_text: str, limit: int = CANDIDATES):
    """(id, text, plan_key) of tasks sharing the query's rarest n-grams."""
    body = squash(task_text)
    kind = index.dialect(session)
    if kind == "sqlite":
        grams = _rare_grams(model, body, 3)
        if not grams:
            return []
        match = " OR ".join('"' + g + '"' for g in grams)
        ids = list(session.scalars(text(
            "SELECT rowid FROM compare_task_fts WHERE compare_task_fts MATCH :m"
            " ORDER BY rank LIMIT :n"), {"m": match, "n": limit}))
    else:
        grams = _rare_grams(model, body, 2)
        if not grams:
            return []
        params = {f"g{i}": g for i, g in enumerate(grams)}
        query = " || ".join(f"plainto_tsquery('simple', :g{i})" for i in range(len(grams)))
        ids = list(session.scalars(text(
            f"SELECT task_id FROM {index.PG_TASK_TABLE} WHERE grams @@ ({query}) LIMIT :n"),
            {**params, "n": limit}))
    if not ids:
        return []
    return session.execute(text(
        "SELECT t.id, t.text, d.plan_key FROM task t JOIN document d ON d.id = t.document_id"
        " WHERE t.id IN :ids AND t.withdrawn = :w").bindparams(bindparam("ids", expanding=True)),
        {"ids": ids, "w": False}).all()


# ---- the entry point -------------------------------------------------------------------

def similar(task_id: int, *, session: Session, k: int = 10, min_score: float = 0.05,
            full_limit: int = FULL_LIMIT) -> SimilarResult:
    """The k tasks of other plans most similar to task `task_id`, best first."""
    # An id no database integer holds names no task (and must not reach the driver).
    task = session.get(Task, task_id) if 0 < task_id <= MAX_ID else None
    if task is None:
        raise NotFound(f"未找到任务 {task_id}")
    k = max(1, min(int(k), 100))
    index.ready(session)
    plan = task.document.plan_key
    data = corpus(session, full_limit)
    vector = data.model.vector(task.text)
    names = named.headline_names(task.text)
    if data.matrix is not None:
        scores = data.names.add_bonus(data.matrix.scores(vector), names)
        order = scores.argsort()[::-1]
        ranked = [(float(scores[i]), data.ids[i]) for i in order[: k * 4 + 50]
                  if data.plans[i] != plan and data.ids[i] != task_id]
        method = "exact"
    else:
        rows = [r for r in index_candidates(session, data.model, task.text)
                if r[2] != plan and r[0] != task_id]
        heads = named.headline_names_all(t for _, t, _ in rows)
        ranked = sorted(((min(1.0, cosine(vector, data.model.vector(t)) + named.bonus(names, h)), i)
                         for (i, t, _), h in zip(rows, heads)), reverse=True)
        method = "index"
    ranked = [(s, i) for s, i in ranked if s >= min_score][:k]
    shown = measures(session, [task_id] + [i for _, i in ranked])
    hits = [shown[i] for _, i in ranked]
    for (s, _), hit in zip(ranked, hits):
        hit.score = round(s, 4)
    return SimilarResult(task=shown[task_id], hits=hits, method=method)


def measures(session: Session, ids: list[int]) -> dict[int, Measure]:
    """Tasks by id with their document, region, owners, deadline and targets."""
    if not ids:
        return {}
    rows = session.execute(text(
        "SELECT t.id, d.name, t.document_id, t.text, t.line, cd.region_name, cd.region_code,"
        " d.year, t.deadline, t.deadline_text FROM task t JOIN document d ON d.id = t.document_id"
        " LEFT JOIN compare_document cd ON cd.document_id = t.document_id WHERE t.id IN :ids")
        .bindparams(bindparam("ids", expanding=True)), {"ids": ids}).all()
    out = {r[0]: Measure(id=r[0], doc=r[1], document_id=r[2], text=r[3], line=r[4], region=r[5],
                         region_code=r[6], year=r[7],
                         deadline=(r[9] or (str(r[8]) if r[8] else None)),
                         targets=targets(r[3]) + benchmarks(r[3]))
           for r in rows}
    for task_id, role, name in session.execute(text(
            "SELECT tu.task_id, tu.role, u.name FROM task_unit tu JOIN unit u ON u.id = tu.unit_id"
            " WHERE tu.task_id IN :ids ORDER BY tu.task_id, tu.pos")
            .bindparams(bindparam("ids", expanding=True)), {"ids": ids}):
        if task_id in out:
            (out[task_id].lead_units if role == "lead" else out[task_id].co_units).append(name)
    return out
