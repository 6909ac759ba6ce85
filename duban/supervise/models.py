"""Tables of the supervision loop, on the ledger's Base (so Alembic and
`duban.db.metadata()` see them: that function imports every
`duban/<domain>/models.py`).

    supervise_schedule  how often reports are due (per plan, or the ledger default)
    supervise_cycle     one reporting period of a schedule: (period, due date, closes on)
    progress_report     one task's report for one cycle (one row; resubmission after return)
    report_contribution a co-unit's part, carried in the lead unit's report
    evidence            files attached to a report (sha256, size, sniffed kind)
    letter / letter_task  提示函 / 督办函 issued to a unit for a cycle's miss, and the tasks listed
    notification        in-app messages (and the e-mail outbox: emailed_at)
    supervise_contact   e-mail addresses of people (the ledger's person has none yet)

Status lights are computed (service.light), never stored.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from duban.ledger.models import Base, Person, Task, Unit, _in, _now

SCHEDULE_KINDS = {"monthly": "每月", "quarterly": "每季度", "once": "一次性"}
REPORT_STATUS_LABELS = {"draft": "草稿", "submitted": "已报送", "returned": "已退回",
                        "accepted": "已采纳", "approved": "已销号"}
# Reports that count as "reported" for a cycle (a returned one must be redone).
COUNTED_STATUSES = ("submitted", "accepted", "approved")
LETTER_KINDS = {"reminder": "提示函", "supervision": "督办函"}
LETTER_TITLES = {"reminder": "工作提示函", "supervision": "督办函"}
EVIDENCE_KINDS = ("pdf", "docx", "xlsx", "png", "jpg")


class Schedule(Base):
    """When reports are due. plan_key NULL is the ledger-wide default; a plan's
    own schedule (matched through Document.plan_key, so it survives revised
    versions) overrides it for that plan's tasks."""

    __tablename__ = "supervise_schedule"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="monthly")
    day: Mapped[int] = mapped_column(Integer, default=25)
    once_due: Mapped[dt.date | None] = mapped_column(Date)
    start_period: Mapped[str] = mapped_column(String(16))
    reply_days: Mapped[int] = mapped_column(Integer, default=5)
    due_soon_days: Mapped[int] = mapped_column(Integer, default=15)
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)

    __table_args__ = (
        CheckConstraint(f"kind IN {_in(SCHEDULE_KINDS)}", name="kind"),
        CheckConstraint("day BETWEEN 1 AND 31", name="day"),
    )


class Cycle(Base):
    """One reporting period: reports are on time up to `due`, accepted late up
    to `closes_on` (NULL: until the office closes it), refused after."""

    __tablename__ = "supervise_cycle"

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("supervise_schedule.id"))
    period: Mapped[str] = mapped_column(String(16))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    due: Mapped[dt.date] = mapped_column(Date)
    closes_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_at: Mapped[dt.datetime | None] = mapped_column()

    schedule: Mapped[Schedule] = relationship(lazy="joined")

    __table_args__ = (
        UniqueConstraint("schedule_id", "period", name="uq_supervise_cycle_period"),
        Index("ix_supervise_cycle_due", "due"),
    )


