"""occurrences: the places each item stands for, so one item can group many findings

Every scanned item gets the one place it had (its file, line and fingerprint), so the first
scan after the upgrade finds the decisions people took on single findings (done, deferred,
rejected, edited) and keeps them when it groups the rest. A person's security suggestion
that had no severity gets MEDIUM, so it keeps the security boost, which now needs one.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 21:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "occurrence",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("item.id"), nullable=False),
        sa.Column("path", sa.String(), nullable=True),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("symbol", sa.String(), nullable=True),
        sa.Column("fingerprint", sa.String(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
    )
    op.create_index("ix_occurrence_item_id", "occurrence", ["item_id"])
    op.execute(
        "INSERT INTO occurrence (item_id, path, line, symbol, fingerprint, data) "
        "SELECT id, file_path, line, NULL, fingerprint, '{}' FROM item "
        "WHERE fingerprint IS NOT NULL"
    )
    op.execute(
        "UPDATE item SET security_severity = 6.0 WHERE source = 'user' "
        "AND security_severity = 0 AND (is_security OR category = 'security')"
    )


def downgrade() -> None:
    op.drop_index("ix_occurrence_item_id", table_name="occurrence")
    op.drop_table("occurrence")
