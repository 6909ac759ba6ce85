"""Indicator statements out of a plan's lines, as a chain of small rules.

`extract_indicators(source)` joins the PDF-broken lines (stream.py), walks the
clauses of every sentence and offers each clause to the rules in RULES, in order;
the first that takes it wins. Benchmark statements stay open until their sentence
ends, so `我市为 6.87 件` and `低于全省平均水平（8.55 件）` attach to the
`每万人发明专利拥有量低` that opened them. Direction (is higher better?) is settled
last: registry, then the wording, then the target's comparator, then the name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from duban.indicators import targets
from duban.indicators.model import IndicatorStatement
from duban.indicators.names import benchmark_name
from duban.indicators.numbers import NUM, UNIT, canonical_unit, values
from duban.indicators.stream import Clause, clauses, join

AVERAGE = re.compile(rf"平均(?:水平|值|数)?（({NUM})({UNIT})?）")
BEST = re.compile(rf"最优(?:水平|值|市（州）|城市|地区)?([^\d（），；]{{0,8}}?)（([^\d（）\-]{{0,8}}?)"
                  rf"({NUM})({UNIT})?）")
RANK = re.compile(r"(?:排位|排名|位次|排序)[^（，；]{0,6}?（(\d{1,3})(?:位|名)）"
                  r"|(?:排名|排位|位列|居)(?:全省|全市|全国)?第(\d{1,3})(?:位|名)")
COMPARE = re.compile(r"(?<![不得])(低于|高于)")
PROBLEM = re.compile(r"^(?P<name>.{2,40}?)(?<!不)(?P<word>偏低|偏高|较低|较高|过低|过高|偏长|较长|过长|低|高|少|多|长)$")
_WORSE_WHEN_LOW = {"偏低", "较低", "过低", "低", "少"}
_BEST_REGION_NOISE = re.compile(r"^(?:水平|市（州）|城市|地区)|(?:水平)$")


@dataclass
class IndicatorState:
    doc: str
    found: list[IndicatorStatement] = field(default_factory=list)
    open: IndicatorStatement | None = None  # the benchmark the sentence is about
    sentence: int = -1
    sentence_text: str = ""
    benchmark_sentence: bool = False
    year: int | None = None  # a year the sentence named before its targets


def evidence(state: IndicatorState, c: Clause) -> bool:
    """Evidence to file for the evaluation, not a level to reach: `提供“四新经济”包容审慎
    监管案例 1条以上`, `收集并推送“信易+食品餐饮”应用案例 1条以上`."""
    return bool(re.search(r"提供|案例", c.text)) and bool(values(c.text))


_INCENTIVE = re.compile(r"补助|补贴(?!性)|奖励|贴息|资助|奖补|扣\d|扣分|给予|^当|情况下")


def incentive(state: IndicatorState, c: Clause) -> bool:
    """Money a policy hands out and the conditions for it are parameters, not levels to
    reach: `按照生产性设备投资额的 8% 给予补助`, `每家企业每次活动补贴最高不超过 3 万元`,
    `当居民消费价格指数（CPI）单月同比涨幅达到3%`, `每超过5%扣0.5分`."""
    return bool(_INCENTIVE.search(c.text)) and bool(values(c.text))


def opening_standard(state: IndicatorState, c: Clause) -> bool:
    """The business start-up standard: `推行企业登记“1 个环节、0.5 天、零费用”标准` →
    企业开办环节 ≤ 1 个, 企业开办时间 ≤ 0.5 天."""
    m = re.search(rf"({NUM})个环节、({NUM})(个工作日|工作日|天)", c.text)
    if not m:
        return False
    for name, v, unit in (("企业开办环节", m.group(1), "个"),
                          ("企业开办时间", m.group(2), canonical_unit(m.group(3)))):
        state.found.append(IndicatorStatement(
            doc=state.doc, line=c.line_at(m.start()), name=name, unit=unit, target_value=float(v),
            target_comparator="≤", higher_is_better=False, direction_from="wording",
            rule="opening_standard", text=state.sentence_text))
    return True


def problem_opening(state: IndicatorState, c: Clause) -> bool:
    """A problem named before its numbers: `每万人发明专利拥有量低`, `实行“一业一证”行业数量少`,
    `行政处罚信息公示迟报率高` (the numbers follow in the same sentence)."""
    if not state.benchmark_sentence or re.search(r"\d", c.text):
        return False
    m = PROBLEM.match(c.text)
    if not m:
        return False
    name = benchmark_name(m.group("name"))
    if len(name) < 3:
        return False
    state.open = IndicatorStatement(
        doc=state.doc, line=c.line, name=name, rule="problem_opening", text=state.sentence_text,
        higher_is_better=m.group("word") in _WORSE_WHEN_LOW, direction_from="wording")
    state.found.append(state.open)
    return True


def benchmark(state: IndicatorState, c: Clause) -> bool:
    """Our value and what it is compared with: `地理标志商标数量 18 件低于全省平均（30.4 件）
    全省最优（襄阳 82 件）`, `我市为 6.87 件`, `低于全省最优市（州）武汉市（11.97%）`,
    `全省排位靠后（11 位）`. A clause naming an indicator with a value opens a statement;
    one without a name adds to the statement the sentence is about."""
    if not state.benchmark_sentence or targets.has_cue(c.text):
        return False
    text, found = c.text, {}
    masked = text
    for key, rx in (("average", AVERAGE), ("best", BEST), ("rank", RANK)):
        m = rx.search(masked)
        if m:
            found[key] = m
            masked = masked[:m.start()] + "＿" * (m.end() - m.start()) + masked[m.end():]
    own = next((m for m in values(masked) if m.group(2)), None)
    if own is None and not found:
        return False
    stmt = state.open
    if own is not None:
        name = benchmark_name(masked[:own.start()])
        if len(name) >= 3 and "＿" not in name:
            stmt = IndicatorStatement(doc=state.doc, line=c.line, name=name, rule="benchmark",
                                      text=state.sentence_text)
            state.found.append(stmt)
            state.open = stmt
    if stmt is None:
        return False
    if own is not None and stmt.value is None:
        stmt.value, stmt.unit = float(own.group(1)), canonical_unit(own.group(2))
    _fill(stmt, found)
    if stmt.higher_is_better is None and (cmp := COMPARE.search(text)):
        stmt.higher_is_better = cmp.group(1) == "低于"
        stmt.direction_from = "wording"
    return True


def _fill(stmt: IndicatorStatement, found: dict) -> None:
    if (m := found.get("average")) and stmt.average is None:
        stmt.average = float(m.group(1))
        stmt.unit = stmt.unit or canonical_unit(m.group(2))
    if (m := found.get("best")) and stmt.best is None:
        stmt.best = float(m.group(3))
        region = _BEST_REGION_NOISE.sub("", (m.group(1) or "") + (m.group(2) or "")).strip()
        stmt.best_region = region or None
        stmt.unit = stmt.unit or canonical_unit(m.group(4))
    if (m := found.get("rank")) and stmt.rank is None:
        stmt.rank = int(m.group(1) or m.group(2))


def target(state: IndicatorState, c: Clause) -> bool:
    """Levels to reach: see duban.indicators.targets for the forms it reads."""
    made = targets.targets(c, doc=state.doc, year=state.year,
                           quantity_ok=not state.benchmark_sentence, sentence=state.sentence_text)
    state.found.extend(made)
    return bool(made)


RULES = [evidence, incentive, opening_standard, problem_opening, benchmark, target]


def _benchmark_sentence(text: str) -> bool:
    return bool(AVERAGE.search(text) or BEST.search(text) or RANK.search(text)
                or COMPARE.search(text) or re.search(r"我市|本市", text))


def run(doc: str, lines: list[str], registry=None) -> list[IndicatorStatement]:
    """Every indicator statement in one document's lines, in line order."""
    stream = join(lines)
    state = IndicatorState(doc=doc)
    sentence_texts = {}
    for c in clauses(stream):
        if c.sentence != state.sentence:
            state.sentence, state.open, state.year = c.sentence, None, None
            sentence_texts.setdefault(c.sentence, [])
        sentence_texts[c.sentence].append(c)
    state.sentence = -1
    for c in clauses(stream):
        if c.sentence != state.sentence:
            group = sentence_texts[c.sentence]
            state.sentence, state.open, state.year = c.sentence, None, None
            state.sentence_text = "，".join(x.text for x in group)[:300]
            state.benchmark_sentence = _benchmark_sentence(state.sentence_text)
        for rule in RULES:
            if rule(state, c):
                break
        state.year = targets.year_in(c.text) or state.year
    found = [s for s in state.found if _has_numbers(s)]
    for s in found:
        settle_direction(s, registry)
    return sorted(found, key=lambda s: s.line)


