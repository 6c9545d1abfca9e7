"""Web triage journeys in progress: answers kept server-side for a session, deleted on sign-out
and after an idle time (never logged).

Revision ID: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "journeys",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.Text, nullable=False),
    )
    op.create_index("journeys_owner", "journeys", ["owner"])


def downgrade() -> None:
    raise NotImplementedError("the decision record is never migrated down")
