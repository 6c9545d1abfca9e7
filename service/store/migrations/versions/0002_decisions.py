"""The practitioner's decision beside the recorded suggestion (which is never edited).

Revision ID: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "decisions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("record_id", sa.String(32), sa.ForeignKey("records.id", ondelete="CASCADE"), nullable=False),
        sa.Column("case_reference", sa.String(64), nullable=False),
        sa.Column("decided_by", sa.String(100), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(40), nullable=False),
        sa.Column("level", sa.String(40)),
        sa.Column("direction", sa.String(20), nullable=False),
        sa.Column("reason_code", sa.String(40)),
        sa.Column("rationale", sa.Text),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reviewed_by", sa.String(100)),
        sa.Column("reviewed_at", sa.DateTime(timezone=True)),
    )
    op.create_index("decisions_record", "decisions", ["record_id"])
    op.create_index("decisions_status", "decisions", ["status"])


def downgrade() -> None:
    raise NotImplementedError("the decision record is never migrated down")