def _has_numbers(s: IndicatorStatement) -> bool:
    return any(v is not None for v in (s.value, s.average, s.best, s.rank, s.target_value))


_LOWER_BETTER_WORDS = re.compile(r"时间|时限|天数|环节$|环节数|成本|费用|迟报|差错|重错|死亡|事故|投诉|"
                                 r"不合格|违法|拖欠|欠款(?!清偿)|逾期|等待|材料")


def settle_direction(s: IndicatorStatement, registry=None) -> None:
    """Registry first; then the wording (低/高, 低于/高于); then the target's comparator
    (≥ means more is better); then the name (时间, 成本, 费用, 迟报… are better low)."""
    ind = registry.match(s.name) if registry is not None else None
    if ind is not None:
        s.indicator, s.dimension = ind.name, ind.dimension
        s.higher_is_better, s.direction_from = ind.higher_is_better, "registry"
        s.unit = s.unit or ind.unit
        return
    if s.higher_is_better is not None:
        return
    if s.target_comparator in ("≥", "≤"):
        s.higher_is_better, s.direction_from = s.target_comparator == "≥", "comparator"
    elif _LOWER_BETTER_WORDS.search(s.name):
        s.higher_is_better, s.direction_from = False, "name"
    else:
        s.higher_is_better, s.direction_from = True, "default"
