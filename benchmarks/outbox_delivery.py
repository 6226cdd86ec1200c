"""Live delivery through the outbox: commit -> WebSocket frame, p50 and p99, with 10 and
with 1,000 subscribers, beside the direct publish it replaced, measured in the same run.

The baseline is the same program at the revision before the outbox (events published
after commit, straight to the bus): it is checked out with ``git worktree`` into a
temporary folder and served from there, so both servers meet the same harness, the same
machine and the same moment. Subscribers are spread over several client processes, so
the clients' own decoding does not dominate what is measured; jobs are paced (one every
``--pace`` seconds), so the figure is delivery latency rather than a queue of backlog.

Both servers are started, left until idle (start-up warms a device catalogue and a
worker pool, which would fall on whichever path ran first), and then measured in pairs:
each round runs both paths at 10 and at N subscribers, the order alternating between
rounds. Figures are printed per round and pooled over the rounds.

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
import psutil
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


def wait_until_idle(servers: list[LiveServer], limit_seconds: float = 300) -> None:
    """Until no server process (workers included) uses more than a few percent of a core
    for three seconds running: a server that just started is still warming up (its device
    catalogue, its worker pool), and whichever round ran during that would pay for it."""
    quiet, deadline = 0, time.monotonic() + limit_seconds
    while quiet < 3 and time.monotonic() < deadline:
        processes = [psutil.Process(s.process.pid) for s in servers if s.process]
        processes += [child for s in servers for child in s.children()]
        for process in processes:
            process.cpu_percent(None)
        time.sleep(1)
        busy = sum(p.cpu_percent(None) for p in processes if p.is_running())
        quiet = quiet + 1 if busy < 10 else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--baseline", default=BASELINE, help="git revision to compare with")
    parser.add_argument("--pace", type=float, default=0.3, help="seconds between jobs")
    parser.add_argument("--client-processes", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3, help="pairs per subscriber count")
    args = parser.parse_args()
    n = args.subscribers
    delays: dict[tuple[str, int], list[float]] = {
        (label, size): [] for label in ("outbox", "direct") for size in (10, n)
    }
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "baseline"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), args.baseline],
            check=True,
            capture_output=True,
        )
        try:
            env = {"QDECK_WORKERS": "1", "QDECK_SECRET_KEY": "benchmark"}
            servers = {
                "outbox": LiveServer(Path(tmp) / "outbox", **env).start(),
                "direct": LiveServer(Path(tmp) / "direct", PYTHONPATH=str(tree / "src"), **env),
            }
            try:
                servers["direct"].start()
                clients = {label: _client_for(label, server) for label, server in servers.items()}
                wait_until_idle(list(servers.values()))
                print(f"{JOBS} jobs ({JOBS * EVENTS_PER_JOB} events), one every {args.pace} s")
                for round_no in range(args.rounds):
                    for size in (10, n):
                        # Pair by pair, the order alternating, so that load from elsewhere
                        # on the machine falls on both paths alike.
                        order = ("outbox", "direct") if round_no % 2 == 0 else ("direct", "outbox")
                        for label in order:
                            server, (api, topic) = servers[label], clients[label]
                            got = run_round(server.url, api, topic, size, args)
                            delays[label, size].extend(got)
                            p50, p99 = figures(got)
                            print(
                                f"  round {round_no + 1} {label:<6} {size:>5} subscribers: "
                                f"p50 {p50 * 1e3:7.1f} ms   p99 {p99 * 1e3:7.1f} ms",
                                flush=True,
                            )
            finally:
                for server in servers.values():
                    server.stop()
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                check=False,
                capture_output=True,
            )
    new = {size: figures(delays["outbox", size]) for size in (10, n)}
    old = {size: figures(delays["direct", size]) for size in (10, n)}
    print(f"all rounds pooled ({args.rounds} per path and size)")
    for size in (10, n):
        for label, fig in (("outbox", new[size]), ("direct", old[size])):
            print(
                f"  {label:<6} {size:>5} subscribers: p50 {fig[0] * 1e3:7.1f} ms"
                f"   p99 {fig[1] * 1e3:7.1f} ms"
            )
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


def _client_for(label: str, server: LiveServer) -> tuple[httpx.Client, str]:
    api = api_client(server, f"{label}@example.org", "violet harbour quartz lantern 73")
    workspace = next(
        w["id"] for w in api.get("/api/v1/workspaces").json()["items"] if w["is_personal"]
    )
    return api, f"workspace:{workspace}"


if __name__ == "__main__":
    main()
