"""Split a note's unit list into one string per unit, in the document's own words.

`市发改委、市经信局` → two units; `及`/`和` between units split too; collective units
stay whole (`各县（市、区）人民政府`, `各市、州、县市场监管局`); a trailing `等`/`等单位`
is dropped while a scoped group after `等` (`等省直相关单位`) is its own unit;
alias brackets stay (`市市场监管局（市知识产权局）`), explanatory ones go
(`（含葛店开发区、临空经济区，下同）`).
"""

from __future__ import annotations

import re

from duban.extract.text import CLOSE, OPEN, bracket_spans, nospace, split_top, strip_markup

# Bare administrative levels that, after 各, share the suffix of the last piece:
# 各市、州、县市场监管局 / 各市州、县市区人民政府 / 各设区市、赣江新区…领导小组.
_ADMIN_LEVEL = re.compile(r"^(各)?(设区市|县市区|县区|市州|县市|市|州|县|区|乡镇|乡|镇|街道)$")
# A piece that cannot stand alone: it completes the piece before it (省局相关处室、单位).
_BARE = {"单位", "部门", "处室", "机构", "科室", "企业"}
# Generic groups after 等 that add nothing (等相关部门, 等处室); a scoped one
# (等省直相关单位, 等涉及行政处罚信息公示的单位) is kept as a unit.
_GENERIC_AFTER_DENG = re.compile(
    r"^(相关|有关|其他)?(部门|单位|处室|科室|机构)(和|及|、)?(单位|部门)?$")
# Unit-name endings: where 和 joins two units rather than two words of one name.
_SUFFIX = re.compile(
    r"(局|委|厅|办|院|府|会|中心|部|处|科|室|行|司|队|所|站|单位|部门|地区|政府|公司|"
    r"集团|机构|银行|分行|支行|监管局|管委会|小组|法院|检察院|海关|协会|联合会|团|社|馆|台)$")
_EXPLAIN = re.compile(r"^[（(〔\[](含|包括|不含|以下简称|简称|下同)|下同[）)〕\]]$")
_ROLE_TAIL = re.compile(
    r"(按职责分工|按照职责分工|按职责|按照职能|按职能|分工|分别|共同|具体|按照职责)*"
    r"(牵头)?(负责|落实|配合|参与|实施|推进)?$")


def _drop_explanations(s: str) -> str:
    for a, b in reversed(bracket_spans(s)):
        if _EXPLAIN.search(s[a:b]):
            s = s[:a] + s[b:]
    return s


def _split_deng(piece: str) -> list[str]:
    """`X等` → X; `X等单位` → X; `X等省直相关单位` → X, 省直相关单位."""
    depth = 0
    for i, ch in enumerate(piece):
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE and depth:
            depth -= 1
        elif ch == "等" and depth == 0 and (i == 0 or piece[i - 1] != "高"):
            head, tail = piece[:i], piece[i + 1:]
            if not tail or _GENERIC_AFTER_DENG.match(tail):
                return [head]
            return [head, *_split_deng(tail)]
    return [piece]


def _split_ji(piece: str) -> list[str]:
    """Split on 及 where it follows a whole unit name (市直相关单位及各地区), not
    inside a word (涉及, 以及)."""
    parts = split_top(piece, "及")
    out = [parts[0]]
    for nxt in parts[1:]:
        if _SUFFIX.search(out[-1]) and nxt:
            out.append(nxt[1:] if nxt.startswith("其") and not nxt.startswith("其他") else nxt)
        else:
            out[-1] = out[-1] + "及" + nxt
    return out


def _split_he(piece: str) -> list[str]:
    """Split on 和 only where it joins two whole unit names (省政务局和省直相关单位),
    not inside one (市自然资源和规划局, 各有关部门和单位)."""
    parts = split_top(piece, "和")
    out = [parts[0]]
    for nxt in parts[1:]:
        if _SUFFIX.search(out[-1]) and nxt and nxt not in _BARE and len(nxt) > 1 \
                and not _SUFFIX.fullmatch(nxt):
            out.append(nxt)
        else:
            out[-1] = out[-1] + "和" + nxt
    return out


def _join_collectives(pieces: list[str]) -> list[str]:
    """Re-join pieces a 、 split inside one collective unit."""
    out: list[str] = []
    joining = False
    for p in pieces:
        if out and (joining or p in _BARE):
            out[-1] = out[-1] + "、" + p
        else:
            out.append(p)
        # 各市、州、… : keep joining while the pieces are bare admin levels.
        head = out[-1].split("、")
        joining = out[-1].startswith("各") and all(_ADMIN_LEVEL.match(h) for h in head)
    return out


# What _split_deng cannot see when a stray bracket hides the 等 (`（等单位`).
_DENG_TAIL = re.compile(r"(?<!高)等(相关|有关|其他)?(部门|单位|处室|科室|机构)?([和及、](单位|部门))?$")


def _drop_stray_brackets(u: str) -> str:
    """An opening bracket never closed in the name is debris of a cut line."""
    while u and u[-1] in OPEN:
        u = u[:-1]
    while u and u[0] in OPEN and not any(c in CLOSE for c in u):
        u = u[1:]
    return u


def clean_unit(u: str) -> str:
    u = u.strip(" ，,、；;。:：")
    u = re.sub(r"^(和|及|与|以及)", "", u)
    u = _ROLE_TAIL.sub("", u) if not u.endswith("负责人") else u
    prev = None
    while u != prev:  # debris can nest: （等单位等, （等单位（
        prev = u
        u = _DENG_TAIL.sub("", _drop_stray_brackets(u)).strip(" ，,、；;。:：")
    return u


# Wide gaps (two spaces or more, or an ideographic space) between a whole name and the
# start of another separate units (`市发改委　市经信局`); single spaces are PDF
# artefacts inside names (`市 市 场 监 管局`) and are simply removed.
_GAP = re.compile(r"(?<=[局委厅办府院会心部处科室行司队所站位门])(?:\u3000+|[ \t]{2,})(?=[市省区县各国中])")


def split_units(s: str) -> list[str]:
    """One string per unit, in order, without duplicates."""
    s = _drop_explanations(nospace(_GAP.sub("、", strip_markup(s))))
    units: list[str] = []
    for part in split_top(s, "，,；;"):
        pieces = _join_collectives([p for p in split_top(part, "、/／") if p])
        for piece in pieces:
            for a in _split_ji(piece):
                for b in _split_deng(a):
                    for c in _split_he(b):
                        c = clean_unit(c)
                        if c and c not in units and not _is_noise(c):
                            units.append(c)
    return units


def _is_noise(u: str) -> bool:
    return u in _BARE or u in {"等", "其他", "责任单位", "牵头单位", "相关"} or len(u) < 2 and u != "区"
