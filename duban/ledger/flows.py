"""Multi-step ledger work: importing a document, merging a revised version.

One transaction per document: a document either lands whole or leaves nothing
behind (not even the units it would have created)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from duban.errors import DubanError, InputError
from duban.ledger import audit, matching, service
from duban.ledger.audit import Actor
from duban.ledger.models import Document, Task

log = logging.getLogger(__name__)
SOURCE = "import"
# One correction covers the whole deadline: a person who fixed the date does not
# want the new version's deadline words or ongoing flag contradicting it.
COUPLED = ({"deadline", "deadline_text", "ongoing"},)


@dataclass
class _Run:
    """What every step of one import shares."""

    session: Session
    actor: Actor
    now: dt.datetime
    doc: Document | None = None
    units: dict = field(default_factory=dict)  # name -> Unit, for this import
    aliases: set = field(default_factory=set)  # surfaces already looked at


@dataclass
class ImportResult:
    name: str
    document_id: int
    status: str  # new | unchanged | merged
    tasks: int = 0  # tasks of this version (live)
    added: int = 0
    updated: int = 0
    withdrawn: int = 0
    kept: int = 0
    previous_id: int | None = None
    version: int = 1
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.status == "unchanged":
            return f"unchanged (document {self.document_id}, {self.tasks} tasks)"
        if self.status == "new":
            return f"new: {self.added} tasks (document {self.document_id})"
        return (f"merged into v{self.version} (document {self.document_id}): {self.added} added, "
                f"{self.updated} updated, {self.withdrawn} withdrawn, {self.kept} kept")


def import_document(path_or_source, *, session_factory: sessionmaker[Session],
                    extractor: Callable | None = None, actor: Actor = "import",
                    now: dt.datetime | None = None) -> ImportResult:
    """Read, extract and store one document in one transaction. The same bytes
    again -> "unchanged"; a new version of a known plan -> "merged"."""
    source = _as_source(path_or_source)
    name = source.name
    digest = source.sha256 or hashlib.sha256(source.text.encode("utf-8")).hexdigest()
    now = now or dt.datetime.now(dt.timezone.utc)
    try:
        with session_factory() as session, session.begin():
            known = session.scalar(select(Document).where(Document.sha256 == digest))
            if known is not None:
                return _unchanged(session, name, known)
            extraction = _extract(extractor, source)
            return _store(session, source, digest, extraction, actor, now)
    except DubanError:
        raise
    except Exception as e:  # a bug or a database failure: still one line, cause chained
        log.debug("import of %s failed", name, exc_info=True)
        raise InputError(name, f"import failed: {type(e).__name__}: {_first_line(e)}") from e


def _unchanged(session: Session, name: str, known: Document) -> ImportResult:
    """Bytes seen before. Counts are the plan's current (latest) version's."""
    latest = _latest(session, known.plan_key)
    live = service.count_tasks(session=session, document=latest.id)
    result = ImportResult(name, known.id, "unchanged", tasks=live, kept=live,
                          version=known.version)
    if latest.id != known.id:
        result.warnings.append(f"an older version: the plan is at version {latest.version} "
                               f"(document {latest.id})")
    return result


def _as_source(path_or_source):
    if isinstance(path_or_source, (str, Path)):
        from duban.ingest import read

        return read(path_or_source)
    return path_or_source


def _extract(extractor: Callable | None, source):
    if extractor is None:
        try:
            from duban.extract import extract as extractor
        except ImportError:
            raise InputError(source.name, "the extractor is not available") from None
    try:
        return extractor(source)
    except DubanError:
        raise
    except NotImplementedError:
        raise InputError(source.name, "the extractor is not available") from None
    except Exception as e:
        log.debug("extraction of %s failed", source.name, exc_info=True)
        raise InputError(source.name, f"extraction failed: {type(e).__name__}: {_first_line(e)}") from e


def _store(session: Session, source, digest: str, extraction, actor: Actor,
           now: dt.datetime) -> ImportResult:
    info = extraction.info
    previous = find_previous_version(session, info, source.name)
    warnings = []
    try:
        doc_date = _date(info.date, source.name, "document date")
    except InputError as e:  # header metadata is a nicety: keep the tasks, say so
        doc_date, warnings = None, [e.problem]
    doc = Document(
        sha256=digest, plan_key=previous.plan_key if previous else digest,
        version=previous.version + 1 if previous else 1,
        version_of_id=previous.id if previous else None,
        name=source.name[:255], format=(source.format or "txt")[:16],
        title=_clip(info.title, 500), issuer=_clip(info.issuer, 255),
        doc_number=_clip(info.doc_number, 120), doc_date=doc_date,
        year=info.year, region=_clip(info.region, 120), text=source.text,
        imported_at=now, imported_by=audit.actor_ids(actor)[1][:120])
    session.add(doc)
    session.flush()
    run = _Run(session, actor, now, doc)
    result = ImportResult(source.name, doc.id, "merged" if previous else "new",
                          previous_id=previous.id if previous else None, version=doc.version,
                          warnings=warnings)
    if previous is None:
        _add_tasks(run, list(enumerate(extraction.tasks)))
        result.added = len(extraction.tasks)
    else:
        _merge(run, previous, extraction.tasks, result)
    result.tasks = len(extraction.tasks)
    if not extraction.tasks:
        result.warnings.append("no tasks found")
    audit.record(session=session, actor=actor, source=SOURCE, entity="document", entity_id=doc.id,
                 new=doc.name, now=now, reason=result.summary())
    return result


def find_previous_version(session: Session, info, name: str) -> Document | None:
    """The latest version of the plan this document revises: same 文号, else same
    title, else same file name (only where title and 文号 do not disagree)."""
    for column, value in ((Document.doc_number, info.doc_number), (Document.title, info.title)):
        if value:
            hit = session.scalar(select(Document).where(column == value)
                                 .order_by(Document.id.desc()).limit(1))
            if hit is not None:
                return _latest(session, hit.plan_key)
    hit = session.scalar(select(Document).where(Document.name == name[:255])
                         .order_by(Document.id.desc()).limit(1))
    if hit is None or _disagree(hit.title, info.title) or _disagree(hit.doc_number, info.doc_number):
        return None
    return _latest(session, hit.plan_key)


def _disagree(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and a != b


def _latest(session: Session, plan_key: str) -> Document:
    return session.scalar(select(Document).where(Document.plan_key == plan_key)
                          .order_by(Document.version.desc()).limit(1))


def _incoming(t, name: str) -> dict:
    """An extracted task as the editable fields update_task() speaks of."""
    if not (t.text or "").strip():
        raise InputError(name, f"line {t.line}: a task without text")
    return {
        "text": t.text.strip(), "heading_path": t.heading_path or "",
        "deadline": _date(t.deadline, name, f"line {t.line}: deadline"),
        "deadline_text": _clip(t.deadline_text, 255), "ongoing": bool(t.ongoing),
        "leaders": [x for x in t.leaders if x],
    }


def _roles(t) -> dict[str, list[tuple[str, str]]]:
    """{role: [(canonical name, surface)]}; canonical names when the extractor gave
    them one for one, else the document's own words."""
    def pairs(surface: list[str], canonical: list[str]):
        if canonical and len(canonical) == len(surface):
            return list(zip(canonical, surface))
        return [(c, c) for c in (canonical or surface)]
    return {"lead": pairs(t.lead_units, t.lead_canonical), "co": pairs(t.co_units, t.co_canonical),
            "internal": pairs(t.internal_units, [])}


