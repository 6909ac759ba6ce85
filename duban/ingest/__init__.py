"""File formats → Source (numbered lines). One reader per format."""

from __future__ import annotations

import hashlib
from pathlib import Path

from duban.errors import InputError
from duban.ingest.source import Source

__all__ = ["read", "Source"]


def read(path) -> Source:
    """Read a plan file into a Source. Raises InputError naming the file and the problem."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise InputError(p, f"cannot read file ({e.strerror})") from None
    text = data.decode("utf-8-sig")
    return Source(name=p.name, lines=text.splitlines(), format="txt", path=str(p),
                  sha256=hashlib.sha256(data).hexdigest())
