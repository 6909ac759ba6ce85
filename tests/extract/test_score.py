"""The whole corpus, scored by the shared scorer against the gold (TASKS.md)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from extract_helpers import corpus_docs, corpus_path, eval_script, gold_path

from duban.extract import extract
from duban.extract.output import to_jsonl
from duban.ingest import read


@pytest.fixture(scope="module")
def score(tmp_path_factory):
    docs = corpus_docs()
    assert len(docs) >= 30
    exs = [extract(read(corpus_path() / d)) for d in docs]
    pred = tmp_path_factory.mktemp("score") / "pred.jsonl"
    pred.write_text(to_jsonl(exs), encoding="utf-8")
    run = subprocess.run([sys.executable, str(eval_script()), str(gold_path()), str(pred)],
                         capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert run.returncode == 0, run.stderr
    return run.stdout.strip().splitlines()


def _f1(line: str, name: str) -> float:
    m = re.match(rf"{name} F1 (\d\.\d+)", line)
    assert m, line
    return float(m.group(1))


def test_record_f1(score):
    assert _f1(score[-1], "record") >= 0.97, "\n".join(score)


def test_task_f1(score):
    assert _f1(score[-2], "task") >= 0.99, "\n".join(score)


def test_every_gold_document_scored(score):
    scored = {line.split()[0] for line in score[1:-3]}
    assert {p.stem + ".txt" for p in gold_path().glob("*.jsonl")} <= scored
