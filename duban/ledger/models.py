"""The ledger's tables (SQLAlchemy 2 typed ORM).

Sized for a million tasks: every list the web app shows is served by an index
(tasks of a unit by deadline, by status, by document), and task_unit carries
copies of its task's deadline, status and withdrawn flag, so "what my unit
owes, by when" reads one index range instead of sorting all of a big unit's
tasks, and a unit's open-task count never touches the task table.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean, CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, MetaData,
    String, Text, TypeDecorator, UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names so Alembic migrations are the same on every dialect.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

STATUS_LABELS = {"not_started": "未开始", "in_progress": "进行中", "done": "已完成"}
ROLE_LABELS = {"lead": "牵头单位", "co": "责任单位", "internal": "责任科室"}
PERSON_ROLE_LABELS = {"office": "督办室", "liaison": "单位联络员", "leader": "领导", "viewer": "查看"}

# Sort key for tasks without a deadline: they come last in "by when" lists on
# every dialect (SQLite sorts NULL first, PostgreSQL last).
NO_DEADLINE = dt.date(9999, 12, 31)


def _in(values) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


class UTCDateTime(TypeDecorator):
    """Timestamps are stored in UTC and always come back timezone-aware, on
    SQLite (which keeps no zone) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: UTCDateTime}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Document(Base):
    """One version of one plan, with its full text for the review page."""

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    # Versions of the same plan share plan_key (the first version's sha256).
    plan_key: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    version_of_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))
    name: Mapped[str] = mapped_column(String(255))
    format: Mapped[str] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(String(500))
    issuer: Mapped[str | None] = mapped_column(String(255))
    doc_number: Mapped[str | None] = mapped_column(String(120))
    doc_date: Mapped[dt.date | None] = mapped_column(Date)
    year: Mapped[int | None] = mapped_column(Integer)
    region: Mapped[str | None] = mapped_column(String(120))
    # Deferred: lists of documents must not pull every full text along.
    text: Mapped[str] = mapped_column(Text, deferred=True)
    imported_at: Mapped[dt.datetime] = mapped_column(default=_now)
    imported_by: Mapped[str | None] = mapped_column(String(120))

    tasks: Mapped[list[Task]] = relationship(back_populates="document")

    __table_args__ = (
        UniqueConstraint("plan_key", "version", name="uq_document_plan_version"),
        Index("ix_document_doc_number", "doc_number"),
        Index("ix_document_title", "title"),
        Index("ix_document_name", "name"),
    )


class Task(Base):
    """One row of the ledger. Ids are stable across revised versions of a plan."""

    __tablename__ = "task"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The latest version of the plan the task appears in (line numbers refer to it).
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    seq: Mapped[int] = mapped_column(Integer)
    heading_path: Mapped[str] = mapped_column(Text, default="")
    line: Mapped[int] = mapped_column(Integer)
    end_line: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    leaders: Mapped[str] = mapped_column(String(255), default="")
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    deadline_text: Mapped[str | None] = mapped_column(String(255))
    ongoing: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="not_started")
    progress: Mapped[str] = mapped_column(Text, default="")
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    rule: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=_now)

    document: Mapped[Document] = relationship(back_populates="tasks")
    units: Mapped[list[TaskUnit]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="TaskUnit.pos")

    __table_args__ = (
        CheckConstraint(f"status IN {_in(STATUS_LABELS)}", name="status"),
        Index("ix_task_document_seq", "document_id", "seq"),
        Index("ix_task_deadline", "deadline"),
        Index("ix_task_status_deadline", "status", "deadline"),
    )

    def unit_names(self, role: str) -> list[str]:
        return [tu.unit.name for tu in self.units if tu.role == role]


class Unit(Base):
    """A responsible body under its canonical name (市发改委, 各县市区人民政府…)."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    kind: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)

    aliases: Mapped[list[UnitAlias]] = relationship(back_populates="unit")


class UnitAlias(Base):
    """Another way documents write a unit (市市场监管局 for 市场监督管理局)."""

    __tablename__ = "unit_alias"

    id: Mapped[int] = mapped_column(primary_key=True)
    alias: Mapped[str] = mapped_column(String(255), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)

    unit: Mapped[Unit] = relationship(back_populates="aliases")


class TaskUnit(Base):
    """A unit's part in a task. One role per unit and task (lead beats co beats
    internal), so a unit's task list never shows a task twice."""

    __tablename__ = "task_unit"

    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    pos: Mapped[int] = mapped_column(Integer, default=0)
    surface: Mapped[str] = mapped_column(String(255), default="")
    # Copies of the task's deadline (NO_DEADLINE when none), status and
    # withdrawn flag, kept in step by service.sync_unit_copies().
    due: Mapped[dt.date] = mapped_column(Date, default=NO_DEADLINE)
    status: Mapped[str] = mapped_column(String(16), default="not_started")
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)

    task: Mapped[Task] = relationship(back_populates="units")
    unit: Mapped[Unit] = relationship(lazy="joined")

    __table_args__ = (
        CheckConstraint(f"role IN {_in(ROLE_LABELS)}", name="role"),
        # "A unit's live tasks by deadline, first page" walks ix_task_unit_unit_due
        # in order, no sort; overdue/due-soon counts are range scans of
        # ix_task_unit_unit_state; the primary key (task_id, unit_id) answers
        # "units of a task". Counts by status come from UnitTaskCount.
        Index("ix_task_unit_unit_due", "unit_id", "withdrawn", "due", "task_id"),
        Index("ix_task_unit_unit_state", "unit_id", "withdrawn", "status", "due"),
    )


class UnitTaskCount(Base):
    """How many task_unit rows a unit has per (withdrawn, status). Kept exact by
    database triggers on task_unit (migration 0006), never written by the ORM:
    a page asks for a unit's totals without counting its assignments."""

    __tablename__ = "unit_task_count"

    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), primary_key=True)
    withdrawn: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class Person(Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(16))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)

    unit: Mapped[Unit | None] = relationship()

    __table_args__ = (CheckConstraint(f"role IN {_in(PERSON_ROLE_LABELS)}", name="role"),)


class ApiToken(Base):
    """A bearer token for scripts. Only its SHA-256 is stored: tokens are
    random 256-bit strings, so a fast hash is enough and allows lookup."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)
    last_used_at: Mapped[dt.datetime | None] = mapped_column()
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)

    person: Mapped[Person] = relationship()


class Change(Base):
    """The audit trail: who changed which field of what, when, and through what
    (source: import, xlsx, web, api, cli). field is NULL for create/withdraw of a
    whole row; old/new are text renderings."""

    __tablename__ = "change"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=_now)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    actor: Mapped[str] = mapped_column(String(120))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str | None] = mapped_column(String(64))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_change_entity", "entity", "entity_id", "id"),
        Index("ix_change_at", "at"),
    )
