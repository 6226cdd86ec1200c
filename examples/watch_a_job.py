"""Submit a job through qdeck's REST API and print each status change as it happens,
followed over the WebSocket.

    python examples/watch_a_job.py --url http://127.0.0.1:8000 --token qdk_... [circuit.qasm]

Without a circuit file it runs a Bell state on the ideal simulator.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

import httpx
from websockets.asyncio.client import connect

BELL = """OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
creg c[2];
h q[0];
cx q[0],q[1];
measure q -> c;
"""
FINAL = {"completed", "failed", "cancelled"}


async def watch(url: str, token: str, source: str, backend: str) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    ws_url = url.replace("http", "ws", 1).rstrip("/") + "/api/v1/ws"
    async with connect(ws_url, additional_headers=headers) as socket:
        await socket.recv()  # welcome
        async with httpx.AsyncClient(base_url=url, headers=headers) as api:
            response = await api.post(
                "/api/v1/jobs", json={"backend": backend, "circuits": [{"source": source}]}
            )
            if response.status_code != 201:
                print(f"submit failed: {response.json()['detail']}", file=sys.stderr)
                return 2
            job = response.json()
            print(f"submitted {job['id']} ({job['name']})")
            # since=0: also replays what happened between the submit and the subscribe.
            await socket.send(
                json.dumps({"type": "subscribe", "topic": f"job:{job['id']}", "since": 0})
            )
            async for raw in socket:
                frame = json.loads(raw)
                if frame["type"] == "error":
                    print(f"error: {frame['message']}", file=sys.stderr)
                    return 2
                if frame["type"] != "event":
                    continue
                data = frame["data"]
                phase = f" ({data['phase']})" if data["phase"] else ""
                print(f"{frame['at']}  {data['status']}{phase}  {data['reason']}")
                if data["status"] in FINAL:
                    break
            result = (await api.get(f"/api/v1/jobs/{job['id']}")).json()
    if result["status"] != "completed":
        print(f"{result['status']}: {result['error_message'] or ''}")
        return 1
    for pub in result["result"]["pubs"]:
        print("counts:", pub["data"][0].get("counts") or pub["data"][0].get("evs"))
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description="Submit a job and watch it live.")
    parser.add_argument("circuit", nargs="?", help="an OpenQASM file (default: a Bell state)")
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--token", required=True, help="a qdeck API token (qdk_...)")
    parser.add_argument("--backend", default="aer_simulator")
    args = parser.parse_args()
    source = Path(args.circuit).read_text() if args.circuit else BELL
    sys.exit(asyncio.run(watch(args.url, args.token, source, args.backend)))


if __name__ == "__main__":
    main()
