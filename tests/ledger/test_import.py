"""import_document: one transaction per document, content hash, failures leave nothing."""

import pytest
from sqlalchemy import select

from duban.errors import InputError
from duban.extract.model import DocumentInfo, Extraction, Task as XTask
from duban.ledger import flows, service
from duban.ledger.models import Change, Document, Task, Unit

from .helpers import (FIXTURES, failing_extractor, fixture_source, row_counts, simple_extract,
                      source)


def hand_made(src):
    return Extraction(src.name, DocumentInfo(title="手工方案", doc_number="测政发〔2025〕1号",
                                             date="2025-02-01", year=2025), [
        XTask(src.name, 3, "加强 事中 事后监管。", lead_units=["市 市场监管局"],
              co_units=["市发改委", "市市场监管局"], deadline="2025-06-30",
              deadline_text="2025年6月底前", heading_path="一", leaders=["王晖"]),
        XTask(src.name, 4, "优化审批服务。", lead_units=["市发改委"],
              lead_canonical=["市发展和改革委员会"], heading_path="一", ongoing=True,
              deadline_text="长期推进"),
        XTask(src.name, 6, "建立考核机制。", internal_units=["综合科"], heading_path="二"),
    ])


def test_new_document_stores_tasks_units_and_history(session_factory):
    src = source("hand.txt", "手工方案\n\n加强\n优化\n\n建立")
    result = flows.import_document(src, session_factory=session_factory, extractor=hand_made,
                                   actor="tester")
    assert (result.status, result.added, result.tasks) == ("new", 3, 3)
    with session_factory() as s:
        doc = s.get(Document, result.document_id)
        assert (doc.title, doc.doc_number, str(doc.doc_date), doc.version) == (
            "手工方案", "测政发〔2025〕1号", "2025-02-01", 1)
        assert doc.text.splitlines()[0] == "手工方案" and doc.sha256 == src.sha256
        tasks = service.list_tasks(session=s, document=doc.id, order="document")
        first = service.task_values(tasks[0])
        # A unit named as lead and co keeps one role (lead); names lose stray spaces.
        assert first["lead_units"] == ["市市场监管局"] and first["co_units"] == ["市发改委"]
        assert first["leaders"] == ["王晖"] and str(first["deadline"]) == "2025-06-30"
        assert tasks[0].units[0].surface == "市 市场监管局"
        assert service.task_values(tasks[1])["lead_units"] == ["市发展和改革委员会"]
        assert tasks[1].ongoing and tasks[1].deadline is None
        assert service.task_values(tasks[2])["internal_units"] == ["综合科"]
        # The extractor's canonical name maps the document's words as an alias.
        assert service.find_unit("市发改委", session=s).name == "市发改委"  # known unit, no merge
        created = s.scalars(select(Change).where(Change.entity == "task", Change.field.is_(None)))
        assert sorted(c.entity_id for c in created) == sorted(t.id for t in tasks)
        assert {c.actor for c in s.scalars(select(Change))} == {"tester"}
        assert s.scalar(select(Change).where(Change.entity == "document")).source == "import"


def test_canonical_name_learns_alias(session_factory):
    def ext(src):
        return Extraction(src.name, DocumentInfo(), [
            XTask(src.name, 1, "任务。", lead_units=["市发改委"], lead_canonical=["市发展改革委"])])
    flows.import_document(source("a.txt", "任务"), session_factory=session_factory, extractor=ext)
    with session_factory() as s:
        assert service.find_unit("市发改委", session=s).name == "市发展改革委"
        assert service.list_tasks(session=s, unit="市发改委")[0].text == "任务。"


def test_same_bytes_twice_is_unchanged(session_factory):
    src = fixture_source("plan_v1.txt")
    first = flows.import_document(src, session_factory=session_factory, extractor=simple_extract)
    before = row_counts(session_factory)
    again = flows.import_document(fixture_source("plan_v1.txt", name="renamed.txt"),
                                  session_factory=session_factory, extractor=failing_extractor)
    assert (again.status, again.document_id, again.tasks) == ("unchanged", first.document_id, 6)
    assert row_counts(session_factory) == before


def test_extractor_failure_leaves_nothing(session_factory):
    flows.import_document(fixture_source("plan_v1.txt"), session_factory=session_factory,
                          extractor=simple_extract)
    before = row_counts(session_factory)
    with pytest.raises(InputError) as e:
        flows.import_document(source("other.txt", "别的方案"), session_factory=session_factory,
                              extractor=failing_extractor)
    assert str(e.value) == "other.txt: extraction failed: RuntimeError: extractor blew up halfway"
    assert row_counts(session_factory) == before


def test_failure_halfway_through_writing_rolls_back(session_factory):
    """The third task is bad: document, first tasks and new units must all vanish."""
    def ext(src):
        good = [XTask(src.name, i, f"任务{i}。", lead_units=[f"新单位{i}"]) for i in (1, 2)]
        return Extraction(src.name, DocumentInfo(title="坏方案"),
                          good + [XTask(src.name, 3, "坏任务。", deadline="2025-13-45")])
    before = row_counts(session_factory)
    with pytest.raises(InputError, match=r"^bad\.txt: line 3: deadline is not an ISO date"):
        flows.import_document(source("bad.txt", "坏方案"), session_factory=session_factory,
                              extractor=ext)
    assert row_counts(session_factory) == before
    with session_factory() as s:
        assert s.scalar(select(Unit).where(Unit.name == "新单位1")) is None


def test_unreadable_path_is_input_error(session_factory, tmp_path):
    with pytest.raises(InputError, match="missing.txt"):
        flows.import_document(tmp_path / "missing.txt", session_factory=session_factory,
                              extractor=simple_extract)


def test_import_from_path_with_real_extractor(session_factory):
    """The default extractor (duban.extract.extract) on the fixture plan."""
    pytest.importorskip("duban.extract")
    from duban import extract

    if not hasattr(extract, "extract"):
        pytest.skip("duban.extract.extract not available yet")
    result = flows.import_document(FIXTURES / "plan_v1.txt", session_factory=session_factory)
    assert (result.status, result.added) == ("new", 6)
    with session_factory() as s:
        assert s.scalar(select(Document)).title == "某市优化营商环境三年行动方案"
        assert len(service.list_tasks(session=s, unit="市政务服务局")) == 2
        assert s.scalar(select(Task).where(Task.line == 8)).ongoing is True


def test_document_without_tasks_is_stored_with_a_warning(session_factory):
    def empty(src):
        return Extraction(src.name, DocumentInfo(title="通知", date="二〇二五年"), [])
    result = flows.import_document(source("n.txt", "通知"), session_factory=session_factory,
                                   extractor=empty)
    assert (result.status, result.tasks) == ("new", 0)
    assert result.warnings == ["document date is not an ISO date: '二〇二五年'", "no tasks found"]
