"""Helpers for the extraction tests (uniquely named so it cannot clash with other
test packages' helpers). Everything about the corpus and the gold is read at test
time from the shared directories; nothing of their text is copied into the repo."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
WS = re.compile(r"\s+")


def _dir(env: str, default: Path, what: str) -> Path:
    path = Path(os.environ.get(env) or default)
    if not path.is_dir():
        pytest.skip(f"{what} not found at {path} (set {env})")
    return path


def corpus_path() -> Path:
    return _dir("DUBAN_CORPUS", SHARED / "corpus", "corpus")


def gold_path() -> Path:
    return _dir("DUBAN_GOLD", SHARED / "gold", "gold")


def eval_script() -> Path:
    path = Path(os.environ.get("DUBAN_EVAL") or SHARED / "eval" / "score.py")
    if not path.is_file():
        pytest.skip(f"scorer not found at {path} (set DUBAN_EVAL)")
    return path


def tasks_md() -> str:
    path = SHARED / "TASKS.md"
    if not path.is_file():
        pytest.skip(f"task definition not found at {path}")
    return path.read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def _lines(corpus: str, doc: str) -> tuple[str, ...]:
    return tuple((Path(corpus) / doc).read_text(encoding="utf-8").splitlines())


def corpus_lines(doc: str) -> tuple[str, ...]:
    return _lines(str(corpus_path()), doc)


def corpus_line(doc: str, n: int) -> str:
    """Line n (1-based) of a corpus file, as the file has it."""
    lines = corpus_lines(doc)
    assert 1 <= n <= len(lines), f"{doc} has {len(lines)} lines, not {n}"
    return lines[n - 1]


def corpus_text(doc: str, first: int, last: int) -> str:
    """Lines first..last joined without breaks (a note wrapped over several lines)."""
    return "".join(corpus_line(doc, n) for n in range(first, last + 1))


def corpus_docs() -> list[str]:
    return sorted(p.name for p in corpus_path().glob("*.txt"))


@lru_cache(maxsize=None)
def _gold(gold: str, doc: str) -> tuple[dict, ...]:
    path = Path(gold) / (Path(doc).stem + ".jsonl")
    return tuple(json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip())


def gold(doc: str) -> tuple[dict, ...]:
    return _gold(str(gold_path()), doc)


def gold_at(doc: str, line: int, k: int = 0) -> dict:
    """The k-th gold record of doc whose task begins on `line`."""
    recs = [g for g in gold(doc) if g["line"] == line]
    assert len(recs) > k, f"gold has {len(recs)} records at {doc}:{line}"
    return recs[k]


@lru_cache(maxsize=None)
def _extracted(corpus: str, doc: str):
    from duban.extract import extract
    from duban.ingest import read
    return extract(read(Path(corpus) / doc))


def extracted(doc: str):
    """The Extraction of a corpus document (cached: the engine is deterministic)."""
    return _extracted(str(corpus_path()), doc)


def nows(s: str) -> str:
    return WS.sub("", s or "")


def task_for(doc: str, g: dict):
    """The extracted task for gold record g: same doc, same line, same text."""
    found = [t for t in extracted(doc).tasks if t.line == g["line"] and nows(t.text) == nows(g["text"])]
    assert found, (f"no task at {doc}:{g['line']} with the gold text; at that line: "
                   f"{[t.text[:30] for t in extracted(doc).tasks if t.line == g['line']]}")
    return found[0]


OPEN, CLOSE = "（(〔[【", "）)〕]】"


def brackets(text: str, start: str = "", required: bool = True) -> list[str]:
    """Top-level bracket groups of text, in order; with `start`, only those whose
    content begins with it (bold markers `**` aside)."""
    groups, depth, at = [], 0, 0
    for i, ch in enumerate(text):
        if ch in OPEN:
            if depth == 0:
                at = i
            depth += 1
        elif ch in CLOSE and depth:
            depth -= 1
            if depth == 0:
                groups.append(text[at:i + 1])
    found = [g for g in groups if g[1:].lstrip("*").startswith(start)]
    assert found or not required, f"no bracket starting {start!r} in {text[:40]!r}…"
    return found


def cli(*args, cwd=None, timeout=120) -> subprocess.CompletedProcess:
    """Run `duban` as a user would, in a fresh interpreter."""
    return subprocess.run([sys.executable, "-m", "duban.cli", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout)


def jsonl(text: str) -> list[dict]:
    return [json.loads(x) for x in text.splitlines() if x.strip()]
