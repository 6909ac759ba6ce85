"""Regions (province / city / county) with their GB/T 2260 codes, and document types.

The table of administrative divisions is cpca's (`cpca.ad_2_addr_dict`: name,
6-digit adcode, rank 0/1/2 for province/city/county), shipped inside the
package, so nothing is fetched at run time. Short names (河南, 驻马店) are
accepted for provinces and cities as cpca does; county names only in full.

A document's region is the *issuing* jurisdiction: the leading place named by
its issuer, else its title, else its 文号's province abbreviation, else the
province its text names most. "湖北省商务厅武汉海关关于…" is 湖北省 (武汉 is not
adjacent to 湖北省), "湖北省荆门市…" is 荆门市.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from duban.errors import DubanError

LEVELS = ("province", "city", "county")
LEVEL_LABELS = {"province": "省级", "city": "市级", "county": "县级"}
# Names in cpca's table that are not places ("市辖区" stands for "the districts").
_NOT_PLACES = {"市辖区", "城区", "郊区", "矿区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
_SHORT_SUFFIX = re.compile(r"([省市]|特别行政区|自治区)$")  # cpca's stop key
# 文号 prefixes that name one province only (新, 吉, 宁, 青, 云… also start city 文号).
_ABBREVIATIONS = {"豫": "41", "鄂": "42", "湘": "43", "赣": "36", "皖": "34", "苏": "32",
                  "浙": "33", "闽": "35", "粤": "44", "桂": "45", "琼": "46", "渝": "50",
                  "川": "51", "黔": "52", "滇": "53", "陕": "61", "甘": "62", "冀": "13",
                  "晋": "14", "辽": "21", "黑": "23", "沪": "31", "鲁": "37", "京": "11", "津": "12"}
DOC_TYPES = ("实施方案", "工作方案", "行动方案", "方案", "实施意见", "指导意见", "意见", "若干措施",
             "措施", "实施细则", "细则", "暂行办法", "管理办法", "办法", "工作要点", "要点",
             "行动计划", "计划", "规划", "清单", "工作安排", "安排", "规定", "指南", "决定",
             "公告", "通知")
_TYPE_GROUP = {"实施方案": "方案", "工作方案": "方案", "行动方案": "方案", "实施意见": "意见",
               "指导意见": "意见", "若干措施": "措施", "实施细则": "细则", "暂行办法": "办法",
               "管理办法": "办法", "工作要点": "要点", "行动计划": "计划", "工作安排": "安排"}


class UnknownRegion(DubanError):
    """A region a user named that is not in the table."""


@dataclass(frozen=True)
class Region:
    code: str  # 6 digits: 410000, 411700, 419001
    name: str  # the region's own name: 河南省, 驻马店市
    level: str  # province | city | county
    province: str
    city: str | None = None

    @property
    def prefix(self) -> str:
        """The code prefix every place inside this region shares."""
        return {"province": self.code[:2], "city": self.code[:4]}.get(self.level, self.code)

    @property
    def label(self) -> str:
        parts = [self.province, self.city, self.name if self.level == "county" else None]
        return "".join(dict.fromkeys(p for p in parts if p))


@dataclass(frozen=True)
class _Place:
    code: str
    name: str
    rank: int  # 0 province, 1 city, 2 county


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    places: tuple


def _records() -> list[tuple[str, str]]:
    """(name, 6-digit code) of every division in cpca's table. cpca's own loader
    needs pkg_resources (setuptools); without it the same CSV is read directly."""
    try:
        import cpca

        return [(i.name, i.adcode[:6]) for i in cpca.ad_2_addr_dict.values()]
    except ModuleNotFoundError as e:
        if e.name == "cpca":
            raise DubanError("地区代码表不可用：请安装 cpca（pip install cpca==0.5.5）") from None
    import csv
    from importlib.util import find_spec
    from pathlib import Path

    path = Path(find_spec("cpca").origin).parent / "resources" / "adcodes.csv"
    with path.open(encoding="utf-8") as fh:
        return [(r["name"], r["adcode"][:6]) for r in csv.DictReader(fh)]


def _rank(code: str) -> int:
    return 0 if code.endswith("0000") else 1 if code.endswith("00") else 2


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, _Place], dict[str, list[_Place]], int]:
    """(code → place, name → places, longest name), from cpca's table."""
    by_code: dict[str, _Place] = {}
    by_name: dict[str, list[_Place]] = {}
    for name, code in _records():
        if name in _NOT_PLACES:
            continue
        place = _Place(code, name, _rank(code))
        by_code.setdefault(place.code, place)
        names = {name}
        if place.rank < 2:
            short = _SHORT_SUFFIX.sub("", name)
            if len(short) >= 2:
                names.add(short)
        for n in names:
            by_name.setdefault(n, []).append(place)
    return by_code, by_name, max(map(len, by_name))


def _region(place: _Place) -> Region:
    by_code, _, _ = _table()
    province = by_code.get(place.code[:2] + "0000")
    city = by_code.get(place.code[:4] + "00") if place.rank == 2 else None
    return Region(code=place.code, name=place.name, level=LEVELS[place.rank],
                  province=province.name if province else place.name,
                  city=(city.name if city else None) if place.rank == 2 else
                  (place.name if place.rank == 1 else None))


