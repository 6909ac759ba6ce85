"""Test helpers: a tiny extractor for the fixture plans, so ledger tests do not
depend on the real extractor's rules (a separate test runs the real one)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from duban.extract.model import DocumentInfo, Extraction, Task
from duban.ingest.source import Source
from duban.ledger.fields import parse_date

FIXTURES = Path(__file__).resolve().parent / "fixtures"
_HEADING = re.compile(r"^([一二三四五六七八九十]+)、(.+)$")
_ITEM = re.compile(r"^(\d+)\.\s*(.+?)（牵头单位：(.+?)(?:；责任单位：(.+?))?(?:；完成时限：(.+?))?）$")


def source(name: str, text: str) -> Source:
    data = text.encode("utf-8")
    return Source(name=name, lines=text.splitlines(), sha256=hashlib.sha256(data).hexdigest())


def fixture_source(filename: str, name: str | None = None) -> Source:
    return source(name or filename, (FIXTURES / filename).read_text(encoding="utf-8"))


def simple_extract(src: Source) -> Extraction:
    """Title on line 1; `一、` headings; `N. text（牵头单位：…；责任单位：…；完成时限：…）` items."""
    tasks, heading = [], ""
    for n, line in enumerate(src.lines, 1):
        line = line.strip()
        if m := _HEADING.match(line):
            heading = m[1]
        elif m := _ITEM.match(line):
            due = m[5] or ""
            ongoing = "长期" in due
            tasks.append(Task(
                doc=src.name, line=n, end_line=n, text=m[2], heading_path=f"{heading}/{m[1]}",
                lead_units=m[3].split("、"), co_units=m[4].split("、") if m[4] else [],
                deadline=None if ongoing or not due else parse_date(due).isoformat(),
                deadline_text=due or None, ongoing=ongoing, rule="test"))
    title = src.lines[0].strip() if src.lines else None
    return Extraction(src.name, DocumentInfo(title=title, year=2025), tasks)


def failing_extractor(src: Source) -> Extraction:
    raise RuntimeError("extractor blew up halfway")


def row_counts(session_factory) -> dict[str, int]:
    """Rows per table actually in the database (every domain's, so other
    packages' tables count too): the fingerprint of 'nothing changed'."""
    from sqlalchemy import func, inspect, select, table

    with session_factory() as s:
        names = [n for n in inspect(s.get_bind()).get_table_names() if n != "alembic_version"]
        return {n: s.scalar(select(func.count()).select_from(table(n))) for n in names}


def assert_unit_copies(session_factory) -> None:
    """task_unit's copies of deadline, status and withdrawn match their task."""
    from sqlalchemy import select

    from duban.ledger.models import NO_DEADLINE, Task, TaskUnit

    with session_factory() as s:
        rows = s.execute(select(TaskUnit.due, TaskUnit.status, TaskUnit.withdrawn, Task.deadline,
                                Task.status, Task.withdrawn).join(Task)).all()
    assert rows
    for due, status, withdrawn, deadline, t_status, t_withdrawn in rows:
        assert (due, status, withdrawn) == (deadline or NO_DEADLINE, t_status, t_withdrawn)
    assert_kept_counts(session_factory)


def assert_kept_counts(session_factory) -> None:
    """unit_task_count (kept by triggers) equals a fresh count of task_unit."""
    from sqlalchemy import func, select

    from duban.ledger.models import TaskUnit, UnitTaskCount

    with session_factory() as s:
        counted = {(u, w, st): n for u, w, st, n in s.execute(
            select(TaskUnit.unit_id, TaskUnit.withdrawn, TaskUnit.status, func.count())
            .group_by(TaskUnit.unit_id, TaskUnit.withdrawn, TaskUnit.status))}
        kept = {(u, w, st): n for u, w, st, n in s.execute(
            select(UnitTaskCount.unit_id, UnitTaskCount.withdrawn, UnitTaskCount.status,
                   UnitTaskCount.n)) if n}
    assert kept == counted
