"""Fixtures for the extraction tests: the shared corpus and its gold annotations.

`corpus_dir` is $DUBAN_CORPUS, else <repo>/../shared/corpus; `gold_dir` is
$DUBAN_GOLD, else <repo>/../shared/gold. Either missing skips the tests that need it.
`corpus_line(doc, n)` returns line n of a corpus file (read at test time)."""

from __future__ import annotations

from pathlib import Path

import pytest
from extract_helpers import corpus_line, corpus_path, gold_path  # noqa: F401  (corpus_line re-exported)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return corpus_path()


@pytest.fixture(scope="session")
def gold_dir() -> Path:
    return gold_path()


@pytest.fixture(name="corpus_line", scope="session")
def corpus_line_fixture(corpus_dir):
    """corpus_line(doc, n) as a fixture, for tests that prefer injection."""
    return corpus_line
