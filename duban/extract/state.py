"""The one state every extraction rule reads and writes (as markdown-it's StateBlock)."""

from __future__ import annotations

from dataclasses import dataclass, field

from duban.extract.enumerators import Enumerator
from duban.extract.model import DocumentInfo, Task


@dataclass
class Paragraph:
    """Consecutive lines that read as one paragraph once conversion breaks are undone."""

    start: int  # 1-based line numbers
    end: int
    text: str  # squeezed, line breaks removed
    starts: list[tuple[int, int]]  # (offset in text, line number) where each line begins
    enum: Enumerator | None = None
    full: bool = False  # its last line runs to the page width: the text goes on

    def line_at(self, offset: int) -> int:
        line = self.start
        for off, no in self.starts:
            if off > offset:
                break
            line = no
        return line

    @property
    def body(self) -> str:
        return self.text[self.enum.length:] if self.enum else self.text


@dataclass
class Item:
    """A numbered item with its continuation paragraphs."""

    enum: Enumerator | None
    depth: int
    path: tuple[str, ...]  # ordinals from the top, e.g. ("二", "五", "3")
    paragraphs: list[Paragraph]
    title: str = ""  # heading text when the item's first paragraph is a bare heading
    section_titles: tuple[str, ...] = ()  # titles of the item and its ancestors

    @property
    def start(self) -> int:
        return self.paragraphs[0].start


@dataclass
class ExtractState:
    doc: str
    lines: list[str]  # raw lines; lines[i] is line i + 1
    info: DocumentInfo = field(default_factory=DocumentInfo)
    skipped: set[int] = field(default_factory=set)  # page furniture, header
    paragraphs: list[Paragraph] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    coverage: dict[int, str] = field(default_factory=dict)
    has_notes: bool = False
    global_deadline: str | None = None  # `各项工作措施在9月底前全面落地`
    # Rule 5: (line, units, role) of notes that name units once for all later tasks.
    declarations: list[tuple[int, list[str], str]] = field(default_factory=list)
    env: dict = field(default_factory=dict)  # scratch space rules share

    def mark(self, start: int, end: int, kind: str) -> None:
        for n in range(start, end + 1):
            if self.lines[n - 1].strip():
                self.coverage.setdefault(n, kind)
