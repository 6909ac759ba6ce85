"""Unit page at scale: a trigger-kept count of each unit's tasks by status, and
task_unit indexes that lead with (unit_id, withdrawn).

- unit_task_count(unit_id, withdrawn, status, n): the unit page header and the
  page count of a unit's task list read one row per status instead of counting
  every assignment (the biggest unit of a million-task ledger has ~225,000).
  Triggers on task_unit keep it exact whatever writes the rows (the ORM, the
  bulk loaders in bench/, a manual UPDATE), on SQLite and PostgreSQL alike.
- ix_task_unit_unit_due becomes (unit_id, withdrawn, due, task_id): every list
  of a unit's live tasks filters withdrawn = false, so with withdrawn second the
  index walks the list in deadline order without a sort.
- ix_task_unit_unit_open becomes ix_task_unit_unit_state (unit_id, withdrawn,
  status, due): overdue and due-soon counts are index range scans.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: Union[str, Sequence[str], None] = "0005"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# SQLite: row-level triggers (the only kind it has); its rows are updated in
# place, so a bulk load costs one small upsert per row.
_ADD = ("INSERT INTO unit_task_count (unit_id, withdrawn, status, n) VALUES ({r}.unit_id, {r}.withdrawn, "
        "{r}.status, 1) ON CONFLICT (unit_id, withdrawn, status) DO UPDATE SET n = unit_task_count.n + 1")
_SUB = ("UPDATE unit_task_count SET n = n - 1 WHERE unit_id = {r}.unit_id AND withdrawn = {r}.withdrawn "
        "AND status = {r}.status")
_CHANGED = ("old.unit_id <> new.unit_id OR old.withdrawn <> new.withdrawn OR old.status <> new.status")

SQLITE_TRIGGERS = [
    f"CREATE TRIGGER unit_task_count_ins AFTER INSERT ON task_unit BEGIN {_ADD.format(r='new')}; END",
    f"CREATE TRIGGER unit_task_count_del AFTER DELETE ON task_unit BEGIN {_SUB.format(r='old')}; END",
    f"CREATE TRIGGER unit_task_count_upd AFTER UPDATE OF unit_id, withdrawn, status ON task_unit "
    f"WHEN {_CHANGED} BEGIN {_SUB.format(r='old')}; {_ADD.format(r='new')}; END",
]

# PostgreSQL: statement-level triggers over transition tables, one upsert per
# (unit, withdrawn, status) group and statement. A row-level upsert would write
# a new version of the same counter row for every assignment of a bulk load,
# and in one transaction those versions pile up (measured: a 2.25M-row COPY
# still running after 13 minutes). Keys in order so concurrent writers lock
# counter rows in the same order.
_PG_UPSERT = ("INSERT INTO unit_task_count (unit_id, withdrawn, status, n) {rows} "
              "ON CONFLICT (unit_id, withdrawn, status) DO UPDATE SET n = unit_task_count.n + excluded.n")
_PG_GROUP = "SELECT unit_id, withdrawn, status, {n} FROM {src} GROUP BY 1, 2, 3"
PG_FUNCTION = f"""
CREATE FUNCTION unit_task_count_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {_PG_UPSERT.format(rows=_PG_GROUP.format(n="count(*)", src="new_rows") + " ORDER BY 1, 2, 3")};
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE unit_task_count c SET n = c.n - d.n
        FROM ({_PG_GROUP.format(n="count(*) AS n", src="old_rows")}) d
        WHERE c.unit_id = d.unit_id AND c.withdrawn = d.withdrawn AND c.status = d.status;
    ELSE
        {_PG_UPSERT.format(rows=_PG_GROUP.format(
            n="sum(k)", src="(SELECT unit_id, withdrawn, status, 1 AS k FROM new_rows UNION ALL "
                            "SELECT unit_id, withdrawn, status, -1 FROM old_rows) AS moved")
            + " HAVING sum(k) <> 0 ORDER BY 1, 2, 3")};
    END IF;
    RETURN NULL;
END $$"""
# One trigger per event: PostgreSQL allows transition tables only on single-event triggers.
PG_TRIGGERS = [
    "CREATE TRIGGER unit_task_count_ins AFTER INSERT ON task_unit REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION unit_task_count_keep()",
    "CREATE TRIGGER unit_task_count_del AFTER DELETE ON task_unit REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION unit_task_count_keep()",
    "CREATE TRIGGER unit_task_count_upd AFTER UPDATE ON task_unit "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION unit_task_count_keep()",
]


def upgrade() -> None:
    op.create_table(
        "unit_task_count",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_unit_task_count_unit_id_unit")),
        sa.PrimaryKeyConstraint("unit_id", "withdrawn", "status", name=op.f("pk_unit_task_count")),
    )
    op.execute("INSERT INTO unit_task_count (unit_id, withdrawn, status, n) "
               "SELECT unit_id, withdrawn, status, count(*) FROM task_unit GROUP BY unit_id, withdrawn, status")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        for sql in PG_TRIGGERS:
            op.execute(sql)
    else:
        for sql in SQLITE_TRIGGERS:
            op.execute(sql)
    op.create_index("ix_task_unit_unit_state", "task_unit", ["unit_id", "withdrawn", "status", "due"])
    op.drop_index("ix_task_unit_unit_open", table_name="task_unit")
    op.drop_index("ix_task_unit_unit_due", table_name="task_unit")
    op.create_index("ix_task_unit_unit_due", "task_unit", ["unit_id", "withdrawn", "due", "task_id"])


def downgrade() -> None:
    op.drop_index("ix_task_unit_unit_due", table_name="task_unit")
    op.create_index("ix_task_unit_unit_due", "task_unit", ["unit_id", "due", "task_id"])
    op.create_index("ix_task_unit_unit_open", "task_unit", ["unit_id", "withdrawn", "status"])
    op.drop_index("ix_task_unit_unit_state", table_name="task_unit")
    if op.get_bind().dialect.name == "postgresql":
        for name in ("ins", "del", "upd"):
            op.execute(f"DROP TRIGGER unit_task_count_{name} ON task_unit")
        op.execute("DROP FUNCTION unit_task_count_keep()")
    else:
        for name in ("ins", "del", "upd"):
            op.execute(f"DROP TRIGGER unit_task_count_{name}")
    op.drop_table("unit_task_count")
