"""event outbox, consumers and failures

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 08:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    big_pk = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        "outbox_events",
        sa.Column("id", big_pk, autoincrement=True, nullable=False),
        sa.Column("type", sa.String(length=80), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("job_id", sa.Uuid(), nullable=True),
        sa.Column("seq", sa.BigInteger(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_events")),
    )
    op.create_index("ix_outbox_events_created", "outbox_events", ["created_at"], unique=False)
    op.create_table(
        "event_consumers",
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("retry_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_event_consumers")),
    )
    op.create_table(
        "event_failures",
        sa.Column("id", big_pk, autoincrement=True, nullable=False),
        sa.Column("consumer", sa.String(length=80), nullable=False),
        sa.Column("event_id", sa.BigInteger(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("parked", sa.Boolean(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("first_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_failures")),
    )
    op.create_index(
        "ix_event_failures_consumer_event", "event_failures", ["consumer", "event_id"], unique=True
    )
    op.create_index("ix_event_failures_event", "event_failures", ["event_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_event_failures_event", table_name="event_failures")
    op.drop_index("ix_event_failures_consumer_event", table_name="event_failures")
    op.drop_table("event_failures")
    op.drop_table("event_consumers")
    op.drop_index("ix_outbox_events_created", table_name="outbox_events")
    op.drop_table("outbox_events")
