"""The schema is Alembic's: an empty database reaches head, and the models and
the migrations describe exactly the same tables."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from duban import db
TABLES = {"document", "task", "unit", "unit_alias", "task_unit", "unit_task_count", "person", "api_token",
          "change"}


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
    assert cols["ix_task_unit_unit_due"] == ["unit_id", "withdrawn", "due", "task_id"]
    assert cols["ix_task_unit_unit_state"] == ["unit_id", "withdrawn", "status", "due"]
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


def test_unit_task_count_is_filled_and_kept_by_triggers(db_url):
    """0006 counts the assignments already there, then its triggers follow every
    write to task_unit, whoever makes it (here plain SQL, no ORM)."""
    from sqlalchemy import text

    from .helpers import assert_kept_counts

    now = {"now": "2025-01-01 00:00:00"}
    db.upgrade(db_url, "0005")
    with db.get_engine(db_url).begin() as conn:
        conn.execute(text("INSERT INTO document (id, sha256, plan_key, version, name, format, text,"
                          " imported_at) VALUES (1, 'h', 'h', 1, 'a.txt', 'txt', 't', :now)"), now)
        for uid in (1, 2):
            conn.execute(text("INSERT INTO unit (id, name, created_at) VALUES (:id, :name, :now)"),
                         {"id": uid, "name": f"U{uid}", **now})
        for tid in (1, 2, 3):
            conn.execute(text(
                "INSERT INTO task (id, document_id, seq, heading_path, line, end_line, text, leaders,"
                " ongoing, status, progress, withdrawn, rule, created_at, updated_at) VALUES"
                " (:id, 1, :id, '', 1, 1, 'x', '', false, 'not_started', '', false, '', :now, :now)"),
                {"id": tid, **now})
            conn.execute(text("INSERT INTO task_unit (task_id, unit_id, role, pos, surface, due, status,"
                              " withdrawn) VALUES (:id, 1, 'lead', 0, 'U1', '9999-12-31', 'not_started',"
                              " false)"), {"id": tid})
    db.upgrade(db_url)
    sf = db.session_factory(db_url)
    count = "SELECT n FROM unit_task_count WHERE unit_id = 1 AND withdrawn = false AND status = :s"
    with db.get_engine(db_url).begin() as conn:
        assert conn.execute(text(count), {"s": "not_started"}).scalar() == 3
        conn.execute(text("UPDATE task_unit SET status = 'done' WHERE task_id = 1"))
        conn.execute(text("UPDATE task_unit SET withdrawn = true WHERE task_id = 2"))
        conn.execute(text("UPDATE task_unit SET unit_id = 2 WHERE task_id = 3"))
        conn.execute(text("UPDATE task_unit SET pos = 5"))  # no counted column: nothing moves
        assert conn.execute(text(count), {"s": "done"}).scalar() == 1
    assert_kept_counts(sf)
    with db.get_engine(db_url).begin() as conn:
        conn.execute(text("DELETE FROM task_unit WHERE task_id = 1"))
        conn.execute(text("INSERT INTO task_unit (task_id, unit_id, role, pos, surface, due, status,"
                          " withdrawn) VALUES (1, 2, 'co', 0, 'U2', '9999-12-31', 'in_progress', false)"))
    assert_kept_counts(sf)
    db.downgrade(db_url, "0005")
    assert "unit_task_count" not in inspect(db.get_engine(db_url)).get_table_names()
    with db.get_engine(db_url).begin() as conn:  # no trigger left behind to write into a missing table
        conn.execute(text("UPDATE task_unit SET status = 'done'"))
