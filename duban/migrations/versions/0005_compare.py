"""Compare across regions: compare_document (each document's region with its
GB/T 2260 code, document type, issuer).

The search structures (SQLite FTS5 tables and triggers; PostgreSQL
compare_task_tsv with its trigger and GIN indexes) are derived data that duban.compare.index creates on first use;
downgrading removes them too, so nothing of the compare package stays behind.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: Union[str, Sequence[str], None] = "0004"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "compare_document",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=True),
        sa.Column("region_name", sa.String(length=60), nullable=True),
        sa.Column("region_level", sa.String(length=8), nullable=True),
        sa.Column("province", sa.String(length=60), nullable=True),
        sa.Column("city", sa.String(length=60), nullable=True),
        sa.Column("doc_type", sa.String(length=16), nullable=True),
        sa.Column("issuer", sa.String(length=255), nullable=True),
        sa.Column("described_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"],
                                name=op.f("fk_compare_document_document_id_document"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_compare_document")),
    )
    op.create_index("ix_compare_document_region_code", "compare_document", ["region_code"],
                    unique=False)


def downgrade() -> None:
    # The derived search structures first (what duban.compare.index makes).
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for short, fts in (("task", "compare_task_fts"), ("doc", "compare_doc_fts")):
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS compare_{short}_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS compare_{short}_vocab")
            op.execute(f"DROP TABLE IF EXISTS {fts}")
    elif bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS compare_task_tsv_sync ON task")
        op.execute("DROP TABLE IF EXISTS compare_task_tsv")
        op.execute("DROP INDEX IF EXISTS compare_document_trgm")
        op.execute("DROP FUNCTION IF EXISTS compare_task_tsv_sync()")
        op.execute("DROP FUNCTION IF EXISTS compare_grams_v1(text)")
        op.execute("DROP FUNCTION IF EXISTS compare_squash_v1(text)")
    op.drop_index("ix_compare_document_region_code", table_name="compare_document")
    op.drop_table("compare_document")
