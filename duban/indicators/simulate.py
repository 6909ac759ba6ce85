"""Simulated evaluation (模拟测评): a plan's targets applied as if met, then scored again.

A target `≥ v` lifts the region's value to v when it is below (a value already better
is kept); `≤ v` lowers it to v when above; `= v` sets it. The frontier and worst are
recomputed from the changed table, so a target beyond today's best moves the frontier.
A target whose indicator the table does not hold cannot move any score (no other
region to compare with): it is reported in `not_applied`. A region with no row for a
targeted indicator gets one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from duban.indicators.dtf import Result, Row, score
from duban.indicators.registry import Registry, key


@dataclass
class Target:
    indicator: str  # as written in the plan or the registry name
    value: float
    comparator: str = "≥"  # ≥ ≤ =
    higher_is_better: bool | None = None
    source: str = ""  # where it came from (document and line)


@dataclass
class Applied:
    indicator: str
    target: Target
    before: float | None
    after: float


@dataclass
class Simulation:
    region: str
    before: Result
    after: Result
    applied: list[Applied] = field(default_factory=list)
    not_applied: list[str] = field(default_factory=list)

    def _pair(self, attr: str):
        b, a = self.before.region(self.region), self.after.region(self.region)
        return (getattr(b, attr) if b else None), (getattr(a, attr) if a else None)

    @property
    def score_before(self):
        return self._pair("score")[0]

    @property
    def score_after(self):
        return self._pair("score")[1]

    @property
    def rank_before(self):
        return self._pair("rank")[0]

    @property
    def rank_after(self):
        return self._pair("rank")[1]


def resolve(name: str, table_names: list[str], registry: Registry | None) -> str | None:
    """The table's indicator a target names: same key, or the same registry indicator."""
    by_key = {key(n): n for n in table_names}
    if key(name) in by_key:
        return by_key[key(name)]
    if registry is not None:
        ind = registry.match(name)
        if ind is not None:
            for n in table_names:
                m = registry.match(n)
                if m is not None and m.name == ind.name:
                    return n
    return None


def met_value(current: float | None, t: Target) -> float:
    """The value a region has once target `t` is met."""
    if current is None or t.comparator == "=":
        return t.value
    if t.comparator == "≥":
        return max(current, t.value)
    return min(current, t.value)


def simulate(rows: list[Row], region: str, targets: list[Target], *,
             registry: Registry | None = None,
             dimension_weights: dict[str, float] | None = None) -> Simulation:
    """Score `rows`, apply `targets` to `region` as if met, score again."""
    before = score(rows, dimension_weights=dimension_weights)
    new_rows = [replace(r) for r in rows]
    names = list(dict.fromkeys(r.indicator for r in rows))
    sim = Simulation(region, before, before)
    for t in targets:
        name = resolve(t.indicator, names, registry)
        if name is None:
            sim.not_applied.append(f"目标「{t.indicator}」在测评表中没有对应指标，未计入")
            continue
        mine = [r for r in new_rows if r.region == region and r.indicator == name]
        if not mine:
            proto = next(r for r in new_rows if r.indicator == name)
            mine = [replace(proto, region=region, value=None)]
            new_rows.append(mine[0])
        row = mine[0]
        old = row.value
        row.value = met_value(old, t)
        sim.applied.append(Applied(name, t, old, row.value))
    sim.after = score(new_rows, dimension_weights=dimension_weights)
    return sim


def targets_from_statements(statements, registry: Registry | None = None) -> list[Target]:
    """The targets an extracted plan sets (statements with a target value)."""
    out = []
    for s in statements:
        if s.target_value is None:
            continue
        out.append(Target(indicator=s.indicator or s.name, value=s.target_value,
                          comparator=s.target_comparator or "=",
                          higher_is_better=s.higher_is_better, source=f"{s.doc}:{s.line}"))
    return out
