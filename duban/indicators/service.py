"""Queries and writes on indicator observations and plan targets. Every function
takes the session as the keyword `session=` and leaves the transaction to the caller;
every write of an observation is recorded in the ledger's change trail."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from duban.errors import InputError, NotFound
from duban.indicators import dtf
from duban.indicators.model import IndicatorStatement
from duban.indicators.models import Observation, PlanTarget
from duban.indicators.registry import Registry, key
from duban.indicators.simulate import Simulation, Target, simulate
from duban.ledger import audit
from duban.ledger.audit import Actor
from duban.ledger.models import Task

PROVINCE_AVERAGE = "全省平均"
_LOWER_BETTER = re.compile(r"时间|时限|天数|环节|成本|费用|迟报|差错|重错|死亡|事故|投诉|不合格")


@dataclass
class ImportReport:
    written: int = 0
    problems: list[str] = field(default_factory=list)


# ---- observations ----------------------------------------------------------

def set_observation(region: str, indicator: str, value: float, *, session: Session,
                    actor: Actor = "system", period: str = "", unit: str | None = None,
                    source: str = "manual", document_id: int | None = None,
                    line: int | None = None, note: str | None = None,
                    now: dt.datetime | None = None) -> Observation:
    """Insert or update the value of `indicator` for `region` in `period`."""
    region, indicator, period = region.strip(), indicator.strip(), (period or "").strip()
    if not region or not indicator:
        raise InputError("observation", "地区和指标不能为空")
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number):  # 'nan'/'inf' parse as floats but are no one's value
        raise InputError("observation", f"数值 {value!r} 不是数字")
    value = number
    now = now or dt.datetime.now(dt.timezone.utc)
    obs = session.scalar(select(Observation).where(
        Observation.region == region, Observation.indicator == indicator,
        Observation.period == period))
    if obs is None:
        obs = Observation(region=region, indicator=indicator, period=period, value=value,
                          unit=unit, source=source, document_id=document_id, line=line,
                          note=note, created_at=now, updated_at=now)
        session.add(obs)
        session.flush()
        audit.record(session=session, actor=actor, source=source, entity="observation",
                     entity_id=obs.id, new=f"{region}/{indicator}/{period}={value:g}", now=now)
        return obs
    if obs.value != value:
        audit.record(session=session, actor=actor, source=source, entity="observation",
                     entity_id=obs.id, field="value", old=obs.value, new=value, now=now)
    obs.value, obs.source, obs.updated_at = value, source, now
    obs.unit = unit or obs.unit
    obs.document_id, obs.line = document_id or obs.document_id, line or obs.line
    obs.note = note or obs.note
    return obs


def list_observations(*, session: Session, period: str | None = None,
                      indicator: str | None = None, region: str | None = None) -> list[Observation]:
    q = select(Observation)
    if period is not None:
        q = q.where(Observation.period == period)
    if indicator is not None:
        q = q.where(Observation.indicator == indicator)
    if region is not None:
        q = q.where(Observation.region == region)
    return list(session.scalars(q.order_by(Observation.indicator, Observation.region)))


def delete_observation(obs_id: int, *, session: Session, actor: Actor = "system") -> None:
    obs = session.get(Observation, obs_id)
    if obs is None:
        raise NotFound(f"未找到观测值 {obs_id}")
    audit.record(session=session, actor=actor, source="manual", entity="observation",
                 entity_id=obs.id, old=f"{obs.region}/{obs.indicator}/{obs.period}={obs.value:g}")
    session.delete(obs)


def import_table(path: str | Path, *, session: Session, actor: Actor = "system",
                 period: str = "", registry: Registry | None = None) -> ImportReport:
    """Observations from a CSV or xlsx table (see table.py); the table's period column,
    where given, beats `period`. Bad rows are reported, the rest written. A registry
    name or alias is stored under the registry's name (as the web form does), so one
    indicator written two ways still scores as one."""
    from duban.indicators.table import read_table

    registry = registry or Registry.default()
    t = read_table(path, registry=registry)
    src = "xlsx" if str(path).lower().endswith((".xlsx", ".xlsm")) else "csv"
    rep = ImportReport(problems=list(t.problems))
    for i, row in enumerate(t.rows):
        if row.value is None:
            rep.problems.append(f"{row.region}「{row.indicator}」没有数值，未导入")
            continue
        ind = registry.get(row.indicator)
        set_observation(row.region, ind.name if ind else row.indicator, row.value, session=session,
                        actor=actor, period=t.periods.get(i) or period,
                        unit=row.unit or (ind.unit if ind else None), source=src)
        rep.written += 1
    return rep


def observations_from_statements(statements: list[IndicatorStatement], *, region: str,
                                 session: Session, actor: Actor = "system", period: str = "",
                                 document_id: int | None = None) -> ImportReport:
    """A plan's benchmark statements as observations: our value for `region`, the
    average for 全省平均, the best for the city that holds it."""
    rep = ImportReport()
    for s in statements:
        name = s.indicator or s.name
        for who, value in ((region, s.value), (PROVINCE_AVERAGE, s.average),
                           (s.best_region, s.best)):
            if who and value is not None:
                set_observation(who, name, value, session=session, actor=actor, period=period,
                                unit=s.unit, source="extract", document_id=document_id,
                                line=s.line, note=s.text[:200] or None)
                rep.written += 1
    return rep


# ---- targets ---------------------------------------------------------------

def save_targets(statements: list[IndicatorStatement], *, session: Session,
                 document_id: int | None = None, region: str | None = None) -> list[PlanTarget]:
    """Keep a plan's targets (replacing those already kept for the document)."""
    if document_id is not None:
        for old in session.scalars(select(PlanTarget).where(PlanTarget.document_id == document_id)):
            session.delete(old)
        session.flush()
    out = []
    for s in statements:
        if s.target_value is None:
            continue
        t = PlanTarget(document_id=document_id, indicator=s.indicator or s.name, name=s.name,
                       region=region, comparator=s.target_comparator or "=",
                       value=s.target_value, unit=s.unit, year=s.target_year,
                       higher_is_better=s.higher_is_better, line=s.line)
        session.add(t)
        out.append(t)
    session.flush()
    return out


