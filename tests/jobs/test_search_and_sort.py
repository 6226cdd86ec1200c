"""Finding a job by what a person remembers of it, and every sort served by an index.

The plans are read with the database's own EXPLAIN for the exact statement the jobs list
runs (captured from the engine), on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, insert, text
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.db.keyset import PageRequest
from qdeck.db.types import utcnow
from qdeck.jobs.filters import SORTS, build_job_filter
from qdeck.jobs.models import Job, JobTag
from qdeck.jobs.repository import JobRepository
from qdeck.ui.components.jobs_query import JobsQuery
from tests.accounts import Accounts
from tests.jobs.conftest import BELL, submit

NASTY = [
    '"',
    "'",
    "bell*",
    "*",
    "a:b",
    ":*",
    "bell:*",
    "AND",
    "bell AND",
    "OR NOT",
    "NEAR(bell ghz)",
    "((",
    "!&|<->",
    "'; DROP TABLE jobs; --",
    "\\",
    "%_",
    "-bell",
    "^bell",
    "名前 検索",
    "Grüße 🚀",
    "   ",
    "x" * 200,
]


async def names(client, **params: Any) -> list[str]:
    response = await client.get("/api/v1/jobs", params=params)
    assert response.status_code == 200, response.text
    return sorted(job["name"] for job in response.json()["items"])


async def test_search_finds_jobs_by_notes_tags_and_name_prefix(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    await submit(ada.client, BELL, shots=10, name="bell-state calibration", tags=["nightly"])
    await submit(
        ada.client, BELL, shots=10, name="teleport", notes="run after the crystal was cooled"
    )
    ghz = await submit(ada.client, BELL, shots=10, name="Grüße aus Zürich", tags=["ghz", "demo"])
    await submit(ada.client, BELL, shots=10, name="salt and pepper")

    assert await names(ada.client, q="crystal") == ["teleport"]  # a word of the notes
    assert await names(ada.client, q="nightly") == ["bell-state calibration"]  # a tag
    assert await names(ada.client, q="bel") == ["bell-state calibration"]  # a name prefix
    assert await names(ada.client, q="BELL calib") == ["bell-state calibration"]
    assert await names(ada.client, q="state") == ["bell-state calibration"]
    assert await names(ada.client, q="grüße") == ["Grüße aus Zürich"]
    assert await names(ada.client, q="AND") == ["salt and pepper"]  # a word, not an operator
    assert await names(ada.client, q="bell crystal") == []  # every word must match
    assert await names(ada.client, q="crystal", sort="name", order="asc") == ["teleport"]

    # Renamed, re-noted and re-tagged: the index follows every edit.
    response = await ada.client.patch(
        f"/api/v1/jobs/{ghz['id']}",
        json={"name": "ghz sweep", "notes": "uses the spare fridge", "tags": ["weekly"]},
    )
    assert response.status_code == 200, response.text
    assert await names(ada.client, q="grüße") == []
    assert await names(ada.client, q="demo") == []
    assert await names(ada.client, q="week") == ["ghz sweep"]
    assert await names(ada.client, q="fridge") == ["ghz sweep"]
    assert await names(ada.client, q="sweep", tag="weekly") == ["ghz sweep"]
    await ada.client.patch(f"/api/v1/jobs/{ghz['id']}", json={"tags": []})
    assert await names(ada.client, q="weekly") == []

    # Someone else's jobs are never found.
    bob = await accounts.sign_up("Bob")
    assert await names(bob.client, q="crystal") == []


async def test_the_ui_search_box_runs_the_same_search(app, accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    await submit(ada.client, BELL, shots=10, name="bell-state calibration", notes="crystal")
    await submit(ada.client, BELL, shots=10, name="teleport")
    workspace = uuid.UUID(ada.personal_workspace_id)
    ui_filter = JobsQuery.from_params({"q": "  cryst "}).job_filter(workspace)
    api_filter = build_job_filter(workspace_id=workspace, q="  cryst ")
    assert ui_filter == api_filter
    async with app.state.database.session(write=False) as session:
        jobs, _ = await JobRepository(session).list_page(
            uuid.UUID(ada.id), ui_filter, PageRequest()
        )
    assert [job.name for job in jobs] == ["bell-state calibration"]


async def test_no_search_text_is_an_error(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    await submit(ada.client, BELL, shots=10, name="bell", notes="plain")
    for query in NASTY:
        for sort in ("created_at", "name"):
            response = await ada.client.get("/api/v1/jobs", params={"q": query, "sort": sort})
            assert response.status_code == 200, (query, response.text)
        response = await ada.client.get("/api/v1/jobs/export", params={"q": query})
        assert response.status_code == 200, (query, response.text)
    # Blank is no filter at all; punctuation alone looks for nothing, so finds nothing.
    assert await names(ada.client, q="   ") == ["bell"]
    assert await names(ada.client, q='"*:') == []
    assert await names(ada.client, q='"bell"') == ["bell"]
    assert await names(ada.client, q="bell:*") == ["bell"]


async def test_queue_positions_follow_the_schedulers_order(app, accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    workspace = uuid.UUID(ada.personal_workspace_id)
    async with app.state.database.session() as session:
        ids = await _insert_jobs(session, workspace, 30, status="queued", spread=True)
    # The scheduler may not have started anything: rows were stored as queued, unleased.
    async with app.state.database.session(write=False) as session:
        repo = JobRepository(session)
        queued = await repo.queued_candidates(utcnow() + timedelta(days=1), 1000)
        mine = [job for job in queued if job.workspace_id == workspace]
        expected = {job.id: place for place, job in enumerate(queued, start=1)}
        page, _ = await repo.list_page(
            uuid.UUID(ada.id), build_job_filter(workspace_id=workspace), PageRequest(limit=10)
        )
        positions = await repo.queue_positions(page)
    assert len(mine) == len(ids)
    assert positions == {job.id: expected[job.id] for job in page}


# --- query plans ---------------------------------------------------------------------


@pytest.fixture
async def crowded(app, accounts: Accounts):
    """A workspace with 3,000 jobs (bulk-inserted), one of them findable by a rare word."""
    ada = await accounts.sign_up("Ada")
    workspace = uuid.UUID(ada.personal_workspace_id)
    async with app.state.database.session() as session:
        await _insert_jobs(session, workspace, 3000)
        rare = (await _insert_jobs(session, workspace, 1, name="zanzibar probe"))[0]
        session.add(JobTag(job_id=rare, tag="expedition", workspace_id=workspace))
        if session.get_bind().dialect.name == "postgresql":
            await session.execute(text("ANALYZE jobs"))
        else:
            await session.execute(text("ANALYZE"))
    return app, uuid.UUID(ada.id), workspace


@pytest.mark.parametrize("descending", [True, False])
@pytest.mark.parametrize("sort", SORTS)
async def test_every_sort_is_read_from_an_index(crowded, sort: str, descending: bool) -> None:
    app, user_id, workspace = crowded
    flt = build_job_filter(workspace_id=workspace)
    async with app.state.database.session(write=False) as session:
        first_plan, cursor = await _plan_of_page(session, user_id, flt, sort, descending, None)
        second_plan, _ = await _plan_of_page(session, user_id, flt, sort, descending, cursor)
    index = {
        "created_at": "ix_jobs_workspace_created",
        "name": "ix_jobs_workspace_name_created",
        "backend": "ix_jobs_workspace_backend_created",
        "status": "ix_jobs_workspace_status_created",
        "priority": "ix_jobs_workspace_priority_created",
    }[sort]
    for plan in (first_plan, second_plan):
        assert index in plan, plan
        assert "TEMP B-TREE" not in plan, plan  # SQLite sorting rows itself
        assert "Sort" not in plan, plan  # PostgreSQL sorting rows itself


async def test_one_status_with_the_default_sort_is_an_index_read(crowded) -> None:
    app, user_id, workspace = crowded
    flt = build_job_filter(workspace_id=workspace, statuses=["failed"])
    async with app.state.database.session(write=False) as session:
        plan, _ = await _plan_of_page(session, user_id, flt, "created_at", True, None)
    assert "ix_jobs_workspace_status_created" in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan


async def test_search_reads_the_text_index(crowded) -> None:
    app, user_id, workspace = crowded
    async with app.state.database.session(write=False) as session:
        postgres = session.get_bind().dialect.name == "postgresql"
        # A small walk window, so that 3,000 jobs are "many" and a rare word is sparse.
        repo = JobRepository(session, search_window=500)
        for words in ("zanzi", "expedition", "zanzibar prob"):
            flt = build_job_filter(workspace_id=workspace, q=words)
            with _captured(session) as statements:
                jobs, _ = await repo.list_page(user_id, flt, PageRequest())
            assert [job.name for job in jobs] == ["zanzibar probe"]
            # Few matches: the text index names them, the page is built from those alone.
            probes = [s for s in statements if "jobs_fts MATCH" in s[0] or "to_tsquery" in s[0]]
            if postgres:
                # One statement: the walk came up short, so the GIN index was asked.
                (search,) = probes
                plan = await _explain_analyze(session, *search)
                assert _ran("Function Scan on jobs_search_keys", plan), plan
                assert "Bitmap Index Scan on ix_jobs_search" in await _search_keys_plan(session)
            else:
                plans = [await _explain(session, *probe) for probe in probes]
                assert "jobs_fts VIRTUAL TABLE" in plans[0], plans
        # A word in every job: the page is found without listing every match.
        flt = build_job_filter(workspace_id=workspace, q="experiment")
        with _captured(session) as statements:
            jobs, _ = await repo.list_page(user_id, flt, PageRequest())
        assert len(jobs) == 50
        if postgres:
            # The sort index is walked and each job's stored tsvector tested; the GIN
            # index is never asked (no bitmap of every match), nothing big is sorted.
            (search,) = [s for s in statements if "to_tsquery" in s[0]]
            plan = await _explain_analyze(session, *search)
            walk = next(line for line in plan.splitlines() if "ix_jobs_workspace_created" in line)
            assert "never executed" not in walk, plan
            assert not _ran("Function Scan on jobs_search_keys", plan), plan
            assert not _ran("Bitmap", plan), plan
            assert all(rows <= 51 for rows in _sorted_rows(plan)), plan
        else:
            plans = [await _explain(session, *s) for s in statements if "memberships" in s[0]]
            # (Only jobs found out of place, looked up by rowid, are sorted.)
            finders = [s for s in statements if "memberships" in s[0] and "rowid IN" not in s[0]]
            for plan in [await _explain(session, *s) for s in finders]:
                assert "TEMP B-TREE" not in plan, plan
            # FTS5 hands out matches newest rowid first and stops after a page.
            assert "SCAN jobs_fts VIRTUAL TABLE" in plans[0], plans
        # Another sort walks that sort's index, testing each job.
        with _captured(session) as statements:
            await repo.list_page(user_id, flt, PageRequest(), sort="name", descending=False)
        walk = next(
            s for s in statements if "memberships" in s[0] and ("@@" in s[0] or "MATCH" in s[0])
        )
        if postgres:
            plan = await _explain_analyze(session, *walk)
            line = next(x for x in plan.splitlines() if "ix_jobs_workspace_name_created" in x)
            assert "never executed" not in line, plan
        else:
            plan = await _explain(session, *walk)
            assert "ix_jobs_workspace_name_created" in plan, plan
            assert "TEMP B-TREE" not in plan, plan


@pytest.mark.parametrize("sort", ["created_at", "name"])
@pytest.mark.parametrize("descending", [True, False])
async def test_search_pages_hold_every_match_once_in_order(
    app, accounts: Accounts, sort: str, descending: bool
) -> None:
    """Common and rare words, page after page, against the same list filtered by hand;
    half the jobs are stored out of age order (imported, or clocks that disagree)."""
    ada = await accounts.sign_up("Ada")
    user_id, workspace = uuid.UUID(ada.id), uuid.UUID(ada.personal_workspace_id)
    async with app.state.database.session() as session:
        await _insert_jobs(session, workspace, 400, shuffled=True)
    async with app.state.database.session(write=False) as session:
        repo = JobRepository(session, search_window=60)
        everything, _ = await repo.list_page(
            user_id,
            build_job_filter(workspace_id=workspace),
            PageRequest(limit=200),
            sort=sort,
            descending=descending,
        )
        rest, _ = await repo.list_page(
            user_id,
            build_job_filter(workspace_id=workspace),
            PageRequest(limit=200, cursor=_),
            sort=sort,
            descending=descending,
        )
        everything += rest
        for q in ("exper", "experiment 1", "batch 12", "run 37", "zzz"):
            words = q.split()

            def wanted(job: Job, words: list[str] = words) -> bool:
                tokens = f"{job.name} {job.notes}".lower().split()
                return all(any(t.startswith(w) for t in tokens) for w in words)

            expected = [job.id for job in everything if wanted(job)]
            assert q == "zzz" or len(expected) > 0
            found, cursor = [], None
            while True:
                page, cursor = await repo.list_page(
                    user_id,
                    build_job_filter(workspace_id=workspace, q=q),
                    PageRequest(limit=17, cursor=cursor),
                    sort=sort,
                    descending=descending,
                )
                found += [job.id for job in page]
                if cursor is None:
                    break
            assert found == expected, q


async def _plan_of_page(
    session: AsyncSession,
    user_id: uuid.UUID,
    flt: Any,
    sort: str,
    descending: bool,
    cursor: str | None,
) -> tuple[str, str | None]:
    """EXPLAIN of the statement the jobs list really sends for this page."""
    repo = JobRepository(session)
    with _captured(session) as statements:
        _, next_cursor = await repo.list_page(
            user_id, flt, PageRequest(cursor=cursor, limit=50), sort=sort, descending=descending
        )
    # The list's own statement, not the scheduler's or the relay's on the same engine.
    statement, params = next(
        (s, p) for s, p in statements if "FROM jobs" in s and "memberships" in s
    )
    return await _explain(session, statement, params), next_cursor


async def _explain(session: AsyncSession, statement: str, params: Any) -> str:
    """The database's plan for a statement: EXPLAIN (PostgreSQL, sequential scans off so
    that a small table is no excuse) or EXPLAIN QUERY PLAN (SQLite)."""
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        await session.execute(text("SET LOCAL enable_seqscan = off"))
    explain = ("EXPLAIN " if postgres else "EXPLAIN QUERY PLAN ") + statement
    rows = await (await session.connection()).exec_driver_sql(explain, params)
    lines = [str(row[-1]) for row in rows.all()]
    if postgres:
        await session.execute(text("SET LOCAL enable_seqscan TO DEFAULT"))
    return "\n".join(lines)


async def _explain_analyze(session: AsyncSession, statement: str, params: Any) -> str:
    """PostgreSQL: the plan as run, so a branch the statement skipped reads "never
    executed"."""
    explain = "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + statement
    rows = await (await session.connection()).exec_driver_sql(explain, params)
    return "\n".join(str(row[-1]) for row in rows.all())


