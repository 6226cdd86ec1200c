"""jobs search: the text index's own vocabulary, for expanding prefix words

SQLite: ``jobs_fts_terms``, an fts5vocab table (``instance`` kind) over ``jobs_fts``. A
search expands each prefix word into the whole terms it starts by seeking in it
(``jobs/search.py``), because FTS5 answers a prefix query only after merging the
doclists of every matching term, while it reads a whole term's doclist a page at a time
and can stop after one page of results. The table stores nothing: it reads the index.
PostgreSQL: ``jobs_search_keys(query, cap)``, the ids of up to ``cap`` jobs matching a
tsquery, read from the GIN index. Its own query is planned with only bitmap scans
allowed: the planner takes any prefix word for 2% of the jobs, and with a ``LIMIT`` it
would walk the table hoping to stop early, which for a rare word reads every job. A
function's ``SET`` clause is the one way to give a single subquery its own settings
inside a larger statement (the search asks it in one statement, docs/search-and-sorting.md).

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


PG_SEARCH_KEYS = """CREATE FUNCTION jobs_search_keys(query tsquery, cap integer)
    RETURNS SETOF uuid LANGUAGE sql STABLE
    SET enable_seqscan = off SET enable_indexscan = off
    AS $$ SELECT id FROM jobs WHERE search_vector @@ query LIMIT cap $$"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE jobs_fts_terms USING fts5vocab(jobs_fts, instance)")
    else:
        op.execute(PG_SEARCH_KEYS)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS jobs_fts_terms")
    else:
        op.execute("DROP FUNCTION IF EXISTS jobs_search_keys(tsquery, integer)")
