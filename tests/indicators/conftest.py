"""Fixtures for the indicator tests. The corpus comes from tests/conftest.py's
`corpus_dir` ($DUBAN_CORPUS, else <repo>/../shared/corpus; missing → visible skip)."""

from __future__ import annotations

import pytest

import duban.indicators.models  # noqa: F401  (registers the indicator tables on Base.metadata)


@pytest.fixture(scope="session")
def s000(corpus_dir):
    """The indicator statements of s000 (荆门市市场监管局行动方案), by line."""
    from duban.indicators import extract_indicators
    from duban.ingest import read

    out: dict[int, list] = {}
    for s in extract_indicators(read(corpus_dir / "s000.txt")):
        out.setdefault(s.line, []).append(s)
    return out
