#!/usr/bin/env python3
"""Indicator statement extraction: precision / recall / F1 against our own gold.

Gold: tests/indicators/gold/{s000,s001,s004}.jsonl (see NOTES.md there). A found
statement matches a gold one of the same document when its line is within ±2, its
primary value (our value, else the target value) is equal, and its name is similar
(rapidfuzz max(ratio, partial_ratio) ≥ 60 on quote- and space-free names). Each gold
statement matches at most one found statement. Field accuracy is then reported over
the matched pairs.

usage: python bench/indicators.py [--corpus DIR] [--gold DIR] [-v]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz  # noqa: E402

from duban.indicators import extract_indicators  # noqa: E402
from duban.indicators.registry import key  # noqa: E402
from duban.ingest import read  # noqa: E402

FIELDS = ("unit", "average", "best", "best_region", "rank", "value", "target_value",
          "target_comparator", "target_year", "higher_is_better")
LINE_TOLERANCE = 2
NAME_THRESHOLD = 60


def primary(r: dict):
    return r["value"] if r.get("value") is not None else r.get("target_value")


def similar(a: str, b: str) -> float:
    a, b = key(a), key(b)
    return max(fuzz.ratio(a, b), fuzz.partial_ratio(a, b))


def match(gold: list[dict], found: list[dict]) -> list[tuple[dict, dict]]:
    pairs, used = [], set()
    for g in gold:
        best, best_sim = None, -1.0
        for i, f in enumerate(found):
            if i in used or f["doc"] != g["doc"] or abs(f["line"] - g["line"]) > LINE_TOLERANCE:
                continue
            pv, gv = primary(f), primary(g)
            if pv is None or gv is None or abs(pv - gv) > 1e-9:
                continue
            sim = similar(f["name"], g["name"])
            if sim >= NAME_THRESHOLD and sim > best_sim:
                best, best_sim = i, sim
        if best is not None:
            used.add(best)
            pairs.append((g, found[best]))
    return pairs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path,
                    default=Path(os.environ.get("DUBAN_CORPUS", ROOT.parent / "shared" / "corpus")))
    ap.add_argument("--gold", type=Path, default=ROOT / "tests" / "indicators" / "gold")
    ap.add_argument("-v", "--verbose", action="store_true", help="list misses and extras")
    a = ap.parse_args()
    if not a.corpus.is_dir():
        sys.exit(f"corpus not found at {a.corpus} (set DUBAN_CORPUS)")
    total_tp = total_g = total_f = 0
    field_ok = {k: 0 for k in FIELDS}
    all_pairs = []
    print(f"== indicator statements against {a.gold}")
    print(f"{'doc':10} {'gold':>5} {'found':>6} {'match':>6} {'P':>6} {'R':>6} {'F1':>6}")
    for gold_file in sorted(a.gold.glob("*.jsonl")):
        gold = [json.loads(x) for x in gold_file.read_text(encoding="utf-8").splitlines() if x.strip()]
        doc = gold_file.stem + ".txt"
        found = [s.to_record() for s in extract_indicators(read(a.corpus / doc))]
        pairs = match(gold, found)
        all_pairs += pairs
        tp, ng, nf = len(pairs), len(gold), len(found)
        total_tp, total_g, total_f = total_tp + tp, total_g + ng, total_f + nf
        p, r = tp / nf if nf else 1.0, tp / ng if ng else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{doc:10} {ng:5} {nf:6} {tp:6} {p:6.3f} {r:6.3f} {f1:6.3f}")
        if a.verbose:
            matched_g = {id(g) for g, _ in pairs}
            matched_f = {id(f) for _, f in pairs}
            for g in gold:
                if id(g) not in matched_g:
                    print(f"   missed  L{g['line']} {g['name']} {primary(g)}")
            for f in found:
                if id(f) not in matched_f:
                    print(f"   extra   L{f['line']} {f['name']} {primary(f)}")
    p = total_tp / total_f if total_f else 1.0
    r = total_tp / total_g if total_g else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(f"{'all':10} {total_g:5} {total_f:6} {total_tp:6} {p:6.3f} {r:6.3f} {f1:6.3f}")
    print(f"\n== field accuracy over {len(all_pairs)} matched statements")
    for g, f in all_pairs:
        for k in FIELDS:
            gv, fv = g.get(k), f.get(k)
            same = (gv is None and fv is None) or (
                gv is not None and fv is not None and (
                    abs(gv - fv) < 1e-9 if isinstance(gv, (int, float)) and not isinstance(gv, bool)
                    else gv == fv))
            field_ok[k] += same
            if not same and a.verbose:
                print(f"   {g['doc']} L{g['line']} {g['name']}: {k} gold={gv!r} found={fv!r}")
    for k in FIELDS:
        n = len(all_pairs)
        print(f"{k:18} {field_ok[k]:3}/{n}  {field_ok[k] / n if n else 0:.3f}")


if __name__ == "__main__":
    main()
