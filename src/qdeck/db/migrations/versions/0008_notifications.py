"""notifications: severity, grouping, preferences, quiet hours, digests, quotas

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 12:25:00

Only the notifications core's tables (the channels' deliveries are 0009). The existing
``notifications`` rows get ``updated_at`` from their ``created_at``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notification_backend_states",
        sa.Column("backend", sa.String(length=100), nullable=False),
        sa.Column("online", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("backend", name=op.f("pk_notification_backend_states")),
    )
    op.create_table(
        "notification_sweeps",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_notification_sweeps")),
    )
    op.create_table(
        "notification_settings",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("quiet_start_minute", sa.Integer(), nullable=True),
        sa.Column("quiet_end_minute", sa.Integer(), nullable=True),
        sa.Column("email_digest", sa.String(length=32), nullable=False),
        sa.Column("webhook_digest", sa.String(length=32), nullable=False),
        sa.Column("daily_digest_hour", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_notification_settings_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notification_settings")),
    )
    op.create_table(
        "notification_workspace_preferences",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_notification_workspace_preferences_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_notification_workspace_preferences_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "user_id",
            "workspace_id",
            "kind",
            "channel",
            name=op.f("pk_notification_workspace_preferences"),
        ),
    )
    op.create_table(
        "notification_workspace_settings",
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("daily_shot_quota", sa.BigInteger(), nullable=True),
        sa.Column("daily_job_quota", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_notification_workspace_settings_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", name=op.f("pk_notification_workspace_settings")),
    )
    op.create_table(
        "notification_groups",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("group_key", sa.String(length=200), nullable=False),
        sa.Column("notification_id", sa.Uuid(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name=op.f("fk_notification_groups_notification_id_notifications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_notification_groups_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "group_key", name=op.f("pk_notification_groups")),
    )
    with op.batch_alter_table("notification_groups", schema=None) as batch_op:
        batch_op.create_index(
            "ix_notification_groups_notification", ["notification_id"], unique=False
        )

    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("severity", sa.String(length=32), server_default="info", nullable=False)
        )
        batch_op.add_column(sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("group_key", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("count", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(sa.Column("dedupe_key", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("source_event_id", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(
            "ix_notifications_user_updated", ["user_id", "updated_at", "id"], unique=False
        )
        batch_op.create_unique_constraint("uq_notifications_user_dedupe", ["user_id", "dedupe_key"])
    op.execute("UPDATE notifications SET updated_at = created_at")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.alter_column(
            "updated_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_constraint("uq_notifications_user_dedupe", type_="unique")
        batch_op.drop_index("ix_notifications_user_updated")
        batch_op.drop_column("updated_at")
        batch_op.drop_column("source_event_id")
        batch_op.drop_column("dedupe_key")
        batch_op.drop_column("count")
        batch_op.drop_column("group_key")
        batch_op.drop_column("archived_at")
        batch_op.drop_column("severity")

    with op.batch_alter_table("notification_groups", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_groups_notification")

    op.drop_table("notification_groups")
    op.drop_table("notification_workspace_settings")
    op.drop_table("notification_workspace_preferences")
    op.drop_table("notification_settings")
    op.drop_table("notification_sweeps")
    op.drop_table("notification_backend_states")
