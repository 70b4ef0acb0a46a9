"""quizzes attempts and events

Revision ID: 5d1707f87df1
Revises: 429d864953d3
Create Date: 2026-11-21 09:35:32.891359+00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '5d1707f87df1'
down_revision: Union[str, Sequence[str], None] = '429d864953d3'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    
    op.create_table('question_banks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('from_content', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_question_banks_course_id_courses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_banks')),
    sa.UniqueConstraint('course_id', 'slug', name=op.f('uq_question_banks_course_id_slug'))
    )
    with op.batch_alter_table('question_banks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_banks_course_id'), ['course_id'], unique=False)

    op.create_table('quizzes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('title_en', sa.String(length=255), nullable=False),
    sa.Column('time_limit_minutes', sa.Integer(), nullable=False),
    sa.Column('pass_mark_percent', sa.Double(), nullable=False),
    sa.Column('max_attempts', sa.Integer(), nullable=False),
    sa.Column('attempt_policy', sa.String(length=8), nullable=False),
    sa.Column('shuffle_questions', sa.Boolean(), nullable=False),
    sa.Column('shuffle_options', sa.Boolean(), nullable=False),
    sa.Column('navigation', sa.String(length=12), nullable=False),
    sa.Column('avoid_repeats', sa.Boolean(), nullable=False),
    sa.Column('review_after_submit', sa.JSON(), nullable=False),
    sa.Column('review_after_close', sa.JSON(), nullable=False),
    sa.Column('draw_rules', sa.JSON(), nullable=False),
    sa.Column('from_content', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_quizzes_course_id_courses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quizzes')),
    sa.UniqueConstraint('course_id', 'slug', name=op.f('uq_quizzes_course_id_slug'))
    )
    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quizzes_course_id'), ['course_id'], unique=False)

    op.create_table('questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('module', sa.String(length=100), nullable=True),
    sa.Column('difficulty', sa.String(length=8), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('stem', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['bank_id'], ['question_banks.id'], name=op.f('fk_questions_bank_id_question_banks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questions')),
    sa.UniqueConstraint('bank_id', 'key', name=op.f('uq_questions_bank_id_key'))
    )
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_questions_bank_id'), ['bank_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_questions_module'), ['module'], unique=False)

    op.create_table('quiz_openings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quiz_id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['class_id'], ['classes.id'], name=op.f('fk_quiz_openings_class_id_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_quiz_openings_opened_by_id_users')),
    sa.ForeignKeyConstraint(['quiz_id'], ['quizzes.id'], name=op.f('fk_quiz_openings_quiz_id_quizzes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_openings'))
    )
    with op.batch_alter_table('quiz_openings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quiz_openings_class_id'), ['class_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quiz_openings_quiz_id'), ['quiz_id'], unique=False)

    op.create_table('quiz_overrides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quiz_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('extra_minutes', sa.Integer(), nullable=False),
    sa.Column('extra_attempts', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=255), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['quiz_id'], ['quizzes.id'], name=op.f('fk_quiz_overrides_quiz_id_quizzes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_quiz_overrides_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_overrides')),
    sa.UniqueConstraint('quiz_id', 'user_id', name=op.f('uq_quiz_overrides_quiz_id_user_id'))
    )
    with op.batch_alter_table('quiz_overrides', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quiz_overrides_quiz_id'), ['quiz_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quiz_overrides_user_id'), ['user_id'], unique=False)

    op.create_table('attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quiz_id', sa.Integer(), nullable=False),
    sa.Column('opening_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deadline_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('close_reason', sa.String(length=12), nullable=True),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('score', sa.Double(), nullable=True),
    sa.Column('max_score', sa.Double(), nullable=True),
    sa.Column('percent', sa.Double(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['opening_id'], ['quiz_openings.id'], name=op.f('fk_attempts_opening_id_quiz_openings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['quiz_id'], ['quizzes.id'], name=op.f('fk_attempts_quiz_id_quizzes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_attempts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attempts')),
    sa.UniqueConstraint('quiz_id', 'user_id', 'number', name=op.f('uq_attempts_quiz_id_user_id_number'))
    )
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attempts_opening_id'), ['opening_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attempts_quiz_id'), ['quiz_id'], unique=False)
        batch_op.create_index('ix_attempts_state_deadline', ['state', 'deadline_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_attempts_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_attempts_one_open', ['quiz_id', 'user_id'], unique=True, sqlite_where=sa.text("state = 'open'"), postgresql_where=sa.text("state = 'open'"))

    op.create_table('attempt_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('user_agent', sa.String(length=255), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempts.id'], name=op.f('fk_attempt_events_attempt_id_attempts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attempt_events'))
    )
    with op.batch_alter_table('attempt_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attempt_events_attempt_id'), ['attempt_id'], unique=False)

    op.create_table('attempt_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('question_key', sa.String(length=120), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('presentation', sa.JSON(), nullable=False),
    sa.Column('answer', sa.JSON(), nullable=True),
    sa.Column('answer_seq', sa.Integer(), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('flagged', sa.Boolean(), nullable=False),
    sa.Column('score', sa.Double(), nullable=True),
    sa.Column('max_score', sa.Double(), nullable=False),
    sa.Column('correct', sa.Boolean(), nullable=True),
    sa.Column('grade_detail', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempts.id'], name=op.f('fk_attempt_questions_attempt_id_attempts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_attempt_questions_question_id_questions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attempt_questions')),
    sa.UniqueConstraint('attempt_id', 'position', name=op.f('uq_attempt_questions_attempt_id_position'))
    )
    with op.batch_alter_table('attempt_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attempt_questions_attempt_id'), ['attempt_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attempt_questions_question_id'), ['question_id'], unique=False)

    


def downgrade() -> None:
    """Downgrade schema."""
    
    with op.batch_alter_table('attempt_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attempt_questions_question_id'))
        batch_op.drop_index(batch_op.f('ix_attempt_questions_attempt_id'))

    op.drop_table('attempt_questions')
    with op.batch_alter_table('attempt_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attempt_events_attempt_id'))

    op.drop_table('attempt_events')
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_index('uq_attempts_one_open', sqlite_where=sa.text("state = 'open'"), postgresql_where=sa.text("state = 'open'"))
        batch_op.drop_index(batch_op.f('ix_attempts_user_id'))
        batch_op.drop_index('ix_attempts_state_deadline')
        batch_op.drop_index(batch_op.f('ix_attempts_quiz_id'))
        batch_op.drop_index(batch_op.f('ix_attempts_opening_id'))

    op.drop_table('attempts')
    with op.batch_alter_table('quiz_overrides', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quiz_overrides_user_id'))
        batch_op.drop_index(batch_op.f('ix_quiz_overrides_quiz_id'))

    op.drop_table('quiz_overrides')
    with op.batch_alter_table('quiz_openings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quiz_openings_quiz_id'))
        batch_op.drop_index(batch_op.f('ix_quiz_openings_class_id'))

    op.drop_table('quiz_openings')
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_questions_module'))
        batch_op.drop_index(batch_op.f('ix_questions_bank_id'))

    op.drop_table('questions')
    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quizzes_course_id'))

    op.drop_table('quizzes')
    with op.batch_alter_table('question_banks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_banks_course_id'))

    op.drop_table('question_banks')
    
