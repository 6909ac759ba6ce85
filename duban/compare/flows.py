"""Multi-step compare work: reindexing, and the hook the import flow calls.

The ledger's import flow stores a document in its own transaction; afterwards
it (or the CLI/web code around it) should call

    from duban.compare.flows import after_import
    after_import(result.document_id, session_factory=sf)

which describes the new document (region code, type, issuer). The text itself
is indexed by the database as the rows are written (index.py), and a search
describes any document still undescribed, so a missed call only delays the work.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session, sessionmaker

from duban import db
from duban.compare import index

log = logging.getLogger(__name__)


def reindex(session: Session) -> int:
    """Rebuild every search structure and re-describe every document; returns
    the number of documents described."""
    return index.rebuild(session)


def index_document(document_id: int, *, session: Session) -> None:
    """Describe one (new or revised) document and make sure the index exists."""
    index.index_document(document_id, session=session)


def after_import(document_id: int, *, session_factory: sessionmaker[Session]) -> None:
    """The import hook, in a transaction of its own. Never fails the import:
    a problem is logged and the next search catches up."""
    try:
        with db.session_scope(session_factory) as session:
            index.index_document(document_id, session=session)
    except Exception:  # noqa: BLE001 - indexing is derived work; the import stands
        log.warning("could not index document %s after import", document_id, exc_info=True)
