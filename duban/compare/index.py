"""The search structures, kept in step with the ledger by the database itself.

SQLite: two contentless FTS5 tables with the `trigram` tokenizer (one for task
texts, one for document texts, rowid = task.id / document.id), an fts5vocab
table beside each (2-character terms are found through the trigrams that
start with them), and triggers on `task` and `document` that add, replace and
delete rows — so every writer (import, merge, web edits, xlsx corrections,
bulk loads) keeps the index exact without calling anything.

PostgreSQL: compare_task_tsv (task_id, grams = to_tsvector('simple', character
bigrams of the text)) with a GIN index, kept by a trigger on `task` (deletes
cascade); phrase queries of a term's bigrams match substrings, 2-character
terms are one bigram. The vector is stored, not an expression index, so the
recheck phrase queries need reads it instead of recomputing it, and ANALYZE
gives the planner real frequencies. Documents: a pg_trgm GIN index on the
squashed text.

None of this is in an Alembic revision: Alembic cannot describe virtual tables,
triggers, or indexes and tables hanging off other packages' tables, and its
models-match-migrations check would see them as strays. They are derived data:
`ensure(session)` creates whatever is missing (and fills it) on first use,
`rebuild(session)` remakes them; compare_document (real schema) is Alembic's.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from duban.compare import regions
from duban.compare.models import CompareDocument
from duban.errors import DubanError
from duban.ledger.models import Document

log = logging.getLogger(__name__)

SENTINEL = "\x1f"  # ends every SQLite body, so a term at the very end still starts a trigram
# Squashed text in SQL: the whitespace text.WHITESPACE lists, removed.
_SQL_SQUASH = ("replace(replace(replace(replace(replace({col}, char(10), ''), char(13), ''), "
               "char(9), ''), ' ', ''), char(12288), '')")
_SQLITE_TABLES = {"task": ("compare_task_fts", "compare_task_vocab", "task"),
                  "document": ("compare_doc_fts", "compare_doc_vocab", "doc")}
PG_TASK_TABLE = "compare_task_tsv"  # task_id, grams (bigram tsvector), kept by a trigger
PG_TASK_INDEX = "compare_task_tsv_gin"
PG_SYNC = "compare_task_tsv_sync"  # the trigger and its function
PG_DOC_INDEX = "compare_document_trgm"
PG_GRAMS = "compare_grams_v1"
PG_SQUASH = "compare_squash_v1"


def dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def sqlite_body(column: str) -> str:
    return _SQL_SQUASH.format(col=column) + " || char(31)"


def _sqlite_objects() -> list[str]:
    names = []
    for fts, vocab, short in _SQLITE_TABLES.values():
        names += [fts, vocab] + [f"compare_{short}_{op}" for op in ("ai", "ad", "au")]
    return names


def _sqlite_ddl(table: str) -> list[str]:
    fts, vocab, short = _SQLITE_TABLES[table]
    new, old = sqlite_body("new.text"), sqlite_body("old.text")
    insert = f"INSERT INTO {fts}(rowid, body) VALUES (new.id, {new});"
    delete = f"INSERT INTO {fts}({fts}, rowid, body) VALUES ('delete', old.id, {old});"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5(body, tokenize='trigram', content='', columnsize=0)",
        f"CREATE VIRTUAL TABLE {vocab} USING fts5vocab({fts}, 'row')",
        f"CREATE TRIGGER compare_{short}_ai AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER compare_{short}_ad AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER compare_{short}_au AFTER UPDATE OF text ON {table} BEGIN {delete} {insert} END",
        f"INSERT INTO {fts}(rowid, body) SELECT id, {sqlite_body('text')} FROM {table}",
    ]


def drop_sqlite(session_or_conn) -> None:
    """Remove the SQLite search structures (triggers first)."""
    for fts, vocab, short in _SQLITE_TABLES.values():
        for op in ("ai", "ad", "au"):
            session_or_conn.execute(text(f"DROP TRIGGER IF EXISTS compare_{short}_{op}"))
        session_or_conn.execute(text(f"DROP TABLE IF EXISTS {vocab}"))
        session_or_conn.execute(text(f"DROP TABLE IF EXISTS {fts}"))


def _ensure_sqlite(session: Session, rebuild: bool) -> bool:
    wanted = _sqlite_objects()
    have = set(session.scalars(text(
        "SELECT name FROM sqlite_master WHERE name IN (" + ", ".join(f"'{n}'" for n in wanted) + ")")))
    if not rebuild and have == set(wanted):
        return False
    log.info("building the SQLite search index")
    drop_sqlite(session)
    for table in _SQLITE_TABLES:
        for statement in _sqlite_ddl(table):
            session.execute(text(statement))
    return True


PG_FUNCTIONS = [
    # Squashed text: whitespace removed, lower-cased (same as text.squash()).
    f"""CREATE OR REPLACE FUNCTION {PG_SQUASH}(t text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT lower(regexp_replace(t, '[\\n\\r\\t \\u3000]+', '', 'g')) $$""",
    # Character bigrams of each run of letters/digits/CJK, one token each:
    # '一业一证' -> '一业 业一 一证'; a phrase query of a term's bigrams is a substring match.
    # (Pairs of array elements, not substr() in a loop: substr is O(position) on UTF-8.)
    f"""CREATE OR REPLACE FUNCTION {PG_GRAMS}(t text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT coalesce(string_agg(a || b, ' '), '')
              FROM (SELECT unnest(x[1:cardinality(x) - 1]) AS a, unnest(x[2:cardinality(x)]) AS b
                    FROM (SELECT regexp_split_to_array(regexp_replace({PG_SQUASH}(t),
                                 '[^[:alnum:]]+', ' ', 'g'), '') AS x) AS s) AS pairs
              WHERE a <> ' ' AND b <> ' ' $$""",
    # Keeps compare_task_tsv in step with task (deletes cascade through the foreign key).
    f"""CREATE OR REPLACE FUNCTION {PG_SYNC}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO {PG_TASK_TABLE} (task_id, grams)
          VALUES (NEW.id, to_tsvector('simple'::regconfig, {PG_GRAMS}(NEW.text)))
          ON CONFLICT (task_id) DO UPDATE SET grams = EXCLUDED.grams;
          RETURN NULL;
        END $$""",
]
_PG_BUILD = [
    f"CREATE TABLE {PG_TASK_TABLE} (task_id integer PRIMARY KEY"
    f" REFERENCES task (id) ON DELETE CASCADE, grams tsvector NOT NULL)",
    f"CREATE TRIGGER {PG_SYNC} AFTER INSERT OR UPDATE OF text ON task"
    f" FOR EACH ROW EXECUTE FUNCTION {PG_SYNC}()",
    f"INSERT INTO {PG_TASK_TABLE} (task_id, grams) SELECT id,"
    f" to_tsvector('simple'::regconfig, {PG_GRAMS}(text)) FROM task",
    f"CREATE INDEX {PG_TASK_INDEX} ON {PG_TASK_TABLE} USING gin (grams)",
    f"ANALYZE {PG_TASK_TABLE}",
]


def _ensure_pg(session: Session, rebuild: bool) -> bool:
    have = session.execute(text(
        "SELECT (SELECT count(*) FROM pg_indexes WHERE indexname = :i),"
        " (SELECT count(*) FROM pg_trigger WHERE tgname = :t AND NOT tgisinternal)"),
        {"i": PG_TASK_INDEX, "t": PG_SYNC}).one()
    if not rebuild and tuple(have) == (1, 1):
        return False
    log.info("building the PostgreSQL search index")
    drop_pg(session)
    for statement in PG_FUNCTIONS + _PG_BUILD:
        session.execute(text(statement))
    try:  # pg_trgm is a trusted contrib extension; without it documents are scanned
        with session.begin_nested():
            session.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            session.execute(text(f"CREATE INDEX IF NOT EXISTS {PG_DOC_INDEX} ON document "
                                 f"USING gin ({PG_SQUASH}(text) gin_trgm_ops)"))
    except Exception as e:  # noqa: BLE001 - a missing contrib package is not fatal
        log.warning("no trigram index on documents (pg_trgm unavailable): %s", e)
    return True


def drop_pg(session_or_conn) -> None:
    """Remove the PostgreSQL search structures (the functions stay: harmless)."""
    session_or_conn.execute(text(f"DROP TRIGGER IF EXISTS {PG_SYNC} ON task"))
    session_or_conn.execute(text(f"DROP TABLE IF EXISTS {PG_TASK_TABLE}"))
    session_or_conn.execute(text(f"DROP INDEX IF EXISTS {PG_DOC_INDEX}"))


def ensure(session: Session, *, rebuild: bool = False) -> bool:
    """Create (and fill) missing search structures; True if anything was built."""
    kind = dialect(session)
    if kind == "sqlite":
        return _ensure_sqlite(session, rebuild)
    if kind == "postgresql":
        return _ensure_pg(session, rebuild)
    return False  # other databases: search falls back to scanning


# ---- derived document metadata ---------------------------------------------

def describe(doc: Document) -> CompareDocument:
    """Region, type and issuer of one document (the text is read only when the
    issuer, title and 文号 name no region)."""
    try:
        region = regions.document_region(region=doc.region, issuer=doc.issuer, title=doc.title,
                                         doc_number=doc.doc_number, text=None)
        if region is None:
            region = regions.majority_province(doc.text)
    except DubanError as e:  # no region table: search still works, regions stay empty
        log.warning("document %s: %s", doc.id, e)
        region = None
    return CompareDocument(
        document_id=doc.id, region_code=region.code if region else None,
        region_name=region.name if region else None, region_level=region.level if region else None,
        province=region.province if region else None, city=region.city if region else None,
        doc_type=regions.document_type(doc.title),
        issuer=(doc.issuer or regions.issuer_from_title(doc.title) or None),
        described_at=dt.datetime.now(dt.timezone.utc))


def describe_documents(session: Session, ids: list[int] | None = None) -> int:
    """(Re)describe the given documents, or every document that has no row yet."""
    if ids is None:
        ids = list(session.scalars(
            select(Document.id).outerjoin(CompareDocument, CompareDocument.document_id == Document.id)
            .where(CompareDocument.document_id.is_(None))))
    for doc_id in ids:
        doc = session.get(Document, doc_id)
        if doc is None:
            continue
        row = describe(doc)
        existing = session.get(CompareDocument, doc_id)
        if existing is not None:
            session.delete(existing)
            session.flush()
        session.add(row)
    if ids:
        session.flush()
    return len(ids)


def ready(session: Session) -> None:
    """What every search calls first: structures present, documents described."""
    ensure(session)
    describe_documents(session)


def index_document(document_id: int, *, session: Session) -> None:
    """The hook for the import flow: after a document is stored, describe it
    (the triggers / expression indexes have already indexed its text)."""
    ensure(session)
    describe_documents(session, [document_id])


def rebuild(session: Session) -> int:
    """Remake every search structure and every document's description."""
    ensure(session, rebuild=True)
    ids = list(session.scalars(select(Document.id)))
    return describe_documents(session, ids)
