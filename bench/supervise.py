"""Time `duban supervise run` on a synthetic ledger.

    .venv/bin/python bench/supervise.py [--db URL] [--tasks 1000000] [--reported 0.9] [--reuse]

Fills the ledger with bench/ledger.py's generator (N tasks, 2,000 units with a
Zipf-like skew), sets a monthly schedule, marks a share of the open tasks as
reported for the cycle that just fell due (bulk insert), then times:
  misses      — the query finding every (unit, cycle) with overdue or unreported tasks;
  run         — the whole `supervise run` (misses + one transaction, one .docx
                letter, notifications and audit per unit) into a temp dir;
  rerun       — the same day again (nothing new: the check that no miss is lettered twice);
  dashboard   — the leader dashboard (status lights counted per unit).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import ledger as ledger_bench  # noqa: E402  (bench/ledger.py: the ledger engineer's generator)
from sqlalchemy import text  # noqa: E402

from duban import db  # noqa: E402

TODAY = dt.date(2026, 6, 1)  # after the 2026-05 cycle fell due (Monday 25 May)


def fill(url: str, n_tasks: int, n_units: int) -> None:
    secs = ledger_bench.fill(url, n_tasks, n_units)
    # The generator stamps tasks "now"; make them older than the cycle so they owe a report.
    with db.get_engine(url).begin() as conn:
        conn.execute(text("UPDATE task SET created_at = :t"), {"t": dt.datetime(2026, 1, 1)})
    print(f"\ngenerated {n_tasks:,} tasks in {secs:.1f} s")


def prepare(url: str, reported: float, seed: int = 5) -> int:
    """Schedule from 2026-05 and reports for a share of the tasks due then."""
    from duban.supervise import service
    from duban.supervise.models import ProgressReport

    sf = db.session_factory(url)
    with sf() as s, s.begin():
        sch = service.set_schedule(session=s, actor="bench", start_period="2026-05")
        cycles = service.all_cycles(TODAY, session=s)[0][1]
        cycle = next(c for c in cycles if c.period == "2026-05")
        s.execute(text("DELETE FROM progress_report"))
        assert sch.id
    rnd = random.Random(seed)
    engine = db.get_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT task_id, unit_id FROM task_unit WHERE role = 'lead'"
                                 " AND status != 'done'")).all()
    now = dt.datetime(2026, 5, 20, tzinfo=dt.timezone.utc)
    values = [{"task_id": t, "cycle_id": cycle.id, "unit_id": u, "status": "submitted",
               "progress": "bench", "percent": 50, "problems": "", "revision": 1,
               "submitted_at": now, "created_at": now, "updated_at": now}
              for t, u in rows if rnd.random() < reported]
    with engine.begin() as conn:
        for i in range(0, len(values), 50_000):
            conn.execute(ProgressReport.__table__.insert(), values[i:i + 50_000])
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
    return len(values)


def timed(label: str, fn):
    t0 = time.perf_counter()
    value = fn()
    secs = time.perf_counter() - t0
    print(f"{label:12} {secs:9.2f} s")
    return value, secs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="SQLAlchemy URL or SQLite file [default: /tmp/duban-bench-sup-N.db]")
    ap.add_argument("--tasks", type=int, default=1_000_000)
    ap.add_argument("--units", type=int, default=2000)
    ap.add_argument("--reported", type=float, default=0.9, help="share of tasks reported on time")
    ap.add_argument("--reuse", action="store_true", help="keep an already filled ledger")
    args = ap.parse_args(argv)
    url = db.resolve_url(args.db or f"/tmp/duban-bench-sup-{args.tasks}.db")
    have = ledger_bench.open_ledger(url, f"duban supervise bench — {{dialect}}, {args.tasks:,} tasks, "
                                         f"{args.units:,} units, today {TODAY}", args.reuse)
    if have is None:
        return 2
    if not have:
        fill(url, args.tasks, args.units)
    with db.get_engine(url).begin() as conn:  # a rerun of the bench starts with no letters
        for table in ("notification", "letter_task", "letter"):
            conn.execute(text(f"DELETE FROM {table}"))
    n = prepare(url, args.reported)
    print(f"{n:,} reports filed for 2026-05 ({args.reported:.0%} of open lead tasks)")
    from duban.supervise import flows, lights
    from duban.supervise.settings import Settings

    sf = db.session_factory(url)
    with sf() as s:
        misses, _ = timed("misses", lambda: flows.find_misses(TODAY, session=s))
    print(f"             {len(misses):,} units with misses, "
          f"{sum(len(m.tasks) for m in misses):,} tasks overdue or unreported")
    out = Path(tempfile.mkdtemp(prefix="duban-bench-letters-"))
    settings = Settings(data_dir=out / "data")
    result, secs = timed("run", lambda: flows.run(session_factory=sf, today=TODAY, settings=settings,
                                                  out_dir=out / "out"))
    print(f"             {len(result.issued):,} letters ({len(result.issued) / secs:.1f}/s) in {out}")
    again, _ = timed("rerun", lambda: flows.run(session_factory=sf, today=TODAY, settings=settings))
    assert again.issued == [], "a second run issued letters"
    with sf() as s:
        rows, _ = timed("dashboard", lambda: lights.unit_counts(TODAY, session=s))
    print(f"             {len(rows):,} units on the dashboard")
    print(f"supervise run on {args.tasks:,} tasks: {secs:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