class ProgressReport(Base):
    """A task's progress for one cycle, from a liaison of a lead unit."""

    __tablename__ = "progress_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"))
    cycle_id: Mapped[int] = mapped_column(ForeignKey("supervise_cycle.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    progress: Mapped[str] = mapped_column(Text, default="")
    percent: Mapped[int | None] = mapped_column(Integer)
    milestone: Mapped[str | None] = mapped_column(String(255))
    problems: Mapped[str] = mapped_column(Text, default="")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    submitted_at: Mapped[dt.datetime | None] = mapped_column()
    reviewed_at: Mapped[dt.datetime | None] = mapped_column()
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    review_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=_now)

    task: Mapped[Task] = relationship()
    cycle: Mapped[Cycle] = relationship()
    unit: Mapped[Unit] = relationship()
    evidence: Mapped[list[Evidence]] = relationship(back_populates="report", order_by="Evidence.id")
    contributions: Mapped[list[Contribution]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="Contribution.id")

    __table_args__ = (
        UniqueConstraint("task_id", "cycle_id", name="uq_progress_report_task_cycle"),
        CheckConstraint(f"status IN {_in(REPORT_STATUS_LABELS)}", name="status"),
        CheckConstraint("percent IS NULL OR percent BETWEEN 0 AND 100", name="percent"),
        Index("ix_progress_report_cycle_status", "cycle_id", "status"),
        Index("ix_progress_report_unit_cycle", "unit_id", "cycle_id"),
    )


class Contribution(Base):
    """What a co-unit did, as the lead unit's report tells it."""

    __tablename__ = "report_contribution"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("progress_report.id", ondelete="CASCADE"),
                                           index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    text: Mapped[str] = mapped_column(Text)

    report: Mapped[ProgressReport] = relationship(back_populates="contributions")
    unit: Mapped[Unit] = relationship()


class Evidence(Base):
    """A file backing a report, stored content-addressed under the data dir."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("progress_report.id", ondelete="CASCADE"),
                                           index=True)
    filename: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(8))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    path: Mapped[str] = mapped_column(String(255))
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=_now)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))

    report: Mapped[ProgressReport] = relationship(back_populates="evidence")

    __table_args__ = (CheckConstraint(f"kind IN {_in(EVIDENCE_KINDS)}", name="kind"),)


class Letter(Base):
    """A 提示函 or 督办函: at most one per unit and cycle (the same miss is never
    lettered twice); numbered per kind and year (督办〔2025〕3号)."""

    __tablename__ = "letter"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(64))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    cycle_id: Mapped[int] = mapped_column(ForeignKey("supervise_cycle.id"))
    step: Mapped[int] = mapped_column(Integer, default=1)
    task_count: Mapped[int] = mapped_column(Integer, default=0)
    cc: Mapped[str] = mapped_column(Text, default="")
    reply_due: Mapped[dt.date] = mapped_column(Date)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    issued_at: Mapped[dt.datetime] = mapped_column(default=_now)
    path: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)

    unit: Mapped[Unit] = relationship(lazy="joined")
    cycle: Mapped[Cycle] = relationship(lazy="joined")

    __table_args__ = (
        UniqueConstraint("unit_id", "cycle_id", name="uq_letter_unit_cycle"),
        UniqueConstraint("kind", "year", "seq", name="uq_letter_kind_year_seq"),
        CheckConstraint(f"kind IN {_in(LETTER_KINDS)}", name="kind"),
        Index("ix_letter_cycle", "cycle_id"),
    )


class LetterTask(Base):
    """A task a letter names, and why (未报送 / 已逾期 / 退回未重报)."""

    __tablename__ = "letter_task"

    letter_id: Mapped[int] = mapped_column(ForeignKey("letter.id", ondelete="CASCADE"),
                                           primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"),
                                         primary_key=True)
    reason: Mapped[str] = mapped_column(String(16))

    __table_args__ = (Index("ix_letter_task_task", "task_id"),)


class Notification(Base):
    """An in-app message to a person; also the e-mail outbox (emailed_at NULL
    while an e-mail is owed, so a crash after commit only delays it)."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letter.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)
    read_at: Mapped[dt.datetime | None] = mapped_column()
    email: Mapped[str | None] = mapped_column(String(255))
    emailed_at: Mapped[dt.datetime | None] = mapped_column()
    email_error: Mapped[str | None] = mapped_column(Text)

    person: Mapped[Person] = relationship()

    __table_args__ = (
        Index("ix_notification_person", "person_id", "read_at"),
        Index("ix_notification_outbox", "emailed_at", "email"),
    )


class Contact(Base):
    """A person's e-mail address (to move onto the ledger's person table)."""

    __tablename__ = "supervise_contact"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"),
                                           primary_key=True)
    email: Mapped[str] = mapped_column(String(255))
