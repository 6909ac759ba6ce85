"""People: argon2 passwords, tokens stored only as hashes, every write audited."""

import datetime as dt
import hashlib

import pytest
from sqlalchemy import select

from duban.errors import Conflict, NotFound
from duban.ledger import service
from duban.ledger.fields import InvalidValue
from duban.ledger.models import ApiToken, Change, Person


def test_add_and_authenticate(session_factory):
    with session_factory() as s, s.begin():
        p = service.create_person("zhang", session=s, role="office", password="秘密-pass1",
                                  display_name="张三", actor="cli:root", source="cli")
        assert p.password_hash.startswith("$argon2") and "秘密" not in p.password_hash
    with session_factory() as s:
        assert service.authenticate("zhang", "秘密-pass1", session=s).id == p.id
        assert service.authenticate("zhang", "wrong", session=s) is None
        assert service.authenticate("nobody", "秘密-pass1", session=s) is None
        row = s.scalar(select(Change).where(Change.entity == "person"))
        assert (row.entity_id, row.actor, row.source) == (p.id, "cli:root", "cli")


def test_inactive_person_cannot_log_in(session_factory):
    with session_factory() as s, s.begin():
        p = service.create_person("li", session=s, role="viewer", password="pw", actor="t", source="t")
        p.active = False
    with session_factory() as s:
        assert service.authenticate("li", "pw", session=s) is None


def test_person_validation(session_factory):
    with session_factory() as s, s.begin():
        service.create_person("wang", session=s, role="leader", password="pw", actor="t", source="t")
        with pytest.raises(Conflict):
            service.create_person("wang", session=s, role="viewer", password="pw", actor="t", source="t")
        with pytest.raises(InvalidValue, match="角色"):
            service.create_person("x", session=s, role="admin", password="pw", actor="t", source="t")
        with pytest.raises(InvalidValue, match="单位"):
            service.create_person("y", session=s, role="liaison", password="pw", actor="t", source="t")
        service.get_or_create_unit("市发展和改革委员会", session=s, actor="t", source="t")
        with pytest.raises(NotFound, match="是否为"):  # a typo is not a new unit
            service.create_person("z", session=s, role="liaison", unit="市发展和改革委员", password="pw",
                                  actor="t", source="t")
        liaison = service.create_person("z", session=s, role="liaison", unit="市发展和改革委员会",
                                        password="pw", actor="t", source="t")
        assert liaison.unit.name == "市发展和改革委员会"


def test_tokens_are_stored_hashed(session_factory):
    with session_factory() as s, s.begin():
        service.create_person("bot", session=s, role="viewer", password="pw", actor="t", source="t")
        token = service.create_token("bot", session=s, actor="t", source="cli")
    with session_factory() as s, s.begin():
        row = s.scalar(select(ApiToken))
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in row.token_hash and len(token) >= 40
        assert service.verify_token(token, session=s).username == "bot"
        assert service.verify_token(token + "x", session=s) is None
        assert service.verify_token("", session=s) is None
        assert row.last_used_at is not None
        assert s.scalar(select(Change).where(Change.entity == "api_token")).new == "bot"
    with session_factory() as s, s.begin():
        s.scalar(select(Person)).active = False
    with session_factory() as s:
        assert service.verify_token(token, session=s) is None


def test_token_touch_is_throttled(session_factory):
    with session_factory() as s, s.begin():
        service.create_person("bot", session=s, role="viewer", password="pw", actor="t", source="t")
        token = service.create_token("bot", session=s, actor="t", source="cli")
        t0 = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
        service.verify_token(token, session=s, now=t0)
        service.verify_token(token, session=s, now=t0 + dt.timedelta(seconds=10))
        assert s.scalar(select(ApiToken)).last_used_at == t0
