"""Text search over a job's name, notes and tags, on each database's own full-text index.

SQLite: the FTS5 table ``jobs_fts`` (external content over ``jobs``, keyed by rowid).
PostgreSQL: the generated ``jobs.search_vector`` tsvector with its GIN index. Both are
made and kept in step by migration 0003. A search is a list of words (see
``filters.search_words``); a job matches when it holds every word, each also as a prefix,
so "bel" finds "bell". Words contain only letters and digits, so the query text built
here can never be a syntax error.

``first_matches`` finds one page of a search without paying for every match (see
docs/search-and-sorting.md): the text index can only list all matches of a common
word, so for those the list is walked in its own order instead.

On SQLite a prefix word is first expanded into the index's own terms (``text_query``,
through the ``jobs_fts_terms`` vocabulary table of migration 0007): FTS5 reads the
doclists of whole terms a page at a time, but merges a prefix's doclists whole first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Boolean,
    Select,
    bindparam,
    column,
    false,
    func,
    literal,
    literal_column,
    select,
    table,
    text,
    tuple_,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

# A prefix that stands for more whole terms than this is left to FTS5 as a prefix (an OR
# of many terms costs more than FTS5's own merge of them).
MAX_EXPANSION = 16

# The terms of jobs_fts in order from a prefix, for every word in one statement: each
# step is one seek in the index (``term >= x`` is handed to FTS5, ``term > x`` would be
# tested row by row, so the next term is looked up as ``term >= previous || char(1)``,
# which no token contains). At most MAX_EXPANSION + 1 terms a word.
_STEP = "(SELECT term FROM jobs_fts_terms WHERE term >= {start} LIMIT 1)"
_WORD_TERMS = """w{i}(term, n) AS (
    SELECT {first}, 1
    UNION ALL
    SELECT {next}, n + 1 FROM w{i}
    WHERE substr(w{i}.term, 1, :n{i}) = :p{i} AND n <= :most
)"""


def _expansion(count: int) -> Any:
    ctes = ",\n".join(
        _WORD_TERMS.format(
            i=i,
            first=_STEP.format(start=f":p{i}"),
            next=_STEP.format(start=f"w{i}.term || char(1)"),
        )
        for i in range(count)
    )
    picks = " UNION ALL ".join(
        f"SELECT {i}, term FROM w{i} WHERE substr(term, 1, :n{i}) = :p{i}"  # noqa: S608
        for i in range(count)
    )
    return text(f"WITH RECURSIVE {ctes}\n{picks}")


@dataclass(frozen=True)
class TextQuery:
    """A search as each database's text index is asked it (built by ``text_query``)."""

    words: tuple[str, ...]
    fts5: str
    tsquery: str
    # Some word is the start of no term in the index: nothing can match.
    hopeless: bool = False


async def text_query(session: AsyncSession, words: Sequence[str]) -> TextQuery:
    """On SQLite each word (a prefix) becomes the OR of the whole terms it starts, looked
    up in the index's vocabulary: FTS5 then reads matches newest first and stops after a
    page, where for a prefix it would first merge the doclists of all its terms (every
    match). Words that are not plain ASCII keep FTS5's own prefix form, since the
    vocabulary holds terms as the tokenizer folded them (case, diacritics)."""
    words = tuple(words)
    plain = TextQuery(words, _fts5_query(words), _tsquery(words), hopeless=not words)
    if not words or session.get_bind().dialect.name != "sqlite":
        return plain
    expand = [i for i, word in enumerate(words) if word.isascii()]
    params: dict[str, Any] = {"most": MAX_EXPANSION}
    for slot, i in enumerate(expand):
        params[f"p{slot}"], params[f"n{slot}"] = words[i], len(words[i])
    terms: dict[int, list[str]] = {i: [] for i in expand}
    if expand:
        for slot, term in (await session.execute(_expansion(len(expand)), params)).all():
            terms[expand[slot]].append(term)
    if any(not found for found in terms.values()):
        return TextQuery(words, plain.fts5, plain.tsquery, hopeless=True)
    parts = []
    for i, word in enumerate(words):
        found = terms.get(i)
        if found is None or len(found) > MAX_EXPANSION:
            parts.append(f'"{word}"*')
        else:
            parts.append("(" + " OR ".join(f'"{term}"' for term in found) + ")")
    return TextQuery(words, " AND ".join(parts), plain.tsquery)


class _JobTextMatch(FunctionElement[bool]):
    """True for jobs holding every word; rendered per database (below)."""

    name = "job_text_match"
    type = Boolean()
    inherit_cache = True


