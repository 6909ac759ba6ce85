"""Fixtures for the compare tests: the whole shared corpus imported once per
database kind (SQLite file; PostgreSQL when $DUBAN_TEST_PG_URL is set), through
the real import flow. Tests on it only read; tests that write use the shared
`session_factory` fixture (an empty database each).

The corpus comes from tests/conftest.py's `corpus_dir` ($DUBAN_CORPUS, else
<repo>/../shared/corpus; missing → visible skip)."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
GOLD = HERE / "gold" / "similar_pairs.jsonl"
PG_URL = os.environ.get("DUBAN_TEST_PG_URL", "").strip()
PG_MISSING = "PostgreSQL NOT TESTED: DUBAN_TEST_PG_URL is not set"


@dataclass
class Corpus:
    url: str
    sf: object
    dir: Path
    files: list[Path]

    def text(self, name: str) -> str:
        """A corpus file's text as the ledger stored it."""
        from duban.ingest import read

        return read(self.dir / name).text


def _import_all(url: str, corpus_dir: Path) -> Corpus:
    from duban import db
    from duban.ledger.flows import import_document

    db.upgrade(url)
    sf = db.session_factory(url)
    files = sorted(corpus_dir.glob("*.txt"))
    assert files, f"no .txt files in {corpus_dir}"
    for path in files:
        import_document(path, session_factory=sf)
    from duban.compare import index

    with db.session_scope(sf) as session:  # build the search index once, for every test
        index.ready(session)
    return Corpus(url, sf, corpus_dir, files)


def _pg_admin(url: str):
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url).set(drivername="postgresql")
    return psycopg.connect(u.render_as_string(hide_password=False), autocommit=True)


@pytest.fixture(scope="session", params=[
    "sqlite",
    pytest.param("postgresql", marks=[pytest.mark.postgres,
                                      pytest.mark.skipif(not PG_URL, reason=PG_MISSING)]),
])
def corpus(request, corpus_dir, tmp_path_factory) -> Corpus:
    """Every corpus .txt file imported into one database."""
    from duban import db

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('compare') / 'corpus.db'}"
        yield _import_all(url, corpus_dir)
        db.get_engine(url).dispose()
        return
    from sqlalchemy.engine import make_url

    base = db.resolve_url(PG_URL)
    name = f"duban_cmp_{uuid.uuid4().hex[:10]}"
    with _pg_admin(base) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        yield _import_all(url, corpus_dir)
    finally:
        db.get_engine(url).dispose()
        with _pg_admin(base) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def session(corpus):
    """A session on the corpus database, rolled back afterwards."""
    with corpus.sf() as s:
        yield s
        s.rollback()


def task_at(session, doc: str, line: int) -> int:
    from duban.compare.evaluate import task_at as find

    task_id = find(session, doc, line)
    assert task_id is not None, f"no task at {doc}:{line}"
    return task_id
