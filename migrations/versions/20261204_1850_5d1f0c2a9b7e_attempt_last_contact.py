"""attempt's last contact before the deadline

A save arriving after the deadline is accepted only when the attempt's page was in contact shortly before it;
this column holds when the server last heard from the page before the deadline.

Revision ID: 5d1f0c2a9b7e
Revises: 7e3b9c41d2a8
Create Date: 2026-12-04 18:50:00.000000+00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '5d1f0c2a9b7e'
down_revision: Union[str, Sequence[str], None] = '7e3b9c41d2a8'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_contact_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_column('last_contact_at')
