"""The search index follows the ledger by itself (SQLite triggers, PostgreSQL
expression indexes): imports, edits and deletions show at once; a new document
is described lazily; a lost trigger is noticed and the index rebuilt."""

from sqlalchemy import select, text

from duban import db
from duban.compare import flows, index, search as S
from duban.compare.models import CompareDocument
from duban.ledger.flows import import_document
from duban.ledger.models import Document, Task

PLAN = """河南省人民政府办公厅关于印发河南省一业一证改革实施方案的通知
豫政办〔2023〕99号
一、主要任务
（一）深化“一业一
证”改革。将改革行业拓展到30个以上。（省市场监管局牵头）
（二）推行企业开办“首席服务员”制度。（省政务服务中心牵头）
"""


def _plan(tmp_path, name="plan.txt", body=PLAN):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def _ids(sf, query, **filters):
    with db.session_scope(sf) as s:
        return {h.id for h in S.search(query, session=s, filters=S.Filters(**filters)).tasks}


def _docs(sf, query):
    with db.session_scope(sf) as s:
        return {d.doc for d in S.search(query, session=s).documents}


def test_import_edit_delete_are_searchable_at_once(session_factory, tmp_path):
    with db.session_scope(session_factory) as s:
        index.ready(s)  # the index exists before the document arrives
    import_document(_plan(tmp_path), session_factory=session_factory)
    found = _ids(session_factory, "首席服务员")
    assert len(found) == 1
    # a word cut by a line break in the file is found in the document text
    assert _docs(session_factory, "一业一证") == {"plan.txt"}
    task_id = found.pop()
    with db.session_scope(session_factory) as s:
        s.get(Task, task_id).text = "推行企业开办“帮办代办”制度。"
    assert _ids(session_factory, "首席服务员") == set()
    assert _ids(session_factory, "帮办代办") == {task_id}
    with db.session_scope(session_factory) as s:
        s.delete(s.get(Task, task_id))
    assert _ids(session_factory, "帮办代办") == set()


def test_documents_imported_before_the_index_are_described_lazily(session_factory, tmp_path):
    result = import_document(_plan(tmp_path), session_factory=session_factory)
    with db.session_scope(session_factory) as s:
        assert s.get(CompareDocument, result.document_id) is None
    assert _ids(session_factory, "首席服务员", region="河南")  # the search did the work
    with db.session_scope(session_factory) as s:
        meta = s.get(CompareDocument, result.document_id)
        assert (meta.region_code, meta.region_level, meta.doc_type) == ("410000", "province", "方案")
        assert meta.issuer == "河南省人民政府办公厅"


def test_after_import_hook_describes_the_document(session_factory, tmp_path):
    result = import_document(_plan(tmp_path), session_factory=session_factory)
    flows.after_import(result.document_id, session_factory=session_factory)
    with db.session_scope(session_factory) as s:
        assert s.get(CompareDocument, result.document_id).region_name == "河南省"


def test_a_revised_version_replaces_the_old_one_in_document_search(session_factory, tmp_path):
    import_document(_plan(tmp_path), session_factory=session_factory)
    revised = PLAN.replace("首席服务员", "首席代办员")
    import_document(_plan(tmp_path, body=revised), session_factory=session_factory)
    assert _docs(session_factory, "首席服务员") == set()
    assert _docs(session_factory, "首席代办员") == {"plan.txt"}
    with db.session_scope(session_factory) as s:
        assert s.scalar(select(Document.version).order_by(Document.id.desc()).limit(1)) == 2


def test_reindex_rebuilds_and_a_lost_trigger_is_noticed(session_factory, tmp_path):
    import_document(_plan(tmp_path), session_factory=session_factory)
    with db.session_scope(session_factory) as s:
        assert flows.reindex(s) == 1
    sqlite = session_factory.kw["bind"].dialect.name == "sqlite"
    with db.session_scope(session_factory) as s:  # e.g. a batch migration rebuilt `task`
        s.execute(text("DROP TRIGGER compare_task_ai" if sqlite
                       else "DROP TRIGGER compare_task_tsv_sync ON task"))
    with db.session_scope(session_factory) as s:
        assert index.ensure(s) is True  # rebuilt, trigger back
        assert index.ensure(s) is False
    assert len(_ids(session_factory, "首席服务员")) == 1
    import_document(_plan(tmp_path, "two.txt", PLAN.replace("99号", "98号").replace(
        "首席服务员", "首席联络员")), session_factory=session_factory)
    assert len(_ids(session_factory, "首席联络员")) == 1  # the trigger works again


def test_downgrade_removes_the_derived_structures(migrated_url, tmp_path):
    from sqlalchemy import inspect

    sf = db.session_factory(migrated_url)
    import_document(_plan(tmp_path), session_factory=sf)
    with db.session_scope(sf) as s:
        index.ready(s)
    db.downgrade(migrated_url, "0004")
    engine = db.get_engine(migrated_url)
    names = set(inspect(engine).get_table_names())
    assert not {n for n in names if n.startswith("compare_")}
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert not conn.execute(text(
                "SELECT name FROM sqlite_master WHERE name LIKE 'compare%'")).all()
        else:
            assert not conn.execute(text(
                "SELECT indexname FROM pg_indexes WHERE indexname LIKE 'compare%'")).all()
            assert not conn.execute(text(
                "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'compare%'")).all()
    db.upgrade(migrated_url)  # and back up: the index is rebuilt on first use
    assert len(_ids(sf, "首席服务员")) == 1
