"""Ledger at scale: generate a synthetic ledger and time the queries people wait on.

    .venv/bin/python bench/ledger.py [--db URL] [--tasks 1000000] [--queries 300] [--reuse]
    .venv/bin/python bench/ledger.py --import-corpus [DIR] [--db URL]

Generates N tasks in N/500 documents, assigned to 2,000 units with a Zipf-like
skew (the biggest unit leads ~12% of all tasks, as a 发改委 would), then
measures through duban.ledger.service, the code path the web app uses:
  unit page  — a unit's open tasks by deadline, first page of 20;
  task list  — GET /api/tasks?unit=… : the unit's tasks, default order, page of 50;
  unit count — how many open tasks the unit has (for a page header).
Units are drawn half by task weight (big units often), half uniformly; the
biggest unit is also timed on its own. Goal: p95 < 100 ms.
Bulk loading uses executemany on SQLite and COPY on PostgreSQL.

--import-corpus times the real import (read, extract, store; one transaction
per document) of every file in the corpus into an empty database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select, text  # noqa: E402

from duban import db  # noqa: E402
from duban.ledger import service  # noqa: E402
from duban.ledger.models import NO_DEADLINE, Task, Unit  # noqa: E402

TASKS_PER_DOC = 500
BATCH = 50_000
STATUSES = ("not_started", "in_progress", "done")
VERBS = ("推进", "深化", "完善", "落实", "优化", "建立", "健全", "强化")
OBJECTS = ("政务服务一网通办", "市场准入负面清单", "涉企收费清理", "信用监管体系", "项目审批提速",
           "融资服务对接", "知识产权保护", "要素保障机制", "招标投标规范", "惠企政策直达")


def unit_weights(n_units: int) -> list[float]:
    return [1.0 / (rank + 1) for rank in range(n_units)]


def generate_rows(n_tasks: int, n_units: int, seed: int = 7):
    """Yield (task row, [task_unit rows]) tuples, deterministic for a seed."""
    rnd = random.Random(seed)
    weights = unit_weights(n_units)
    cum = []
    total = 0.0
    for w in weights:
        total += w
        cum.append(total)
    day0 = dt.date(2024, 1, 1)
    now = dt.datetime.now(dt.timezone.utc)
    for i in range(1, n_tasks + 1):
        deadline = None if rnd.random() < 0.1 else day0 + dt.timedelta(days=rnd.randrange(1460))
        seq = (i - 1) % TASKS_PER_DOC + 1
        task = (i, (i - 1) // TASKS_PER_DOC + 1, seq, f"一/{seq}", seq * 2, seq * 2,
                f"{rnd.choice(VERBS)}{rnd.choice(OBJECTS)}工作，第{i}项任务。", "", deadline,
                None, deadline is None, rnd.choices(STATUSES, (5, 3, 2))[0], "", False, "bench",
                now, now)
        units = rnd.choices(range(1, n_units + 1), cum_weights=cum, k=1 + rnd.randrange(3))
        due = deadline or NO_DEADLINE
        seen, links = set(), []
        for pos, unit_id in enumerate(units):
            if unit_id not in seen:
                seen.add(unit_id)
                role = "lead" if pos == 0 else "co"
                links.append((i, unit_id, role, pos if pos == 0 else pos - 1, "", due,
                              task[11], False))
        yield task, links


TASK_COLS = ("id", "document_id", "seq", "heading_path", "line", "end_line", "text", "leaders",
             "deadline", "deadline_text", "ongoing", "status", "progress", "withdrawn", "rule",
             "created_at", "updated_at")
LINK_COLS = ("task_id", "unit_id", "role", "pos", "surface", "due", "status", "withdrawn")


def fill(url: str, n_tasks: int, n_units: int) -> float:
    """Load the synthetic ledger; returns seconds taken."""
    engine = db.get_engine(url)
    t0 = time.perf_counter()
    n_docs = (n_tasks + TASKS_PER_DOC - 1) // TASKS_PER_DOC
    now = dt.datetime.now(dt.timezone.utc)
    docs = [(d, f"bench{d:064d}"[-64:], f"bench{d:064d}"[-64:], 1, f"bench-{d}.txt", "txt",
             f"合成方案{d}", "合成文本", now) for d in range(1, n_docs + 1)]
    units = [(u, f"合成单位{u:04d}", now) for u in range(1, n_units + 1)]
    raw = engine.raw_connection()
    try:
        if engine.dialect.name == "postgresql":
            _fill_pg(raw.driver_connection, docs, units, n_tasks, n_units)
        else:
            _fill_sqlite(raw.driver_connection, docs, units, n_tasks, n_units)
    finally:
        raw.close()
    # Statistics for the planner; on PostgreSQL also the visibility map that
    # index-only scans need (autovacuum would do the same on a live server).
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
    return time.perf_counter() - t0


def _fill_sqlite(conn, docs, units, n_tasks, n_units) -> None:
    cur = conn.cursor()
    cur.execute("PRAGMA synchronous=OFF")
    cur.execute("BEGIN")
    cur.executemany("INSERT INTO document (id, sha256, plan_key, version, name, format, title, text,"
                    " imported_at) VALUES (?,?,?,?,?,?,?,?,?)", [_sqlite_row(r) for r in docs])
    cur.executemany("INSERT INTO unit (id, name, created_at) VALUES (?,?,?)",
                    [_sqlite_row(r) for r in units])
    task_sql = f"INSERT INTO task ({', '.join(TASK_COLS)}) VALUES ({', '.join('?' * len(TASK_COLS))})"
    link_sql = f"INSERT INTO task_unit ({', '.join(LINK_COLS)}) VALUES ({', '.join('?' * len(LINK_COLS))})"
    tasks, links = [], []
    for task, task_links in generate_rows(n_tasks, n_units):
        tasks.append(_sqlite_row(task))
        links.extend(task_links)
        if len(tasks) >= BATCH:
            cur.executemany(task_sql, tasks)
            cur.executemany(link_sql, [_sqlite_row(r) for r in links])
            tasks, links = [], []
            _progress(task[0], n_tasks)
    cur.executemany(task_sql, tasks)
    cur.executemany(link_sql, [_sqlite_row(r) for r in links])
    cur.execute("COMMIT")


def _sqlite_row(row: tuple) -> tuple:
    """Values as SQLAlchemy stores them in SQLite: naive UTC timestamps, ISO dates."""
    return tuple(v.astimezone(dt.timezone.utc).replace(tzinfo=None).isoformat(" ")
                 if isinstance(v, dt.datetime) else v.isoformat() if isinstance(v, dt.date)
                 else v for v in row)


def _fill_pg(conn, docs, units, n_tasks, n_units) -> None:
    with conn.cursor() as cur:
        with cur.copy("COPY document (id, sha256, plan_key, version, name, format, title, text,"
                      " imported_at) FROM STDIN") as cp:
            for row in docs:
                cp.write_row(row)
        with cur.copy("COPY unit (id, name, created_at) FROM STDIN") as cp:
            for row in units:
                cp.write_row(row)
        links = []
        with cur.copy(f"COPY task ({', '.join(TASK_COLS)}) FROM STDIN") as cp:
            for task, task_links in generate_rows(n_tasks, n_units):
                cp.write_row(task)
                links.extend(task_links)
                if task[0] % BATCH == 0:
                    _progress(task[0], n_tasks)
        with cur.copy(f"COPY task_unit ({', '.join(LINK_COLS)}) FROM STDIN") as cp:
            for row in links:
                cp.write_row(row)
        for table in ("document", "unit", "task"):  # ids were given explicitly
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                        f" (SELECT max(id) FROM {table}))")
    conn.commit()


def _progress(done: int, total: int) -> None:
    print(f"\r  loaded {done:,}/{total:,} tasks", end="", file=sys.stderr, flush=True)


def _time(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def measure(url: str, n_queries: int, seed: int = 11) -> dict[str, list[float]]:
    sf = db.session_factory(url)
    rnd = random.Random(seed)
    with sf() as s:
        names = list(s.scalars(select(Unit.name).order_by(Unit.id)))
    weights = unit_weights(len(names))
    picks = [rnd.choices(names, weights)[0] if k % 2 == 0 else rnd.choice(names)
             for k in range(n_queries)]
    open_status = ["not_started", "in_progress"]

    def unit_page(name):
        with sf() as s:
            service.list_tasks(session=s, unit=name, status=open_status, limit=20)

    def task_list(name):
        with sf() as s:
            service.list_tasks(session=s, unit=name, limit=50)

    def unit_count(name):
        with sf() as s:
            service.count_tasks(session=s, unit=name, status=open_status)

    out = {}
    for label, fn in (("unit page", unit_page), ("task list ?unit=", task_list),
                      ("unit count", unit_count)):
        for name in picks[:20]:  # warm caches and prepared statements
            fn(name)
        out[label] = [_time(lambda: fn(name)) for name in picks]
        out[label + " (biggest unit)"] = [_time(lambda: fn(names[0])) for _ in range(30)]
    return out


def import_corpus(url: str, corpus: Path) -> int:
    from duban.ledger import flows

    files = sorted(p for p in corpus.iterdir() if p.is_file())
    sf = db.session_factory(url)
    with sf() as s:
        if s.scalar(select(func.count()).select_from(Task)):
            print("database is not empty: give a new --db", file=sys.stderr)
            return 2
    tasks = failed = 0
    t0 = time.perf_counter()
    for path in files:
        try:
            tasks += flows.import_document(path, session_factory=sf, actor="bench").tasks
        except Exception as e:  # report and go on, as `duban import` does
            failed += 1
            print(f"  {path.name}: {e}", file=sys.stderr)
    secs = time.perf_counter() - t0
    print(f"imported {len(files) - failed}/{len(files)} documents, {tasks:,} tasks in {secs:.2f} s "
          f"({tasks / secs:,.0f} tasks/s, {secs / len(files) * 1000:.0f} ms/document)")
    return 1 if failed else 0


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[94] if len(values) > 1 else values[0]


def open_ledger(url: str, title: str, reuse: bool) -> int | None:
    """Migrate the bench database, print `title` ({dialect} filled in) and return
    how many tasks it already holds; None, said on stderr, when it holds some and
    --reuse was not given (a bench never adds a second ledger to the first)."""
    db.upgrade(url)
    with db.session_factory(url)() as s:
        have = s.scalar(select(func.count()).select_from(Task))
    print(title.format(dialect=db.get_engine(url).dialect.name))
    if have and not reuse:
        print(f"database already holds {have:,} tasks: use --reuse or a new --db", file=sys.stderr)
        return None
    return have


def latency_table(results: dict[str, list[float]], heading: str, width: int = 34) -> None:
    """One row per case: n, p50, p95 and max in milliseconds."""
    print(f"{heading:{width}} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for label, values in results.items():
        print(f"{label:{width}} {len(values):5d} {statistics.median(values):8.1f} {p95(values):8.1f} "
              f"{max(values):8.1f}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="SQLAlchemy URL or SQLite file [default: /tmp/duban-bench-N.db]")
    ap.add_argument("--tasks", type=int, default=1_000_000)
    ap.add_argument("--units", type=int, default=2000)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--reuse", action="store_true", help="keep an already filled database")
    ap.add_argument("--import-corpus", nargs="?", type=Path, metavar="DIR",
                    const=Path(__file__).resolve().parents[2] / "shared" / "corpus",
                    help="time importing a corpus instead [default DIR: ../shared/corpus]")
    args = ap.parse_args(argv)
    if args.import_corpus:
        import tempfile

        url = db.resolve_url(args.db or str(Path(tempfile.mkdtemp()) / "corpus.db"))
        db.upgrade(url)
        print(f"duban corpus import bench — {db.get_engine(url).dialect.name}, {args.import_corpus}")
        return import_corpus(url, args.import_corpus)
    url = db.resolve_url(args.db or f"/tmp/duban-bench-{args.tasks}.db")
    have = open_ledger(url, f"duban ledger bench — {{dialect}}, {args.tasks:,} tasks, {args.units:,} units",
                       args.reuse)
    if have is None:
        return 2
    if not have:
        secs = fill(url, args.tasks, args.units)
        print(f"\ngenerated {args.tasks:,} tasks in {secs:.1f} s ({args.tasks / secs:,.0f} tasks/s)")
    else:
        print(f"reusing {have:,} tasks")
    results = measure(url, args.queries)
    latency_table(results, "query")
    worst = max(p95(values) for label, values in results.items() if "count" not in label)
    print(f"worst p95 of page queries: {worst:.1f} ms — goal < 100 ms: "
          f"{'met' if worst < 100 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
