"""What indicator extraction produces: plain dataclasses, never database rows."""

from __future__ import annotations

from dataclasses import asdict, dataclass

COMPARATORS = ("≥", "≤", "=")


@dataclass
class IndicatorStatement:
    """One indicator named in a plan, with whatever the plan says about it.

    A benchmark statement (`每万人发明专利拥有量低，我市为 6.87 件，低于全省平均水平（8.55
    件）`) fills value/average/best/rank; a target statement (`万人发明专利拥有量突破 8.55
    件`) fills target_*; a few fill both (`清偿率（58.93%）未达到 100%`).
    """

    doc: str
    line: int  # 1-based line the statement starts on
    name: str  # as written, cleaned of adverbs and enumerators
    value: float | None = None  # our own value
    unit: str | None = None
    average: float | None = None  # the provincial (or stated) average
    best: float | None = None  # the best value among the compared regions
    best_region: str | None = None  # who holds it (`襄阳`), when named
    rank: int | None = None  # our rank, when stated
    target_value: float | None = None
    target_comparator: str | None = None  # ≥ ≤ =
    target_year: int | None = None
    higher_is_better: bool | None = None
    direction_from: str = ""  # registry / wording / comparator / name / default
    indicator: str | None = None  # the registry indicator it names, if any
    dimension: str | None = None
    rule: str = ""
    text: str = ""  # the sentence it came from

    @property
    def kind(self) -> str:
        if self.value is not None or self.average is not None or self.best is not None \
                or self.rank is not None:
            return "benchmark"
        return "target"

    def to_record(self) -> dict:
        rec = asdict(self)
        rec["kind"] = self.kind
        return rec
