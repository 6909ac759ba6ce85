"""Rules → tasks. `extract(source)` runs the block rules over the lines, then the
core rules over the whole state, and returns an Extraction."""

from __future__ import annotations

from pathlib import Path

from duban.extract.chain import run
from duban.extract.model import Extraction, Task

__all__ = ["extract", "extract_path", "Extraction", "Task"]


def extract(source) -> Extraction:
    """Extract the tasks of one document (a duban.ingest.Source)."""
    return run(source.name, source.lines)


def extract_path(path) -> Extraction:
    from duban.ingest import read
    return extract(read(Path(path)))
