"""Jobs page and dashboard: time until the first rows show, 100,000 jobs versus 100.

Two real ``qdeck serve`` processes (SQLite), one with 100 jobs in the user's workspace and
one with 100,000 (spread over a year, as a busy team's history would be, with one activity
entry each), inserted in bulk with SQL. A real Chromium logs in and opens each page several
times; the figure is the median time from navigation to the first row on screen (the jobs
table's first row; on the dashboard, the stat cards' numbers and the activity feed's first
entry). Prints both figures and the ratio (goal: at most 1.5).

    .venv/bin/python benchmarks/ui_first_rows.py [--small 100] [--large 100000] [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

from qdeck.testing.live_server import LiveServer

CHROMIUM = os.environ.get("QDECK_TEST_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct horse battery staple"
BELL = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\n'
STATUSES = ["completed"] * 90 + ["failed"] * 7 + ["cancelled"] * 3
BACKENDS = ["aer_simulator", "fake_manila", "fake_sherbrooke", "fake_kyiv", "fake_brisbane"]


def sql_time(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")


def insert_jobs(database: Path, email: str, count: int) -> None:
    """``count`` finished jobs over the last 365 days in the user's personal workspace."""
    rng = random.Random(7)
    db = sqlite3.connect(database)
    user_id, workspace_id = db.execute(
        "SELECT users.id, memberships.workspace_id FROM users JOIN memberships "
        "ON memberships.user_id = users.id WHERE users.email = ?",
        (email,),
    ).fetchone()
    now = datetime.now(UTC)
    spec = json.dumps(
        {
            "primitive": "sampler",
            "backend": "aer_simulator",
            "circuits": [{"source": BELL}],
            "optimization_level": 2,
            "shots": 1024,
        }
    )
    jobs, activity = [], []
    for i in range(count):
        created = now - timedelta(seconds=rng.uniform(60, 365 * 86400))
        started = created + timedelta(seconds=rng.uniform(0.005, 2))
        finished = started + timedelta(seconds=rng.lognormvariate(-2, 1.5))
        status = rng.choice(STATUSES)
        job_id = uuid.uuid4()
        name = f"bulk job {i}"
        jobs.append(
            (
                job_id.hex,
                workspace_id,
                user_id,
                name,
                "",
                rng.choice(BACKENDS),
                "sampler",
                status,
                0,
                1024,
                2,
                1,
                2,
                spec,
                1,
                sql_time(started),
                sql_time(finished),
                sql_time(finished),
                sql_time(created),
                "failed" if status == "failed" else None,
            )
        )
        activity.append(
            (
                workspace_id,
                user_id,
                f"job.{status}",
                "job",
                str(job_id),
                f"{name} {status}",
                "{}",
                sql_time(finished),
            )
        )
    db.executemany(
        "INSERT INTO jobs (id, workspace_id, submitted_by, name, notes, backend, primitive, "
        "status, priority, shots, optimization_level, num_circuits, num_qubits, spec, attempts, "
        "started_at, finished_at, updated_at, created_at, error_code) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        jobs,
    )
    activity.sort(key=lambda row: row[-1])
    db.executemany(
        "INSERT INTO activity_entries (workspace_id, actor_id, verb, subject_type, subject_id, "
        "summary, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        activity,
    )
    db.commit()
    db.execute("ANALYZE")
    db.close()


def prepare(root: Path, count: int) -> tuple[LiveServer, str]:
    server = LiveServer(root / f"jobs-{count}", QDECK_WORKERS="1").start()
    email = f"bench-{count}@example.org"
    httpx.post(
        f"{server.url}/api/v1/auth/signup",
        timeout=60,
        json={"email": email, "password": PASSWORD, "display_name": "Bench"},
    ).raise_for_status()
    insert_jobs(server.data_dir / "qdeck.db", email, count)
    return server, email


def measure(browser, server: LiveServer, email: str, runs: int) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(f"{server.url}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/dashboard")
    pages = {
        "jobs": ("/jobs", ".qd-table tbody tr a.qd-link"),
        "dashboard": ("/dashboard", ".q-card a.qd-link >> nth=0"),
    }
    figures = {}
    for name, (path, selector) in pages.items():
        times = []
        for run in range(runs + 1):
            started = time.perf_counter()
            page.goto(server.url + path, wait_until="commit")
            page.wait_for_selector(selector, timeout=60_000)
            if name == "dashboard":
                page.wait_for_function(
                    "[...document.querySelectorAll('.text-3xl')].every(e => e.textContent !== '—')"
                )
            if run:  # the first visit warms caches on both servers alike
                times.append(time.perf_counter() - started)
        figures[name] = statistics.median(times)
    context.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        began = time.perf_counter()
        small, small_email = prepare(root, args.small)
        large, large_email = prepare(root, args.large)
        took = time.perf_counter() - began
        print(f"prepared {args.small:,} and {args.large:,} jobs in {took:.1f} s")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                base = measure(browser, small, small_email, args.runs)
                big = measure(browser, large, large_email, args.runs)
                browser.close()
        finally:
            small.stop()
            large.stop()
    for name in base:
        ratio = big[name] / base[name]
        print(
            f"{name:10s} first rows: {base[name] * 1000:7.1f} ms with {args.small:,} jobs, "
            f"{big[name] * 1000:7.1f} ms with {args.large:,} jobs  ratio {ratio:.2f} (goal <= 1.5)"
        )


if __name__ == "__main__":
    main()
