"""Initial ledger schema: documents, tasks, units and aliases, task-unit roles,
people, API tokens and the change (audit) table.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0001'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('plan_key', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('version_of_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('format', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=True),
    sa.Column('issuer', sa.String(length=255), nullable=True),
    sa.Column('doc_number', sa.String(length=120), nullable=True),
    sa.Column('doc_date', sa.Date(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('region', sa.String(length=120), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('imported_by', sa.String(length=120), nullable=True),
    sa.ForeignKeyConstraint(['version_of_id'], ['document.id'], name=op.f('fk_document_version_of_id_document')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document')),
    sa.UniqueConstraint('plan_key', 'version', name='uq_document_plan_version'),
    sa.UniqueConstraint('sha256', name=op.f('uq_document_sha256'))
    )
    op.create_index('ix_document_doc_number', 'document', ['doc_number'], unique=False)
    op.create_index('ix_document_name', 'document', ['name'], unique=False)
    op.create_index('ix_document_title', 'document', ['title'], unique=False)
    op.create_table('unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['unit.id'], name=op.f('fk_unit_parent_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit')),
    sa.UniqueConstraint('name', name=op.f('uq_unit_name'))
    )
    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('office', 'liaison', 'leader', 'viewer')", name=op.f('ck_person_role')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_person_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    sa.UniqueConstraint('username', name=op.f('uq_person_username'))
    )
    op.create_index(op.f('ix_person_unit_id'), 'person', ['unit_id'], unique=False)
    op.create_table('task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('heading_path', sa.Text(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('end_line', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('leaders', sa.String(length=255), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('deadline_text', sa.String(length=255), nullable=True),
    sa.Column('ongoing', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('progress', sa.Text(), nullable=False),
    sa.Column('withdrawn', sa.Boolean(), nullable=False),
    sa.Column('rule', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('not_started', 'in_progress', 'done')", name=op.f('ck_task_status')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_task_document_id_document')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task'))
    )
    op.create_index('ix_task_deadline', 'task', ['deadline'], unique=False)
    op.create_index('ix_task_document_seq', 'task', ['document_id', 'seq'], unique=False)
    op.create_index('ix_task_status_deadline', 'task', ['status', 'deadline'], unique=False)
    op.create_table('unit_alias',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alias', sa.String(length=255), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_unit_alias_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_alias')),
    sa.UniqueConstraint('alias', name=op.f('uq_unit_alias_alias'))
    )
    op.create_index(op.f('ix_unit_alias_unit_id'), 'unit_alias', ['unit_id'], unique=False)
    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_api_token_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    op.create_index(op.f('ix_api_token_person_id'), 'api_token', ['person_id'], unique=False)
    op.create_table('change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=64), nullable=True),
    sa.Column('old', sa.Text(), nullable=True),
    sa.Column('new', sa.Text(), nullable=True),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_change_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change'))
    )
    op.create_index('ix_change_at', 'change', ['at'], unique=False)
    op.create_index('ix_change_entity', 'change', ['entity', 'entity_id', 'id'], unique=False)
    op.create_table('task_unit',
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('pos', sa.Integer(), nullable=False),
    sa.Column('surface', sa.String(length=255), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.CheckConstraint("role IN ('lead', 'co', 'internal')", name=op.f('ck_task_unit_role')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_task_unit_task_id_task'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_task_unit_unit_id_unit')),
    sa.PrimaryKeyConstraint('task_id', 'unit_id', name=op.f('pk_task_unit'))
    )
    op.create_index('ix_task_unit_unit_due', 'task_unit', ['unit_id', 'due', 'task_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_task_unit_unit_due', table_name='task_unit')
    op.drop_table('task_unit')
    op.drop_index('ix_change_entity', table_name='change')
    op.drop_index('ix_change_at', table_name='change')
    op.drop_table('change')
    op.drop_index(op.f('ix_api_token_person_id'), table_name='api_token')
    op.drop_table('api_token')
    op.drop_index(op.f('ix_unit_alias_unit_id'), table_name='unit_alias')
    op.drop_table('unit_alias')
    op.drop_index('ix_task_status_deadline', table_name='task')
    op.drop_index('ix_task_document_seq', table_name='task')
    op.drop_index('ix_task_deadline', table_name='task')
    op.drop_table('task')
    op.drop_index(op.f('ix_person_unit_id'), table_name='person')
    op.drop_table('person')
    op.drop_table('unit')
    op.drop_index('ix_document_title', table_name='document')
    op.drop_index('ix_document_name', table_name='document')
    op.drop_index('ix_document_doc_number', table_name='document')
    op.drop_table('document')
