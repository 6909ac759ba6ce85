"""Schedules, cycles and progress reports. Session passed as `session=`; the
caller owns the transaction; every write is audited (duban.ledger.audit).

"各责任科室要明确专人，从4月份起，每月25日前向三项指标牵头科室报送各项指标进展情况和
相关资料" — a liaison of the task's lead unit reports each cycle: progress,
percent or milestone, problems needing coordination, evidence files; the lead
unit's report may carry co-units' contributions. The office accepts it,
returns it for revision (with a reason) or approves completion (销号), which
closes the task.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.errors import Conflict, NotFound, PermissionDenied
from duban.ledger import audit
from duban.ledger import service as ledger
from duban.ledger.audit import Actor
from duban.ledger.fields import InvalidValue
from duban.ledger.models import Document, Person, Task
from duban.supervise import cycles as cyc
from duban.supervise import evidence as ev
from duban.supervise.models import (
    COUNTED_STATUSES, REPORT_STATUS_LABELS, Contribution, Cycle, Evidence, ProgressReport, Schedule,
)
from duban.supervise.settings import Settings

SOURCE = "supervise"
REVIEW_ACTIONS = {"accept": "采纳", "return": "退回修改", "approve": "销号"}


# ---- schedules and cycles --------------------------------------------------

def set_schedule(*, session: Session, actor: Actor, kind: str = "monthly", day: int = 25,
                 start_period: str, once_due: dt.date | None = None, document_id: int | None = None,
                 reply_days: int = 5, due_soon_days: int = 15, source: str = SOURCE) -> Schedule:
    """The ledger's default schedule (no document) or one plan's own; replaces
    what was set before for the same scope."""
    cyc.validate_schedule(kind, day, once_due)
    if reply_days < 1 or due_soon_days < 0:
        raise InvalidValue("回复期限须至少 1 个工作日，临期提醒天数不能为负")
    period = cyc.parse_period(start_period, kind) if kind != "once" else \
        cyc.month_period(once_due) if not start_period else cyc.parse_period(start_period)
    plan_key = ledger.get_document(document_id, session=session).plan_key if document_id else None
    row = session.scalar(select(Schedule).where(Schedule.plan_key.is_(None) if plan_key is None
                                                else Schedule.plan_key == plan_key))
    old = _describe(row) if row else None
    if row is None:
        row = Schedule(plan_key=plan_key)
        session.add(row)
    row.kind, row.day, row.once_due, row.start_period = kind, int(day), once_due, period
    row.reply_days, row.due_soon_days = int(reply_days), int(due_soon_days)
    session.flush()
    audit.record(session=session, actor=actor, source=source, entity="supervise_schedule",
                 entity_id=row.id, old=old, new=_describe(row))
    return row


def _describe(s: Schedule) -> str:
    when = f"{s.once_due}" if s.kind == "once" else f"{s.day}日"
    return f"{s.kind} {when} from {s.start_period}"


def default_schedule(*, session: Session, today: dt.date, actor: Actor,
                     source: str = SOURCE) -> Schedule:
    """The ledger's schedule; made (monthly on the 25th, from this month) if none."""
    row = session.scalar(select(Schedule).where(Schedule.plan_key.is_(None)))
    if row is None:
        row = set_schedule(session=session, actor=actor, start_period=cyc.month_period(today),
                           source=source)
    return row


def all_cycles(today: dt.date, *, session: Session) -> list[tuple[Schedule, list[Cycle]]]:
    """Every schedule with its cycles up to today's (stored as needed)."""
    return [(s, cyc.ensure_cycles(s, today, session=session))
            for s in session.scalars(select(Schedule).order_by(Schedule.id))]


def schedule_for_task(task: Task, *, session: Session) -> Schedule:
    key = session.scalar(select(Document.plan_key).where(Document.id == task.document_id))
    row = session.scalar(select(Schedule).where(Schedule.plan_key == key))
    row = row or session.scalar(select(Schedule).where(Schedule.plan_key.is_(None)))
    if row is None:
        raise NotFound("尚未设置报送周期（duban supervise schedule）")
    return row


