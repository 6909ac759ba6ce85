#!/usr/bin/env python3
"""Extraction figures: record/task F1 against ../shared/gold, throughput, linearity.

usage: python bench/extract.py [--corpus DIR] [--gold DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from duban.extract import extract  # noqa: E402
from duban.extract.output import to_jsonl  # noqa: E402
from duban.ingest import read  # noqa: E402
from duban.ingest.source import Source  # noqa: E402


def score(corpus: Path, gold: Path) -> list[str]:
    exs = [extract(read(p)) for p in sorted(corpus.glob("*.txt"))]
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        f.write(to_jsonl(exs))
    out = subprocess.run([sys.executable, str(gold.parent / "eval" / "score.py"), str(gold), f.name],
                         capture_output=True, text=True, check=True).stdout
    os.unlink(f.name)
    return out.strip().splitlines()[-2:]


def best_time(fn, repeat: int) -> float:
    """Best of `repeat` runs with the cyclic GC paused, as timeit measures."""
    times = []
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        finally:
            gc.enable()
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=Path(os.environ.get("DUBAN_CORPUS", ROOT.parent / "shared" / "corpus")))
    ap.add_argument("--gold", type=Path, default=Path(os.environ.get("DUBAN_GOLD", ROOT.parent / "shared" / "gold")))
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    if not a.corpus.is_dir():
        sys.exit(f"corpus not found at {a.corpus} (set DUBAN_CORPUS)")

    print("== accuracy against", a.gold)
    for line in score(a.corpus, a.gold):
        print(line)

    sources = [read(p) for p in sorted(a.corpus.glob("*.txt"))]
    size = sum(len(s.text.encode("utf-8")) for s in sources)
    t = best_time(lambda: [extract(s) for s in sources], a.repeat)
    print(f"\n== throughput (one process, one core)\ncorpus: {len(sources)} documents, {size / 1e6:.2f} MB of text")
    print(f"extract: {t:.3f} s → {size / 1e6 / t:.2f} MB/s")
    paths = sorted(a.corpus.glob("*.txt"))
    t = best_time(lambda: [extract(read(p)) for p in paths], a.repeat)
    print(f"read + extract: {t:.3f} s → {size / 1e6 / t:.2f} MB/s (goal ≥ 1 MB/s)")

    lines = [x for s in sources for x in s.lines]
    one = Source(name="x1.txt", lines=lines)
    ten = Source(name="x10.txt", lines=lines * 10)
    t1 = best_time(lambda: extract(one), a.repeat)
    t10 = best_time(lambda: extract(ten), a.repeat)
    print(f"\n== linearity (the whole corpus as one document)\n1x: {t1:.3f} s   10x: {t10:.3f} s   "
          f"ratio {t10 / t1:.2f} (goal ≤ 11)")


if __name__ == "__main__":
    main()