def job_text_match(query: TextQuery) -> ColumnElement[bool]:
    if query.hopeless:
        # Only punctuation was typed, or a word no job holds: nothing matches.
        return false()
    return _JobTextMatch(literal(query.fts5), literal(query.tsquery))


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


async def few_matches(session: AsyncSession, query: TextQuery) -> list[Any] | None:
    """The keys of the jobs matching ``query`` if there are at most FEW_MATCHES of them
    (``jobs.rowid`` on SQLite, ``jobs.id`` on PostgreSQL), else None."""
    if query.hopeless:
        return []
    if session.get_bind().dialect.name == "sqlite":
        probe = text("SELECT rowid FROM jobs_fts WHERE jobs_fts MATCH :q LIMIT :cap").bindparams(
            q=query.fts5, cap=FEW_MATCHES + 1
        )
        keys = list((await session.execute(probe)).scalars())
    else:
        # Read from the GIN index, never by reading the whole table: the planner's guess
        # for a prefix word is far off, and a sequential scan would read every job.
        await session.execute(text("SET LOCAL enable_seqscan = off"))
        probe = text(
            "SELECT id FROM jobs WHERE search_vector @@ to_tsquery('simple', :q) LIMIT :cap"
        ).bindparams(q=query.tsquery, cap=FEW_MATCHES + 1)
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


# How far the list is walked, checking each job, before concluding that matches are
# sparse and asking the text index for all of them (PostgreSQL). A walk costs about
# 0.3 us a row there, so the walk that finds nothing stays near 1.5 ms at any size.
SEARCH_WINDOW = 5000

_JOBS_FTS = table("jobs_fts", column("rowid"))
_ROWID = literal_column("jobs.rowid")


async def first_matches(
    session: AsyncSession,
    base: Select[Any],
    query: TextQuery,
    order: Sequence[Any],
    limit: int,
    *,
    descending: bool,
    window: int = SEARCH_WINDOW,
) -> list[Any]:
    """The first ``limit`` jobs of ``base`` (the list's filters, cursor applied) holding
    every word of ``query``, in ``order``."""
    if query.hopeless:
        return []
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite" and order[0].key == "created_at":
        return await _newest_by_rowid(session, base, query, order, limit, descending)
    if dialect == "postgresql":
        return await _walk_then_index(session, base, query, order, limit, descending, window)
    return await _probe_then_walk(session, base, query, order, limit, descending)


def _ordered(stmt: Select[Any], order: Sequence[Any], descending: bool) -> Select[Any]:
    return stmt.order_by(*[c.desc() if descending else c.asc() for c in order])


async def _rows(session: AsyncSession, stmt: Select[Any]) -> list[Any]:
    return list((await session.scalars(stmt)).all())


async def _probe_then_walk(
    session: AsyncSession,
    base: Select[Any],
    query: TextQuery,
    order: Sequence[Any],
    limit: int,
    descending: bool,
) -> list[Any]:
    """Few matches: the page is built from them; many: the sort index is walked."""
    keys = await few_matches(session, query)
    dialect = session.get_bind().dialect.name
    match = job_text_match(query) if keys is None else among(keys, dialect)
    return await _rows(session, _ordered(base.where(match), order, descending).limit(limit))


