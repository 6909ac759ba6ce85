"""Migration 0004 creates the supervision tables and takes them away again."""

from sqlalchemy import inspect

from duban import db

TABLES = {"supervise_schedule", "supervise_cycle", "progress_report", "report_contribution",
          "evidence", "letter", "letter_task", "notification", "supervise_contact"}


def test_supervision_tables_up_and_down(db_url):
    db.upgrade(db_url)
    assert TABLES <= set(inspect(db.get_engine(db_url)).get_table_names())
    db.downgrade(db_url, "0003")
    assert not TABLES & set(inspect(db.get_engine(db_url)).get_table_names())
    db.upgrade(db_url)
    assert TABLES <= set(inspect(db.get_engine(db_url)).get_table_names())
