"""Reporting cycles. The plans fix the rhythm: "每月25日前向三项指标牵头科室报送
各项指标进展情况和相关资料" (s000); "每月一次调度会". A schedule is monthly on day
N (default 25), quarterly on day N of the quarter's last month, or one-off on a
date. A cycle is one period of it: (period, due). A due date that falls on a
weekend or public holiday moves to the next working day (chinese_calendar, 调休
included). Reports are on time up to the due date and accepted late until the
day before the next cycle falls due (or, for a one-off, until the office
closes it); after that the cycle is closed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger.fields import InvalidValue
from duban.supervise import workdays
from duban.supervise.models import SCHEDULE_KINDS, Cycle, Schedule

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)


def month_period(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def quarter_period(day: dt.date) -> str:
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


def period_of(kind: str, day: dt.date) -> str:
    """The period of `kind` containing `day`."""
    return quarter_period(day) if kind == "quarterly" else month_period(day)


def parse_period(text: str, kind: str = "monthly") -> str:
    """Normalise "2025-5" to "2025-05", "2025q2" to "2025-Q2"; InvalidValue otherwise."""
    raw = (text or "").strip()
    if kind == "quarterly":
        if m := _QUARTER.match(raw):
            return f"{m[1]}-Q{m[2]}"
        if m := _MONTH.match(raw):  # a month names its quarter
            if 1 <= int(m[2]) <= 12:
                return quarter_period(dt.date(int(m[1]), int(m[2]), 1))
    elif m := _MONTH.match(raw):
        if 1 <= int(m[2]) <= 12:
            return f"{m[1]}-{int(m[2]):02d}"
    raise InvalidValue(f"周期「{text}」无效（应为 YYYY-MM{'，或 YYYY-Qn' if kind == 'quarterly' else ''}）")


def period_start(period: str) -> dt.date:
    if m := _QUARTER.match(period):
        return dt.date(int(m[1]), (int(m[2]) - 1) * 3 + 1, 1)
    m = _MONTH.match(period)
    return dt.date(int(m[1]), int(m[2]), 1)


def next_period(period: str) -> str:
    start = period_start(period)
    months = 3 if _QUARTER.match(period) else 1
    y, m = divmod(start.month - 1 + months, 12)
    nxt = dt.date(start.year + y, m + 1, 1)
    return quarter_period(nxt) if months == 3 else month_period(nxt)


def _day_in_month(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def due_date(schedule: Schedule, period: str) -> dt.date:
    """The (working-day adjusted) due date of `period` under `schedule`."""
    if schedule.kind == "once":
        return workdays.on_or_after(schedule.once_due)
    start = period_start(period)
    month = start.month + 2 if schedule.kind == "quarterly" else start.month
    return workdays.on_or_after(_day_in_month(start.year, month, schedule.day))


def cycle_values(schedule: Schedule, period: str) -> dict:
    """period, starts_on, due and closes_on of one cycle (not stored)."""
    due = due_date(schedule, period)
    if schedule.kind == "once":
        return {"period": period, "starts_on": min(period_start(period), due), "due": due,
                "closes_on": None}
    closes = due_date(schedule, next_period(period)) - dt.timedelta(days=1)
    return {"period": period, "starts_on": period_start(period), "due": due, "closes_on": closes}


def validate_schedule(kind: str, day: int, once_due: dt.date | None) -> None:
    if kind not in SCHEDULE_KINDS:
        raise InvalidValue(f"报送频率「{kind}」无效（应为 {'、'.join(SCHEDULE_KINDS)}）")
    if not 1 <= int(day) <= 31:
        raise InvalidValue(f"报送日「{day}」无效（应为 1–31）")
    if kind == "once" and once_due is None:
        raise InvalidValue("一次性报送必须指定截止日期")


def ensure_cycles(schedule: Schedule, today: dt.date, *, session: Session) -> list[Cycle]:
    """Every cycle of `schedule` from its start period up to the one containing
    `today` (created as needed), oldest first."""
    have = {c.period: c for c in session.scalars(
        select(Cycle).where(Cycle.schedule_id == schedule.id))}
    periods = [schedule.start_period]
    if schedule.kind != "once":
        last = period_of(schedule.kind, today)
        while periods[-1] < last:
            periods.append(next_period(periods[-1]))
    out = []
    for period in periods:
        cycle = have.get(period)
        if cycle is None:
            cycle = Cycle(schedule_id=schedule.id, **cycle_values(schedule, period))
            session.add(cycle)
        out.append(cycle)
    session.flush()
    return sorted(out, key=lambda c: c.due)


def last_due(cycles: list[Cycle], today: dt.date) -> Cycle | None:
    """The latest cycle whose due date has passed: the one a missing report is
    counted against (on the due date itself a report is not yet late)."""
    past = [c for c in cycles if c.due < today]
    return past[-1] if past else None


def open_for_submission(cycles: list[Cycle], today: dt.date) -> Cycle | None:
    """The cycle a report filed today goes to by default: the next one due
    (today included), else the latest one still accepting late reports."""
    for c in cycles:
        if c.due >= today and is_open(c, today):
            return c
    late = [c for c in cycles if is_open(c, today)]
    return late[-1] if late else None


def is_open(cycle: Cycle, today: dt.date) -> bool:
    if cycle.closed_at is not None:
        return False
    return cycle.closes_on is None or today <= cycle.closes_on
