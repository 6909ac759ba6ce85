"""The dispatch report (调度通报) of one cycle: "每月一次调度会……对模拟测评中未完成目标
任务的科室……予以通报" (s000 四). Built from the ledger, the reports and the
audit trail, as of the cycle's cut-off (today, or the day the cycle closed):

* per unit: lead tasks, done, completion rate, this cycle's reports (on time,
  late, missing), the on-time rate over every cycle so far, letters received;
  ranked by that on-time rate, then completion rate;
* per plan: tasks, done, completion rate, overdue;
* the overdue tasks (deadline passed, not done by the cut-off);
* the trend over cycles: reporting, on-time and completion rates.

A task "done by" a day is one whose status became done (audit trail) on or
before that day. Render with duban.supervise.render (.docx .html .pdf).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import false, func, select
from sqlalchemy.orm import Session

from duban.errors import NotFound
from duban.ledger.models import Change, Document, Task, TaskUnit, Unit
from duban.supervise import cycles as cyc
from duban.supervise.models import (
    COUNTED_STATUSES, LETTER_KINDS, Cycle, Letter, ProgressReport, Schedule,
)
from duban.supervise.settings import Settings

CHINA_TZ = dt.timezone(dt.timedelta(hours=8))
OVERDUE_LIST_MAX = 200


@dataclass
class UnitRow:
    unit: str
    tasks: int = 0
    done: int = 0
    required: int = 0  # reports owed this cycle
    on_time: int = 0
    late: int = 0
    required_all: int = 0  # over every cycle so far
    on_time_all: int = 0
    letters: list[str] = field(default_factory=list)
    rank: int = 0

    @property
    def missing(self) -> int:
        return self.required - self.on_time - self.late

    @property
    def completion(self) -> float:
        return self.done / self.tasks if self.tasks else 0.0

    @property
    def on_time_rate(self) -> float:
        return self.on_time_all / self.required_all if self.required_all else 1.0


@dataclass
class DocRow:
    plan: str
    tasks: int = 0
    done: int = 0
    overdue: int = 0

    @property
    def completion(self) -> float:
        return self.done / self.tasks if self.tasks else 0.0


@dataclass
class TrendRow:
    period: str
    due: dt.date
    required: int = 0
    reported: int = 0
    on_time: int = 0
    tasks: int = 0
    done: int = 0

    @property
    def reporting_rate(self) -> float:
        return self.reported / self.required if self.required else 0.0

    @property
    def on_time_rate(self) -> float:
        return self.on_time / self.required if self.required else 0.0

    @property
    def completion(self) -> float:
        return self.done / self.tasks if self.tasks else 0.0


@dataclass
class OverdueRow:
    task_id: int
    text: str
    source: str
    deadline: str
    units: str
    days: int


@dataclass
class Dispatch:
    period: str
    due: dt.date
    cutoff: dt.date
    issuer: str
    office: str
    units: list[UnitRow]
    docs: list[DocRow]
    trend: list[TrendRow]
    overdue: list[OverdueRow]
    overdue_total: int
    letters: list[tuple[str, str, str]]  # (number, kind label, unit)
    warnings: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        from duban.supervise.letters import cn_period

        return f"关于{cn_period(self.period)}重点任务推进情况的通报"

    @property
    def totals(self) -> TrendRow:
        return self.trend[-1]


def _china_day(value: dt.datetime | None) -> dt.date | None:
    return value.astimezone(CHINA_TZ).date() if value is not None else None


def _cycle(session: Session, period: str | None, today: dt.date) -> tuple[Schedule, list[Cycle], Cycle]:
    schedule = session.scalar(select(Schedule).where(Schedule.plan_key.is_(None)))
    if schedule is None:
        raise NotFound("尚未设置报送周期，没有可通报的周期")
    cycles = list(session.scalars(select(Cycle).where(Cycle.schedule_id == schedule.id)
                                  .order_by(Cycle.due)))
    if period:
        p = cyc.parse_period(period, schedule.kind)
        chosen = next((c for c in cycles if c.period == p), None)
        if chosen is None:
            raise NotFound(f"没有 {p} 这一报送周期")
    else:
        past = [c for c in cycles if c.due < today] or cycles
        if not past:
            raise NotFound("还没有报送周期（先运行 duban supervise run）")
        chosen = past[-1]
    return schedule, [c for c in cycles if c.due <= chosen.due], chosen


def _cutoff(c: Cycle, today: dt.date) -> dt.date:
    end = _china_day(c.closed_at) or c.closes_on
    return min(today, end) if end else today


def build(*, session: Session, period: str | None, today: dt.date, settings: Settings) -> Dispatch:
    schedule, history, cycle = _cycle(session, period, today)
    cutoff = _cutoff(cycle, today)
    leads = session.execute(
        select(TaskUnit.task_id, TaskUnit.unit_id, Task.created_at, Task.deadline,
               Task.document_id)
        .join(Task, Task.id == TaskUnit.task_id)
        .where(TaskUnit.role == "lead", TaskUnit.withdrawn == false())).all()
    tasks = {r.task_id: r for r in leads}
    done_on = _done_on(session, list(tasks))
    reports = _reports(session, [c.id for c in history])
    names = dict(session.execute(select(Unit.id, Unit.name)).all())
    units: dict[int, UnitRow] = {}
    trend = []
    for c in history:
        c_cut = _cutoff(c, today)
        row = TrendRow(c.period, c.due)
        for r in leads:
            created = _china_day(r.created_at)
            finished = done_on.get(r.task_id)
            if created > c_cut:
                continue
            u = units.setdefault(r.unit_id, UnitRow(names.get(r.unit_id, str(r.unit_id))))
            owes = created < c.due and not (finished and finished < c.starts_on)
            sub = reports.get((r.task_id, c.id))
            on_time = owes and sub is not None and sub <= c.due
            if owes:
                u.required_all += 1
                u.on_time_all += on_time
            if c.id == cycle.id:
                u.tasks += 1
                u.done += bool(finished and finished <= c_cut)
                if owes:
                    u.required += 1
                    u.on_time += on_time
                    u.late += bool(sub is not None and c.due < sub <= c_cut)
        for task_id, r in tasks.items():
            if _china_day(r.created_at) <= c_cut:
                row.tasks += 1
                finished = done_on.get(task_id)
                row.done += bool(finished and finished <= c_cut)
                if _china_day(r.created_at) < c.due and not (finished and finished < c.starts_on):
                    row.required += 1
                    sub = reports.get((task_id, c.id))
                    row.reported += bool(sub is not None and sub <= c_cut)
                    row.on_time += bool(sub is not None and sub <= c.due)
        trend.append(row)
    for number, kind, unit_id in session.execute(
            select(Letter.number, Letter.kind, Letter.unit_id).where(Letter.cycle_id == cycle.id)
            .order_by(Letter.id)):
        if unit_id in units:
            units[unit_id].letters.append(f"{number}（{LETTER_KINDS[kind]}）")
    ranked = sorted((u for u in units.values() if u.tasks),
                    key=lambda u: (-u.on_time_rate, -u.completion, u.unit))
    for i, u in enumerate(ranked, 1):
        u.rank = i
    overdue, total = _overdue(session, tasks, done_on, cutoff)
    return Dispatch(
        period=cycle.period, due=cycle.due, cutoff=cutoff, issuer=settings.issuer_name,
        office=settings.office, units=ranked, docs=_docs(session, tasks, done_on, cutoff),
        trend=trend, overdue=overdue, overdue_total=total,
        letters=[(n, LETTER_KINDS[k], names.get(u, "")) for n, k, u in session.execute(
            select(Letter.number, Letter.kind, Letter.unit_id)
            .where(Letter.cycle_id == cycle.id).order_by(Letter.kind, Letter.seq))])


def _done_on(session: Session, task_ids: list[int]) -> dict[int, dt.date]:
    """The day each done task became done (audit trail; date.min if unknown)."""
    done = set(session.scalars(select(Task.id).where(Task.status == "done")))
    when = dict(session.execute(
        select(Change.entity_id, func.max(Change.at))
        .where(Change.entity == "task", Change.field == "status", Change.new == "done")
        .group_by(Change.entity_id)).all())
    return {t: (_china_day(when[t]) if t in when else dt.date.min)
            for t in task_ids if t in done}


def _reports(session: Session, cycle_ids: list[int]) -> dict[tuple[int, int], dt.date]:
    """(task, cycle) -> the day its counted report was submitted."""
    rows = session.execute(select(ProgressReport.task_id, ProgressReport.cycle_id,
                                  ProgressReport.submitted_at)
                           .where(ProgressReport.cycle_id.in_(cycle_ids),
                                  ProgressReport.status.in_(COUNTED_STATUSES)))
    return {(t, c): _china_day(at) for t, c, at in rows if at is not None}


def _docs(session, tasks: dict, done_on: dict, cutoff: dt.date) -> list[DocRow]:
    titles = dict(session.execute(select(Document.id, func.coalesce(Document.title, Document.name))).all())
    rows: dict[int, DocRow] = {}
    for task_id, r in tasks.items():
        if _china_day(r.created_at) > cutoff:
            continue
        d = rows.setdefault(r.document_id, DocRow(titles.get(r.document_id, "")))
        finished = done_on.get(task_id)
        d.tasks += 1
        d.done += bool(finished and finished <= cutoff)
        d.overdue += bool(r.deadline and r.deadline < cutoff and not (finished and finished <= cutoff))
    return sorted(rows.values(), key=lambda d: (-d.completion, d.plan))


def _overdue(session, tasks: dict, done_on: dict, cutoff: dt.date):
    late = sorted((r.deadline, t) for t, r in tasks.items()
                  if r.deadline and r.deadline < cutoff
                  and not (done_on.get(t) and done_on[t] <= cutoff))
    ids = [t for _, t in late[:OVERDUE_LIST_MAX]]
    info = {row.id: row for row in session.execute(
        select(Task.id, Task.text, Task.line, Task.deadline_text, Document.title, Document.name)
        .join(Document, Document.id == Task.document_id).where(Task.id.in_(ids)))} if ids else {}
    units = defaultdict(list)
    if ids:
        for tid, name in session.execute(select(TaskUnit.task_id, Unit.name)
                                         .join(Unit, Unit.id == TaskUnit.unit_id)
                                         .where(TaskUnit.task_id.in_(ids), TaskUnit.role == "lead")
                                         .order_by(TaskUnit.pos)):
            units[tid].append(name)
    out = []
    for deadline, t in late[:OVERDUE_LIST_MAX]:
        r = info[t]
        out.append(OverdueRow(t, r.text, f"《{r.title or r.name}》第{r.line}行",
                              r.deadline_text or deadline.isoformat(), "、".join(units[t]),
                              (cutoff - deadline).days))
    return out, len(late)
