"""Jobs list at scale: the first page of every sort and of text searches, N jobs vs 1,000.

Two databases are built by the real migrations, one with 1,000 jobs in one workspace and
one with N (default 1,000,000), bulk-inserted with SQL (not through the API): a year of
history, names and notes from an experiment vocabulary, 0-2 tags per job in job_tags, and
the text index filled (FTS5 rebuild on SQLite; the generated tsvector and its GIN index on
PostgreSQL). Each query is the real ``JobRepository.list_page`` (what GET /jobs and the
Jobs page run), timed as the median of several runs after a warm-up, and printed with its
ratio to the same query at 1,000 jobs (goal: at most 1.5).

    .venv/bin/python benchmarks/jobs_list_scale.py [--jobs 1000000] [--base 1000]
        [--runs 15] [--database sqlite|postgresql|both]
        [--postgres-url postgresql+asyncpg://postgres@127.0.0.1:5432/test]

PostgreSQL uses schemas ``qdeck_bench_<n>`` (dropped afterwards).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import insert

from qdeck.auth.models import User
from qdeck.config import Settings
from qdeck.db import migrate
from qdeck.db.engine import Database
from qdeck.db.keyset import PageRequest
from qdeck.jobs.filters import SORTS, build_job_filter
from qdeck.jobs.repository import JobRepository
from qdeck.workspaces.models import Membership, Workspace

WORDS = [
    "bell", "ghz", "qft", "grover", "teleport", "vqe", "qaoa", "shor", "deutsch", "bernstein",
    "simon", "phase", "swap", "walk", "chem", "maxcut",
]  # fmt: skip
NOTE_WORDS = [
    "calibration", "sweep", "baseline", "noise", "depth", "readout", "mitigation", "retry",
    "fridge", "tuesday", "review", "draft", "paper", "figure", "ablation", "seed",
]  # fmt: skip
TAGS = ["nightly", "demo", "paper", "ci", "hardware", "sim", "teaching", "review"]
BACKENDS = ["aer_simulator", "fake_manila", "fake_sherbrooke", "fake_kyiv", "fake_brisbane"]
STATUSES = ["completed"] * 88 + ["failed"] * 7 + ["cancelled"] * 4 + ["queued"]
RARE = "zanzibar"  # in the notes of exactly 5 jobs, whatever N is
QUERIES: list[tuple[str, dict[str, Any], str]] = [
    *[(f"sort {s} desc", {}, s) for s in SORTS],
    *[(f"sort {s} asc", {}, s + ":asc") for s in SORTS],
    ("status=failed, newest first", {"statuses": ["failed"]}, "created_at"),
    (f"search '{RARE}' (5 jobs)", {"q": RARE}, "created_at"),
    ("search 'telep' (name prefix, 1/16)", {"q": "telep"}, "created_at"),
    ("search 'nightly' (a tag, ~1/8)", {"q": "nightly"}, "created_at"),
    ("search 'grover calib' (2 words)", {"q": "grover calib"}, "created_at"),
]


def job_rows(count: int, workspace: uuid.UUID, user: uuid.UUID) -> Iterator[tuple]:
    """(job row, its tags) for ``count`` jobs, the same on every database."""
    rng = random.Random(11)
    now = datetime.now(UTC)
    rare = set(rng.sample(range(count), 5))
    for i in range(count):
        created = now - timedelta(seconds=365 * 86400 * (count - i) / count, microseconds=i)
        name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} run {i}"
        notes = " ".join(rng.sample(NOTE_WORDS, rng.randint(0, 4)))
        if i in rare:
            notes += f" {RARE}"
        tags = sorted(rng.sample(TAGS, rng.choice((0, 0, 1, 1, 2))))
        status = rng.choice(STATUSES)
        row = {
            "id": uuid.uuid4(),
            "workspace_id": workspace,
            "submitted_by": user,
            "name": name,
            "notes": notes,
            "tags_text": " ".join(tags),
            "backend": rng.choice(BACKENDS),
            "primitive": "sampler",
            "status": status,
            "priority": rng.choice((0, 0, 0, 1, 2)),
            "optimization_level": 1,
            "num_circuits": 1,
            "num_qubits": 2,
            "spec": "{}",
            "attempts": 1,
            # Held by a server that does not exist: no scheduler would touch them.
            "worker_id": "bench",
            "created_at": created,
            "updated_at": created,
        }
        yield row, tags


async def add_owner(database: Database) -> tuple[uuid.UUID, uuid.UUID]:
    user, workspace = uuid.uuid4(), uuid.uuid4()
    async with database.session() as session:
        await session.execute(
            insert(User.__table__).values(
                id=user,
                email=f"{user.hex}@example.org",
                display_name="Bench",
                password_hash="!",  # noqa: S106 (no password: this user never logs in)
            )
        )
        await session.execute(
            insert(Workspace.__table__).values(
                id=workspace, name="Bench", slug=f"bench-{workspace.hex}", created_by=user
            )
        )
        await session.execute(
            insert(Membership.__table__).values(workspace_id=workspace, user_id=user, role="owner")
        )
    return user, workspace


def load_sqlite(path: Path, count: int, workspace: uuid.UUID, user: uuid.UUID) -> None:
    db = sqlite3.connect(path)
    # Triggers off while loading; the index is rebuilt in one pass afterwards.
    triggers = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
        "AND name IN ('jobs_fts_insert', 'job_tags_text_insert')"
    ).fetchall()
    for name, _ in triggers:
        db.execute(f"DROP TRIGGER {name}")
    columns = None
    batch, tags = [], []
    for row, job_tags in job_rows(count, workspace, user):
        values = {
            **row,
            "id": row["id"].hex,
            "workspace_id": workspace.hex,
            "submitted_by": user.hex,
            "created_at": sql_time(row["created_at"]),
            "updated_at": sql_time(row["updated_at"]),
        }
        columns = columns or list(values)
        batch.append(tuple(values.values()))
        tags.extend((row["id"].hex, tag, workspace.hex) for tag in job_tags)
        if len(batch) == 50_000:
            insert_sqlite(db, columns, batch, tags)
            batch, tags = [], []
    insert_sqlite(db, columns or [], batch, tags)
    for _, sql in triggers:
        db.execute(sql)
    db.execute("INSERT INTO jobs_fts(jobs_fts) VALUES ('rebuild')")
    db.commit()
    db.execute("ANALYZE")
    db.close()


def insert_sqlite(db: sqlite3.Connection, columns: list[str], rows: list, tags: list) -> None:
    if not rows:
        return
    marks = ", ".join("?" for _ in columns)
    db.execute("BEGIN")
    db.executemany(f"INSERT INTO jobs ({', '.join(columns)}) VALUES ({marks})", rows)  # noqa: S608
    db.executemany("INSERT INTO job_tags (job_id, tag, workspace_id) VALUES (?, ?, ?)", tags)
    db.execute("COMMIT")


def sql_time(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


async def load_postgres(
    url: str, schema: str, count: int, workspace: uuid.UUID, user: uuid.UUID
) -> None:
    conn = await asyncpg.connect(url, server_settings={"search_path": schema})
    try:
        gin = await conn.fetchval(
            "SELECT indexdef FROM pg_indexes "
            "WHERE schemaname = $1 AND indexname = 'ix_jobs_search'",
            schema,
        )
        await conn.execute("DROP INDEX ix_jobs_search")
        await conn.execute("ALTER TABLE job_tags DISABLE TRIGGER job_tags_text")
        batch: list[tuple] = []
        tags: list[tuple] = []
        columns: list[str] = []
        for row, job_tags in job_rows(count, workspace, user):
            columns = columns or list(row)
            batch.append(tuple(row.values()))
            tags.extend((row["id"], tag, workspace) for tag in job_tags)
            if len(batch) == 50_000:
                await copy_postgres(conn, columns, batch, tags)
                batch, tags = [], []
        await copy_postgres(conn, columns, batch, tags)
        await conn.execute("ALTER TABLE job_tags ENABLE TRIGGER job_tags_text")
        await conn.execute(gin)
        await conn.execute("VACUUM ANALYZE jobs")
        await conn.execute("VACUUM ANALYZE job_tags")
    finally:
        await conn.close()


async def copy_postgres(conn: Any, columns: list[str], rows: list, tags: list) -> None:
    if rows:
        await conn.copy_records_to_table("jobs", records=rows, columns=columns)
        await conn.copy_records_to_table(
            "job_tags", records=tags, columns=["job_id", "tag", "workspace_id"]
        )


async def timed(database: Database, user: uuid.UUID, flt: Any, sort_spec: str) -> tuple:
    sort, _, direction = sort_spec.partition(":")
    async with database.session(write=False) as session:
        started = time.perf_counter()
        jobs, _ = await JobRepository(session).list_page(
            user, flt, PageRequest(limit=50), sort=sort, descending=direction != "asc"
        )
        return time.perf_counter() - started, len(jobs)


async def measure(small: tuple, large: tuple, runs: int) -> dict[str, tuple]:
    """Median of ``runs`` timings of each query on each database, taken in turns (small,
    large, small, ...) so that load from elsewhere on the machine falls on both alike."""
    figures = {}
    for label, params, sort_spec in QUERIES:
        times: dict[int, list[float]] = {0: [], 1: []}
        rows = {}
        for run in range(runs + 2):
            for side, (database, user, workspace) in enumerate((small, large)):
                flt = build_job_filter(workspace_id=workspace, **params)
                took, rows[side] = await timed(database, user, flt, sort_spec)
                if run >= 2:  # two warm-ups: caches and statement compilation
                    times[side].append(took)
        figures[label] = tuple((statistics.median(times[side]), rows[side]) for side in (0, 1))
    return figures


async def build(settings: Settings, count: int, postgres_url: str | None) -> tuple:
    await asyncio.to_thread(migrate.upgrade, settings)
    database = Database(settings)
    user, workspace = await add_owner(database)
    began = time.perf_counter()
    if postgres_url:
        await load_postgres(postgres_url, settings.database_schema or "", count, workspace, user)
    else:
        await asyncio.to_thread(load_sqlite, settings.data_dir / "qdeck.db", count, workspace, user)
    print(f"  loaded {count:,} jobs in {time.perf_counter() - began:.0f} s", flush=True)
    return database, user, workspace


async def run_database(kind: str, args: argparse.Namespace, root: Path) -> None:
    print(f"\n{kind}: {args.jobs:,} jobs vs {args.base:,}", flush=True)
    built, schemas = [], []
    raw_url = args.postgres_url.replace("+asyncpg", "") if kind == "postgresql" else None
    try:
        for count in (args.base, args.jobs):
            values: dict[str, Any] = {"data_dir": root / f"{kind}-{count}", "log_level": "WARNING"}
            if raw_url:
                values["database_url"] = args.postgres_url
                values["database_schema"] = f"qdeck_bench_{count}"
                schemas.append(values["database_schema"])
                await drop_schema(raw_url, values["database_schema"])
            built.append(await build(Settings(**values), count, raw_url))
        figures = await measure(built[0], built[1], args.runs)
    finally:
        for database, _, _ in built:
            await database.dispose()
        for schema in schemas:
            await drop_schema(raw_url or "", schema)
    worst = 0.0
    for label, ((small, n_small), (big, n_big)) in figures.items():
        ratio = big / small
        worst = max(worst, ratio)
        print(
            f"  {label:38s} {small * 1000:7.2f} ms ({n_small:2d} rows)  "
            f"{big * 1000:7.2f} ms ({n_big:2d} rows)  ratio {ratio:4.2f}x",
            flush=True,
        )
    print(f"  worst ratio {worst:.2f}x (goal <= 1.5x)", flush=True)
    print(json.dumps({"database": kind, "jobs": args.jobs, "worst_ratio": round(worst, 2)}))


async def drop_schema(url: str, schema: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1_000_000)
    parser.add_argument("--base", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument(
        "--postgres-url", default="postgresql+asyncpg://postgres@127.0.0.1:5432/test"
    )
    args = parser.parse_args()
    kinds = ("sqlite", "postgresql") if args.database == "both" else (args.database,)
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            asyncio.run(run_database(kind, args, Path(tmp)))


if __name__ == "__main__":
    main()
