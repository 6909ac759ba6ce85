"""Working days in China: public holidays and make-up workdays (调休) from
chinese_calendar. "于N个工作日内报送" counts days the offices are open, so a
reply deadline spanning National Day skips 10-01..10-08 and counts the
make-up Sunday 2025-09-28.

Years the installed chinese_calendar has no data for fall back to Monday to
Friday, with a warning logged once per year: a deadline is still produced.
"""

from __future__ import annotations

import datetime as dt
import logging

log = logging.getLogger(__name__)
_warned: set[int] = set()
_MAX_SCAN = 60  # no holiday run in China is longer than this


def is_workday(day: dt.date) -> bool:
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        if day.year not in _warned:
            _warned.add(day.year)
            log.warning("chinese_calendar has no data for %s: counting Monday-Friday only", day.year)
        return day.weekday() < 5


def on_or_after(day: dt.date) -> dt.date:
    """`day` if offices are open then, else the next working day (a due date
    falling on a holiday or weekend moves forward)."""
    for _ in range(_MAX_SCAN):
        if is_workday(day):
            return day
        day += dt.timedelta(days=1)
    return day


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The n-th working day after `day` (n >= 1); n = 0 gives on_or_after(day)."""
    if n <= 0:
        return on_or_after(day)
    count = 0
    while count < n:
        day += dt.timedelta(days=1)
        if is_workday(day):
            count += 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]: how many working days late `end` is."""
    if end <= start:
        return 0
    return sum(1 for k in range(1, (end - start).days + 1)
               if is_workday(start + dt.timedelta(days=k)))