def _ran(node: str, plan: str) -> bool:
    return any(node in line and "never executed" not in line for line in plan.splitlines())


def _sorted_rows(plan: str) -> list[int]:
    """How many rows each sort that ran took in."""
    sorts = re.findall(r"->  Sort \(actual rows=(\d+)", plan)
    return [int(rows) for rows in sorts]


async def _search_keys_plan(session: AsyncSession) -> str:
    """How jobs_search_keys (migration 0007) reads: its query, planned with the settings
    the function carries."""
    settings = await session.scalar(
        text("SELECT proconfig FROM pg_proc WHERE proname = 'jobs_search_keys'")
    )
    assert "enable_seqscan=off" in settings and "enable_indexscan=off" in settings, settings
    for setting in settings:
        name, value = setting.split("=")
        await session.execute(text(f"SET LOCAL {name} = {value}"))
    rows = await session.execute(
        text(
            "EXPLAIN SELECT id FROM jobs "
            "WHERE search_vector @@ to_tsquery('simple', 'zanzi:*') LIMIT 1001"
        )
    )
    await session.execute(text("RESET enable_seqscan"))
    await session.execute(text("RESET enable_indexscan"))
    return "\n".join(str(row[0]) for row in rows)


@contextmanager
def _captured(session: AsyncSession) -> Iterator[list[tuple[str, Any]]]:
    engine = session.get_bind()
    statements: list[tuple[str, Any]] = []

    def keep(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", keep)


async def _insert_jobs(
    session: AsyncSession,
    workspace: uuid.UUID,
    count: int,
    *,
    name: str | None = None,
    status: str | None = None,
    spread: bool = False,
    shuffled: bool = False,
) -> list[uuid.UUID]:
    now = utcnow()
    # Stored order is age order, or (shuffled) every other job swapped far out of it.
    ages = list(range(count))
    if shuffled:
        ages = [count - 1 - i if i % 2 else i for i in ages]
    statuses = ["completed", "failed", "cancelled", "completed"]
    rows = []
    for i in range(count):
        rows.append(
            {
                "id": uuid.uuid4(),
                "workspace_id": workspace,
                "name": name or f"experiment {i % 97} run {i}",
                "notes": f"batch {i % 13}",
                "backend": ["aer_simulator", "fake_manila", "fake_kyiv"][i % 3],
                "primitive": "sampler",
                "status": status or statuses[i % len(statuses)],
                "priority": (i % 5) if spread else i % 3,
                "optimization_level": 1,
                "num_circuits": 1,
                "num_qubits": 2,
                "spec": {},
                "attempts": 0,
                "worker_id": "not-this-server",  # the scheduler leaves them alone
                "created_at": now - timedelta(seconds=count - ages[i]),
                "updated_at": now,
            }
        )
    await session.execute(insert(Job.__table__), rows)
    return [row["id"] for row in rows]


async def test_a_prefix_finds_every_word_it_starts(app, accounts: Accounts) -> None:
    """Prefixes that stand for one word, for a few (SQLite asks each whole word of the
    index) and for more than a hundred (left to the index's own prefix search), and a
    prefix of no word at all: each finds exactly the jobs holding a word it starts."""
    ada = await accounts.sign_up("Ada")
    user_id, workspace = uuid.UUID(ada.id), uuid.UUID(ada.personal_workspace_id)
    async with app.state.database.session() as session:
        await _insert_jobs(session, workspace, 200)
    async with app.state.database.session(write=False) as session:
        repo = JobRepository(session)
        everything, _ = await repo.list_page(
            user_id, build_job_filter(workspace_id=workspace), PageRequest(limit=200)
        )
        for q in ("1", "19", "19 batch", "batch 1", "experiment 19", "run 15", "zz", "19zz"):
            words = q.split()
            expected = {
                job.name
                for job in everything
                if all(
                    any(token.startswith(word) for token in f"{job.name} {job.notes}".split())
                    for word in words
                )
            }
            found, _ = await repo.list_page(
                user_id, build_job_filter(workspace_id=workspace, q=q), PageRequest(limit=200)
            )
            assert {job.name for job in found} == expected, q
            assert len(found) == len(expected), q
