"""banks and tests owned by an organising body; explicit releases of answer keys

Web banks and tests get the body whose staff own them (content/ ones stay shared, None). Existing web
banks and tests are given the body of the course's classes when exactly one body runs that course;
otherwise they stay without a body, which only an administrator sees.

Revision ID: cffe6c5bbe82
Revises: c95077f55a11
Create Date: 2026-12-04 13:18:00+00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'cffe6c5bbe82'
down_revision: Union[str, Sequence[str], None] = 'c95077f55a11'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

OWNER_OF_COURSE = """
UPDATE {table} SET organising_body_id = (
    SELECT MIN(c.organising_body_id) FROM classes c WHERE c.course_id = {table}.course_id)
WHERE NOT from_content AND (
    SELECT COUNT(DISTINCT c.organising_body_id) FROM classes c WHERE c.course_id = {table}.course_id) = 1
"""


def upgrade() -> None:
    """Upgrade schema."""
    for table in ('question_banks', 'quizzes'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('organising_body_id', sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f(f'ix_{table}_organising_body_id'), ['organising_body_id'], unique=False)
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_organising_body_id_organising_bodies'),
                                        'organising_bodies', ['organising_body_id'], ['id'])
        op.execute(OWNER_OF_COURSE.format(table=table))
    op.create_table(
        'quiz_key_releases',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('quiz_id', sa.Integer(), nullable=False),
        sa.Column('organising_body_id', sa.Integer(), nullable=True),
        sa.Column('released_by_id', sa.Integer(), nullable=True),
        sa.Column('released_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['quiz_id'], ['quizzes.id'], name=op.f('fk_quiz_key_releases_quiz_id_quizzes'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organising_body_id'], ['organising_bodies.id'],
                                name=op.f('fk_quiz_key_releases_organising_body_id_organising_bodies')),
        sa.ForeignKeyConstraint(['released_by_id'], ['users.id'],
                                name=op.f('fk_quiz_key_releases_released_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_key_releases')),
        sa.UniqueConstraint('quiz_id', 'organising_body_id', name=op.f('uq_quiz_key_releases_quiz_id_organising_body_id')),
    )
    with op.batch_alter_table('quiz_key_releases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quiz_key_releases_quiz_id'), ['quiz_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('quiz_key_releases')
    for table in ('quizzes', 'question_banks'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_organising_body_id_organising_bodies'),
                                     type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{table}_organising_body_id'))
            batch_op.drop_column('organising_body_id')
