"""Supervision: reporting schedules and cycles, progress reports with evidence and
co-unit contributions, letters (提示函/督办函) with the tasks they name,
notifications (in-app and e-mail outbox), people's e-mail addresses.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('supervise_schedule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_key', sa.String(length=64), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('day', sa.Integer(), nullable=False),
    sa.Column('once_due', sa.Date(), nullable=True),
    sa.Column('start_period', sa.String(length=16), nullable=False),
    sa.Column('reply_days', sa.Integer(), nullable=False),
    sa.Column('due_soon_days', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('monthly', 'quarterly', 'once')", name=op.f('ck_supervise_schedule_kind')),
    sa.CheckConstraint('day BETWEEN 1 AND 31', name=op.f('ck_supervise_schedule_day')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervise_schedule')),
    sa.UniqueConstraint('plan_key', name=op.f('uq_supervise_schedule_plan_key'))
    )
    op.create_table('supervise_cycle',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('schedule_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['schedule_id'], ['supervise_schedule.id'], name=op.f('fk_supervise_cycle_schedule_id_supervise_schedule')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervise_cycle')),
    sa.UniqueConstraint('schedule_id', 'period', name='uq_supervise_cycle_period')
    )
    with op.batch_alter_table('supervise_cycle', schema=None) as batch_op:
        batch_op.create_index('ix_supervise_cycle_due', ['due'], unique=False)

    op.create_table('letter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('task_count', sa.Integer(), nullable=False),
    sa.Column('cc', sa.Text(), nullable=False),
    sa.Column('reply_due', sa.Date(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('path', sa.String(length=500), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('reminder', 'supervision')", name=op.f('ck_letter_kind')),
    sa.ForeignKeyConstraint(['cycle_id'], ['supervise_cycle.id'], name=op.f('fk_letter_cycle_id_supervise_cycle')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_letter_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter')),
    sa.UniqueConstraint('kind', 'year', 'seq', name='uq_letter_kind_year_seq'),
    sa.UniqueConstraint('unit_id', 'cycle_id', name='uq_letter_unit_cycle')
    )
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.create_index('ix_letter_cycle', ['cycle_id'], unique=False)

    op.create_table('progress_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('progress', sa.Text(), nullable=False),
    sa.Column('percent', sa.Integer(), nullable=True),
    sa.Column('milestone', sa.String(length=255), nullable=True),
    sa.Column('problems', sa.Text(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('review_note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'returned', 'accepted', 'approved')", name=op.f('ck_progress_report_status')),
    sa.CheckConstraint('percent IS NULL OR percent BETWEEN 0 AND 100', name=op.f('ck_progress_report_percent')),
    sa.ForeignKeyConstraint(['cycle_id'], ['supervise_cycle.id'], name=op.f('fk_progress_report_cycle_id_supervise_cycle')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_progress_report_person_id_person')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['person.id'], name=op.f('fk_progress_report_reviewer_id_person')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_progress_report_task_id_task'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_progress_report_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_report')),
    sa.UniqueConstraint('task_id', 'cycle_id', name='uq_progress_report_task_cycle')
    )
    with op.batch_alter_table('progress_report', schema=None) as batch_op:
        batch_op.create_index('ix_progress_report_cycle_status', ['cycle_id', 'status'], unique=False)
        batch_op.create_index('ix_progress_report_unit_cycle', ['unit_id', 'cycle_id'], unique=False)

    op.create_table('supervise_contact',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_supervise_contact_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_supervise_contact'))
    )
    op.create_table('evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('path', sa.String(length=255), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('pdf', 'docx', 'xlsx', 'png', 'jpg')", name=op.f('ck_evidence_kind')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_evidence_person_id_person')),
    sa.ForeignKeyConstraint(['report_id'], ['progress_report.id'], name=op.f('fk_evidence_report_id_progress_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence'))
    )
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_report_id'), ['report_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_sha256'), ['sha256'], unique=False)

    op.create_table('letter_task',
    sa.Column('letter_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['letter_id'], ['letter.id'], name=op.f('fk_letter_task_letter_id_letter'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_letter_task_task_id_task'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('letter_id', 'task_id', name=op.f('pk_letter_task'))
    )
    with op.batch_alter_table('letter_task', schema=None) as batch_op:
        batch_op.create_index('ix_letter_task_task', ['task_id'], unique=False)

    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('letter_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('email', sa.String(length=255), nullable=True),
    sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('email_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['letter_id'], ['letter.id'], name=op.f('fk_notification_letter_id_letter'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_notification_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index('ix_notification_outbox', ['emailed_at', 'email'], unique=False)
        batch_op.create_index('ix_notification_person', ['person_id', 'read_at'], unique=False)

    op.create_table('report_contribution',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['progress_report.id'], name=op.f('fk_report_contribution_report_id_progress_report'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_report_contribution_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_contribution'))
    )
    with op.batch_alter_table('report_contribution', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_contribution_report_id'), ['report_id'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('report_contribution', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_contribution_report_id'))

    op.drop_table('report_contribution')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_person')
        batch_op.drop_index('ix_notification_outbox')

    op.drop_table('notification')
    with op.batch_alter_table('letter_task', schema=None) as batch_op:
        batch_op.drop_index('ix_letter_task_task')

    op.drop_table('letter_task')
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_sha256'))
        batch_op.drop_index(batch_op.f('ix_evidence_report_id'))

    op.drop_table('evidence')
    op.drop_table('supervise_contact')
    with op.batch_alter_table('progress_report', schema=None) as batch_op:
        batch_op.drop_index('ix_progress_report_unit_cycle')
        batch_op.drop_index('ix_progress_report_cycle_status')

    op.drop_table('progress_report')
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.drop_index('ix_letter_cycle')

    op.drop_table('letter')
    with op.batch_alter_table('supervise_cycle', schema=None) as batch_op:
        batch_op.drop_index('ix_supervise_cycle_due')

    op.drop_table('supervise_cycle')
    op.drop_table('supervise_schedule')
