"""The escalation ladder: `duban supervise run`.

"对第一次未完成任务的科室或县市区局，点对点发送工作提示函，对第二次仍未能完成任务的，
发送督办函，抄报分管或包联局领导。" (s000 四（一）); "做好对县市区局的统一调度，
通过工作提示函、督办函，加强督导" (s000 二（二）).

A miss is a lead unit's task that, as of `today`, has no counted report for
the last cycle that fell due, or is past its deadline and not done. Each unit
with misses in a cycle gets one letter for that cycle: its first letter ever
is a 提示函, any later one a 督办函 copied (抄送) to the unit's leader. One
transaction per unit: the number, the .docx, the letter row, the tasks it
names, the notifications and the audit row are committed together or not at
all, and (unit, cycle) is unique, so a rerun never letters a miss twice and
completes whatever a crashed run did not.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from duban.ledger import audit
from duban.ledger.audit import Actor
from duban.ledger.models import Document, Person, Task, Unit
from duban.supervise import lights, notify, service, workdays
from duban.supervise import letters as lt
from duban.supervise.evidence import write_atomic
from duban.supervise.models import LETTER_KINDS, LETTER_TITLES, Cycle, Letter, LetterTask
from duban.supervise.settings import Settings

log = logging.getLogger(__name__)
CHINA_TZ = dt.timezone(dt.timedelta(hours=8))


@dataclass
class Issued:
    kind: str
    unit: str
    number: str
    path: Path
    letter_id: int

    def line(self) -> str:
        return f"{LETTER_KINDS[self.kind]}\t{self.unit}\t{self.path}"


@dataclass
class RunResult:
    today: dt.date
    issued: list[Issued] = field(default_factory=list)
    already: int = 0  # (unit, cycle) misses lettered by an earlier run
    emailed: int = 0
    email_failed: int = 0


@dataclass
class Miss:
    unit_id: int
    cycle_id: int
    tasks: list[tuple[int, str]] = field(default_factory=list)  # (task id, reason)


def run(*, session_factory: sessionmaker[Session], today: dt.date, settings: Settings,
        out_dir: Path | None = None, actor: Actor = "supervise", now: dt.datetime | None = None,
        before_commit: Callable[[str], None] | None = None) -> RunResult:
    """Issue what is due as of `today`. `before_commit(unit name)` runs inside
    each unit's transaction just before it commits (tests use it to crash)."""
    now = now or _noon(today)
    result = RunResult(today)
    with session_factory() as s, s.begin():
        service.default_schedule(session=s, today=today, actor=actor)
        service.all_cycles(today, session=s)
    with session_factory() as s:
        misses = find_misses(today, session=s)
        done = _lettered(s, {m.cycle_id for m in misses})
    todo = [m for m in misses if (m.unit_id, m.cycle_id) not in done]
    result.already = len(misses) - len(todo)
    with session_factory() as s:
        names = dict(s.execute(select(Unit.id, Unit.name)).all())
    for miss in sorted(todo, key=lambda m: (names.get(m.unit_id, ""), m.cycle_id)):
        issued = _unit_step(session_factory, miss, today=today, now=now, settings=settings,
                            out_dir=out_dir, actor=actor, hook=before_commit)
        if issued is not None:
            result.issued.append(issued)
    result.emailed, result.email_failed = notify.deliver(session_factory, settings, now=now)
    return result


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=CHINA_TZ)


def find_misses(today: dt.date, *, session: Session) -> list[Miss]:
    """Every (lead unit, cycle) with overdue or unreported tasks as of today."""
    sc = lights.scope(today, session=session)
    rows = lights.light_rows(sc).subquery()
    stmt = (select(rows.c.unit_id, rows.c.task_id, rows.c.light, rows.c.cycle_id,
                   rows.c.report_status)
            .where(rows.c.light.in_(("overdue", "report_missing")), rows.c.cycle_id > 0))
    by_key: dict[tuple[int, int], Miss] = {}
    for unit_id, task_id, light, cycle_id, rstatus in session.execute(stmt):
        miss = by_key.get((unit_id, cycle_id))
        if miss is None:
            miss = by_key[(unit_id, cycle_id)] = Miss(unit_id, cycle_id)
        reason = "overdue" if light == "overdue" else "returned" if rstatus == "returned" else "missing"
        miss.tasks.append((task_id, reason))
    return list(by_key.values())