def list_targets(*, session: Session, document_id: int | None = None) -> list[PlanTarget]:
    q = select(PlanTarget)
    if document_id is not None:
        q = q.where(PlanTarget.document_id == document_id)
    return list(session.scalars(q.order_by(PlanTarget.document_id, PlanTarget.line)))


# ---- scoring ---------------------------------------------------------------

def describe(name: str, registry: Registry | None) -> tuple[bool, str | None, float, str | None]:
    """(higher_is_better, dimension, weight, unit) of an indicator: the registry's, else
    guessed from the name (时间, 成本, 迟报… are better low)."""
    ind = registry.match(name) if registry is not None else None
    if ind is not None:
        return ind.higher_is_better, ind.dimension, ind.weight, ind.unit
    return not _LOWER_BETTER.search(name), None, 1.0, None


def rows_for_period(period: str, *, session: Session, registry: Registry | None = None,
                    regions: list[str] | None = None) -> list[dtf.Row]:
    rows = []
    for o in list_observations(session=session, period=period):
        if regions is not None and o.region not in regions:
            continue
        hib, dim, weight, unit = describe(o.indicator, registry)
        rows.append(dtf.Row(o.region, o.indicator, o.value, hib, dim, weight, unit=o.unit or unit))
    return rows


def score_period(period: str, *, session: Session, registry: Registry | None = None,
                 regions: list[str] | None = None) -> dtf.Result:
    """Distance-to-frontier scores of every region observed in `period`."""
    rows = rows_for_period(period, session=session, registry=registry, regions=regions)
    dims = {d.name: d.weight for d in registry.dimensions.values()} if registry else None
    return dtf.score(rows, dimension_weights=dims)


def simulate_plan(document_id: int, region: str, period: str, *, session: Session,
                  registry: Registry | None = None) -> Simulation:
    """模拟测评: the document's kept targets applied to `region` as if met."""
    rows = rows_for_period(period, session=session, registry=registry)
    if not rows:
        raise NotFound(f"期间「{period}」没有观测值")
    targets = [Target(t.indicator, t.value, t.comparator, t.higher_is_better,
                      f"document {document_id} line {t.line}")
               for t in list_targets(session=session, document_id=document_id)]
    dims = {d.name: d.weight for d in registry.dimensions.values()} if registry else None
    return simulate(rows, region, targets, registry=registry, dimension_weights=dims)


# ---- indicators ↔ tasks ----------------------------------------------------

def indicator_names(name: str, *, registry: Registry | None = None,
                    session: Session | None = None) -> list[str]:
    """Every way a plan may write an indicator: registry name and aliases, and the names
    its kept targets were written with."""
    names = {name}
    ind = registry.match(name) if registry is not None else None
    if ind is not None:
        names |= {ind.name, *ind.aliases}
    if session is not None:
        canon = ind.name if ind is not None else name
        names |= set(session.scalars(select(PlanTarget.name).where(PlanTarget.indicator == canon)))
    return sorted((n for n in names if len(key(n)) >= 4), key=len, reverse=True)


def tasks_for_indicator(name: str, *, session: Session, registry: Registry | None = None,
                        include_withdrawn: bool = False) -> list[Task]:
    """The ledger tasks that move an indicator: their text names it (registry name or an
    alias), or they hold the line where a plan set its target."""
    names = indicator_names(name, registry=registry, session=session)
    ind = registry.match(name) if registry is not None else None
    canon = ind.name if ind is not None else name
    found: dict[int, Task] = {}
    if names:
        like = [Task.text.contains(n, autoescape=True) for n in names]
        q = select(Task).where(or_(*like))
        if not include_withdrawn:
            q = q.where(Task.withdrawn.is_(False))
        keys = [key(n) for n in names]
        for t in session.scalars(q):
            if any(k in key(t.text) for k in keys):
                found[t.id] = t
    targets = session.scalars(select(PlanTarget).where(
        PlanTarget.indicator == canon, PlanTarget.document_id.is_not(None),
        PlanTarget.line.is_not(None)))
    for pt in targets:
        q = select(Task).where(Task.document_id == pt.document_id, Task.line <= pt.line,
                               Task.end_line >= pt.line)
        if not include_withdrawn:
            q = q.where(Task.withdrawn.is_(False))
        for t in session.scalars(q):
            found[t.id] = t
    return sorted(found.values(), key=lambda t: (t.document_id, t.seq))


def indicators_for_task(task: Task, registry: Registry) -> list[str]:
    """Registry indicators a task's text names."""
    return [i.name for i in registry.mentions(task.text)]
