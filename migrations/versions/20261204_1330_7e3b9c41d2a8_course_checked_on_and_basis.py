"""course checked-on date and basis

When a course's content was last checked, and the editions and legal texts it rests on (from course.yaml),
shown on the course outline.

Revision ID: 7e3b9c41d2a8
Revises: cffe6c5bbe82
Create Date: 2026-12-04 13:30:00.000000+00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '7e3b9c41d2a8'
down_revision: Union[str, Sequence[str], None] = 'cffe6c5bbe82'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checked_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('basis', sa.JSON(), nullable=False, server_default='[]'))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_column('basis')
        batch_op.drop_column('checked_on')
