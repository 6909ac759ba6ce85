"""Queries and writes on the ledger. Every function takes the session as the
keyword `session=` and leaves the transaction to the caller (a flow, a CLI
command, a web request); every write records who did it in `change`."""

from __future__ import annotations

import datetime as dt
from rapidfuzz import fuzz, process
from sqlalchemy import false, func, select
from sqlalchemy.orm import Session, selectinload

from duban.errors import Conflict, NotFound, PermissionDenied
from duban.ledger import audit
from duban.ledger.audit import Actor, corrected_fields, history  # noqa: F401 (public API)
from duban.ledger.fields import (  # noqa: F401 (public API)
    EDITABLE, UNIT_FIELDS, InvalidValue, coerce, normalize_name, parse_date, parse_status,
    split_names,
)
from duban.ledger.models import (NO_DEADLINE, Document, Person, Task, TaskUnit, Unit, UnitAlias,
                                 UnitTaskCount)
from duban.ledger.people import (  # noqa: F401 (public API)
    authenticate, create_person, create_token, get_person, set_password, verify_token,
)

ROLE_FIELDS = {role: field for field, role in UNIT_FIELDS.items()}
ROLE_ORDER = ("lead", "co", "internal")  # when one unit is named twice, the first role wins
ORDERS = ("deadline", "id", "document")
MAX_PAGE = 1000


# ---- units ---------------------------------------------------------------

def find_unit(name: str, *, session: Session) -> Unit | None:
    """A unit by canonical name or by alias; None when unknown."""
    n = normalize_name(name)
    # No autoflush: a lookup must not push an import's pending tasks row by row.
    with session.no_autoflush:
        unit = session.scalar(select(Unit).where(Unit.name == n))
        if unit is None:
            unit = session.scalar(select(Unit).join(UnitAlias).where(UnitAlias.alias == n))
    return unit


def get_unit(ref: int | str, *, session: Session) -> Unit:
    """A unit by id (int or digits) or by name/alias; NotFound otherwise."""
    unit = None
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
        unit = session.get(Unit, int(ref))
    if unit is None and isinstance(ref, str):
        unit = find_unit(ref, session=session)
    if unit is None:
        raise NotFound(f"未找到单位「{ref}」")
    return unit


def get_or_create_unit(name: str, *, session: Session, actor: Actor, source: str,
                       kind: str | None = None, cache: dict | None = None) -> Unit:
    """The unit called `name` (canonical name or alias), created if unknown.
    Near matches are never merged here: see suggest_units()."""
    n = normalize_name(name)
    if not n:
        raise InvalidValue("单位名称不能为空")
    if cache is not None and n in cache:
        return cache[n]
    unit = find_unit(n, session=session)
    if unit is None:
        unit = Unit(name=n, kind=kind)
        session.add(unit)
        session.flush()
        audit.record(session=session, actor=actor, source=source, entity="unit",
                     entity_id=unit.id, new=n)
    if cache is not None:
        cache[n] = unit
    return unit


def add_unit_alias(unit: Unit, alias: str, *, session: Session, actor: Actor,
                   source: str) -> UnitAlias | None:
    """Record that `alias` means `unit`. Returns None when already so."""
    a = normalize_name(alias)
    other = find_unit(a, session=session)
    if other is not None:
        if other.id == unit.id:
            return None
        raise Conflict(f"「{a}」已是单位「{other.name}」的名称或别名")
    row = UnitAlias(alias=a, unit_id=unit.id)
    session.add(row)
    session.flush()
    audit.record(session=session, actor=actor, source=source, entity="unit", entity_id=unit.id,
                 field="alias", new=a)
    return row


def suggest_units(name: str, *, session: Session, limit: int = 5,
                  score_cutoff: float = 70) -> list[tuple[Unit, float]]:
    """Known units whose name or alias is close to `name`, best first. Only a
    suggestion for a person to confirm: 市发改委 and 省发改委 are close but differ."""
    n = normalize_name(name)
    choices: dict[str, int] = dict(session.execute(select(Unit.name, Unit.id)).all())
    choices.update(session.execute(select(UnitAlias.alias, UnitAlias.unit_id)).all())
    best: dict[int, float] = {}
    for text, score, _ in process.extract(n, list(choices), scorer=fuzz.ratio,
                                          limit=limit * 3, score_cutoff=score_cutoff):
        uid = choices[text]
        if text != n and score > best.get(uid, -1):
            best[uid] = score
    ranked = sorted(best.items(), key=lambda kv: -kv[1])[:limit]
    return [(session.get(Unit, uid), score) for uid, score in ranked]