def _assign(run: _Run, task: Task, roles: dict, **kw) -> None:
    service.assign_units(task, roles, session=run.session, actor=run.actor, source=SOURCE,
                         cache=run.units, **kw)
    _learn_aliases(run, roles)


def _learn_aliases(run: _Run, roles: dict) -> None:
    """Where the extractor gave a canonical name for the document's own words,
    remember the words as an alias (an explicit mapping, not a guess)."""
    for pairs in roles.values():
        for canonical, surface in pairs:
            alias = service.normalize_name(surface)
            if alias == service.normalize_name(canonical) or alias in run.aliases:
                continue
            run.aliases.add(alias)
            if service.find_unit(alias, session=run.session) is None:
                unit = run.units.get(service.normalize_name(canonical))
                if unit is not None:
                    service.add_unit_alias(unit, alias, session=run.session, actor=run.actor,
                                           source=SOURCE)


def _add_tasks(run: _Run, items) -> None:
    doc, tasks = run.doc, []
    for index, t in items:
        values = _incoming(t, doc.name)
        task = Task(document=doc, seq=index + 1, line=t.line, end_line=t.end_line or t.line,
                    rule=(t.rule or "")[:64], status="not_started", progress="", withdrawn=False,
                    created_at=run.now, updated_at=run.now, text=values["text"],
                    heading_path=values["heading_path"], deadline=values["deadline"],
                    deadline_text=values["deadline_text"], ongoing=values["ongoing"],
                    leaders="、".join(values["leaders"])[:255])
        run.session.add(task)
        _assign(run, task, _roles(t))
        tasks.append(task)
    run.session.flush()
    audit.record_many(({"entity": "task", "entity_id": task.id, "new": f"{doc.name}:{task.line}"}
                       for task in tasks), session=run.session, actor=run.actor, source=SOURCE,
                      now=run.now)


