"""Indicator names as the rules cut them out of a clause: cleaning and splitting."""

from __future__ import annotations

import re

from duban.indicators.numbers import NUM, UNIT

_ENUM = re.compile(r"^(?:[①-⑳]|\d{1,2}[.、](?!\d)|（[一二三四五六七八九十\d]+）|[一二三四五六七八九十]+、)")
_YEAR = re.compile(r"^(?:到|至|在)?20\d\d年(?:底|末|度)?(?:前)?")
_LEAD = re.compile(r"^(?:力争|确保|全年|稳步|实现|将|累计|积极推动|推动|其中|同时|并|努力|争取|进一步|"
                   r"持续|全市|我市|本市|年内|当年|每年|大力|逐步|及时|各地)")
_TRAIL = re.compile(r"(?:均|一般|每年|全年|目标|都|也|将|为|是|仅有|仅为|的|达|已)$")
_OWN_IN_BRACKETS = re.compile(rf"（({NUM})({UNIT})?）$")
_CITY = re.compile(r"^[\u4e00-\u9fff]{2}市(?=[\u4e00-\u9fff“]{4,})")
_CONNECTOR = re.compile(r"(?:以及|、|和|及|与|等)+$")
_SHORT_RATE = re.compile(r"^[\u4e00-\u9fff]{1,3}率$")


def clean(name: str) -> str:
    """Strip enumerators, years, adverbs and leftover punctuation from both ends."""
    prev = None
    name = name.strip("，、；：。 ")
    while name != prev:
        prev = name
        name = _ENUM.sub("", name)
        name = _YEAR.sub("", name)
        name = _LEAD.sub("", name)
        name = _TRAIL.sub("", name)
        name = _CONNECTOR.sub("", name)
        name = name.strip("，、；：。 ")
    if "原则上" in name:
        name = name.split("原则上", 1)[1]
    return name


def benchmark_name(name: str) -> str:
    """A benchmark's subject without the city that opens it (`荆门市外资新设同比增长率`)."""
    name = clean(re.sub(r"(?:我市|本市|全市)?(?:为|是|仅有|仅为)?[（]?$", "", name))
    return _CITY.sub("", name)


def own_in_brackets(name: str) -> tuple[str, float | None, str | None]:
    """`清偿率（58.93%）` → (`清偿率`, 58.93, `%`): a value written in brackets after the name."""
    m = _OWN_IN_BRACKETS.search(name)
    if not m:
        return name, None, None
    return name[:m.start()], float(m.group(1)), m.group(2)


def split_rates(name: str) -> list[str]:
    """`行政许可、行政处罚信息上报率、合规率和及时率` → three names sharing the head.

    A run of short `…率` parts at the end lists sibling rates of the part before them."""
    parts = re.split(r"(、|和|以及)", name)
    words = parts[0::2]
    shorts = []
    while len(words) > 1 and _SHORT_RATE.match(words[-1]):
        shorts.insert(0, words.pop())
    if not shorts or not words[-1].endswith("率"):
        return [name]
    first = "".join(parts[:2 * len(words) - 1])
    head = words[-1][:-len(shorts[0])] if len(words[-1]) > len(shorts[0]) else ""
    if not head:
        return [name]
    prefix = first[:len(first) - len(words[-1])] + head
    return [first] + [prefix + s for s in shorts]


def after_name(text: str) -> str:
    """The object written after a count (`建设5个` + `一站式…企业综合服务中心`): up to the
    next number, without trailing connectors or verbs of doing."""
    m = re.search(r"\d", text)
    name = text[:m.start()] if m else text
    name = re.sub(r"(?:落地实施|建设|落地)$", "", _CONNECTOR.sub("", name))
    return clean(name) if name else ""
