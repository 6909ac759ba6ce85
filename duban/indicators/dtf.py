"""Distance to frontier (前沿距离法), as the World Bank's Doing Business defines it.

Per indicator, for a region whose value is y:

    lower is better:   score = (worst − y) / (worst − frontier) × 100
    higher is better:  score = (y − worst) / (frontier − worst) × 100

clipped to [0, 100]. The frontier is the best value and the worst the worst value
among the compared regions (in the period), unless the user fixes either one.

* Dimension score: the weighted mean of the region's indicator scores in that
  dimension. An indicator given no dimension is its own dimension, so a table with
  no dimensions at all gives every indicator the same say in the overall score.
* Overall score: the mean of the region's dimension scores (weighted when dimension
  weights are given; equal by default).
* Missing values: a region is scored on what it has; every gap is named in
  `Result.problems` and in `RegionScore.missing`.
* Frontier equal to worst (every region alike, or fixed so): the indicator cannot
  separate anyone, so it is EXCLUDED from every score, and the reason is given. (Scoring
  it 100 for all would lift every region alike but bend the dimension means of
  regions that lack it.)
* Ranks: higher score first; equal scores (to two decimals) share a rank and the next
  rank skips (1, 2, 2, 4).
* Gap to frontier: how far y must move to reach the frontier (0 once there), and
  gain per unit = 100 / |frontier − worst|: the score points one unit of improvement
  buys, which tells which indicators pay most.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Row:
    """One observation to score."""

    region: str
    indicator: str
    value: float | None
    higher_is_better: bool = True
    dimension: str | None = None
    weight: float = 1.0
    frontier: float | None = None  # fixed by the user
    worst: float | None = None  # fixed by the user
    unit: str | None = None


@dataclass
class Bounds:
    indicator: str
    higher_is_better: bool
    dimension: str
    weight: float
    frontier: float | None = None
    worst: float | None = None
    unit: str | None = None
    excluded: str | None = None  # why the indicator is not scored

    @property
    def gain_per_unit(self) -> float | None:
        if self.excluded or self.frontier is None or self.worst is None:
            return None
        return 100.0 / abs(self.frontier - self.worst)


@dataclass
class IndicatorScore:
    region: str
    indicator: str
    dimension: str
    value: float
    score: float
    frontier: float
    worst: float
    higher_is_better: bool
    gap: float  # distance still to cover to reach the frontier (≥ 0)
    gain_per_unit: float
    unit: str | None = None

    @property
    def move(self) -> float:
        """Signed change needed: + raise, − lower."""
        return self.gap if self.higher_is_better else -self.gap


@dataclass
class RegionScore:
    region: str
    score: float
    rank: int = 0
    dimensions: dict[str, float] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


@dataclass
class Result:
    scores: list[IndicatorScore]
    overall: list[RegionScore]  # best first
    bounds: dict[str, Bounds]
    problems: list[str] = field(default_factory=list)

    def region(self, name: str) -> RegionScore | None:
        return next((r for r in self.overall if r.region == name), None)

    def score_of(self, region: str, indicator: str) -> IndicatorScore | None:
        return next((s for s in self.scores if s.region == region and s.indicator == indicator), None)

    def gaps(self, region: str) -> list[IndicatorScore]:
        """The region's indicators short of the frontier, most score to gain first."""
        own = [s for s in self.scores if s.region == region and s.gap > 0]
        return sorted(own, key=lambda s: (-(100 - s.score), -s.gain_per_unit))

    def leverage(self) -> list[Bounds]:
        """Scored indicators by score points per unit of improvement, most first."""
        scored = [b for b in self.bounds.values() if b.gain_per_unit is not None]
        return sorted(scored, key=lambda b: -b.gain_per_unit)

    def dimensions(self) -> list[str]:
        seen: dict[str, None] = {}
        for r in self.overall:
            for d in r.dimensions:
                seen.setdefault(d)
        return list(seen)


def dtf(y: float, frontier: float, worst: float) -> float:
    """One distance-to-frontier score, clipped to [0, 100]. The two Doing Business
    formulas are one: (y − worst)/(frontier − worst) equals (worst − y)/(worst − frontier),
    and direction lives in which end is the frontier. Raises ValueError when frontier == worst."""
    if frontier == worst:
        raise ValueError("frontier equals worst")
    return max(0.0, min(100.0, (y - worst) / (frontier - worst) * 100.0))


