"""Training classroom sessions: a trainer's exercise (a quiz) or vignettes (a coding session), the trainees
who joined with its code, and their marked answers or codings (fictional referrals only; sessions expire
and are deleted).

Revision ID: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "classrooms",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("code", sa.String(12), nullable=False, unique=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("trainer", sa.String(100), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("exercise_name", sa.String(200), nullable=False),
        sa.Column("exercise", sa.Text, nullable=False),
        sa.Column("questions", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("classrooms_trainer", "classrooms", ["trainer"])
    op.create_table(
        "classroom_trainees",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("classroom_id", sa.String(32), sa.ForeignKey("classrooms.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("classroom_trainees_classroom", "classroom_trainees", ["classroom_id"])
    op.create_table(
        "classroom_answers",
        sa.Column("trainee_id", sa.String(32), sa.ForeignKey("classroom_trainees.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("number", sa.Integer, primary_key=True),
        sa.Column("row", sa.Text, nullable=False),
        sa.Column("result", sa.String(10), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    raise NotImplementedError("the decision record is never migrated down")
