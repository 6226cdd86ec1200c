"""Quantum Quest: lesson and level progress, challenge scores

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 12:05:00

``challenge_attempts`` from 0001 was never written to; it is replaced by the shape real
jobs need (the job, a pending/scored status, a float score).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    with op.batch_alter_table("challenge_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_challenge_attempts_user_created")
        batch_op.drop_index("ix_challenge_attempts_leaderboard")
    op.drop_table("challenge_attempts")
    op.create_table(
        "challenge_attempts",
        sa.Column("challenge_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=True),
        sa.Column("circuit", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("two_qubit_gates", sa.Integer(), nullable=False),
        sa.Column("feedback", sa.Text(), nullable=False),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["challenge_id"],
            ["challenges.id"],
            name=op.f("fk_challenge_attempts_challenge_id_challenges"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["jobs.id"],
            name=op.f("fk_challenge_attempts_job_id_jobs"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_challenge_attempts_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_challenge_attempts")),
    )
    with op.batch_alter_table("challenge_attempts", schema=None) as batch_op:
        batch_op.create_index("ix_challenge_attempts_job", ["job_id"], unique=False)
        batch_op.create_index(
            "ix_challenge_attempts_leaderboard", ["challenge_id", "status", "score"], unique=False
        )
        batch_op.create_index(
            "ix_challenge_attempts_user_created", ["user_id", "created_at"], unique=False
        )

    op.create_table(
        "quest_level_progress",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("level_key", sa.String(length=100), nullable=False),
        sa.Column("lesson_key", sa.String(length=100), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("best_stars", sa.Integer(), nullable=False),
        sa.Column("first_solved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("seconds_spent", sa.Integer(), nullable=False),
        sa.Column("hints_used", sa.Integer(), nullable=False),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_quest_level_progress_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quest_level_progress")),
        sa.UniqueConstraint("user_id", "level_key", name="uq_quest_level_progress_user_level"),
    )
    with op.batch_alter_table("quest_level_progress", schema=None) as batch_op:
        batch_op.create_index(
            "ix_quest_level_progress_user_updated", ["user_id", "updated_at"], unique=False
        )

    op.create_table(
        "quest_lesson_completions",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("lesson_key", sa.String(length=100), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_quest_lesson_completions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quest_lesson_completions")),
        sa.UniqueConstraint(
            "user_id", "lesson_key", name="uq_quest_lesson_completions_user_lesson"
        ),
    )


def downgrade() -> None:
    op.drop_table("quest_lesson_completions")
    with op.batch_alter_table("quest_level_progress", schema=None) as batch_op:
        batch_op.drop_index("ix_quest_level_progress_user_updated")
    op.drop_table("quest_level_progress")

    with op.batch_alter_table("challenge_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_challenge_attempts_user_created")
        batch_op.drop_index("ix_challenge_attempts_leaderboard")
        batch_op.drop_index("ix_challenge_attempts_job")
    op.drop_table("challenge_attempts")
    op.create_table(
        "challenge_attempts",
        sa.Column("challenge_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("circuit", sa.Text(), nullable=False),
        sa.Column("fidelity", sa.Float(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("feedback", sa.Text(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["challenge_id"],
            ["challenges.id"],
            name=op.f("fk_challenge_attempts_challenge_id_challenges"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_challenge_attempts_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_challenge_attempts")),
    )
    with op.batch_alter_table("challenge_attempts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_challenge_attempts_leaderboard", ["challenge_id", "passed", "score"], unique=False
        )
        batch_op.create_index(
            "ix_challenge_attempts_user_created", ["user_id", "created_at"], unique=False
        )
