"""Task queries, corrections with their audit rows, units and permissions."""

import datetime as dt

import pytest
from sqlalchemy import select

from duban.errors import Conflict, NotFound, PermissionDenied
from duban.ledger import flows, service
from duban.ledger.fields import InvalidValue
from duban.ledger.models import Change, Task

from .helpers import assert_unit_copies, fixture_source, row_counts, simple_extract


@pytest.fixture
def ledger(session_factory):
    flows.import_document(fixture_source("plan_v1.txt"), session_factory=session_factory,
                          extractor=simple_extract)
    return session_factory


def test_filters(ledger):
    with ledger() as s:
        assert service.count_tasks(session=s) == 6
        mine = service.list_tasks(session=s, unit="市发改委")
        assert [t.text[:4] for t in mine] == ["全面实施", "开展招标"]  # by deadline
        assert service.list_tasks(session=s, unit="市工商联")[0].ongoing
        due = service.list_tasks(session=s, due_before="2025-06-30")
        assert [str(t.deadline) for t in due] == ["2025-03-31", "2025-06-30"]
        assert [t.text[:4] for t in service.list_tasks(session=s, q="直通车")] == ["建立企业"]
        assert service.list_tasks(session=s, q="100%") == []
        assert len(service.list_tasks(session=s, status="未开始")) == 6
        assert service.list_tasks(session=s, status=["done"]) == []
        by_unit_due = service.list_tasks(session=s, unit="市市场监管局", due_before=dt.date(2025, 4, 1))
        assert [t.text[:4] for t in by_unit_due] == ["推行经营"]
        doc_id = mine[0].document_id
        assert len(service.list_tasks(session=s, document=doc_id)) == 6


def test_ordering_and_pages(ledger):
    with ledger() as s:
        by_deadline = service.list_tasks(session=s)
        assert by_deadline[-1].deadline is None  # no deadline sorts last on every dialect
        dates = [t.deadline for t in by_deadline[:-1]]
        assert dates == sorted(dates)
        ids = [t.id for t in service.list_tasks(session=s, order="id")]
        assert ids == sorted(ids)
        page = service.list_tasks(session=s, order="document", limit=2, offset=2)
        assert [t.seq for t in page] == [3, 4]
        # The unit list goes through task_unit.due; it must agree with the task list.
        unit_page = service.list_tasks(session=s, unit="市政务服务局")
        assert [t.deadline for t in unit_page] == sorted(t.deadline for t in unit_page)
        with pytest.raises(InvalidValue):
            service.list_tasks(session=s, order="bogus")
        with pytest.raises(InvalidValue):
            service.list_tasks(session=s, limit=0)
        with pytest.raises(NotFound):
            service.list_tasks(session=s, unit="不存在的单位")


def test_update_task_writes_one_change_per_field(ledger):
    with ledger() as s, s.begin():
        task = service.list_tasks(session=s, unit="市发改委")[0]
        rows = service.update_task(task.id, {"deadline": "2025年10月31日", "status": "进行中",
                                             "progress": "已完成清单梳理", "text": task.text,
                                             "lead_units": "市发改委、市商务局"},
                                   session=s, actor="office1", source="web", reason="会商")
        assert {r.field for r in rows} == {"deadline", "status", "progress", "lead_units"}
        assert task.deadline == dt.date(2025, 10, 31) and task.status == "in_progress"
        assert all(tu.due == task.deadline for tu in task.units)  # unit index kept in step
    with ledger() as s:
        hist = {c.field: c for c in service.history("task", task.id, session=s) if c.field}
        assert (hist["deadline"].old, hist["deadline"].new) == ("2025-09-30", "2025-10-31")
        assert (hist["lead_units"].old, hist["lead_units"].new) == ("市发改委", "市发改委、市商务局")
        assert hist["status"].source == "web" and hist["status"].reason == "会商"
        assert service.find_unit("市商务局", session=s) is not None
        assert [t.id for t in service.list_tasks(session=s, unit="市商务局")] == [task.id]
        assert service.corrected_fields([task.id], session=s)[task.id] >= {"deadline", "status"}
        # Unit-filtered counts and lists read task_unit's copies: they must follow.
        assert service.count_tasks(session=s, unit="市商务局", status="进行中") == 1
        assert service.count_tasks(session=s, unit="市商务局", status="未开始") == 0
        assert service.count_tasks(session=s, unit="市商务局", due_before="2025-10-31") == 1
        assert service.count_tasks(session=s, unit="市商务局", q="负面清单") == 1
    assert_unit_copies(ledger)


