"""Numbers, units of measure and comparison words as plans write them."""

from __future__ import annotations

import re

NUM = r"-?\d+(?:\.\d+)?"

# Longest first: `万户` before `户`, `个工作日` before `个`.
UNITS = ("批次/千人", "个工作日", "工作日", "万人次", "万户", "万人", "万张", "万件", "万元", "亿元", "家次",
         "场次", "人次", "小时", "分钟", "个", "件", "户", "项", "天", "人", "家", "套", "张", "条",
         "位", "元", "名", "所", "座", "%", "‰")
UNIT = "(?:" + "|".join(re.escape(u) for u in UNITS) + ")"
CANONICAL_UNIT = {"个工作日": "工作日"}

# A number followed by one of these is a date, a code or a grade, never a value.
_NOT_VALUE_AFTER = re.compile(r"^(?:年|月|日|号|时|点|级|期|周|季度|C|”|\d|·)")

# Target verbs directly before the number, longest first, with the comparator they mean.
TARGET_VERBS = {
    "未达到": "≥", "未达": "≥", "达到": "≥", "突破": "≥", "超过": "≥", "不低于": "≥", "不少于": "≥",
    "大于": "≥", "提高到": "≥", "提高至": "≥", "提升至": "≥", "提升到": "≥", "拓展至": "≥",
    "拓展到": "≥", "增加到": "≥", "增加至": "≥", "增长": "≥", "保持在": "≥", "超": "≥", "达": "≥",
    "不高于": "≤", "不超过": "≤", "控制在": "≤", "压缩至": "≤", "压缩到": "≤", "压减至": "≤",
    "压减到": "≤", "降至": "≤", "降低至": "≤", "降低到": "≤", "缩短至": "≤", "缩短到": "≤",
    "减少至": "≤", "减少到": "≤", "小于": "≤", "不得高于": "≤", "不得超过": "≤", "不得低于": "≥",
    "不得少于": "≥",
}
TARGET_VERB = "(?:" + "|".join(sorted(TARGET_VERBS, key=len, reverse=True)) + ")"
SUFFIX_COMPARATOR = {"以上": "≥", "以下": "≤", "以内": "≤"}

# Verbs whose object is a count the plan commits to deliver: `新增…3360个`, `建设5个…`.
DELIVER_VERBS = ("新建改造", "培育发展", "制定发布", "推动建设", "主导和参与制修订", "制修订", "新发展",
                 "新增", "新建", "建设", "完成", "培育", "引进", "打造", "开展", "组织", "建立",
                 "颁发", "发布", "创建", "举办")
DELIVER_VERB = "(?:" + "|".join(DELIVER_VERBS) + ")"

VALUE = re.compile(rf"({NUM})({UNIT})?")


def to_float(s: str) -> float:
    return float(s)


def canonical_unit(unit: str | None) -> str | None:
    if not unit:
        return None
    return CANONICAL_UNIT.get(unit, unit)


def values(text: str) -> list[re.Match]:
    """Every number in `text` that can be a measured value (dates, years, codes and
    numbers in quotes like `“210”` are left out). A leading `-` is a minus sign only
    right after 为/（/：/start, not as a range dash."""
    out = []
    for m in VALUE.finditer(text):
        start = m.start()
        if text[start] == "-" and start > 0 and text[start - 1] not in "为（：是":
            start += 1
            m = VALUE.match(text, start)
            if not m:
                continue
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end(1):]
        if before in "第“〔.0123456789" or (before.isascii() and before.isalpha()):
            continue
        if not m.group(2) and _NOT_VALUE_AFTER.match(after):
            continue
        if m.group(2) in ("个", "天") and re.match(r"^(?:月|工作日)", after):
            continue
        out.append(m)
    return out
