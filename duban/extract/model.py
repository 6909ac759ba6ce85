"""What extraction produces: plain dataclasses, never database rows."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# The fields TASKS.md defines, in its order; scorers and exports rely on them.
TASK_FIELDS = (
    "doc", "line", "text", "lead_units", "co_units", "internal_units",
    "leaders", "deadline", "deadline_text", "ongoing",
)


@dataclass
class Task:
    doc: str
    line: int
    text: str
    lead_units: list[str] = field(default_factory=list)
    co_units: list[str] = field(default_factory=list)
    internal_units: list[str] = field(default_factory=list)
    leaders: list[str] = field(default_factory=list)
    deadline: str | None = None  # ISO date of the last allowed day
    deadline_text: str | None = None
    ongoing: bool = False
    # Beyond TASKS.md: where it came from and how it was read.
    heading_path: str = ""
    end_line: int = 0
    rule: str = ""
    lead_canonical: list[str] = field(default_factory=list)
    co_canonical: list[str] = field(default_factory=list)

    def to_record(self) -> dict:
        return asdict(self)


@dataclass
class DocumentInfo:
    """Metadata read off a document's header."""

    title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None  # 文号, e.g. 荆市监函〔2023〕26号
    date: str | None = None  # ISO date the document was issued
    year: int | None = None
    region: str | None = None


@dataclass
class Extraction:
    """Everything extraction found in one document."""

    doc: str
    info: DocumentInfo
    tasks: list[Task]
    # line number -> "task" | "heading" | "note" | "skipped" | "blank"; for --coverage
    coverage: dict[int, str] = field(default_factory=dict)
