"""The audit trail: one `change` row per field written, by whom, through what.

Every write in the ledger goes through `record()`; `corrected_fields()` reads
the trail back to learn which fields a human has corrected, so a re-import
never overwrites them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Iterable, Union

from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.ledger.models import Change, Person

# An actor is a person (web, xlsx, CLI --as) or a system name ("cli:root", "import").
Actor = Union[Person, str]

# Sources written by the machine rather than a person's correction.
MACHINE_SOURCES = frozenset({"import"})


def actor_ids(actor: Actor) -> tuple[int | None, str]:
    if isinstance(actor, Person):
        return actor.id, actor.username
    return None, str(actor)


def render(value) -> str | None:
    """A value as the audit trail stores it: text, dates ISO, lists 、-joined."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return str(value)


def record(*, session: Session, actor: Actor, source: str, entity: str, entity_id: int,
           field: str | None = None, old=None, new=None, reason: str | None = None,
           now: dt.datetime | None = None) -> Change:
    person_id, name = actor_ids(actor)
    row = Change(person_id=person_id, actor=name, entity=entity, entity_id=entity_id,
                 field=field, old=render(old), new=render(new), source=source, reason=reason,
                 at=now or dt.datetime.now(dt.timezone.utc))
    session.add(row)
    return row


def record_many(rows: Iterable[dict], *, session: Session, actor: Actor, source: str,
                now: dt.datetime | None = None) -> int:
    """Bulk form for imports: rows of entity/entity_id/field/old/new dicts."""
    person_id, name = actor_ids(actor)
    at = now or dt.datetime.now(dt.timezone.utc)
    values = [dict(person_id=person_id, actor=name, source=source, at=at, reason=r.get("reason"),
                   entity=r["entity"], entity_id=r["entity_id"], field=r.get("field"),
                   old=render(r.get("old")), new=render(r.get("new"))) for r in rows]
    if values:
        session.execute(Change.__table__.insert(), values)
    return len(values)


def corrected_fields(task_ids: Iterable[int], *, session: Session) -> dict[int, set[str]]:
    """task id -> fields a person changed (any source but the importer)."""
    ids = list(task_ids)
    out: dict[int, set[str]] = defaultdict(set)
    for chunk in _chunks(ids, 500):
        rows = session.execute(
            select(Change.entity_id, Change.field).distinct()
            .where(Change.entity == "task", Change.entity_id.in_(chunk),
                   Change.field.is_not(None), Change.source.not_in(MACHINE_SOURCES)))
        for task_id, field in rows:
            out[task_id].add(field)
    return out


def history(entity: str, entity_id: int, *, session: Session) -> list[Change]:
    return list(session.scalars(
        select(Change).where(Change.entity == entity, Change.entity_id == entity_id)
        .order_by(Change.id)))


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]