def _merge(run: _Run, previous: Document, extracted, result: ImportResult) -> None:
    doc = run.doc
    old = list(run.session.scalars(select(Task).where(Task.document_id == previous.id)
                                   .order_by(Task.seq).options(selectinload(Task.units))))
    pairs = matching.match([(t.heading_path, t.text) for t in old],
                           [(t.heading_path or "", t.text or "") for t in extracted])
    corrected = audit.corrected_fields([t.id for t in old], session=run.session)
    for j, i in sorted(pairs.items()):
        if _update_matched(run, old[i], extracted[j], j + 1, corrected.get(old[i].id, set())):
            result.updated += 1
        else:
            result.kept += 1
    matched_old = set(pairs.values())
    for i, task in enumerate(old):
        if i in matched_old or task.withdrawn or "withdrawn" in corrected.get(task.id, ()):
            continue
        task.withdrawn = True
        task.updated_at = run.now
        service.sync_unit_copies(task)
        audit.record(session=run.session, actor=run.actor, source=SOURCE, entity="task",
                     entity_id=task.id, field="withdrawn", old=False, new=True, now=run.now,
                     reason=f"not in {doc.name} (v{doc.version})")
        result.withdrawn += 1
    added = [(j, t) for j, t in enumerate(extracted) if j not in pairs]
    _add_tasks(run, added)
    result.added = len(added)


def _update_matched(run: _Run, task: Task, t, seq: int, corrected: set[str]) -> bool:
    """Carry a matched task into the new version. Fields a person corrected are
    left alone; others take the new version's value, audited. True if any did."""
    doc = run.doc
    corrected = set(corrected)
    for group in COUPLED:
        if corrected & group:
            corrected |= group
    before = service.task_values(task)
    old_doc = task.document_id
    task.document_id, task.seq, task.line = doc.id, seq, t.line
    task.end_line, task.rule = t.end_line or t.line, (t.rule or "")[:64]
    for f, value in _incoming(t, doc.name).items():
        if f in corrected or before[f] == value:
            continue
        setattr(task, f, "、".join(value)[:255] if f == "leaders" else value)
    roles = {role: names for role, names in _roles(t).items()
             if service.ROLE_FIELDS[role] not in corrected}
    _assign(run, task, roles, keep_other_roles=True, given_first=False)
    service.sync_unit_copies(task)
    after = service.task_values(task)
    diffs = [f for f in service.EDITABLE if before[f] != after[f]]
    rows = [{"entity": "task", "entity_id": task.id, "field": f, "old": before[f], "new": after[f]}
            for f in diffs]
    if old_doc != doc.id:  # provenance moves to the new version; worth a line of history
        rows.append({"entity": "task", "entity_id": task.id, "field": "document_id",
                     "old": old_doc, "new": doc.id})
    audit.record_many(rows, session=run.session, actor=run.actor, source=SOURCE, now=run.now)
    if diffs:
        task.updated_at = run.now
    return bool(diffs)


def _date(value, name: str, what: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise InputError(name, f"{what} is not an ISO date: {value!r}") from None


def _clip(value, size: int) -> str | None:
    return str(value)[:size] if value else None


def _first_line(e: BaseException) -> str:
    text = str(getattr(e, "orig", None) or e).strip()
    return text.splitlines()[0][:300] if text else type(e).__name__