def find_cycle(period: str, *, session: Session, schedule: Schedule | None = None) -> Cycle:
    schedule = schedule or session.scalar(select(Schedule).where(Schedule.plan_key.is_(None)))
    if schedule is None:
        raise NotFound("尚未设置报送周期")
    p = cyc.parse_period(period, schedule.kind)
    row = session.scalar(select(Cycle).where(Cycle.schedule_id == schedule.id, Cycle.period == p))
    if row is None:
        raise NotFound(f"没有 {p} 这一报送周期")
    return row


def close_cycle(cycle: Cycle, *, session: Session, actor: Actor, now: dt.datetime) -> None:
    if cycle.closed_at is None:
        cycle.closed_at = now
        audit.record(session=session, actor=actor, source=SOURCE, entity="supervise_cycle",
                     entity_id=cycle.id, field="closed_at", new=now, now=now)


# ---- reports -----------------------------------------------------------------

def reporting_unit(person: Person, task: Task) -> int:
    """The unit the person reports for: a liaison of one of the task's lead
    units (any unit of the task when it names no lead)."""
    if not isinstance(person, Person) or person.role != "liaison" or person.unit_id is None:
        raise PermissionDenied("进展须由任务牵头单位的联络员报送")
    leads = [tu.unit_id for tu in task.units if tu.role == "lead"] or [tu.unit_id for tu in task.units]
    if person.unit_id not in leads:
        mine = any(tu.unit_id == person.unit_id for tu in task.units)
        if mine:
            names = "、".join(tu.unit.name for tu in task.units if tu.unit_id in leads)
            raise PermissionDenied(f"任务 {task.id} 由牵头单位（{names}）报送，本单位的工作请交牵头单位汇总")
        raise PermissionDenied(f"任务 {task.id} 不属于本单位，不能报送")
    return person.unit_id


def submit_report(task_id: int, *, session: Session, actor: Person, today: dt.date,
                  now: dt.datetime, settings: Settings, progress: str, percent: int | None = None,
                  milestone: str | None = None, problems: str = "", period: str | None = None,
                  evidence=(), contributions: dict[str, str] | None = None,
                  draft: bool = False) -> ProgressReport:
    """Create, edit (draft / returned) or submit a task's report for a cycle.
    Everything is checked before anything is written, so a refusal loses nothing."""
    task = ledger.get_task(task_id, session=session)
    unit_id = reporting_unit(actor, task)
    _check_open(task)
    cycle = _cycle_for(task, period, today, session=session)
    values = _values(progress, percent, milestone, problems, draft)
    contrib = _contributions(task, unit_id, contributions or {}, session=session)
    files = [ev.check(name, data, settings.evidence_max_bytes) for name, data in evidence]
    report = session.scalar(select(ProgressReport).where(
        ProgressReport.task_id == task.id, ProgressReport.cycle_id == cycle.id))
    if report is not None:
        _check_editable(report, unit_id, task, cycle)
    old_status = report.status if report else None
    if report is None:
        report = ProgressReport(task_id=task.id, cycle_id=cycle.id, unit_id=unit_id,
                                created_at=now)
        session.add(report)
    elif report.status == "returned":
        report.revision += 1
    for key, value in values.items():
        setattr(report, key, value)
    report.person_id, report.updated_at = actor.id, now
    report.status = "draft" if draft else "submitted"
    report.submitted_at = None if draft else now
    if contrib is not None:
        report.contributions = [Contribution(unit_id=u, text=t) for u, t in contrib]
    session.flush()
    for f in files:
        session.add(Evidence(report_id=report.id, filename=f.filename, kind=f.kind, size=f.size,
                             sha256=f.sha256, path=ev.store(f, settings.data_dir),
                             uploaded_at=now, person_id=actor.id))
    audit.record(session=session, actor=actor, source=SOURCE, entity="progress_report",
                 entity_id=report.id, field="status", old=old_status, new=report.status, now=now,
                 reason=f"task {task.id} cycle {cycle.period}; evidence {len(files)}")
    if not draft:
        _mirror_on_task(task, report, cycle, actor=actor, now=now, session=session)
    session.flush()
    return report


