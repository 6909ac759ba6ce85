"""The schema is Alembic's: an empty database reaches head, and the models and
the migrations describe exactly the same tables."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from duban import db
TABLES = {"document", "task", "unit", "unit_alias", "task_unit", "person", "api_token", "change"}


def test_empty_database_upgrades_to_head(db_url):
    assert db.current_revision(db_url) is None
    db.upgrade(db_url)
    head = ScriptDirectory.from_config(db.alembic_config(db_url)).get_current_head()
    assert db.current_revision(db_url) == head
    names = set(inspect(db.get_engine(db_url)).get_table_names())
    assert TABLES <= names


def test_models_match_migrations(db_url):
    db.upgrade(db_url)
    with db.get_engine(db_url).connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True,
                                                     "compare_server_default": True})
        assert compare_metadata(ctx, db.metadata()) == []


def test_upgrade_is_idempotent_and_downgrade_removes_everything(db_url):
    db.upgrade(db_url)
    db.upgrade(db_url)
    db.downgrade(db_url, "base")
    names = set(inspect(db.get_engine(db_url)).get_table_names())
    assert not (TABLES & names)


def test_indexes_for_the_big_queries(migrated_url):
    insp = inspect(db.get_engine(migrated_url))
    cols = {ix["name"]: ix["column_names"] for t in ("task", "task_unit")
            for ix in insp.get_indexes(t)}
    assert cols["ix_task_unit_unit_due"] == ["unit_id", "due", "task_id"]
    assert cols["ix_task_deadline"] == ["deadline"]
    assert cols["ix_task_status_deadline"] == ["status", "deadline"]
    assert cols["ix_task_document_seq"] == ["document_id", "seq"]


def test_upgrade_from_0001_keeps_and_copies_data(db_url):
    """A ledger created at 0001 gets task_unit's copies filled from its tasks."""
    from sqlalchemy import text

    db.upgrade(db_url, "0001")
    with db.get_engine(db_url).begin() as conn:
        conn.execute(text("INSERT INTO document (id, sha256, plan_key, version, name, format, text,"
                          " imported_at) VALUES (1, 'h', 'h', 1, 'a.txt', 'txt', 't', :now)"),
                     {"now": "2025-01-01 00:00:00"})
        conn.execute(text("INSERT INTO unit (id, name, created_at) VALUES (1, 'U', :now)"),
                     {"now": "2025-01-01 00:00:00"})
        conn.execute(text(
            "INSERT INTO task (id, document_id, seq, heading_path, line, end_line, text, leaders,"
            " ongoing, status, progress, withdrawn, rule, created_at, updated_at) VALUES"
            " (1, 1, 1, '', 1, 1, 'x', '', false, 'done', '', true, '', :now, :now)"),
            {"now": "2025-01-01 00:00:00"})
        conn.execute(text("INSERT INTO task_unit (task_id, unit_id, role, pos, surface, due)"
                          " VALUES (1, 1, 'lead', 0, 'U', '9999-12-31')"))
    db.upgrade(db_url)
    with db.get_engine(db_url).connect() as conn:
        row = conn.execute(text("SELECT status, withdrawn FROM task_unit")).one()
    assert row[0] == "done" and bool(row[1]) is True
