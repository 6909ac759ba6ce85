"""A revised version of a plan is merged: matched tasks keep their ids, reports
and corrections; new tasks are added; vanished ones are withdrawn, never deleted."""

import datetime as dt

from sqlalchemy import select

from duban.ledger import flows, matching, service
from duban.ledger.models import Change, Document, Task

from .helpers import assert_unit_copies, fixture_source, row_counts, simple_extract


def _import(sf, name, **kw):
    return flows.import_document(fixture_source(name, **kw), session_factory=sf,
                                 extractor=simple_extract, actor="importer")


def _by_text(s, start):
    return s.scalar(select(Task).where(Task.text.startswith(start)))


def test_revised_version_is_merged(session_factory):
    sf = session_factory
    v1 = _import(sf, "plan_v1.txt")
    with sf() as s:
        ids = {t.text[:6]: t.id for t in s.scalars(select(Task))}
    # People work on v1: a report on task 1, a corrected deadline on task 4.
    with sf() as s, s.begin():
        service.update_task(ids["推进政务服务"], {"status": "进行中", "progress": "已上线试运行"},
                            session=s, actor="liaison1", source="web")
        service.update_task(ids["全面实施市场"], {"deadline": "2025-07-31"},
                            session=s, actor="office1", source="web")
    v2 = _import(sf, "plan_v2.txt")
    assert v2.status == "merged" and v2.previous_id == v1.document_id and v2.version == 2
    # 2 edited -> updated; 3 gone -> withdrawn; new 3 -> added; 1, 4, 5, 6 kept
    # (4's new deadline does not beat the person's correction).
    assert (v2.added, v2.updated, v2.withdrawn, v2.kept, v2.tasks) == (1, 1, 1, 4, 6)
    with sf() as s:
        now_ids = {t.text[:6]: t.id for t in s.scalars(select(Task))}
        for key in ("推进政务服务", "深化“一件事", "全面实施市场", "推行经营主体", "开展招标投标"):
            assert now_ids[key] == ids[key], key
        assert now_ids["建立企业诉求"] == ids["建立企业诉求"]
        assert "建立涉企政策" in now_ids and now_ids["建立涉企政策"] not in ids.values()

        first = s.get(Task, ids["推进政务服务"])
        assert (first.status, first.progress) == ("in_progress", "已上线试运行")
        assert first.document_id == v2.document_id
        fourth = s.get(Task, ids["全面实施市场"])
        assert fourth.deadline == dt.date(2025, 7, 31)
        assert fourth.deadline_text == "2025年9月底前"  # the deadline group is protected as one
        second = s.get(Task, ids["深化“一件事"])
        assert "30项" in second.text and second.document_id == v2.document_id
        gone = s.get(Task, ids["建立企业诉求"])
        assert gone.withdrawn and gone.document_id == v1.document_id

        live = service.list_tasks(session=s, document=v2.document_id, order="document")
        assert [t.seq for t in live] == [1, 2, 3, 4, 5, 6]
        assert service.count_tasks(session=s, include_withdrawn=True) == 7

        doc2 = s.get(Document, v2.document_id)
        doc1 = s.get(Document, v1.document_id)
        assert (doc2.plan_key, doc2.version_of_id) == (doc1.plan_key, doc1.id)

        def changes(task_id):
            return [(c.field, c.source) for c in service.history("task", task_id, session=s)]
        assert ("text", "import") in changes(second.id)
        assert ("withdrawn", "import") in changes(gone.id)
        assert ("deadline", "import") not in changes(fourth.id)
        assert ("deadline", "web") in changes(fourth.id)
        # The withdrawn task no longer counts for its unit; the index copies agree.
        assert service.count_tasks(session=s, unit="市工商联") == 0
        assert service.count_tasks(session=s, unit="市工商联", include_withdrawn=True) == 1
    assert_unit_copies(sf)