def test_moving_a_unit_between_roles(ledger):
    with ledger() as s, s.begin():
        task = service.list_tasks(session=s, unit="市发改委")[0]  # lead 市发改委, co 市市场监管局
        service.update_task(task.id, {"lead_units": ["市市场监管局"]}, session=s, actor="o",
                            source="web")
        values = service.task_values(task)
        assert values["lead_units"] == ["市市场监管局"] and values["co_units"] == []
    with ledger() as s:
        fields = {c.field for c in service.history("task", task.id, session=s) if c.field}
        assert fields == {"lead_units", "co_units"}


def test_invalid_updates_change_nothing(ledger):
    before = row_counts(ledger)
    with ledger() as s:
        task_id = service.list_tasks(session=s)[0].id
    for changes, message in (({"deadline": "明年"}, "不是有效日期"), ({"status": "搁置"}, "状态"),
                             ({"owner": "x"}, "不能修改字段"), ({"text": "  "}, "不能为空")):
        with pytest.raises(InvalidValue, match=message):
            with ledger() as s, s.begin():
                service.update_task(task_id, {"progress": "先写一半", **changes}, session=s,
                                    actor="o", source="web")
    with pytest.raises(NotFound):
        with ledger() as s, s.begin():
            service.update_task(999999, {"progress": "x"}, session=s, actor="o", source="web")
    assert row_counts(ledger) == before


def test_no_op_update_writes_nothing(ledger):
    with ledger() as s, s.begin():
        task = service.list_tasks(session=s)[0]
        assert service.update_task(task.id, {"text": task.text, "status": "未开始"}, session=s,
                                   actor="o", source="web") == []


def test_liaison_edits_only_its_units_tasks(ledger):
    with ledger() as s, s.begin():
        liaison = service.create_person("lw", session=s, role="liaison", unit="市发改委",
                                        password="pw-123456", actor="t", source="test")
        viewer = service.create_person("vw", session=s, role="viewer", password="pw-123456",
                                       actor="t", source="test")
    with ledger() as s, s.begin():
        mine = service.list_tasks(session=s, unit="市发改委")[0]
        other = service.list_tasks(session=s, unit="市工商联")[0]
        liaison = s.merge(liaison)
        service.update_task(mine.id, {"progress": "推进中"}, session=s, actor=liaison, source="web")
        with pytest.raises(PermissionDenied, match="本单位"):
            service.update_task(other.id, {"progress": "越权"}, session=s, actor=liaison,
                                source="web")
        with pytest.raises(PermissionDenied):
            service.update_task(mine.id, {"progress": "x"}, session=s, actor=s.merge(viewer),
                                source="web")
    with ledger() as s:
        row = s.scalar(select(Change).where(Change.field == "progress"))
        assert (row.actor, row.person_id, row.entity_id) == ("lw", liaison.id, mine.id)


def test_units_aliases_and_suggestions(session_factory):
    with session_factory() as s, s.begin():
        a = service.get_or_create_unit("市市场监督管理局", session=s, actor="t", source="test")
        assert service.get_or_create_unit("市市场监督 管理局", session=s, actor="t", source="test") is a
        service.add_unit_alias(a, "市市场监管局", session=s, actor="t", source="test")
        assert service.add_unit_alias(a, "市市场监管局", session=s, actor="t", source="test") is None
        assert service.get_or_create_unit("市市场监管局", session=s, actor="t", source="test") is a
        b = service.get_or_create_unit("省市场监督管理局", session=s, actor="t", source="test")
        with pytest.raises(Conflict):
            service.add_unit_alias(b, "市市场监管局", session=s, actor="t", source="test")
        # Close names are suggested, never merged.
        suggested = service.suggest_units("市场监督管理局", session=s)
        assert {u.name for u, _ in suggested} == {"市市场监督管理局", "省市场监督管理局"}
        assert service.find_unit("市场监督管理局", session=s) is None
        assert [u.name for u in service.list_units(session=s)] == sorted([a.name, b.name])
        assert {c.field for c in s.scalars(select(Change).where(Change.entity == "unit"))} == {
            None, "alias"}
