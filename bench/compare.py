"""Compare across regions: similar-measure precision@5 on the real corpus, and
search latency on a synthetic ledger of (by default) 1,000,000 tasks.

    .venv/bin/python bench/compare.py [--db URL] [--tasks 1000000] [--queries 300] [--reuse]
    .venv/bin/python bench/compare.py --precision-only

Precision: the shared corpus is imported into a scratch SQLite database and every
task of tests/compare/gold/similar_pairs.jsonl asks for its 5 most similar
measures (exact path, and the index path that ledgers above 30,000 tasks take);
then every gold pair and non-pair is scored against the `duban compare` threshold.

Latency: bench/ledger.py's generator lays out documents, units, statuses and
deadlines; each task's text is a measure of the real corpus, cut to 1-4 clauses
and with its numbers changed, so term frequencies look like a real ledger's
(企业 is in about a third of the tasks). Documents get titles naming corpus
regions, so region filters bite. Then the index is built and queries are timed
through duban.compare.search (the code path of GET /api/search): reform names,
2-character terms, several terms, and each with a region or status filter.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import ledger as ledger_bench  # noqa: E402  (bench/ledger.py: the synthetic ledger)
from sqlalchemy import func, select, text  # noqa: E402

from duban import db  # noqa: E402
from duban.ledger.models import Task  # noqa: E402

CORPUS = HERE.parents[1] / "shared" / "corpus"
GOLD = HERE.parent / "tests" / "compare" / "gold" / "similar_pairs.jsonl"
REGIONS = ("河南省", "郑州市", "驻马店市", "新乡市", "安阳市", "湖北省", "武汉市", "荆门市", "荆州市",
           "鄂州市", "黄冈市", "襄阳市", "湖南省", "岳阳市", "江西省", "赣州市", "上饶市", "宜春市")
QUERIES = {
    "reform name": ["一业一证", "一照多址", "免申即享", "首席服务员", "多测合一", "证照分离",
                    "带押过户", "一网通办", "双随机", "多报合一"],
    "2-char term": ["企业", "政务", "信用", "监管", "审批", "税费", "电子", "园区"],
    "several terms": ["电子证照 共享", "企业开办 环节", "惠企政策 兑现", "营商环境 评价",
                      "工程建设 审批 联合验收"],
    "rare phrase": ["带押过户新业务", "远程视频踏勘", "企业安静日", "一次委托成果共享"],
}


# ---- precision@5 ------------------------------------------------------------------

def precision(corpus: Path) -> dict:
    from duban.compare import evaluate, index
    from duban.compare.similar import similar
    from duban.ledger.flows import import_document

    url = db.resolve_url(str(Path(tempfile.mkdtemp()) / "corpus.db"))
    db.upgrade(url)
    sf = db.session_factory(url)
    for path in sorted(corpus.glob("*.txt")):
        import_document(path, session_factory=sf, actor="bench")
    out = {}
    with db.session_scope(sf) as s:
        index.ready(s)
        relevant, missing = evaluate.counterparts(s, evaluate.load_pairs(GOLD))
        if missing:
            print(f"  gold references not found: {missing}", file=sys.stderr)
        for label, limit in (("exact", 30_000), ("index", 0)):
            ranked = {t: [h.id for h in similar(t, session=s, k=5, full_limit=limit).hits]
                      for t in relevant}
            out[label] = evaluate.precision_at(ranked, relevant)
        out["threshold"] = threshold_accuracy(s, evaluate.load_pairs(GOLD))
    return out


def threshold_accuracy(session, pairs) -> dict:
    """How well the compare threshold sorts the gold pairs from the gold non-pairs."""
    from duban.compare import evaluate
    from duban.compare.service import THRESHOLD
    from duban.compare.similar import corpus, score

    model = corpus(session).model
    right = {True: 0, False: 0}
    total = {True: 0, False: 0}
    for p in pairs:
        a, b = (session.get(Task, evaluate.task_at(session, *ref)).text for ref in (p.a, p.b))
        total[p.same] += 1
        right[p.same] += (score(model, a, b) >= THRESHOLD) == p.same
    return {"threshold": THRESHOLD, "pairs": (right[True], total[True]),
            "non_pairs": (right[False], total[False]),
            "accuracy": (right[True] + right[False]) / max(1, total[True] + total[False])}


# ---- the synthetic ledger -------------------------------------------------------------

def corpus_measures(corpus: Path) -> list[str]:
    from duban.extract import extract
    from duban.ingest import read

    texts = []
    for path in sorted(corpus.glob("*.txt")):
        texts += [t.text for t in extract(read(path)).tasks if len(t.text) >= 20]
    return texts


def measure_maker(texts: list[str], seed: int = 5):
    """A function i -> a plausible measure: 1-4 clauses of a corpus measure,
    sometimes followed by a clause of another, numbers changed."""
    rnd = random.Random(seed)
    clauses = [[c for c in re.split(r"(?<=[，。；])", t) if c] for t in texts]

    def make(_i: int) -> str:
        parts = rnd.choice(clauses)
        start = rnd.randrange(len(parts))
        picked = parts[start:start + rnd.randint(1, 4)]
        if rnd.random() < 0.3:
            picked.append(rnd.choice(rnd.choice(clauses)))
        body = "".join(picked)
        return re.sub(r"\d+", lambda m: str(rnd.randint(1, 99)), body)[:400]

    return make


def fill(url: str, n_tasks: int, n_units: int, corpus: Path) -> float:
    make = measure_maker(corpus_measures(corpus))
    original = ledger_bench.generate_rows

    def generate_rows(n, units, seed=7):
        for task, links in original(n, units, seed):
            yield (*task[:6], make(task[0]), *task[7:]), links

    ledger_bench.generate_rows = generate_rows
    try:
        secs = ledger_bench.fill(url, n_tasks, n_units)
    finally:
        ledger_bench.generate_rows = original
    with db.get_engine(url).begin() as conn:  # titles that name a region
        ids = list(conn.scalars(text("SELECT id FROM document ORDER BY id")))
        conn.execute(text("UPDATE document SET title = :t WHERE id = :i"),
                     [{"i": i, "t": f"{REGIONS[i % len(REGIONS)]}人民政府办公室关于印发合成方案{i}的通知"}
                      for i in ids])
    return secs


# ---- latency -------------------------------------------------------------------------

def timed_queries(url: str, n: int, seed: int = 3) -> dict[str, list[float]]:
    from duban.compare import search as S

    rnd = random.Random(seed)
    sf = db.session_factory(url)
    plan = []
    for k in range(n):
        kind = list(QUERIES)[k % len(QUERIES)]
        filt = rnd.choice([S.Filters(), S.Filters(region=rnd.choice(REGIONS)),
                           S.Filters(status="in_progress")])
        plan.append((kind, rnd.choice(QUERIES[kind]), filt))
    out: dict[str, list[float]] = {}
    with sf() as s:
        S.search("企业", session=s)  # warm: structures checked, documents described
        s.commit()
        for kind, q, filt in plan[:20]:
            S.search(q, session=s, filters=filt, documents=False)
    for kind, q, filt in plan:
        with sf() as s:
            t0 = time.perf_counter()
            S.search(q, session=s, filters=filt, limit=20)
            ms = (time.perf_counter() - t0) * 1000
        label = kind + (" + filter" if filt.region or filt.status else "")
        out.setdefault(label, []).append(ms)
        out.setdefault("all", []).append(ms)
    return out


def similar_latency(url: str, n: int = 30) -> list[float]:
    from duban.compare.similar import similar

    sf = db.session_factory(url)
    with sf() as s:
        top = s.scalar(select(func.max(Task.id)))
        similar(1, session=s, k=10)  # warm the sampled model
    out = []
    for task_id in random.Random(9).sample(range(1, top + 1), n):
        with sf() as s:
            t0 = time.perf_counter()
            similar(task_id, session=s, k=10)
            out.append((time.perf_counter() - t0) * 1000)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="SQLAlchemy URL or SQLite file [default: /tmp/duban-compare-N.db]")
    ap.add_argument("--tasks", type=int, default=1_000_000)
    ap.add_argument("--units", type=int, default=2000)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--reuse", action="store_true", help="keep an already filled database")
    ap.add_argument("--precision-only", action="store_true")
    args = ap.parse_args(argv)
    print("duban compare bench")
    scores = precision(args.corpus)
    t = scores.pop("threshold")
    for label, r in scores.items():
        print(f"similar measures ({label} path), {r['queries']} gold queries: "
              f"precision@5 {r['p@5']:.3f} (of 5 slots), {r['p@5_norm']:.3f} (of min(5, known "
              f"counterparts)); hit@5 {r['hit@5']:.3f}; MRR {r['mrr']:.3f}")
    print(f"compare threshold {t['threshold']}: {t['accuracy']:.3f} of gold pairs sorted right "
          f"(pairs matched {t['pairs'][0]}/{t['pairs'][1]}, non-pairs kept apart "
          f"{t['non_pairs'][0]}/{t['non_pairs'][1]})")
    if args.precision_only:
        return 0
    url = db.resolve_url(args.db or f"/tmp/duban-compare-{args.tasks}.db")
    have = ledger_bench.open_ledger(url, f"search latency — {{dialect}}, {args.tasks:,} tasks", args.reuse)
    if have is None:
        return 2
    if not have:
        secs = fill(url, args.tasks, args.units, args.corpus)
        print(f"\ngenerated {args.tasks:,} tasks in {secs:.1f} s")
        from duban.compare import flows

        t0 = time.perf_counter()
        with db.session_scope(db.session_factory(url)) as s:
            flows.reindex(s)
        print(f"built the search index in {time.perf_counter() - t0:.1f} s")
    results = timed_queries(url, args.queries)
    sims = similar_latency(url)
    ledger_bench.latency_table({**dict(sorted(results.items(), key=lambda kv: kv[0] == "all")),
                                "similar (k=10)": sims}, "queries", width=28)
    print(f"search latency p95: {ledger_bench.p95(results['all']):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
