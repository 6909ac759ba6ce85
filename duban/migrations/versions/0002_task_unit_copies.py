"""task_unit carries copies of its task's status and withdrawn flag, so a
unit's open-task count and status-filtered pages read only the unit's index.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: Union[str, Sequence[str], None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("task_unit") as batch:
        batch.add_column(sa.Column("status", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("withdrawn", sa.Boolean(), nullable=True))
    # Existing rows take their task's values before the columns become NOT NULL.
    op.execute("UPDATE task_unit SET"
               " status = (SELECT task.status FROM task WHERE task.id = task_unit.task_id),"
               " withdrawn = (SELECT task.withdrawn FROM task WHERE task.id = task_unit.task_id)")
    with op.batch_alter_table("task_unit") as batch:
        batch.alter_column("status", existing_type=sa.String(length=16), nullable=False)
        batch.alter_column("withdrawn", existing_type=sa.Boolean(), nullable=False)
        batch.create_index("ix_task_unit_unit_open", ["unit_id", "withdrawn", "status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("task_unit") as batch:
        batch.drop_index("ix_task_unit_unit_open")
        batch.drop_column("withdrawn")
        batch.drop_column("status")