def _lettered(s: Session, cycle_ids: set[int]) -> set[tuple[int, int]]:
    if not cycle_ids:
        return set()
    return {(u, c) for u, c in s.execute(select(Letter.unit_id, Letter.cycle_id)
                                        .where(Letter.cycle_id.in_(sorted(cycle_ids))))}


def _unit_step(sf, miss: Miss, *, today, now, settings: Settings, out_dir, actor,
               hook) -> Issued | None:
    written: list[Path] = []
    try:
        with sf() as s, s.begin():
            if s.scalar(select(Letter.id).where(Letter.unit_id == miss.unit_id,
                                                Letter.cycle_id == miss.cycle_id)):
                return None  # another run got here first
            issued = _issue(s, miss, today=today, now=now, settings=settings, out_dir=out_dir,
                            actor=actor, written=written)
            if hook is not None:
                hook(issued.unit)
        return issued
    except BaseException:
        for path in written:  # the letter was not issued: no file claims it was
            path.unlink(missing_ok=True)
        raise


def _issue(s: Session, miss: Miss, *, today, now, settings: Settings, out_dir, actor,
           written: list[Path]) -> Issued:
    unit = s.get(Unit, miss.unit_id)
    cycle = s.get(Cycle, miss.cycle_id)
    previous = s.scalar(select(Letter).where(Letter.unit_id == unit.id)
                        .order_by(Letter.issued_on.desc(), Letter.id.desc()).limit(1))
    kind = "reminder" if previous is None else "supervision"
    step = 1 + (s.scalar(select(func.count()).select_from(Letter)
                         .where(Letter.unit_id == unit.id)) or 0)
    seq = 1 + (s.scalar(select(func.max(Letter.seq)).where(Letter.kind == kind,
                                                          Letter.year == today.year)) or 0)
    number = f"{settings.number_prefix[kind]}〔{today.year}〕{seq}号"
    reply_due = workdays.add_working_days(today, cycle.schedule.reply_days)
    cc = _cc(s, unit, [t for t, _ in miss.tasks]) if kind == "supervision" else []
    content = lt.LetterContent(
        kind=kind, issuer=settings.issuer_name, number=number, unit=unit.name,
        office=settings.office, issued_on=today, reply_due=reply_due,
        reply_days=cycle.schedule.reply_days, period=cycle.period,
        report_day=_report_day(cycle), plans=[], items=[], total=len(miss.tasks), cc=cc,
        previous=(f"{lt.cn_date(previous.issued_on)}发出{LETTER_TITLES[previous.kind]}"
                  f"（{previous.number}）") if previous else None)
    _fill_items(s, content, miss, settings.letter_list_max)
    data = lt.render(content, settings.template)
    rel = Path("letters") / str(today.year) / f"{today.year}-{settings.number_prefix[kind]}-{seq:03d}-{unit.name}.docx"
    stored = Path(settings.data_dir) / rel
    shown = Path(out_dir) / rel.name if out_dir else stored
    for path in ([stored, shown] if shown != stored else [stored]):
        write_atomic(path, data)
        written.append(path)
    import hashlib

    letter = Letter(kind=kind, year=today.year, seq=seq, number=number, unit_id=unit.id,
                    cycle_id=cycle.id, step=step, task_count=len(miss.tasks), cc="、".join(cc),
                    reply_due=reply_due, issued_on=today, issued_at=now, path=rel.as_posix(),
                    sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    s.add(letter)
    s.flush()
    s.execute(LetterTask.__table__.insert(),
              [{"letter_id": letter.id, "task_id": t, "reason": r} for t, r in miss.tasks])
    _notify(s, letter, content, now=now)
    audit.record(session=s, actor=actor, source=service.SOURCE, entity="letter",
                 entity_id=letter.id, new=number, now=now,
                 reason=f"{LETTER_KINDS[kind]} to {unit.name} for {cycle.period}: "
                        f"{len(miss.tasks)} tasks")
    return Issued(kind, unit.name, number, shown, letter.id)


def _report_day(cycle: Cycle) -> str:
    sch = cycle.schedule
    if sch.kind == "monthly":
        return f"每月{sch.day}日前"
    if sch.kind == "quarterly":
        return f"每季度末月{sch.day}日前"
    return f"{lt.cn_date(cycle.due)}前"


def _fill_items(s: Session, content: lt.LetterContent, miss: Miss, limit: int) -> None:
    """The tasks the letter lists (overdue first, then by plan and position)."""
    reasons = dict(miss.tasks)
    ids = [t for t, _ in miss.tasks]
    rows = []
    for chunk in range(0, len(ids), 500):
        rows += s.execute(select(Task.id, Task.text, Task.line, Task.deadline_text, Task.deadline,
                                 Task.seq, Document.id, Document.title, Document.name)
                          .join(Document, Document.id == Task.document_id)
                          .where(Task.id.in_(ids[chunk:chunk + 500]))).all()
    rows.sort(key=lambda r: (reasons[r[0]] != "overdue", r[6], r[5], r[0]))
    for r in rows[:limit]:
        plan = r[7] or r[8]
        if plan not in content.plans:
            content.plans.append(plan)
        deadline = r[3] or (lt.cn_date(r[4]) if r[4] else "")
        content.items.append(lt.Item(r[0], r[1], f"《{plan}》第{r[2]}行", deadline, reasons[r[0]]))


def _cc(s: Session, unit: Unit, task_ids: list[int]) -> list[str]:
    """The unit's leader: a person with role leader in the unit, else the
    leaders the tasks name, else the unit's principal (主要负责同志)."""
    people = s.scalars(select(Person).where(Person.unit_id == unit.id, Person.role == "leader",
                                            Person.active.is_(True)).order_by(Person.id))
    names = [f"{p.display_name or p.username}（{unit.name}分管领导）" for p in people]
    if not names:
        named = s.scalars(select(Task.leaders).where(Task.id.in_(task_ids[:500]),
                                                     Task.leaders != "").distinct())
        names = sorted({x for text in named for x in text.split("、") if x})
    return names or [f"{unit.name}主要负责同志"]


def _notify(s: Session, letter: Letter, content: lt.LetterContent, *, now) -> None:
    roles = ("liaison", "leader") if letter.kind == "supervision" else ("liaison",)
    people = list(s.scalars(select(Person.id).where(Person.unit_id == letter.unit_id,
                                                    Person.role.in_(roles),
                                                    Person.active.is_(True))))
    title = f"【{LETTER_KINDS[letter.kind]}】{letter.number} {content.title}"
    body = (f"{content.unit}：\n{lt.fields_of(content)['正文']}\n"
            + "\n".join(lt.list_lines(content)[:20])
            + f"\n请于{lt.cn_date(letter.reply_due)}前回复。\n{content.office}")
    notify.add(people, session=s, title=title, body=body, letter_id=letter.id, now=now)


def letters_for(*, session: Session, unit_id: int | None = None, cycle_id: int | None = None,
                limit: int = 500) -> list[Letter]:
    stmt = select(Letter).order_by(Letter.id.desc()).limit(limit)
    if unit_id is not None:
        stmt = stmt.where(Letter.unit_id == unit_id)
    if cycle_id is not None:
        stmt = stmt.where(Letter.cycle_id == cycle_id)
    return list(session.scalars(stmt))


def tasks_of_letter(letter_id: int, *, session: Session) -> dict[int, str]:
    return dict(session.execute(select(LetterTask.task_id, LetterTask.reason)
                                .where(LetterTask.letter_id == letter_id)).all())


def misses_by_unit(today: dt.date, *, session: Session) -> dict[int, int]:
    """How many misses each unit has today (for a dashboard badge)."""
    out: dict[int, int] = defaultdict(int)
    for m in find_misses(today, session=session):
        out[m.unit_id] += len(m.tasks)
    return dict(out)