def mentions(text: str) -> list[_Mention]:
    """Place names in `text`, longest match first, left to right."""
    _, by_name, longest = _table()
    out, i, n = [], 0, len(text)
    while i < n - 1:
        for size in range(min(longest, n - i), 1, -1):
            places = by_name.get(text[i:i + size])
            if places:
                out.append(_Mention(i, i + size, tuple(places)))
                i += size
                break
        else:
            i += 1
    return out


def _belongs(child: _Place, parent: _Place) -> bool:
    return child.rank > parent.rank and child.code.startswith(parent.code[:2 * (parent.rank + 1)])


def leading_region(text: str | None) -> Region | None:
    """The region a name like 湖北省荆门市人民政府 or 驻马店市… starts with: the first
    place named, narrowed by places that follow it directly."""
    found = mentions(re.sub(r"\s+", "", text or ""))
    if not found:
        return None
    first = found[0]
    candidates = sorted(first.places, key=lambda p: p.rank)
    if len(candidates) > 1 and candidates[0].rank == candidates[1].rank:
        return None  # 西湖区 alone: which one?
    current, end = candidates[0], first.end
    for m in found[1:]:
        if m.start != end:
            break
        inside = [p for p in m.places if _belongs(p, current)]
        if not inside:
            break
        current, end = min(inside, key=lambda p: p.rank), m.end
    return _region(current)


def region_from_doc_number(doc_number: str | None) -> Region | None:
    """豫政办〔2023〕22号 → 河南省 (a provincial 文号; 赣市府办字 is a city's)."""
    number = (doc_number or "").strip()
    if len(number) < 2 or number[1] == "市":
        return None
    code = _ABBREVIATIONS.get(number[0])
    place = _table()[0].get(code + "0000") if code else None
    return _region(place) if place else None


def majority_province(text: str | None, min_mentions: int = 3) -> Region | None:
    """The province a text names most (cities and counties count for theirs),
    when it has at least half of all mentions."""
    counts: Counter[str] = Counter()
    for m in mentions(re.sub(r"\s+", "", text or "")):
        provinces = {p.code[:2] for p in m.places}
        if len(provinces) == 1:
            counts[provinces.pop()] += 1
    if not counts:
        return None
    code, n = counts.most_common(1)[0]
    if n < min_mentions or n * 2 < sum(counts.values()):
        return None
    place = _table()[0].get(code + "0000")
    return _region(place) if place else None


def document_region(*, region: str | None = None, issuer: str | None = None,
                    title: str | None = None, doc_number: str | None = None,
                    text: str | None = None) -> Region | None:
    """The issuing jurisdiction of a document, from the most to the least reliable source."""
    for source in (region, issuer, title):
        found = leading_region(source)
        if found is not None:
            return found
    return region_from_doc_number(doc_number) or majority_province(text)


def resolve(value: str | None) -> Region:
    """A region a person typed: 河南, 河南省, 驻马店, 411700, 41. UnknownRegion otherwise."""
    raw = re.sub(r"\s+", "", value or "")
    if not raw:
        raise UnknownRegion("请指定地区")
    by_code, by_name, _ = _table()
    if raw.isdigit():
        code = (raw + "0000")[:6] if len(raw) in (2, 4) else raw[:6]
        place = by_code.get(code)
        if place is None:
            raise UnknownRegion(f"未知地区代码「{raw}」")
        return _region(place)
    places = sorted(by_name.get(raw, []), key=lambda p: p.rank)
    if not places:
        raise UnknownRegion(f"未知地区「{raw[:40]}」（可填省、市、县名称或行政区划代码）")
    if len(places) > 1 and places[0].rank == places[1].rank:
        codes = "、".join(p.code for p in places[:5])
        raise UnknownRegion(f"地区「{raw}」有多处同名（{codes}），请填写行政区划代码")
    return _region(places[0])


def issuer_from_title(title: str | None) -> str | None:
    """河南省人民政府办公厅关于印发… → 河南省人民政府办公厅."""
    m = re.match(r"^(?!关于|印发)(.{2,40}?)(?:关于|印发)", re.sub(r"\s+", "", title or ""))
    return m.group(1) if m else None


def document_type(title: str | None) -> str | None:
    """方案 / 清单 / 意见 / 措施 / 办法 / 要点 / 计划 / 规划 / 安排 / 细则 … from the title:
    the type of the document a 印发 notice carries, else the notice's own."""
    text = re.sub(r"\s+", "", title or "")
    inner = re.findall(r"《([^》]+)》", text)
    core = inner[-1] if inner else re.sub(r"^.*?印发", "", text)
    core = re.sub(r"(的)?(通知|公告)$", "", core) or text
    for source in (core, text):
        best = max(((source.rfind(t), -len(t), t) for t in DOC_TYPES if t in source), default=None)
        if best is not None:
            return _TYPE_GROUP.get(best[2], best[2])
    return None
