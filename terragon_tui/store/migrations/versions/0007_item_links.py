"""item links: the branch `terragon apply` made for an item, and its issue on the forge

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 05:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("item") as batch:
        batch.add_column(sa.Column("branch", sa.String(), nullable=True))
        batch.add_column(sa.Column("issue_url", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("item") as batch:
        batch.drop_column("issue_url")
        batch.drop_column("branch")
