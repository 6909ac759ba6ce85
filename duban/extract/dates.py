"""Deadline text → last allowed day, and whether the work is ongoing."""

from __future__ import annotations

import calendar
import re
from datetime import date

ONGOING = re.compile(r"长期|持续推进|常态化|持续开展|持续实施")
_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
           "十": 10, "十一": 11, "十二": 12}
_DATE = re.compile(
    r"(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2}|十[一二]?|[一二三四五六七八九])\s*月\s*"
    r"(?:(?P<d>\d{1,2})\s*[日号])?(?P<end>[底末])?")
_YEAR_END = re.compile(r"(?:(?P<y>\d{4})\s*年\s*)?(?:年底|年末|年内|底前)")
_HALF = re.compile(r"(?:(?P<y>\d{4})\s*年\s*)?上半年")
_SECOND_HALF = re.compile(r"(?:(?P<y>\d{4})\s*年\s*)?(?:下半年|全年)")
# `2024.12`, `2024-10-31`, `2024/6/30`: a year first, so 6.87 or 1.5 are never dates.
_NUMERIC = re.compile(r"(?<!\d)(?P<y>20\d{2})\s*[.\-/／．]\s*(?P<m>\d{1,2})"
                      r"(?:\s*[.\-/／．]\s*(?P<d>\d{1,2}))?(?!\d)")
_QUARTER = re.compile(r"(?:(?P<y>\d{4})\s*年\s*)?(?:第)?(?P<q>[一二三四1-4])季度")


def _month(tok: str) -> int:
    return int(tok) if tok.isdigit() else _CN_NUM[tok]


def _last_day(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def resolve(text: str | None, year: int | None) -> tuple[str | None, bool]:
    """Resolve a deadline as written to (ISO date of the last allowed day, ongoing).

    `6月底前` → June 30 of the document's year; `3 月 31 日` → that day;
    `2023年12月` → 2023-12-31; `2022年5月底，长期推进` → 2022-05-31 and ongoing;
    `立即推进，长期坚持` → no date, ongoing.
    """
    if not text:
        return None, False
    ongoing = bool(ONGOING.search(text))
    m = _DATE.search(text) or _NUMERIC.search(text)
    if m:
        y = int(m["y"]) if m["y"] else year
        month = _month(m["m"])
        if y and 1 <= month <= 12:
            if m["d"]:
                try:
                    return date(y, month, int(m["d"])).isoformat(), ongoing
                except ValueError:
                    pass
            return _last_day(y, month).isoformat(), ongoing
    for rx, month in ((_HALF, 6), (_SECOND_HALF, 12), (_YEAR_END, 12)):
        m = rx.search(text)
        if m:
            y = int(m["y"]) if m["y"] else year
            if y:
                return _last_day(y, month).isoformat(), ongoing
    m = _QUARTER.search(text)
    if m:
        y = int(m["y"]) if m["y"] else year
        q = int(m["q"]) if m["q"].isdigit() else _CN_NUM[m["q"]]
        if y:
            return _last_day(y, q * 3).isoformat(), ongoing
    return None, ongoing


DEADLINE_HINT = re.compile(
    r"\d{1,2}\s*月|20\d{2}\s*[.\-/／．]\s*\d{1,2}|年底|年末|年内|[上下]半年|全年|季度|长期|持续推进|常态化|立即|即时|完成|\d{4}\s*年")


def looks_like_deadline(clause: str) -> bool:
    """A clause of a note that states when, not who (`2025年6月底前完成`, `长期坚持`)."""
    return bool(DEADLINE_HINT.search(clause)) and not re.search(
        r"局|委|厅|办|府|院|部门|单位|中心|处|科", clause.replace("办结", ""))