async def _walk_then_index(
    session: AsyncSession,
    base: Select[Any],
    query: TextQuery,
    order: Sequence[Any],
    limit: int,
    descending: bool,
    window: int,
) -> list[Any]:
    """PostgreSQL, in one statement: walk the first ``window`` jobs of the list in its
    own sort index, testing each job's stored tsvector (O(1) a row); a common word fills
    the page long before the window ends. Only when it does not (matches are sparse) is
    the GIN index asked for the matches, which is then cheap; otherwise that branch never
    runs (a one-time filter on the walk's count). The window is a plain ``ORDER BY ...
    LIMIT`` below the text test, so the planner has nothing to guess there: it can only
    read the sort index, never a GIN bitmap of every match (the planner's estimate for a
    prefix word is far off). One statement, because at this size each round trip costs
    as much as the walk itself."""
    vector = literal_column("jobs.search_vector")
    seen = (
        _ordered(base.with_only_columns(*order, vector.label("vector")), order, descending)
        .limit(window)
        .subquery("seen")
    )
    seen_order = [seen.c[column.key] for column in order]
    walk = (
        _ordered(
            select(seen.c.id).where(seen.c.vector.op("@@")(_to_tsquery(query))),
            seen_order,
            descending,
        )
        .limit(limit)
        .cte("walk")
        .prefix_with("MATERIALIZED")
    )
    found = select(func.count()).select_from(walk).scalar_subquery()
    # Sparse: the GIN index names the matches, at most FEW_MATCHES + 1 of them, through
    # jobs_search_keys (migration 0007), which plans its query with only bitmap scans
    # allowed (a LIMIT would otherwise let the planner, which takes any prefix word for
    # 2% of the jobs, walk the table). Few: the page is built from them; more: the list
    # is walked in its sort index, testing each job, which finds a page soon.
    key = func.jobs_search_keys(_to_tsquery(query), FEW_MATCHES + 1).column_valued("key")
    few = select(key).cte("few").prefix_with("MATERIALIZED")
    few_count = select(func.count()).select_from(few).scalar_subquery()
    among_few = _ordered(base.with_only_columns(*order), order, descending).where(
        order[-1].in_(select(few.c.key))
    )
    walked = _ordered(base.with_only_columns(*order), order, descending).where(
        job_text_match(query)
    )
    keys = union_all(
        select(walk.c.id).where(found >= limit),
        select(among_few.limit(limit).subquery("among_few").c.id).where(
            found < limit, few_count <= FEW_MATCHES
        ),
        select(walked.limit(limit).subquery("walked").c.id).where(
            found < limit, few_count > FEW_MATCHES
        ),
    ).subquery("keys")
    # The last column of every keyset order is the job id.
    page = _ordered(base.where(order[-1].in_(select(keys.c.id))), order, descending).limit(limit)
    return await _rows(session, page)


def _to_tsquery(query: TextQuery) -> ColumnElement[Any]:
    return func.to_tsquery(literal_column("'simple'::regconfig"), query.tsquery)


async def _newest_by_rowid(
    session: AsyncSession,
    base: Select[Any],
    query: TextQuery,
    order: Sequence[Any],
    limit: int,
    descending: bool,
) -> list[Any]:
    """SQLite, sorted by age: FTS5 hands out matches in rowid order and stops after a
    page, and rows are stored in the order jobs were created, so the newest matches come
    first (the jobs themselves, read in the same statement). Stored order is only nearly
    age order (a job may be stored with an older time), so a full page is checked: any
    job between the page's bounds by age but outside them by rowid is looked up and
    tested too. Testing each job with ``jobs_fts MATCH`` against its rowid would cost a
    whole index query per job, and ``rowid IN (matches)`` lists every match; this costs
    one page of the index plus a range of the age index."""
    stream = (
        base.add_columns(_ROWID)
        .select_from(_JOBS_FTS.join(base.get_final_froms()[0], _JOBS_FTS.c.rowid == _ROWID))
        .where(text("jobs_fts MATCH :fts_query").bindparams(fts_query=query.fts5))
        .order_by(_JOBS_FTS.c.rowid.desc() if descending else _JOBS_FTS.c.rowid.asc())
        .limit(limit)
    )
    found = {rowid: job for job, rowid in (await session.execute(stream)).all()}

    def key(job: Any) -> tuple[Any, ...]:
        return tuple(getattr(job, column.key) for column in order)

    if len(found) == limit:
        last = sorted(map(key, found.values()), reverse=descending)[-1]
        edge = min(found) if descending else max(found)
        earlier = tuple_(*order) > tuple_(*last) if descending else tuple_(*order) < tuple_(*last)
        out_of_place = _ROWID < edge if descending else _ROWID > edge  # noqa: SIM300
        strays = list(
            (
                await session.execute(base.with_only_columns(_ROWID).where(earlier, out_of_place))
            ).scalars()
        )
        matching = await _matching_rowids(session, query, strays) if strays else []
        if matching:
            more = base.add_columns(_ROWID).where(_ROWID.in_(matching))
            found.update({rowid: job for job, rowid in (await session.execute(more)).all()})
    return sorted(found.values(), key=key, reverse=descending)[:limit]


async def _matching_rowids(
    session: AsyncSession, query: TextQuery, rowids: Sequence[int]
) -> list[int]:
    """Which of these jobs hold every word (one index query; rare, see above)."""
    probe = text("SELECT rowid FROM jobs_fts WHERE jobs_fts MATCH :q AND rowid IN :ids").bindparams(
        bindparam("q", query.fts5), bindparam("ids", expanding=True)
    )
    return list((await session.execute(probe, {"ids": list(rowids)})).scalars())
