"""The common shape every reader produces: numbered clean-enough lines."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Source:
    """One document as lines of text.

    ``lines[i]`` is line ``i + 1`` of the document. Readers for structured formats
    (DOCX, PDF, HTML) write each table row as one line with cells joined by a tab,
    the same shape a tab-flattened plain-text table has, so one extraction rule
    serves both. ``tables`` keeps the structured cells as read, for callers that
    want them.
    """

    name: str
    lines: list[str]
    format: str = "txt"
    path: str | None = None
    sha256: str = ""
    tables: list[list[list[str]]] = field(default_factory=list)
    metadata: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)
