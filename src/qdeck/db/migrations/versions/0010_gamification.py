"""gamification: XP ledger, rollups, achievements, streaks, challenges, leagues, badges

Replaces the unused ``achievements`` and ``user_achievements`` tables of 0001 (never
written to): definitions now live in a data file, awards in ``achievement_awards``.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 12:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "league_weeks",
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("week_start", name=op.f("pk_league_weeks")),
    )
    op.create_table(
        "achievement_awards",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("achievement_key", sa.String(length=64), nullable=False),
        sa.Column("earned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_reason", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_achievement_awards_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_achievement_awards")),
        sa.UniqueConstraint("user_id", "achievement_key", name="uq_achievement_awards_key"),
    )
    op.create_table(
        "gamification_counters",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("metric", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_gamification_counters_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "metric", name=op.f("pk_gamification_counters")),
    )
    op.create_table(
        "gamification_days",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("xp", sa.Integer(), nullable=False),
        sa.Column("job_xp", sa.Integer(), nullable=False),
        sa.Column("actions", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_gamification_days_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "day", name=op.f("pk_gamification_days")),
    )
    op.create_table(
        "gamification_job_circuits",
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("circuit_hash", sa.String(length=64), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_gamification_job_circuits_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("job_id", name=op.f("pk_gamification_job_circuits")),
    )
    with op.batch_alter_table("gamification_job_circuits", schema=None) as batch_op:
        batch_op.create_index(
            "ix_gamification_job_circuits_lookup",
            ["user_id", "circuit_hash", "submitted_at"],
            unique=False,
        )

    op.create_table(
        "gamification_marks",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_gamification_marks_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "kind", "value", name=op.f("pk_gamification_marks")),
    )
    op.create_table(
        "gamification_profiles",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("xp", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("current_streak", sa.Integer(), nullable=False),
        sa.Column("longest_streak", sa.Integer(), nullable=False),
        sa.Column("freezes", sa.Integer(), nullable=False),
        sa.Column("freezes_used", sa.Integer(), nullable=False),
        sa.Column("last_active_day", sa.Date(), nullable=True),
        sa.Column("global_opt_in", sa.Boolean(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("league_opt_in", sa.Boolean(), nullable=False),
        sa.Column("league_tier", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_gamification_profiles_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_gamification_profiles")),
    )
    op.create_table(
        "league_entries",
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("tier", sa.Integer(), nullable=False),
        sa.Column("cohort", sa.Integer(), nullable=False),
        sa.Column("xp", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=8), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_league_entries_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("week_start", "user_id", name=op.f("pk_league_entries")),
    )
    with op.batch_alter_table("league_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_league_entries_cohort", ["week_start", "tier", "cohort"], unique=False
        )

    op.create_table(
        "xp_rollups",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("period", sa.String(length=1), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("xp", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_xp_rollups_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "period", "start", name=op.f("pk_xp_rollups")),
    )
    with op.batch_alter_table("xp_rollups", schema=None) as batch_op:
        batch_op.create_index("ix_xp_rollups_board", ["period", "start", "xp"], unique=False)

    op.create_table(
        "gamification_challenges",
        sa.Column("key", sa.String(length=80), nullable=True),
        sa.Column("workspace_id", sa.Uuid(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("target", sa.Integer(), nullable=False),
        sa.Column("reward_xp", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_gamification_challenges_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_gamification_challenges_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gamification_challenges")),
        sa.UniqueConstraint("key", name=op.f("uq_gamification_challenges_key")),
    )
    with op.batch_alter_table("gamification_challenges", schema=None) as batch_op:
        batch_op.create_index(
            "ix_gamification_challenges_window", ["ends_at", "starts_at"], unique=False
        )

    op.create_table(
        "workspace_gamification",
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by"],
            ["users.id"],
            name=op.f("fk_workspace_gamification_updated_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_workspace_gamification_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", name=op.f("pk_workspace_gamification")),
    )
    op.create_table(
        "xp_ledger",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=True),
        sa.Column("source", sa.String(length=160), nullable=False),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column("xp", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_xp_ledger_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_xp_ledger_workspace_id_workspaces"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_xp_ledger")),
        sa.UniqueConstraint("user_id", "source", "rule", name="uq_xp_ledger_key"),
    )
    with op.batch_alter_table("xp_ledger", schema=None) as batch_op:
        batch_op.create_index("ix_xp_ledger_user_at", ["user_id", "at"], unique=False)

    op.create_table(
        "gamification_challenge_entries",
        sa.Column("challenge_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["challenge_id"],
            ["gamification_challenges.id"],
            name=op.f("fk_gamification_challenge_entries_challenge_id_gamification_challenges"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_gamification_challenge_entries_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "challenge_id", "user_id", name=op.f("pk_gamification_challenge_entries")
        ),
    )
    with op.batch_alter_table("gamification_challenge_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_gamification_challenge_entries_board", ["challenge_id", "value"], unique=False
        )

    with op.batch_alter_table("user_achievements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_achievements_awarded"))

    op.drop_table("user_achievements")
    op.drop_table("achievements")


def downgrade() -> None:
    with op.batch_alter_table("gamification_challenge_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_gamification_challenge_entries_board")

    op.drop_table("gamification_challenge_entries")
    with op.batch_alter_table("xp_ledger", schema=None) as batch_op:
        batch_op.drop_index("ix_xp_ledger_user_at")

    op.drop_table("xp_ledger")
    op.drop_table("workspace_gamification")
    with op.batch_alter_table("gamification_challenges", schema=None) as batch_op:
        batch_op.drop_index("ix_gamification_challenges_window")

    op.drop_table("gamification_challenges")
    with op.batch_alter_table("xp_rollups", schema=None) as batch_op:
        batch_op.drop_index("ix_xp_rollups_board")

    op.drop_table("xp_rollups")
    with op.batch_alter_table("league_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_league_entries_cohort")

    op.drop_table("league_entries")
    op.drop_table("gamification_profiles")
    op.drop_table("gamification_marks")
    with op.batch_alter_table("gamification_job_circuits", schema=None) as batch_op:
        batch_op.drop_index("ix_gamification_job_circuits_lookup")

    op.drop_table("gamification_job_circuits")
    op.drop_table("gamification_days")
    op.drop_table("gamification_counters")
    op.drop_table("achievement_awards")
    op.drop_table("league_weeks")
    op.create_table(
        "achievements",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("icon", sa.String(length=64), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_achievements")),
        sa.UniqueConstraint("key", name=op.f("uq_achievements_key")),
    )
    op.create_table(
        "user_achievements",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("achievement_id", sa.Uuid(), nullable=False),
        sa.Column("awarded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["achievement_id"],
            ["achievements.id"],
            name=op.f("fk_user_achievements_achievement_id_achievements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_user_achievements_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "achievement_id", name=op.f("pk_user_achievements")),
    )
    with op.batch_alter_table("user_achievements", schema=None) as batch_op:
        batch_op.create_index(
            "ix_user_achievements_awarded", ["achievement_id", "awarded_at"], unique=False
        )
