"""Live delivery: how long a job status event takes to reach WebSocket subscribers.

1. 1,000 concurrent subscribers on one server process, 100 job status events (from real
   jobs): every subscriber must receive all 100; median and p99 delivery delay (receive
   time minus the event's commit time), against the same run with 10 subscribers.
2. Redis between two server processes: subscribers connected to process B while the jobs
   run in process A, against subscribers on A itself, in the same run: the added delay.

Run: ``.venv/bin/python benchmarks/live_delivery.py [--subscribers 1000] [--redis URL]``
(needs Redis for part 2; default redis://127.0.0.1:6379/15).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
from websockets.asyncio.client import connect

from qdeck.testing.live_server import LiveServer, api_client

BELL = (
    'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\ncreg c[2];\n'
    "h q[0];\ncx q[0],q[1];\nmeasure q -> c;\n"
)
EVENTS = 100
EVENTS_PER_JOB = 6  # submitted, running, three phases, completed


async def subscriber(url: str, token: str, topic: str, ready: asyncio.Event, want: int, out: list):
    async with connect(
        url.replace("http", "ws", 1) + "/api/v1/ws",
        additional_headers={"Authorization": f"Bearer {token}"},
        max_queue=None,
    ) as socket:
        await socket.recv()
        await socket.send(json.dumps({"type": "subscribe", "topic": topic}))
        await socket.recv()
        ready.set()
        delays = []
        while len(delays) < want:
            frame = json.loads(await socket.recv())
            if frame["type"] != "event":
                continue
            arrived = datetime.now(UTC)
            delays.append((arrived - datetime.fromisoformat(frame["at"])).total_seconds())
        out.append(delays)


async def run_round(
    publisher: httpx.Client, watch_url: str, token: str, topic: str, subscribers: int
) -> list[float]:
    jobs = -(-EVENTS // EVENTS_PER_JOB)
    want = jobs * EVENTS_PER_JOB
    results: list[list[float]] = []
    readies = [asyncio.Event() for _ in range(subscribers)]
    tasks = [
        asyncio.create_task(subscriber(watch_url, token, topic, readies[i], want, results))
        for i in range(subscribers)
    ]
    await asyncio.gather(*(r.wait() for r in readies))
    for _ in range(jobs):
        await asyncio.to_thread(
            publisher.post, "/api/v1/jobs", json={"circuits": [{"source": BELL}], "shots": 10}
        )
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=300)
    assert len(results) == subscribers and all(len(r) == want for r in results)
    return [d for r in results for d in r]


def describe(label: str, delays: list[float]) -> tuple[float, float]:
    median = statistics.median(delays)
    p99 = statistics.quantiles(delays, n=100)[98]
    print(f"  {label:<38} median {median * 1e3:7.1f} ms   p99 {p99 * 1e3:7.1f} ms")
    return median, p99


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        shared = {
            "QDECK_REDIS_URL": args.redis,
            "QDECK_REDIS_CHANNEL": f"qdeck:bench:{uuid.uuid4().hex}",
            "QDECK_DATABASE_URL": f"sqlite+aiosqlite:///{Path(tmp) / 'shared.db'}",
            "QDECK_WORKERS": "1",
            "QDECK_SECRET_KEY": "benchmark",
        }
        a = LiveServer(Path(tmp) / "a", **shared).start()
        b = LiveServer(Path(tmp) / "b", **shared).start()
        try:
            api = api_client(a, "live@example.org", "violet harbour quartz lantern 73")
            token = api.headers["Authorization"].removeprefix("Bearer ")
            workspace = next(
                w["id"] for w in api.get("/api/v1/workspaces").json()["items"] if w["is_personal"]
            )
            topic = f"workspace:{workspace}"
            print(f"1. {EVENTS}+ job status events, one server process")
            small = await run_round(api, a.url, token, topic, 10)
            large = await run_round(api, a.url, token, topic, args.subscribers)
            m10, p10 = describe("10 subscribers", small)
            mn, pn = describe(f"{args.subscribers} subscribers", large)
            print(f"  ratio {args.subscribers} / 10: median {mn / m10:.1f}x, p99 {pn / p10:.1f}x")
            print("2. Redis between two server processes (jobs run in A)")
            started = time.perf_counter()
            local = await run_round(api, a.url, token, topic, 50)
            remote = await run_round(api, b.url, token, topic, 50)
            ml, _ = describe("50 subscribers on A (in-process)", local)
            mr, _ = describe("50 subscribers on B (through Redis)", remote)
            print(
                f"  added delay through Redis: {(mr - ml) * 1e3:.1f} ms at the median "
                f"(ratio {mr / ml:.2f}); {time.perf_counter() - started:.0f} s"
            )
        finally:
            a.stop()
            b.stop()


if __name__ == "__main__":
    asyncio.run(main())
