"""Status lights, computed from the ledger and the reports, never typed in:

    done            已完成    the task's status is done (销号)
    overdue         已逾期    its deadline has passed and it is not done
    report_missing  未报送    no counted report for the last cycle that fell due
    due_soon        即将到期  the deadline is within the window (default 15 days)
    on_track        正常推进  anything else

in that order of precedence. They are worked out in SQL over task_unit (the
unit's copies of deadline and status) so a leader dashboard over a
million-task ledger is one grouped query. Only lead units carry the reporting
duty ("各责任科室要明确专人……报送"); co-units contribute through the lead's report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, case, false, func, literal, select
from sqlalchemy.orm import Session

from duban.ledger.models import Document, Task, TaskUnit, Unit
from duban.supervise import cycles as cyc
from duban.supervise.models import COUNTED_STATUSES, Cycle, ProgressReport, Schedule

LIGHTS = {"done": "已完成", "on_track": "正常推进", "due_soon": "即将到期", "overdue": "已逾期",
          "report_missing": "未报送"}
LIGHT_ORDER = ("overdue", "report_missing", "due_soon", "on_track", "done")
DEFAULT_WINDOW = 15


@dataclass
class Due:
    """The last cycle of a schedule that fell due before `today` (id None when
    the cycle was never stored: then no report can exist for it)."""

    schedule: Schedule
    period: str
    due: dt.date
    cycle_id: int | None


def last_due(schedule: Schedule, today: dt.date, *, session: Session) -> Due | None:
    """Worked out from the schedule without writing anything."""
    period = cyc.period_of(schedule.kind, today) if schedule.kind != "once" else schedule.start_period
    for _ in range(3):
        if period < schedule.start_period:
            return None
        due = cyc.due_date(schedule, period)
        if due < today:
            cid = session.scalar(select(Cycle.id).where(Cycle.schedule_id == schedule.id,
                                                        Cycle.period == period))
            return Due(schedule, period, due, cid)
        if schedule.kind == "once":
            return None
        period = prev_period(period)
    return None


def prev_period(period: str) -> str:
    start = cyc.period_start(period)
    back = start - dt.timedelta(days=1)
    return cyc.period_of("quarterly" if "Q" in period else "monthly", back)


@dataclass
class Scope:
    """Which cycle each task answers to as of `today`: the default schedule's,
    or its own plan's."""

    today: dt.date
    window: int = DEFAULT_WINDOW
    default: Due | None = None
    by_plan: dict[str, Due] = field(default_factory=dict)
    plan_keys: list[str] = field(default_factory=list)  # plans with their own schedule

    def dues(self) -> list[Due]:
        return ([self.default] if self.default else []) + list(self.by_plan.values())


def scope(today: dt.date, *, session: Session, window: int | None = None) -> Scope:
    schedules = list(session.scalars(select(Schedule)))
    default = next((s for s in schedules if s.plan_key is None), None)
    sc = Scope(today, window if window is not None else
               (default.due_soon_days if default else DEFAULT_WINDOW))
    sc.default = last_due(default, today, session=session) if default else None
    for s in schedules:
        if s.plan_key is not None:
            sc.plan_keys.append(s.plan_key)
            d = last_due(s, today, session=session)
            if d is not None:
                sc.by_plan[s.plan_key] = d
    return sc


def _due_dt(day: dt.date):
    """Tasks created before the start of the due day owe a report for that cycle."""
    value = dt.datetime.combine(day, dt.time(0), tzinfo=dt.timezone.utc)
    return literal(value, Task.__table__.c.created_at.type)


