"""Live delivery through the outbox: commit -> WebSocket frame, p50 and p99, with 10 and
with 1,000 subscribers, beside the direct publish it replaced, measured in the same run.

The baseline is the same program at the revision before the outbox (events published
after commit, straight to the bus): it is checked out with ``git worktree`` into a
temporary folder and served from there, so both servers meet the same harness, the same
machine and the same moment. Subscribers are spread over several client processes, so
the clients' own decoding does not dominate what is measured; jobs are paced (one every
``--pace`` seconds), so the figure is delivery latency rather than a queue of backlog.

Delay of a frame = the time the client received it minus the event's time (stamped when
the change was made, before its commit).

Run: ``.venv/bin/python benchmarks/outbox_delivery.py [--subscribers 1000] [--baseline REV]``
Targets (issue 11): the outbox path no slower than direct publish; p99 at 1,000
subscribers within 3x the p99 at 10.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import statistics
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from websockets.asyncio.client import connect

from qdeck.testing.live_server import LiveServer, api_client

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "badcbae"  # the last revision that published after commit, without the outbox
BELL = (
    'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\ncreg c[2];\n'
    "h q[0];\ncx q[0],q[1];\nmeasure q -> c;\n"
)
JOBS = 17  # about 100 events: submitted, running, three phases, completed per job
EVENTS_PER_JOB = 6


async def _subscribers(url: str, token: str, topic: str, count: int, want: int, ready) -> list:
    delays: list[float] = []
    subscribed = asyncio.Event()
    pending = [count]

    async def one() -> None:
        async with connect(
            url.replace("http", "ws", 1) + "/api/v1/ws",
            additional_headers={"Authorization": f"Bearer {token}"},
            max_queue=None,
            open_timeout=120,
        ) as socket:
            await socket.recv()
            await socket.send(json.dumps({"type": "subscribe", "topic": topic}))
            await socket.recv()
            pending[0] -= 1
            if pending[0] == 0:
                subscribed.set()
            seen = 0
            while seen < want:
                frame = json.loads(await socket.recv())
                if frame["type"] != "event":
                    continue
                arrived = datetime.now(UTC)
                delays.append((arrived - datetime.fromisoformat(frame["at"])).total_seconds())
                seen += 1

    tasks = [asyncio.create_task(one()) for _ in range(count)]
    await subscribed.wait()
    ready.put("ready")
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=600)
    return delays


def _client_process(url, token, topic, count, want, ready, out) -> None:
    out.put(asyncio.run(_subscribers(url, token, topic, count, want, ready)))


def run_round(server_url: str, api: httpx.Client, topic: str, subscribers: int, args) -> list:
    ctx = mp.get_context("spawn")
    ready, out = ctx.Queue(), ctx.Queue()
    token = api.headers["Authorization"].removeprefix("Bearer ")
    processes = min(args.client_processes, subscribers)
    shares = [subscribers // processes + (i < subscribers % processes) for i in range(processes)]
    want = JOBS * EVENTS_PER_JOB
    workers = [
        ctx.Process(target=_client_process, args=(server_url, token, topic, n, want, ready, out))
        for n in shares
    ]
    for worker in workers:
        worker.start()
    for _ in workers:
        ready.get(timeout=600)
    for _ in range(JOBS):
        api.post("/api/v1/jobs", json={"circuits": [{"source": BELL}], "shots": 10})
        time.sleep(args.pace)
    delays = [d for _ in workers for d in out.get(timeout=600)]
    for worker in workers:
        worker.join()
    assert len(delays) == subscribers * want, "a subscriber missed events"
    return delays


def figures(delays: list[float]) -> tuple[float, float]:
    return statistics.median(delays), statistics.quantiles(delays, n=100)[98]


def measure(label: str, server: LiveServer, args) -> dict[int, tuple[float, float]]:
    api = api_client(server, f"{label}@example.org", "violet harbour quartz lantern 73")
    workspace = next(
        w["id"] for w in api.get("/api/v1/workspaces").json()["items"] if w["is_personal"]
    )
    result = {}
    for subscribers in (10, args.subscribers):
        result[subscribers] = figures(
            run_round(server.url, api, f"workspace:{workspace}", subscribers, args)
        )
        p50, p99 = result[subscribers]
        print(
            f"  {label:<8} {subscribers:>5} subscribers: p50 {p50 * 1e3:7.1f} ms"
            f"   p99 {p99 * 1e3:7.1f} ms",
            flush=True,
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--baseline", default=BASELINE, help="git revision to compare with")
    parser.add_argument("--pace", type=float, default=0.3, help="seconds between jobs")
    parser.add_argument("--client-processes", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "baseline"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), args.baseline],
            check=True,
            capture_output=True,
        )
        try:
            env = {"QDECK_WORKERS": "1", "QDECK_SECRET_KEY": "benchmark"}
            outbox = LiveServer(Path(tmp) / "outbox", **env).start()
            direct = LiveServer(Path(tmp) / "direct", PYTHONPATH=str(tree / "src"), **env).start()
            try:
                print(f"{JOBS} jobs ({JOBS * EVENTS_PER_JOB} events), one every {args.pace} s")
                new = measure("outbox", outbox, args)
                old = measure("direct", direct, args)
            finally:
                outbox.stop()
                direct.stop()
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                check=False,
                capture_output=True,
            )
    n = args.subscribers
    print("ratios")
    for size in (10, n):
        print(
            f"  outbox / direct at {size:>5}: p50 {new[size][0] / old[size][0]:.2f}x"
            f"   p99 {new[size][1] / old[size][1]:.2f}x"
        )
    print(
        f"  p99 at {n} / p99 at 10: outbox {new[n][1] / new[10][1]:.1f}x"
        f"   direct {old[n][1] / old[10][1]:.1f}x"
    )


if __name__ == "__main__":
    main()