@dataclass
class ReportSlot:
    """What the task's report page offers a person today."""
    allowed: bool
    note: str  # the cycle being reported, or why no form is shown
    cycle: Cycle | None = None
    report: ProgressReport | None = None  # this cycle's draft or returned report, to edit


def report_slot(task: Task, person: Person, today: dt.date, *, session: Session) -> ReportSlot:
    """Whether `person` may report on `task` today: the same checks submit_report
    makes, so the page never shows a form that would only be refused (a report
    already submitted for this cycle, a closed cycle, another unit's task)."""
    try:
        unit_id = reporting_unit(person, task)
        _check_open(task)
        cycle = _cycle_for(task, None, today, session=session)
        report = session.scalar(select(ProgressReport).where(
            ProgressReport.task_id == task.id, ProgressReport.cycle_id == cycle.id))
        if report is not None:
            _check_editable(report, unit_id, task, cycle)
    except (PermissionDenied, Conflict, NotFound) as e:
        return ReportSlot(False, str(e))
    due = f"，报送截止 {cycle.closes_on.isoformat()}" if cycle.closes_on else ""
    return ReportSlot(True, f"本期 {cycle.period}{due}", cycle, report)


def _check_open(task: Task) -> None:
    if task.withdrawn or task.status == "done":
        raise Conflict(f"任务 {task.id} 已{'撤销' if task.withdrawn else '销号'}，无需报送")


def _cycle_for(task: Task, period: str | None, today: dt.date, *, session: Session) -> Cycle:
    schedule = schedule_for_task(task, session=session)
    cycles = cyc.ensure_cycles(schedule, today, session=session)
    if period:
        p = cyc.parse_period(period, schedule.kind)
        cycle = next((c for c in cycles if c.period == p), None)
        if cycle is None:
            raise NotFound(f"没有 {p} 这一报送周期（尚未开始或不在报送范围内）")
    else:
        cycle = cyc.open_for_submission(cycles, today)
        if cycle is None:
            raise Conflict("当前没有开放的报送周期")
    if not cyc.is_open(cycle, today):
        until = f"（报送截止 {cycle.closes_on}）" if cycle.closes_on and not cycle.closed_at else ""
        raise Conflict(f"{cycle.period} 报送周期已关闭{until}，不能再报送")
    if today < cycle.starts_on:
        raise Conflict(f"{cycle.period} 报送周期尚未开始")
    return cycle


def _values(progress, percent, milestone, problems, draft) -> dict:
    text = (progress or "").strip()
    if not text and not draft:
        raise InvalidValue("进展情况不能为空")
    if percent is not None and percent != "":
        try:
            percent = int(str(percent).strip().rstrip("%"))
        except ValueError:
            raise InvalidValue(f"完成进度「{percent}」应为 0–100 的整数") from None
        if not 0 <= percent <= 100:
            raise InvalidValue(f"完成进度 {percent} 应在 0–100 之间")
    else:
        percent = None
    milestone = (milestone or "").strip()[:255] or None
    if percent is None and milestone is None and not draft:
        raise InvalidValue("请填写完成进度（百分比）或已达到的节点")
    return {"progress": text, "percent": percent, "milestone": milestone,
            "problems": (problems or "").strip()}


def _contributions(task: Task, unit_id: int, given: dict[str, str], *, session: Session):
    """[(co-unit id, text)] from {unit name or alias: text}; None when none given."""
    if not given:
        return None
    others = {tu.unit_id for tu in task.units if tu.unit_id != unit_id}
    out = []
    for name, text in given.items():
        unit = ledger.find_unit(name, session=session)
        uid = unit.id if unit is not None and unit.id in others else None
        if uid is None:
            raise InvalidValue(f"「{name}」不是任务 {task.id} 的其他责任单位，不能作为协办单位填报")
        if (text or "").strip():
            out.append((uid, text.strip()))
    return out


