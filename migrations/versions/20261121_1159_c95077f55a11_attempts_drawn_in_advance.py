"""attempts drawn in advance

Attempts in the new state 'ready' are drawn when a trainer opens a test; the fingerprint says what pool
and test definition they were drawn from.

Revision ID: c95077f55a11
Revises: 5d1707f87df1
Create Date: 2026-11-21 11:59:24.952252+00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'c95077f55a11'
down_revision: Union[str, Sequence[str], None] = '5d1707f87df1'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('draw_fingerprint', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('prepared_view', sa.Text(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    # Older code knows no 'ready' attempts: remove them (they are only prepared draws, nobody started them).
    op.execute("DELETE FROM attempt_questions WHERE attempt_id IN (SELECT id FROM attempts WHERE state = 'ready')")
    op.execute("DELETE FROM attempts WHERE state = 'ready'")
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_column('prepared_view')
        batch_op.drop_column('draw_fingerprint')