def split_unit_text(text: str, *, session: Session) -> list[str]:
    """Unit names typed as one text (an xlsx cell, a form field). Split like
    fields.split_names(), then adjacent pieces that together name a known unit
    are joined back with 、 (各市、州、县市场监管局), longest first."""
    parts = split_names(text)
    out, i = [], 0
    while i < len(parts):
        for j in range(len(parts), i + 1, -1):
            joined = "、".join(parts[i:j])
            if find_unit(joined, session=session) is not None:
                out.append(joined)
                i = j
                break
        else:
            out.append(parts[i])
            i += 1
    return out


def list_units(*, session: Session) -> list[Unit]:
    return list(session.scalars(select(Unit).order_by(Unit.name)))


# ---- documents -------------------------------------------------------------

def list_documents(*, session: Session, latest_only: bool = False) -> list[Document]:
    """Documents newest first (their full text is not loaded). latest_only keeps
    only the newest version of each plan."""
    stmt = select(Document).order_by(Document.id.desc())
    if latest_only:
        newest = (select(Document.plan_key, func.max(Document.version).label("v"))
                  .group_by(Document.plan_key).subquery())
        stmt = stmt.join(newest, (Document.plan_key == newest.c.plan_key)
                         & (Document.version == newest.c.v))
    return list(session.scalars(stmt))


def get_document(document_id: int, *, session: Session) -> Document:
    doc = session.get(Document, document_id)
    if doc is None:
        raise NotFound(f"未找到文件 {document_id}")
    return doc


def document_versions(document_id: int, *, session: Session) -> list[Document]:
    """Every version of the plan this document belongs to, oldest first."""
    doc = get_document(document_id, session=session)
    return list(session.scalars(select(Document).where(Document.plan_key == doc.plan_key)
                                .order_by(Document.version)))


# ---- task queries ----------------------------------------------------------

def get_task(task_id: int, *, session: Session, for_update: bool = False) -> Task:
    task = session.get(Task, task_id, with_for_update=for_update,
                       options=[selectinload(Task.units)])
    if task is None:
        raise NotFound(f"未找到任务 {task_id}")
    return task


def _conditions(*, session: Session, unit=None, status=None, due_before=None, document=None,
                q: str | None = None, include_withdrawn: bool = False):
    """(conditions on task_unit, conditions on task, by unit?). With a unit,
    status, withdrawn and deadline are read from task_unit's copies, so the
    unit's indexes answer them without visiting the task table."""
    by_unit = unit is not None and unit != ""
    on_unit, on_task = [], []
    copy = on_unit if by_unit else on_task  # where the copied columns are tested
    src = TaskUnit if by_unit else Task
    if by_unit:
        on_unit.append(TaskUnit.unit_id == get_unit(unit, session=session).id)
    if not include_withdrawn:
        # `= false`, not `IS FALSE`: PostgreSQL only uses an index for the former.
        copy.append(src.withdrawn == false())
    if status:
        copy.append(src.status.in_(_status_codes(status)))
    if due_before:
        day = parse_date(due_before)  # inclusive: due on or before that day
        copy.append(TaskUnit.due <= day if by_unit else Task.deadline <= day)
    if document:
        on_task.append(Task.document_id == int(document))
    if q and q.strip():
        pattern = "%" + q.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        on_task.append(Task.text.like(pattern, escape="\\"))
    return on_unit, on_task, by_unit


def task_select(*, session: Session, **filters):
    """The filtered task select (filters as list_tasks), and whether it goes
    through task_unit (whose index then also serves the deadline order)."""
    on_unit, on_task, by_unit = _conditions(session=session, **filters)
    stmt = select(Task)
    if by_unit:
        stmt = stmt.join(TaskUnit, TaskUnit.task_id == Task.id).where(*on_unit)
    return stmt.where(*on_task), by_unit


