"""Fixtures for the indicator tests. The corpus comes from tests/conftest.py's
`corpus_dir` ($DUBAN_CORPUS, else <repo>/../shared/corpus; missing → visible skip)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import duban.indicators.models  # noqa: F401  (registers the indicator tables on Base.metadata)

REPO = Path(__file__).resolve().parents[2]
GOLD = Path(__file__).resolve().parent / "gold"


@pytest.fixture(scope="session")
def s000(corpus_dir):
    """The indicator statements of s000 (荆门市市场监管局行动方案), by line."""
    from duban.indicators import extract_indicators
    from duban.ingest import read

    out: dict[int, list] = {}
    for s in extract_indicators(read(corpus_dir / "s000.txt")):
        out.setdefault(s.line, []).append(s)
    return out


def run_cli(*args, cwd=None, env=None):
    """`python -m duban.cli …` in a subprocess: (exit code, stdout, stderr)."""
    p = subprocess.run([sys.executable, "-m", "duban.cli", *map(str, args)], capture_output=True,
                       text=True, cwd=cwd or REPO, env=env, timeout=120)
    return p.returncode, p.stdout, p.stderr
