"""Text search over a job's name, notes and tags, on each database's own full-text index.

SQLite: the FTS5 table ``jobs_fts`` (external content over ``jobs``, keyed by rowid).
PostgreSQL: the generated ``jobs.search_vector`` tsvector with its GIN index. Both are
made and kept in step by migration 0003. A search is a list of words (see
``filters.search_words``); a job matches when it holds every word, each also as a prefix,
so "bel" finds "bell". Words contain only letters and digits, so the query text built
here can never be a syntax error.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Boolean, false, literal, literal_column, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement


class _JobTextMatch(FunctionElement[bool]):
    """True for jobs holding every word; rendered per database (below)."""

    name = "job_text_match"
    type = Boolean()
    inherit_cache = True


def job_text_match(words: Sequence[str]) -> ColumnElement[bool]:
    if not words:
        # Only punctuation was typed: nothing to look for, so nothing matches.
        return false()
    return _JobTextMatch(literal(_fts5_query(words)), literal(_tsquery(words)))


def _fts5_query(words: Sequence[str]) -> str:
    return " ".join(f'"{word}"*' for word in words)


def _tsquery(words: Sequence[str]) -> str:
    return " & ".join(f"'{word}':*" for word in words)


@compiles(_JobTextMatch, "sqlite")
def _fts5(element: _JobTextMatch, compiler: Any, **kw: Any) -> str:
    fts5, _ = element.clauses
    # The only value in here is a bound parameter.
    match = compiler.process(fts5, **kw)
    return f"jobs.rowid IN (SELECT jobs_fts.rowid FROM jobs_fts WHERE jobs_fts MATCH {match})"  # noqa: S608


@compiles(_JobTextMatch, "postgresql")
def _tsvector(element: _JobTextMatch, compiler: Any, **kw: Any) -> str:
    _, tsquery = element.clauses
    return f"jobs.search_vector @@ to_tsquery('simple', {compiler.process(tsquery, **kw)})"


# How many matches count as "few": up to this many, the page is built from the matching
# jobs themselves (index look-ups, then a sort of at most this many rows); beyond it the
# list's sort index is walked and each job checked, which finds a page quickly because
# matches are common. Neither database's planner can tell the two apart for prefix words.
FEW_MATCHES = 1000


async def few_matches(session: AsyncSession, words: Sequence[str]) -> list[Any] | None:
    """The keys of the jobs matching ``words`` if there are at most FEW_MATCHES of them
    (``jobs.rowid`` on SQLite, ``jobs.id`` on PostgreSQL), else None."""
    if not words:
        return []
    if session.get_bind().dialect.name == "sqlite":
        probe = text("SELECT rowid FROM jobs_fts WHERE jobs_fts MATCH :q LIMIT :cap").bindparams(
            q=_fts5_query(words), cap=FEW_MATCHES + 1
        )
        keys = list((await session.execute(probe)).scalars())
    else:
        # Read from the GIN index, never by reading the whole table: the planner's guess
        # for a prefix word is far off, and a sequential scan would read every job.
        await session.execute(text("SET LOCAL enable_seqscan = off"))
        probe = text(
            "SELECT id FROM jobs WHERE search_vector @@ to_tsquery('simple', :q) LIMIT :cap"
        ).bindparams(q=_tsquery(words), cap=FEW_MATCHES + 1)
        keys = list((await session.execute(probe)).scalars())
        await session.execute(text("SET LOCAL enable_seqscan TO DEFAULT"))
    return keys if len(keys) <= FEW_MATCHES else None


def among(keys: Sequence[Any], dialect: str) -> ColumnElement[bool]:
    """Jobs whose key (as returned by ``few_matches``) is one of ``keys``."""
    if not keys:
        return false()
    if dialect == "sqlite":
        return literal_column("jobs.rowid").in_(list(keys))
    return literal_column("jobs.id").in_(list(keys))
