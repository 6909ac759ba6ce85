from pathlib import Path

import pytest

from duban import db
from duban.errors import DubanError


def test_url_resolution_order(monkeypatch, tmp_path):
    monkeypatch.delenv("DUBAN_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    assert db.resolve_url(None) == "sqlite:///duban.db"
    monkeypatch.setenv("DUBAN_DB", "sqlite:////tmp/env.db")
    assert db.resolve_url(None) == "sqlite:////tmp/env.db"
    assert db.resolve_url("sqlite:////tmp/opt.db") == "sqlite:////tmp/opt.db"


def test_bare_path_is_sqlite(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert db.resolve_url("ledger.db") == f"sqlite:///{tmp_path / 'ledger.db'}"
    assert db.resolve_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"


def test_sqlite_pragmas(tmp_path):
    url = db.resolve_url(str(tmp_path / "x.db"))
    with db.make_engine(url).connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_missing_directory_is_one_line_error(tmp_path):
    with pytest.raises(DubanError, match="does not exist"):
        db.upgrade(db.resolve_url(str(tmp_path / "no" / "such" / "x.db")))


def test_migrations_ship_inside_the_package():
    assert (Path(db.__file__).parent / "migrations" / "env.py").is_file()
    assert db.MIGRATIONS_DIR.is_relative_to(Path(db.__file__).parent)
