"""Gamification at scale: leaderboards and the progress page with many users and a large
ledger, as a ratio to a small database, and award throughput beside bare inserts.

Two SQLite databases are built by the real migrations and filled with bulk SQL (not
through the consumer): users, a 50-member team workspace, profiles (30% opted in to the
global board), 12 weeks + 3 months + all-time rollups per user, 20 activity days and a
few counters per user, and the ledger. The queries are the real ``GamificationService``
calls the API and pages make (workspace board, global board, ``me``, ``progress``),
timed as the median of several runs after a warm-up, with their ratio to the small
database (goal: at most 1.5; the boards read rollups through their index, never the
ledger). Then ``Awarder.apply`` (everything one Quest level solve does: ledger, rollups,
day, streak, counters, achievements, challenges) is timed per event beside bare
``xp_ledger`` inserts of the same count in one transaction.

    .venv/bin/python benchmarks/gamification_scale.py [--users 100000] [--ledger 10000000]
        [--base-users 1000] [--base-ledger 100000] [--runs 15] [--awards 2000]

The brief's size is 100,000 users and 10,000,000 ledger rows; inserting 10 M rows takes
minutes on a busy machine, so pass a smaller --ledger when needed and say so.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from qdeck.auth.models import User
from qdeck.config import Settings
from qdeck.db import migrate
from qdeck.db.engine import Database
from qdeck.gamification.awarding import Awarder, week_start
from qdeck.gamification.facts import level_fact
from qdeck.gamification.models import XpEntry
from qdeck.gamification.service import GamificationService

TEAM = 50
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def _ts(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")


def build(path: Path, users: int, ledger: int) -> tuple[Settings, str, list[str]]:
    settings = Settings(data_dir=path, secret_key="bench-" * 8)
    migrate.upgrade(settings)
    db = sqlite3.connect(path / "qdeck.db")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    rng = random.Random(5)
    ids = [uuid.UUID(int=rng.getrandbits(128)).hex for _ in range(users)]
    now, today = _ts(NOW), NOW.date()
    db.executemany(
        "INSERT INTO users (id, email, display_name, password_hash, is_admin, is_active,"
        " preferences, created_at, updated_at) VALUES (?, ?, ?, 'x', 0, 1, '{}', ?, ?)",
        ((u, f"u{i}@example.org", f"Person {i}", now, now) for i, u in enumerate(ids)),
    )
    team = uuid.uuid4().hex
    db.execute(
        "INSERT INTO workspaces (id, name, slug, description, is_personal, created_at, "
        "updated_at) VALUES (?, 'Team', 'team', '', 0, ?, ?)",
        (team, now, now),
    )
    db.executemany(
        "INSERT INTO memberships (workspace_id, user_id, role, created_at) VALUES (?, ?, ?, ?)",
        ((team, u, "member", now) for u in ids[:TEAM]),
    )
    xp = {u: rng.randrange(10, 50_000) for u in ids}
    db.executemany(
        "INSERT INTO gamification_profiles (user_id, xp, level, current_streak, longest_streak,"
        " freezes, freezes_used, global_opt_in, hidden, league_opt_in, league_tier, "
        "updated_at) VALUES (?, ?, 5, 3, 9, 1, 0, ?, 0, 1, 2, ?)",
        ((u, xp[u], int(rng.random() < 0.3), now) for u in ids),
    )
    monday = week_start(today)
    weeks = [monday - timedelta(weeks=i) for i in range(12)]
    months = [today.replace(day=1), date(today.year, today.month - 1, 1), date(1970, 1, 1)]

    def rollups():
        for u in ids:
            for w in weeks:
                yield u, "w", w.isoformat(), rng.randrange(0, 2000)
            yield u, "m", months[0].isoformat(), rng.randrange(0, 8000)
            yield u, "m", months[1].isoformat(), rng.randrange(0, 8000)
            yield u, "a", months[2].isoformat(), xp[u]

    db.executemany(
        "INSERT INTO xp_rollups (user_id, period, start, xp) VALUES (?,?,?,?)", rollups()
    )
    db.executemany(
        "INSERT INTO gamification_days (user_id, day, xp, job_xp, actions) VALUES (?,?,?,?,?)",
        (
            (u, (today - timedelta(days=d * 3)).isoformat(), 40, 30, 4)
            for u in ids
            for d in range(20)
        ),
    )
    metrics = ("jobs_completed", "levels_solved", "lessons_completed", "skill:noise")
    db.executemany(
        "INSERT INTO gamification_counters (user_id, metric, value) VALUES (?,?,?)",
        ((u, m, rng.randrange(0, 300)) for u in ids for m in metrics),
    )
    db.commit()

    def entries():
        for i in range(ledger):
            at = NOW - timedelta(seconds=(ledger - i) * 31_536_000 / ledger)
            yield ids[i % users], f"job:{i}", "job", 5, "", _ts(at)

    db.executemany(
        "INSERT INTO xp_ledger (user_id, source, rule, xp, note, at) VALUES (?,?,?,?,?,?)",
        entries(),
    )
    db.commit()
    db.close()
    return settings, str(uuid.UUID(team)), [str(uuid.UUID(u)) for u in ids[:TEAM]]


def _calls(service, user, team: str) -> dict:
    return {
        "workspace board (week)": lambda: service.workspace_board(
            user, uuid.UUID(team), "week", NOW
        ),
        "workspace board (all time)": lambda: service.workspace_board(
            user, uuid.UUID(team), "all", NOW
        ),
        "global board (week)": lambda: service.global_board(user, "week", NOW),
        "global board (month)": lambda: service.global_board(user, "month", NOW),
        "me": lambda: service.me(user, NOW),
        "progress page": lambda: service.progress(user, NOW),
    }


async def time_queries(built: dict[str, tuple], runs: int) -> dict[str, dict[str, float]]:
    """Runs alternate between the databases, so a busy moment on a shared machine costs
    both sides alike and the ratio stays honest."""
    opened = {}
    for label, (settings, team, members) in built.items():
        database = Database(settings)
        session_cm = database.session(write=False)
        session = await session_cm.__aenter__()
        user = await session.get(User, uuid.UUID(members[0]))
        assert user is not None
        opened[label] = (
            database,
            session_cm,
            _calls(GamificationService(session, settings), user, team),
        )
    samples: dict[str, dict[str, list[float]]] = {label: {} for label in opened}
    try:
        names = list(next(iter(opened.values()))[2])
        for name in names:
            for _, _, calls in opened.values():
                await calls[name]()  # warm-up
            for _ in range(runs):
                for label, (_, _, calls) in opened.items():
                    start = time.perf_counter()
                    await calls[name]()
                    samples[label].setdefault(name, []).append(time.perf_counter() - start)
    finally:
        for database, session_cm, _ in opened.values():
            await session_cm.__aexit__(None, None, None)
            await database.dispose()
    return {
        label: {name: statistics.median(values) for name, values in by_name.items()}
        for label, by_name in samples.items()
    }


async def throughput(settings: Settings, members: list[str], count: int) -> tuple[float, float]:
    database = Database(settings)
    levels = [f"bench-level-{i}" for i in range(count)]
    try:
        start = time.perf_counter()
        async with database.session() as session:
            awarder = Awarder(session, settings, announce=False)
            for i, key in enumerate(levels):
                user = uuid.UUID(members[i % len(members)])
                at = NOW + timedelta(seconds=i)
                await awarder.apply(level_fact(user, key, "entanglement", 3, at))
        awards = count / (time.perf_counter() - start)
        start = time.perf_counter()
        async with database.session() as session:
            for i, key in enumerate(levels):
                session.add(
                    XpEntry(
                        user_id=uuid.UUID(members[i % len(members)]),
                        source=f"bare:{key}",
                        rule="bare",
                        xp=30,
                        note="",
                        at=NOW,
                    )
                )
                await session.flush()
        bare = count / (time.perf_counter() - start)
    finally:
        await database.dispose()
    return awards, bare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--ledger", type=int, default=10_000_000)
    parser.add_argument("--base-users", type=int, default=1_000)
    parser.add_argument("--base-ledger", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--awards", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        built = {}
        for label, users, ledger in (
            ("base", args.base_users, args.base_ledger),
            ("large", args.users, args.ledger),
        ):
            started = time.perf_counter()
            built[label] = build(Path(tmp) / label, users, ledger)
            print(
                f"{label}: {users:,} users, {ledger:,} ledger rows built in "
                f"{time.perf_counter() - started:.0f} s"
            )
        figures = asyncio.run(time_queries(built, args.runs))
        settings, _, members = built["large"]
        print(f"\n{'query':30} {'base ms':>9} {'large ms':>9} {'ratio':>6}")
        for name, base in figures["base"].items():
            large = figures["large"][name]
            print(f"{name:30} {base * 1000:9.2f} {large * 1000:9.2f} {large / base:6.2f}")
        awards, bare = asyncio.run(throughput(settings, members, args.awards))
        print(
            f"\naward throughput (Awarder.apply, one Quest level solve each): {awards:,.0f}/s;"
            f" bare xp_ledger inserts: {bare:,.0f}/s; ratio {bare / awards:.1f}x"
        )


if __name__ == "__main__":
    main()
