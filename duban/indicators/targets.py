"""Target levels in a clause: each number with a unit (or 以上/以下 after it) is offered
to the small rules below, in order; the first that names it makes a target.

    by_verb        万人发明专利拥有量突破 8.55 件 · 初审时间压缩至1个工作日 ·
                   清偿率（58.93%）未达到 100% · 上报率、合规率和及时率均达到100%
    continuation   新增25个重点事项以及277项承诺办事项、1016项…通办事项
    by_delivery    全年新增商标申请 3500 件 · 建设5个…企业综合服务中心 · 2023 年外资企业新发展 90 户以上
    by_suffix      …90 户以上 with a name before it and no verb
    by_quantity    农产品和食品抽检量每年 5 批次/千人 (a quantity noun, outside benchmark sentences)
"""

from __future__ import annotations

import re

from duban.indicators.model import IndicatorStatement
from duban.indicators.names import after_name, clean, own_in_brackets, split_rates
from duban.indicators.numbers import (
    DELIVER_VERB, SUFFIX_COMPARATOR, TARGET_VERB, TARGET_VERBS, canonical_unit, values)
from duban.indicators.stream import Clause

_SUFFIX = re.compile(r"^(以上|以下|以内)")
_VERB_AT_END = re.compile(f"({TARGET_VERB})$")
_KEEP_VERB = ("新增", "新建", "新建改造", "引进", "制定发布", "主导和参与制修订")
_QUANTITY = re.compile(r"(?:量|率|数|数量|比重|比例|时间|时长|金额|规模)$")
_CONNECTOR_END = re.compile(r"(?:以及|、|和|及)$")
_YEAR = re.compile(r"(20\d\d)年(?!\d{1,2}月)")


def year_in(text: str) -> int | None:
    """The last year a clause names that is not part of a date (`2025年` but not `2025年12月`)."""
    years = _YEAR.findall(text)
    return int(years[-1]) if years else None


def has_cue(text: str) -> bool:
    """Whether a clause sets a level: a target verb right before a number, 以上/以下 right
    after one, or a verb of delivery (新增, 建设…) before a counted number."""
    for m in values(text):
        before, after = text[:m.start()], text[m.end():]
        if (m.group(2) or _SUFFIX.match(after)) and (
                _VERB_AT_END.search(before) or _SUFFIX.match(after)):
            return True
        if m.group(2) and re.search(DELIVER_VERB, before):
            return True
    return False


def by_verb(seg, after, made):
    """`{name}{达到|突破|压缩至|不低于…}{number}`: the comparator is the verb's."""
    m = _VERB_AT_END.search(seg)
    if not m:
        return None
    verb = m.group(1)
    name, own, own_unit = own_in_brackets(seg[:m.start()])
    name = clean(name) + ("增长" if verb == "增长" else "")
    if len(name) < 2:
        return None
    return [(n, TARGET_VERBS[verb], own) for n in split_rates(name)]


def continuation(seg, after, made):
    """A number right after a connector, in a clause that already set a target:
    `…重点事项以及277项承诺办事项、1016项宜荆荆都市圈通办事项`."""
    if not made or not _CONNECTOR_END.search(seg):
        return None
    name = after_name(after)
    return [(name, "=", None)] if len(name) >= 2 else None


def by_delivery(seg, after, made):
    """A verb of delivery and its object around the count: `新增公办中小学、幼儿园学位3360个`,
    `建设5个一站式集成…企业综合服务中心`, `2023 年外资企业新发展 90 户以上`."""
    found = list(re.finditer(DELIVER_VERB, seg))
    if not found:
        return None
    v = found[-1]
    if re.search(r"\d", seg[v.end():]) or re.match(r"[科处局委办]", seg[v.end():]):
        return None  # a date or a unit name between: table cells run together
    obj = clean(seg[v.end():])
    if obj:
        name = (v.group(0) + obj) if v.group(0) in _KEEP_VERB else obj
    else:
        name = after_name(after) or (clean(seg[:v.start()]) + v.group(0))
    return [(name, "=", None)] if len(name) >= 2 else None


def by_suffix(seg, after, made):
    """`{name}{number}{unit}以上` with no verb: the suffix alone says it is a target."""
    if not _SUFFIX.match(after):
        return None
    name = clean(seg)
    return [(name, "=", None)] if len(name) >= 2 else None


def by_quantity(seg, after, made):
    """A quantity noun with its level, in a sentence that compares nothing:
    `农产品和食品抽检量每年 5 批次/千人`, `其中种养殖环节抽检量每年 2 批次/千人`."""
    name = clean(seg)
    return [(name, "=", None)] if len(name) >= 3 and _QUANTITY.search(name) else None


RULES = [by_verb, continuation, by_delivery, by_suffix]


def targets(c: Clause, *, doc: str, year: int | None, quantity_ok: bool,
            sentence: str = "") -> list[IndicatorStatement]:
    """Every target in one clause."""
    rules = RULES + ([by_quantity] if quantity_ok else [])
    out: list[IndicatorStatement] = []
    text, boundary = c.text, 0
    for m in values(text):
        if m.start() < boundary:
            continue
        after = text[m.end():]
        sfx = _SUFFIX.match(after)
        if not m.group(2) and not sfx:
            continue
        if re.match(r"^(?:以上|以下)(?:且|的)", after):
            continue  # a condition (`投资 300 万元以上且…的项目`), not a level
        seg = text[boundary:m.start()]
        rest = after[sfx.end():] if sfx else after
        for rule in rules:
            made = rule(seg, rest, out)
            if made:
                break
        else:
            continue
        for name, comparator, own in made:
            if sfx:
                comparator = SUFFIX_COMPARATOR[sfx.group(1)]
            out.append(IndicatorStatement(
                doc=doc, line=c.line_at(boundary), name=name, value=own,
                unit=canonical_unit(m.group(2)), target_value=float(m.group(1)),
                target_comparator=comparator, target_year=year_in(seg) or year,
                rule=rule.__name__, text=sentence))
        boundary = m.end() + (sfx.end() if sfx else 0)
    return out
