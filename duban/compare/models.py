"""compare_document: what the compare package derives for each document —
the issuing region with its GB/T 2260 code, the document type and the issuer —
so search filters and the adoption matrix read a column instead of re-parsing.

A row is (re)made by index.describe_documents(), lazily for documents that
have none; the search structures themselves (FTS5 tables, GIN indexes, the
triggers that keep them in step) are derived data kept by index.py.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from duban.ledger.models import Base


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class CompareDocument(Base):
    """Derived metadata of one document (one row per document version)."""

    __tablename__ = "compare_document"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True)
    region_code: Mapped[str | None] = mapped_column(String(6))  # 410000, 411700
    region_name: Mapped[str | None] = mapped_column(String(60))  # 河南省, 驻马店市
    region_level: Mapped[str | None] = mapped_column(String(8))  # province | city | county
    province: Mapped[str | None] = mapped_column(String(60))
    city: Mapped[str | None] = mapped_column(String(60))
    doc_type: Mapped[str | None] = mapped_column(String(16))  # 方案, 清单, 意见…
    issuer: Mapped[str | None] = mapped_column(String(255))
    described_at: Mapped[dt.datetime] = mapped_column(default=_now)

    __table_args__ = (
        Index("ix_compare_document_region_code", "region_code"),
    )
