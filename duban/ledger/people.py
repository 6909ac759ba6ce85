"""People, passwords (argon2) and API tokens. Re-exported by service.py.

Tokens are random 256-bit strings shown once; only their SHA-256 is stored
(a slow hash adds nothing against guessing 256 bits, and a fast one lets a
request find its token with one indexed lookup)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from duban.errors import Conflict, NotFound
from duban.ledger import audit
from duban.ledger.audit import Actor
from duban.ledger.fields import InvalidValue
from duban.ledger.models import PERSON_ROLE_LABELS, ApiToken, Person

_hasher = PasswordHasher()
_dummy: list[str] = []
# last_used_at is only rewritten this often, so API reads don't all write.
_TOKEN_TOUCH = dt.timedelta(minutes=1)


def get_person(username: str, *, session: Session) -> Person:
    person = session.scalar(select(Person).where(Person.username == username.strip()))
    if person is None:
        raise NotFound(f"未找到用户「{username}」")
    return person


def create_person(username: str, *, session: Session, role: str, actor: Actor, source: str,
                  password: str | None = None, display_name: str = "",
                  unit: str | None = None) -> Person:
    """A new person. A liaison belongs to a unit; an unknown unit name is created
    unless it is close to a known one (then NotFound suggests the known name)."""
    name = username.strip()
    if not name or any(c.isspace() for c in name):
        raise InvalidValue("用户名不能为空，也不能含空格")
    if role not in PERSON_ROLE_LABELS:
        raise InvalidValue(f"角色「{role}」无效（应为 {'、'.join(PERSON_ROLE_LABELS)}）")
    if role == "liaison" and not unit:
        raise InvalidValue("单位联络员必须指定所属单位")
    if session.scalar(select(Person.id).where(Person.username == name)) is not None:
        raise Conflict(f"用户「{name}」已存在")
    unit_row = _resolve_unit(unit, session=session, actor=actor, source=source) if unit else None
    person = Person(username=name, display_name=display_name or name, role=role,
                    unit_id=unit_row.id if unit_row else None,
                    password_hash=_hash_password(password) if password is not None else None)
    session.add(person)
    session.flush()
    audit.record(session=session, actor=actor, source=source, entity="person",
                 entity_id=person.id, new=f"{name} ({role})")
    return person


def _resolve_unit(name: str, *, session: Session, actor: Actor, source: str):
    from duban.ledger import service

    unit = service.find_unit(name, session=session)
    if unit is not None:
        return unit
    near = service.suggest_units(name, session=session, limit=3, score_cutoff=80)
    if near:
        names = "、".join(u.name for u, _ in near)
        raise NotFound(f"未找到单位「{name}」（是否为：{names}？）")
    return service.get_or_create_unit(name, session=session, actor=actor, source=source)


def _dummy_hash() -> str:
    """Verified against when the user does not exist, so a wrong name costs as
    much time as a wrong password and does not reveal which names exist.
    Made on first use: hashing takes a tenth of a second at import."""
    if not _dummy:
        _dummy.append(_hasher.hash("duban-no-such-user"))
    return _dummy[0]


def _hash_password(password: str) -> str:
    if not password:
        raise InvalidValue("密码不能为空")
    return _hasher.hash(password)


def set_password(username: str, password: str, *, session: Session, actor: Actor,
                 source: str) -> None:
    person = get_person(username, session=session)
    person.password_hash = _hash_password(password)
    # The audit trail says that it changed, never what it is.
    audit.record(session=session, actor=actor, source=source, entity="person",
                 entity_id=person.id, field="password")


def authenticate(username: str, password: str, *, session: Session) -> Person | None:
    """The active person with this name and password, or None."""
    person = session.scalar(select(Person).where(Person.username == (username or "").strip()))
    stored = person.password_hash if person is not None and person.password_hash else None
    try:
        _hasher.verify(stored or _dummy_hash(), password or "")
    except (VerificationError, InvalidHashError):
        return None
    if stored is None or not person.active:
        return None
    if _hasher.check_needs_rehash(stored):
        person.password_hash = _hasher.hash(password)
    return person


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(username: str, *, session: Session, actor: Actor, source: str) -> str:
    """A new API token for the person; the only time the token itself is seen."""
    person = get_person(username, session=session)
    if not person.active:
        raise InvalidValue(f"账号「{person.username}」已停用")
    token = secrets.token_urlsafe(32)
    row = ApiToken(token_hash=_token_hash(token), person_id=person.id)
    session.add(row)
    session.flush()
    audit.record(session=session, actor=actor, source=source, entity="api_token",
                 entity_id=row.id, new=person.username)
    return token


def verify_token(token: str, *, session: Session, now: dt.datetime | None = None) -> Person | None:
    """The active person a bearer token belongs to, or None."""
    if not token:
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(token.strip())))
    if row is None or row.revoked or not row.person.active:
        return None
    now = now or dt.datetime.now(dt.timezone.utc)
    last = row.last_used_at
    if last is None or now - last > _TOKEN_TOUCH:
        row.last_used_at = now
    return row.person
