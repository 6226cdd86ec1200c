"""jobs search: the text index's own vocabulary, for expanding prefix words

SQLite: ``jobs_fts_terms``, an fts5vocab table (``instance`` kind) over ``jobs_fts``. A
search expands each prefix word into the whole terms it starts by seeking in it
(``jobs/search.py``), because FTS5 answers a prefix query only after merging the
doclists of every matching term, while it reads a whole term's doclist a page at a time
and can stop after one page of results. The table stores nothing: it reads the index.
PostgreSQL needs no object here (its rare-word plan is one statement, see
docs/search-and-sorting.md).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 12:05:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE jobs_fts_terms USING fts5vocab(jobs_fts, instance)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS jobs_fts_terms")