def list_tasks(*, session: Session, unit: int | str | None = None, status=None,
               due_before=None, document: int | None = None, q: str | None = None,
               include_withdrawn: bool = False, order: str = "deadline",
               limit: int = 50, offset: int = 0) -> list[Task]:
    """One page of tasks. unit: id or name/alias; status: code, label or a list;
    due_before: date or text (inclusive); q: substring of the task text;
    order: deadline (no deadline last) | id | document (document, seq)."""
    if order not in ORDERS:
        raise InvalidValue(f"排序方式「{order}」无效（应为 {'、'.join(ORDERS)}）")
    if not 1 <= int(limit) <= MAX_PAGE or int(offset) < 0:
        raise InvalidValue(f"分页参数无效（每页 1–{MAX_PAGE} 条）")
    stmt, by_unit = task_select(session=session, unit=unit, status=status, due_before=due_before,
                                document=document, q=q, include_withdrawn=include_withdrawn)
    if order == "deadline":
        keys = (TaskUnit.due, TaskUnit.task_id) if by_unit else (Task.deadline.nulls_last(), Task.id)
    elif order == "document":
        keys = (Task.document_id, Task.seq, Task.id)
    else:
        keys = (Task.id,)
    stmt = stmt.order_by(*keys).limit(int(limit)).offset(int(offset))
    return list(session.scalars(stmt.options(selectinload(Task.units))))


def _status_codes(status) -> list[str]:
    """A status code, label or list of them as codes."""
    return [parse_status(s) for s in ([status] if isinstance(status, str) else status)]


def unit_status_counts(unit_ids: list[int], *, session: Session,
                       withdrawn: bool | None = False) -> dict[int, dict[str, int]]:
    """unit id -> {status: tasks}, live ones by default (withdrawn=None: all); read
    from the trigger-kept unit_task_count, so the biggest unit costs one row per status."""
    out: dict[int, dict[str, int]] = {uid: {} for uid in unit_ids}
    cond = [UnitTaskCount.unit_id.in_(unit_ids), UnitTaskCount.n > 0]
    if withdrawn is not None:
        cond.append(UnitTaskCount.withdrawn == withdrawn)
    rows = session.execute(select(UnitTaskCount.unit_id, UnitTaskCount.status, func.sum(UnitTaskCount.n))
                           .where(*cond).group_by(UnitTaskCount.unit_id, UnitTaskCount.status))
    for uid, status, n in rows:
        out[uid][status] = int(n)
    return out


def count_tasks(*, session: Session, **filters) -> int:
    """How many tasks list_tasks() would page through with the same filters."""
    if filters.get("unit") not in (None, ""):  # looked up once, by name or alias if need be
        filters["unit"] = get_unit(filters["unit"], session=session).id
    on_unit, on_task, by_unit = _conditions(session=session, **filters)
    if by_unit and not on_task and not filters.get("due_before"):
        # Only unit, status and withdrawn: the kept counts answer without counting rows.
        codes = set(_status_codes(filters["status"])) if filters.get("status") else None
        counts = unit_status_counts([filters["unit"]], session=session,
                                    withdrawn=None if filters.get("include_withdrawn") else False)
        return sum(n for st, n in counts[filters["unit"]].items() if codes is None or st in codes)
    if by_unit and not on_task:  # index-only on task_unit
        return session.scalar(select(func.count()).select_from(TaskUnit).where(*on_unit))
    stmt, _ = task_select(session=session, **filters)
    return session.scalar(select(func.count()).select_from(stmt.subquery()))


# ---- task writes -----------------------------------------------------------

def task_values(task: Task) -> dict:
    """The editable fields of a task as Python values (units as name lists)."""
    values = {f: getattr(task, f) for f in
              ("text", "heading_path", "deadline", "deadline_text", "ongoing", "status",
               "progress", "withdrawn")}
    values["leaders"] = [x for x in (task.leaders or "").split("、") if x]
    rows = sorted(task.units, key=lambda tu: (ROLE_ORDER.index(tu.role), tu.pos))
    for field, role in UNIT_FIELDS.items():
        values[field] = [tu.unit.name for tu in rows if tu.role == role]
    return values


def check_can_edit(person: Person, task: Task) -> None:
    """Office edits everything; a liaison only tasks its unit takes part in."""
    if not person.active:
        raise PermissionDenied(f"账号「{person.username}」已停用")
    if person.role == "office":
        return
    if person.role == "liaison" and person.unit_id is not None and any(
            tu.unit_id == person.unit_id for tu in task.units):
        return
    if person.role == "liaison":
        raise PermissionDenied(f"只能修改本单位的任务（任务 {task.id} 不属于本单位）")
    raise PermissionDenied("当前角色无修改权限")