def rank(scores: dict[str, float]) -> dict[str, int]:
    """Competition ranking, best first; scores equal to two decimals share a rank."""
    ordered = sorted(scores, key=lambda r: -round(scores[r], 2))
    ranks, prev, prev_rank = {}, None, 0
    for i, r in enumerate(ordered, 1):
        s = round(scores[r], 2)
        ranks[r] = prev_rank if s == prev else i
        prev, prev_rank = s, ranks[r]
    return ranks


def bounds_for(rows: list[Row], problems: list[str]) -> dict[str, Bounds]:
    """Frontier and worst per indicator: fixed ones kept, the rest from the values."""
    out: dict[str, Bounds] = {}
    for r in rows:
        b = out.get(r.indicator)
        if b is None:
            out[r.indicator] = Bounds(r.indicator, r.higher_is_better, r.dimension or r.indicator,
                                      r.weight, r.frontier, r.worst, r.unit)
            continue
        if r.higher_is_better != b.higher_is_better:
            problems.append(f"指标「{r.indicator}」方向前后不一致，按第一次出现的方向计算")
        b.frontier = b.frontier if b.frontier is not None else r.frontier
        b.worst = b.worst if b.worst is not None else r.worst
        b.unit = b.unit or r.unit
        if r.dimension and b.dimension == r.indicator:
            b.dimension = r.dimension
    for name, b in out.items():
        vals = [r.value for r in rows if r.indicator == name and r.value is not None]
        if not vals and (b.frontier is None or b.worst is None):
            b.excluded = "没有可用的数值"
            problems.append(f"指标「{name}」：{b.excluded}")
            continue
        best = worst = None
        if vals:
            best, worst = (max(vals), min(vals)) if b.higher_is_better else (min(vals), max(vals))
        b.frontier = b.frontier if b.frontier is not None else best
        b.worst = b.worst if b.worst is not None else worst
        if b.frontier == b.worst:
            b.excluded = f"前沿值等于最差值（{b.frontier:g}），无法区分各地区，已排除"
        elif (b.frontier > b.worst) != b.higher_is_better:
            b.excluded = (f"前沿值 {b.frontier:g} 与最差值 {b.worst:g} 和方向"
                          f"（{'越高越好' if b.higher_is_better else '越低越好'}）不符，已排除")
        if b.excluded:
            problems.append(f"指标「{name}」：{b.excluded}")
    return out


def score(rows: list[Row], *, dimension_weights: dict[str, float] | None = None) -> Result:
    """Score every region on every indicator it has a value for."""
    problems: list[str] = []
    bounds = bounds_for(rows, problems)
    regions = list(dict.fromkeys(r.region for r in rows))
    have: dict[tuple[str, str], Row] = {}
    for r in rows:
        if r.value is not None:
            have.setdefault((r.region, r.indicator), r)
    scores: list[IndicatorScore] = []
    for (region, ind), r in have.items():
        b = bounds[ind]
        if b.excluded:
            continue
        s = dtf(r.value, b.frontier, b.worst)
        gap = max(0.0, (b.frontier - r.value) if b.higher_is_better else (r.value - b.frontier))
        scores.append(IndicatorScore(region, ind, b.dimension, r.value, s, b.frontier, b.worst,
                                     b.higher_is_better, gap, b.gain_per_unit, b.unit))
    overall: list[RegionScore] = []
    for region in regions:
        missing = [i for i, b in bounds.items() if not b.excluded and (region, i) not in have]
        for i in missing:
            problems.append(f"地区「{region}」缺少指标「{i}」的数值，按已有指标计分")
        dims: dict[str, list[tuple[float, float]]] = {}
        for s in scores:
            if s.region == region:
                dims.setdefault(s.dimension, []).append((bounds[s.indicator].weight, s.score))
        if not dims:
            problems.append(f"地区「{region}」没有可计分的指标")
            continue
        dscores = {d: _wmean(v) for d, v in dims.items()}
        w = dimension_weights or {}
        total = _wmean([(w.get(d, 1.0), v) for d, v in dscores.items()])
        overall.append(RegionScore(region, total, 0, dscores, missing))
    ranks = rank({r.region: r.score for r in overall})
    for r in overall:
        r.rank = ranks[r.region]
    overall.sort(key=lambda r: (r.rank, r.region))
    return Result(scores, overall, bounds, problems)


def _wmean(pairs: list[tuple[float, float]]) -> float:
    wsum = sum(w for w, _ in pairs)
    if wsum <= 0:
        return sum(v for _, v in pairs) / len(pairs)
    return sum(w * v for w, v in pairs) / wsum
