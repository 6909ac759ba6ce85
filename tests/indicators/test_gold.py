"""The gold files are well formed, and the extractor keeps the figures bench/indicators.py
reports (a drop here means a rule regressed)."""

from __future__ import annotations

import importlib.util
import json

import pytest
from .helpers import GOLD, REPO

KEYS = {"doc", "line", "name", "value", "unit", "average", "best", "best_region", "rank",
        "target_value", "target_comparator", "target_year", "higher_is_better"}


def gold(name):
    return [json.loads(x) for x in (GOLD / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]


def test_gold_files_are_well_formed():
    for name in ("s000", "s001", "s004"):
        recs = gold(name)
        assert recs
        for r in recs:
            assert set(r) == KEYS and r["doc"] == f"{name}.txt"
            assert r["value"] is not None or r["target_value"] is not None
            assert r["target_comparator"] in (None, "≥", "≤", "=")


@pytest.mark.corpus
def test_extraction_against_gold(corpus_dir):
    spec = importlib.util.spec_from_file_location("bench_indicators", REPO / "bench" / "indicators.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    from duban.indicators import extract_indicators
    from duban.ingest import read

    tp = ng = nf = 0
    for name in ("s000", "s001", "s004"):
        g = gold(name)
        found = [s.to_record() for s in extract_indicators(read(corpus_dir / f"{name}.txt"))]
        tp, ng, nf = tp + len(bench.match(g, found)), ng + len(g), nf + len(found)
    assert tp / nf >= 0.95 and tp / ng >= 0.95, (tp, ng, nf)
