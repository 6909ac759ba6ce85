"""Where the ledger lives and how to open it.

An embedded SQLite file is the default (the way Datasette treats a .db file);
any SQLAlchemy URL works, PostgreSQL being the shared-server deployment. The
schema is owned by Alembic: `upgrade(url)` brings any database to head, and the
CLI and the web app call it on start so a new file just works.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from duban.errors import DubanError

DEFAULT_URL = "sqlite:///duban.db"
ENV_VAR = "DUBAN_DB"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def resolve_url(option: str | None = None) -> str:
    """--db option > $DUBAN_DB > ./duban.db. A bare file path means SQLite."""
    raw = option or os.environ.get(ENV_VAR) or DEFAULT_URL
    raw = raw.strip()
    if "://" not in raw:
        # A plain path: users type `--db ledger.db`, not a URL.
        return "sqlite:///" + str(Path(raw).expanduser().resolve())
    if raw.startswith("postgresql://") or raw.startswith("postgres://"):
        # psycopg 3 is the driver we ship; the bare scheme would ask for psycopg2.
        raw = "postgresql+psycopg://" + raw.split("://", 1)[1]
    return raw


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # Foreign keys are off by default in SQLite; WAL lets the web app read
    # while an import writes; NORMAL sync is safe under WAL and much faster.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def make_engine(url: str, **kwargs) -> Engine:
    """A new engine for `url` (already resolved), with SQLite set up properly."""
    is_sqlite = url.startswith("sqlite")
    if is_sqlite:
        _ensure_sqlite_dir(url)
        kwargs.setdefault("connect_args", {}).setdefault("check_same_thread", False)
    else:
        kwargs.setdefault("pool_pre_ping", True)
    try:
        engine = create_engine(url, **kwargs)
    except Exception as e:  # bad URL, unknown driver: a user error, one line
        raise DubanError(f"cannot open database {url!r}: {e}") from None
    if is_sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _ensure_sqlite_dir(url: str) -> None:
    path = url.split(":///", 1)[-1] if ":///" in url else ""
    if path and path != ":memory:" and not path.startswith("file:"):
        parent = Path(path).parent
        if not parent.exists():
            raise DubanError(f"cannot create database {path}: directory {parent} does not exist")


@lru_cache(maxsize=16)
def get_engine(url: str) -> Engine:
    """One shared engine per URL for a process (CLI, web app)."""
    return make_engine(url)


def session_factory(url_or_engine: str | Engine) -> sessionmaker[Session]:
    engine = get_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
    # expire_on_commit=False: callers render objects after the transaction ends.
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error."""
    with factory() as session, session.begin():
        yield session


def metadata():
    """The tables of every domain. Domains put their tables on the ledger's
    Base in duban/<domain>/models.py; importing each such module registers
    them, so Alembic (and the models-match-migrations test) sees all."""
    import importlib
    import importlib.util
    import pkgutil

    import duban

    for mod in pkgutil.iter_modules(duban.__path__):
        name = f"duban.{mod.name}.models"
        if mod.ispkg and importlib.util.find_spec(name) is not None:
            importlib.import_module(name)
    from duban.ledger.models import Base

    return Base.metadata


def alembic_config(url: str):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    # '%' must be escaped for ConfigParser interpolation (passwords, options).
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head", *, engine: Engine | None = None) -> None:
    """Bring the database at `url` to `revision` (head by default)."""
    _migrate(url, "upgrade", revision, engine)


def downgrade(url: str, revision: str, *, engine: Engine | None = None) -> None:
    """Take the database at `url` back to `revision` ("base" drops everything)."""
    _migrate(url, "downgrade", revision, engine)


def _migrate(url: str, direction: str, revision: str, engine: Engine | None) -> None:
    from alembic import command

    cfg = alembic_config(url)
    eng = engine or get_engine(url)
    try:
        with eng.begin() as conn:
            cfg.attributes["connection"] = conn
            getattr(command, direction)(cfg, revision)
    except DubanError:
        raise
    except Exception as e:
        if type(e).__module__.startswith(("sqlalchemy", "psycopg", "sqlite3")):
            raise DubanError(f"cannot open database {url}: {_first_line(e)}") from e
        raise


def current_revision(url: str, *, engine: Engine | None = None) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with (engine or get_engine(url)).connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _first_line(e: BaseException) -> str:
    text = str(getattr(e, "orig", None) or e).strip()
    return text.splitlines()[0] if text else type(e).__name__
