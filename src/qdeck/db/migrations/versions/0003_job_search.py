"""job sort indexes and text search

One index per sort of the jobs list, in its keyset order. Text search over a job's name,
notes and tags: on SQLite an FTS5 table over ``jobs`` (external content, kept in step by
triggers), on PostgreSQL a generated ``tsvector`` column with a GIN index. Tags live in
``job_tags``; triggers copy them into ``jobs.tags_text`` so both indexes read one row.

On SQLite the FTS5 rows are keyed by ``jobs.rowid``. A later migration that rebuilds
``jobs`` (batch mode) drops these triggers with the old table: it must create them again
and run ``INSERT INTO jobs_fts(jobs_fts) VALUES ('rebuild')``.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 08:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SORT_INDEXES = {
    "ix_jobs_workspace_name_created": ["workspace_id", "name", "created_at", "id"],
    "ix_jobs_workspace_priority_created": ["workspace_id", "priority", "created_at", "id"],
}

SQLITE_UP = [
    # Tags as one string on the job's row. Built from the job_tags rows every time,
    # so the value is the same whichever way the tags changed.
    *[
        f"""CREATE TRIGGER job_tags_text_{event} AFTER {event.upper()} ON job_tags BEGIN
            UPDATE jobs SET tags_text = coalesce(
                (SELECT group_concat(tag, ' ') FROM job_tags WHERE job_id = {row}.job_id), '')
            WHERE id = {row}.job_id;
        END"""  # noqa: S608 (fixed names, no input)
        for event, row in (("insert", "NEW"), ("delete", "OLD"))
    ],
    """CREATE TRIGGER job_tags_text_update AFTER UPDATE ON job_tags BEGIN
        UPDATE jobs SET tags_text = coalesce(
            (SELECT group_concat(tag, ' ') FROM job_tags WHERE job_id = jobs.id), '')
        WHERE id IN (OLD.job_id, NEW.job_id);
    END""",
    """UPDATE jobs SET tags_text = coalesce(
        (SELECT group_concat(tag, ' ') FROM job_tags WHERE job_id = jobs.id), '')""",
    # External content: the index stores no copy of the text, it reads jobs' columns.
    # unicode61 folds case and (option 2) diacritics; tokens are runs of letters/digits.
    """CREATE VIRTUAL TABLE jobs_fts USING fts5(
        name, notes, tags_text,
        content='jobs', content_rowid='rowid',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER jobs_fts_insert AFTER INSERT ON jobs BEGIN
        INSERT INTO jobs_fts(rowid, name, notes, tags_text)
        VALUES (NEW.rowid, NEW.name, NEW.notes, NEW.tags_text);
    END""",
    # A delete must hand FTS5 the exact old values; OLD has them.
    """CREATE TRIGGER jobs_fts_delete AFTER DELETE ON jobs BEGIN
        INSERT INTO jobs_fts(jobs_fts, rowid, name, notes, tags_text)
        VALUES ('delete', OLD.rowid, OLD.name, OLD.notes, OLD.tags_text);
    END""",
    # Only when searchable text changed: status updates leave the index alone.
    """CREATE TRIGGER jobs_fts_update AFTER UPDATE OF name, notes, tags_text ON jobs BEGIN
        INSERT INTO jobs_fts(jobs_fts, rowid, name, notes, tags_text)
        VALUES ('delete', OLD.rowid, OLD.name, OLD.notes, OLD.tags_text);
        INSERT INTO jobs_fts(rowid, name, notes, tags_text)
        VALUES (NEW.rowid, NEW.name, NEW.notes, NEW.tags_text);
    END""",
    "INSERT INTO jobs_fts(jobs_fts) VALUES ('rebuild')",
]

SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS jobs_fts_update",
    "DROP TRIGGER IF EXISTS jobs_fts_delete",
    "DROP TRIGGER IF EXISTS jobs_fts_insert",
    "DROP TABLE IF EXISTS jobs_fts",
    "DROP TRIGGER IF EXISTS job_tags_text_update",
    "DROP TRIGGER IF EXISTS job_tags_text_delete",
    "DROP TRIGGER IF EXISTS job_tags_text_insert",
]

# ASCII punctuation becomes a space before parsing, so "bell-7731" or "ghz.v2" split into
# words the way FTS5's unicode61 splits them and the way qdeck splits a search.
PG_SEARCH_VECTOR = (
    "to_tsvector('simple'::regconfig, regexp_replace("
    "name || ' ' || notes || ' ' || tags_text, '[[:punct:]]+', ' ', 'g'))"
)

PG_UP = [
    """CREATE FUNCTION jobs_refresh_tags_text() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'DELETE' THEN
            UPDATE jobs SET tags_text = coalesce(
                (SELECT string_agg(tag, ' ' ORDER BY tag) FROM job_tags
                 WHERE job_id = NEW.job_id), '')
            WHERE id = NEW.job_id;
        END IF;
        IF TG_OP = 'DELETE' OR OLD.job_id <> NEW.job_id THEN
            UPDATE jobs SET tags_text = coalesce(
                (SELECT string_agg(tag, ' ' ORDER BY tag) FROM job_tags
                 WHERE job_id = OLD.job_id), '')
            WHERE id = OLD.job_id;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER job_tags_text AFTER INSERT OR UPDATE OR DELETE ON job_tags
        FOR EACH ROW EXECUTE FUNCTION jobs_refresh_tags_text()""",
    """UPDATE jobs SET tags_text = t.tags FROM (
        SELECT job_id, string_agg(tag, ' ' ORDER BY tag) AS tags FROM job_tags GROUP BY job_id
    ) AS t WHERE t.job_id = jobs.id""",
    f"ALTER TABLE jobs ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
    f"({PG_SEARCH_VECTOR}) STORED",
    "CREATE INDEX ix_jobs_search ON jobs USING gin (search_vector)",
]

PG_DOWN = [
    "DROP INDEX IF EXISTS ix_jobs_search",
    "ALTER TABLE jobs DROP COLUMN IF EXISTS search_vector",
    "DROP TRIGGER IF EXISTS job_tags_text ON job_tags",
    "DROP FUNCTION IF EXISTS jobs_refresh_tags_text()",
]


def upgrade() -> None:
    op.add_column(
        "jobs", sa.Column("tags_text", sa.Text(), server_default=sa.text("''"), nullable=False)
    )
    for name, columns in SORT_INDEXES.items():
        op.create_index(name, "jobs", columns, unique=False)
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_UP if dialect == "sqlite" else PG_UP:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_DOWN if dialect == "sqlite" else PG_DOWN:
        op.execute(statement)
    for name in SORT_INDEXES:
        op.drop_index(name, table_name="jobs")
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("tags_text")