def test_merge_again_with_same_bytes_is_unchanged(session_factory):
    _import(session_factory, "plan_v1.txt")
    _import(session_factory, "plan_v2.txt")
    before = row_counts(session_factory)
    assert _import(session_factory, "plan_v2.txt").status == "unchanged"
    old = _import(session_factory, "plan_v1.txt")
    assert (old.status, old.version, old.tasks) == ("unchanged", 1, 6)
    assert old.warnings == ["an older version: the plan is at version 2 (document 2)"]
    assert row_counts(session_factory) == before


def test_merge_by_file_name_without_title(session_factory):
    """Without a title or 文号, the same file name identifies the plan."""
    from duban.extract.model import DocumentInfo, Extraction

    def untitled(src):
        e = simple_extract(src)
        return Extraction(e.doc, DocumentInfo(), e.tasks)
    sf = session_factory
    a = flows.import_document(fixture_source("plan_v1.txt", name="plan.txt"), session_factory=sf,
                              extractor=untitled)
    b = flows.import_document(fixture_source("plan_v2.txt", name="plan.txt"), session_factory=sf,
                              extractor=untitled)
    c = flows.import_document(fixture_source("plan_v2.txt", name="other.txt"), session_factory=sf,
                              extractor=untitled)
    assert (a.status, b.status) == ("new", "merged")
    assert c.status == "unchanged"  # same bytes, whatever the name


def test_corrected_units_survive_merge(session_factory):
    sf = session_factory
    _import(sf, "plan_v1.txt")
    with sf() as s, s.begin():
        task = _by_text(s, "开展招标投标")
        service.update_task(task.id, {"co_units": ["市住建局"]}, session=s, actor="o", source="xlsx")
    v2 = _import(sf, "plan_v2.txt")
    with sf() as s:
        task = _by_text(s, "开展招标投标")
        assert service.task_values(task)["co_units"] == ["市住建局"]
        assert task.document_id == v2.document_id


def test_matching_rules():
    old = [("一/1", "推进一网通办"), ("一/2", "深化一件事一次办改革，新增集成服务事项20项"),
           ("一/3", "建立企业诉求直通车制度")]
    new = [("一/1", "推进一网通办"), ("一/2", "新建一个完全不同的任务内容"),
           ("一/3", "深化一件事一次办改革，新增集成服务事项30项"), ("二/1", "建立企业诉求直通车制度")]
    # Exact text first (even under a new heading), then similar text best first;
    # the unrelated new task under 一/2 matches nothing.
    assert matching.match(old, new) == {0: 0, 2: 1, 3: 2}
    assert matching.match([], new) == {}
    assert matching.match(old, []) == {}


def test_matching_is_one_to_one():
    old = [("", "同一段文字")] * 2
    new = [("", "同一段文字")] * 3
    pairs = matching.match(old, new)
    assert sorted(pairs.values()) == [0, 1] and len(pairs) == 2


def test_every_merge_write_is_audited(session_factory):
    _import(session_factory, "plan_v1.txt")
    _import(session_factory, "plan_v2.txt")
    with session_factory() as s:
        rows = list(s.scalars(select(Change).where(Change.source == "import")))
        docs = [c for c in rows if c.entity == "document"]
        assert len(docs) == 2 and "merged" in docs[1].reason
        created = [c for c in rows if c.entity == "task" and c.field is None]
        assert len(created) == 7  # 6 in v1, 1 new in v2


def test_document_listing_and_versions(session_factory):
    v1 = _import(session_factory, "plan_v1.txt")
    v2 = _import(session_factory, "plan_v2.txt")
    with session_factory() as s:
        assert [d.id for d in service.list_documents(session=s)] == [v2.document_id, v1.document_id]
        assert [d.id for d in service.list_documents(session=s, latest_only=True)] == [v2.document_id]
        assert [d.version for d in service.document_versions(v1.document_id, session=s)] == [1, 2]
