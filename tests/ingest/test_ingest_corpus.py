"""The real plans in the shared corpus read back exactly: same lines, same text."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from ingest_helpers import ROOT

from duban.ingest import read

CORPUS = Path(os.environ.get("DUBAN_CORPUS") or ROOT.parent / "shared" / "corpus")


def _corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.iterdir() if p.is_file() and not p.name.startswith("."))


@pytest.mark.corpus
@pytest.mark.parametrize("path", _corpus_files() or [None], ids=lambda p: p.name if p else "missing")
def test_corpus_file_reads_exactly(path):
    if path is None:
        pytest.skip(f"corpus not found at {CORPUS} (set DUBAN_CORPUS)")
    src = read(path)
    expected = path.read_bytes().decode("utf-8-sig").splitlines()
    assert src.format == "txt"
    assert len(src.lines) == len(expected)
    assert src.lines == expected
    assert src.name == path.name