def _check_editable(report: ProgressReport, unit_id: int, task: Task, cycle: Cycle) -> None:
    if report.unit_id != unit_id:
        raise Conflict(f"任务 {task.id} 本期（{cycle.period}）已由{report.unit.name}报送")
    if report.status in COUNTED_STATUSES:
        state = "" if report.status == "submitted" else f"（{REPORT_STATUS_LABELS[report.status]}）"
        raise Conflict(f"任务 {task.id} 本期（{cycle.period}）已报送{state}，不能重复报送；"
                       f"如需修改请督办室退回")


def _mirror_on_task(task, report, cycle, *, actor, now, session) -> None:
    """The 台账 shows the latest progress; a reported task is in progress."""
    changes = {"progress": f"【{cycle.period}】{report.progress}"}
    if task.status == "not_started":
        changes["status"] = "in_progress"
    ledger.update_task(task.id, changes, session=session, actor=actor, source=SOURCE, now=now)


def get_report(report_id: int, *, session: Session) -> ProgressReport:
    row = session.get(ProgressReport, report_id)
    if row is None:
        raise NotFound(f"未找到进展报告 {report_id}")
    return row


def review_report(report_id: int, action: str, *, session: Session, actor: Person,
                  now: dt.datetime, reason: str | None = None) -> ProgressReport:
    """accept | return (reason required) | approve (销号: the task becomes done)."""
    if not isinstance(actor, Person) or actor.role != "office":
        raise PermissionDenied("仅督办室可以审核进展报告")
    if action not in REVIEW_ACTIONS:
        raise InvalidValue(f"审核操作「{action}」无效（应为 {'、'.join(REVIEW_ACTIONS)}）")
    report = get_report(report_id, session=session)
    allowed = {"accept": ("submitted",), "return": ("submitted", "accepted"),
               "approve": ("submitted", "accepted")}[action]
    if report.status not in allowed:
        raise Conflict(f"进展报告 {report.id} 当前为「{REPORT_STATUS_LABELS[report.status]}」，"
                       f"不能{REVIEW_ACTIONS[action]}")
    note = (reason or "").strip()
    if action == "return" and not note:
        raise InvalidValue("退回修改必须说明理由")
    old = report.status
    report.status = {"accept": "accepted", "return": "returned", "approve": "approved"}[action]
    report.reviewed_at, report.reviewer_id, report.review_note = now, actor.id, note or None
    report.updated_at = now
    audit.record(session=session, actor=actor, source=SOURCE, entity="progress_report",
                 entity_id=report.id, field="status", old=old, new=report.status,
                 reason=note or None, now=now)
    if action == "approve":
        ledger.update_task(report.task_id, {"status": "done"}, session=session, actor=actor,
                           source=SOURCE, now=now, reason=f"销号（进展报告 {report.id}）")
    session.flush()
    return report


def list_reports(*, session: Session, cycle_id: int | None = None, unit_id: int | None = None,
                 status: str | None = None, limit: int = 200) -> list[ProgressReport]:
    stmt = select(ProgressReport).order_by(ProgressReport.id.desc()).limit(limit)
    if cycle_id is not None:
        stmt = stmt.where(ProgressReport.cycle_id == cycle_id)
    if unit_id is not None:
        stmt = stmt.where(ProgressReport.unit_id == unit_id)
    if status:
        stmt = stmt.where(ProgressReport.status == status)
    return list(session.scalars(stmt))


def get_evidence(evidence_id: int, *, session: Session) -> Evidence:
    row = session.get(Evidence, evidence_id)
    if row is None:
        raise NotFound(f"未找到证明材料 {evidence_id}")
    return row