def light_rows(sc: Scope, *, unit_id: int | None = None, task_ids=None, lead_only: bool = True):
    """SELECT unit_id, task_id, light, cycle_id, report status for the tasks in
    scope (live tasks; lead units unless lead_only is False)."""
    needs_doc = bool(sc.plan_keys)
    # Which cycle (id, due) each task answers to.
    pairs = [(d.schedule.plan_key, d) for d in sc.by_plan.values()]
    cycle_id = literal(sc.default.cycle_id if sc.default and sc.default.cycle_id else -1)
    due_at = _due_dt(sc.default.due) if sc.default else None
    in_default = Document.plan_key.not_in(sc.plan_keys) if needs_doc else literal(True)
    applies = and_(in_default, literal(sc.default is not None))
    if pairs:
        cycle_id = case(*[(Document.plan_key == k, d.cycle_id or -1) for k, d in pairs],
                        else_=cycle_id)
        due_at = case(*[(Document.plan_key == k, _due_dt(d.due)) for k, d in pairs],
                      else_=due_at if due_at is not None else literal(None))
        applies = case((Document.plan_key.in_([k for k, _ in pairs]), True), else_=applies)
    report = select(ProgressReport.status).where(
        ProgressReport.task_id == TaskUnit.task_id, ProgressReport.cycle_id == cycle_id
    ).correlate(TaskUnit, Task, Document).scalar_subquery()
    missing = and_(applies, Task.created_at < due_at if due_at is not None else literal(False),
                   func.coalesce(report, "none").not_in(COUNTED_STATUSES))
    soon = sc.today + dt.timedelta(days=sc.window)
    light = case((TaskUnit.status == "done", "done"), (TaskUnit.due < sc.today, "overdue"),
                 (missing, "report_missing"), (TaskUnit.due <= soon, "due_soon"),
                 else_="on_track")
    stmt = (select(TaskUnit.unit_id, TaskUnit.task_id, light.label("light"),
                   cycle_id.label("cycle_id"), report.label("report_status"))
            .join(Task, Task.id == TaskUnit.task_id).where(TaskUnit.withdrawn == false()))
    if needs_doc:
        stmt = stmt.join(Document, Document.id == Task.document_id)
    if lead_only:
        stmt = stmt.where(TaskUnit.role == "lead")
    if unit_id is not None:
        stmt = stmt.where(TaskUnit.unit_id == unit_id)
    if task_ids is not None:
        stmt = stmt.where(TaskUnit.task_id.in_(list(task_ids)))
    return stmt


def task_lights(task_ids, today: dt.date, *, session: Session) -> dict[int, str]:
    """Light of each task (the worst over its lead units' views, which agree)."""
    sc = scope(today, session=session)
    out: dict[int, str] = {}
    for row in session.execute(light_rows(sc, task_ids=task_ids, lead_only=False)):
        prev = out.get(row.task_id)
        if prev is None or LIGHT_ORDER.index(row.light) < LIGHT_ORDER.index(prev):
            out[row.task_id] = row.light
    return out


@dataclass
class UnitLights:
    unit_id: int
    unit: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def as_dict(self) -> dict:
        return {"unit_id": self.unit_id, "unit": self.unit, "total": self.total,
                "counts": self.counts,
                "labels": {LIGHTS[k]: v for k, v in self.counts.items()}}


def unit_counts(today: dt.date, *, session: Session, window: int | None = None) -> list[UnitLights]:
    """Leader dashboard: per lead unit, how many tasks show each light; units
    with the most overdue and missing first."""
    sc = scope(today, session=session, window=window)
    rows = light_rows(sc).subquery()
    grouped = session.execute(select(rows.c.unit_id, rows.c.light, func.count())
                              .group_by(rows.c.unit_id, rows.c.light))
    by_unit: dict[int, dict[str, int]] = {}
    for unit_id, light, n in grouped:
        by_unit.setdefault(unit_id, {k: 0 for k in LIGHTS})[light] = n
    names = dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(list(by_unit)))).all())
    out = [UnitLights(uid, names.get(uid, str(uid)), c) for uid, c in by_unit.items()]
    out.sort(key=lambda u: (-u.counts["overdue"], -u.counts["report_missing"], u.unit))
    return out
