"""shared documents: their CRDT updates (folded into the snapshot by compaction) and
named versions

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 19:52:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "shared_document_updates",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["shared_documents.id"],
            name=op.f("fk_shared_document_updates_document_id_shared_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shared_document_updates")),
    )
    with op.batch_alter_table("shared_document_updates", schema=None) as batch_op:
        batch_op.create_index(
            "ix_shared_document_updates_document", ["document_id", "id"], unique=False
        )

    op.create_table(
        "shared_document_versions",
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("crdt_state", sa.LargeBinary(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_shared_document_versions_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["shared_documents.id"],
            name=op.f("fk_shared_document_versions_document_id_shared_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shared_document_versions")),
    )
    with op.batch_alter_table("shared_document_versions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_shared_document_versions_document", ["document_id", "created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("shared_document_versions", schema=None) as batch_op:
        batch_op.drop_index("ix_shared_document_versions_document")

    op.drop_table("shared_document_versions")
    with op.batch_alter_table("shared_document_updates", schema=None) as batch_op:
        batch_op.drop_index("ix_shared_document_updates_document")

    op.drop_table("shared_document_updates")