def update_task(task_id: int, changes: dict, *, session: Session, actor: Actor, source: str,
                reason: str | None = None, now: dt.datetime | None = None) -> list:
    """Apply `changes` (field -> value) to a task; one change row per field that
    really changed. Everything is validated before anything is written. A Person
    actor must be allowed to edit the task."""
    task = get_task(task_id, session=session, for_update=True)
    if isinstance(actor, Person):
        check_can_edit(actor, task)
    values = {field: coerce(field, value) for field, value in changes.items()}
    for field in UNIT_FIELDS:  # text (not a list) may hold 、 inside a collective name
        if isinstance(changes.get(field), str):
            values[field] = split_unit_text(changes[field], session=session)
    before = task_values(task)
    values = {f: v for f, v in values.items() if before[f] != v}
    if not values:
        return []
    cache: dict = {}
    for field, value in values.items():
        if field == "leaders":
            task.leaders = "、".join(value)
        elif field not in UNIT_FIELDS:
            setattr(task, field, value)
    unit_changes = {f: v for f, v in values.items() if f in UNIT_FIELDS}
    if unit_changes:
        roles = {UNIT_FIELDS[f]: v for f, v in unit_changes.items()}
        assign_units(task, roles, session=session, actor=actor, source=source, cache=cache,
                     keep_other_roles=True)
    sync_unit_copies(task)
    task.updated_at = now or dt.datetime.now(dt.timezone.utc)
    after = task_values(task)
    rows = [audit.record(session=session, actor=actor, source=source, entity="task",
                         entity_id=task.id, field=f, old=before[f], new=after[f], reason=reason,
                         now=now)
            for f in EDITABLE if before[f] != after[f]]
    session.flush()
    return rows


def assign_units(task: Task, roles: dict[str, list], *, session: Session, actor: Actor,
                 source: str, cache: dict | None = None, keep_other_roles: bool = False,
                 given_first: bool = True) -> None:
    """Set the task's units for the roles given ({role: [name or (name, surface)]}).
    With keep_other_roles, roles not given keep their units. A unit named in two
    roles keeps one: a person's edit (given_first) wins over what was there; an
    import (given_first=False) never takes a unit from a role a person set."""
    given: list[tuple[str, str, str]] = []
    for role in ROLE_ORDER:
        for item in roles.get(role, ()):
            name, surface = item if isinstance(item, tuple) else (item, item)
            given.append((role, name, surface))
    kept: list[tuple[str, str, str]] = []
    if keep_other_roles:
        kept = [(tu.role, tu.unit.name, tu.surface)
                for tu in sorted(task.units, key=lambda t: (ROLE_ORDER.index(t.role), t.pos))
                if tu.role not in roles]
    plan = given + kept if given_first else kept + given
    existing = {tu.unit.id: tu for tu in task.units}
    seen: set[int] = set()
    pos = {role: 0 for role in ROLE_ORDER}
    for role, name, surface in plan:
        unit = get_or_create_unit(name, session=session, actor=actor, source=source, cache=cache)
        if unit.id in seen:
            continue
        seen.add(unit.id)
        tu = existing.get(unit.id)
        if tu is None:
            task.units.append(TaskUnit(unit=unit, role=role, pos=pos[role], surface=surface[:255],
                                       due=task.deadline or NO_DEADLINE,
                                       status=task.status or "not_started",
                                       withdrawn=bool(task.withdrawn)))
        else:
            tu.role, tu.pos = role, pos[role]
            if surface != name:  # a person typing a name keeps the document's wording
                tu.surface = surface[:255]
        pos[role] += 1
    for unit_id, tu in existing.items():
        if unit_id not in seen:
            task.units.remove(tu)


def sync_unit_copies(task: Task) -> None:
    """Keep task_unit's copies (the unit indexes' keys) equal to the task's
    deadline, status and withdrawn flag. Call after changing any of them."""
    due = task.deadline or NO_DEADLINE
    for tu in task.units:
        if (tu.due, tu.status, tu.withdrawn) != (due, task.status, task.withdrawn):
            tu.due, tu.status, tu.withdrawn = due, task.status, task.withdrawn

