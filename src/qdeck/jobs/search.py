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

from sqlalchemy import Boolean, false, literal
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
    fts5 = " ".join(f'"{word}"*' for word in words)
    tsquery = " & ".join(f"'{word}':*" for word in words)
    return _JobTextMatch(literal(fts5), literal(tsquery))


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
