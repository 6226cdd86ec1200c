"""Helpers for job tests: circuits people really submit, and waiting for a job to finish."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from httpx import AsyncClient

BELL = """OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
creg c[2];
h q[0];
cx q[0],q[1];
measure q -> c;
"""

GHZ3 = """OPENQASM 3.0;
include "stdgates.inc";
qubit[3] q;
bit[3] c;
h q[0];
cx q[0], q[1];
cx q[1], q[2];
c = measure q;
"""

BELL_NO_MEASURE = """OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
h q[0];
cx q[0],q[1];
"""


def slow_circuit(qubits: int = 22, layers: int = 60) -> str:
    """A dense non-Clifford circuit that keeps a statevector worker busy for seconds."""
    lines = ["OPENQASM 2.0;", 'include "qelib1.inc";', f"qreg q[{qubits}];", f"creg c[{qubits}];"]
    for layer in range(layers):
        for q in range(qubits):
            lines.append(f"rx({0.1 + 0.01 * (q + layer)}) q[{q}];")
            lines.append(f"t q[{q}];")
        for q in range(layer % 2, qubits - 1, 2):
            lines.append(f"cx q[{q}],q[{q + 1}];")
    lines.append("measure q -> c;")
    return "\n".join(lines)


async def submit(client: AsyncClient, source: str = BELL, **fields: Any) -> dict[str, Any]:
    body = {"circuits": [{"source": source}], **fields}
    response = await client.post("/api/v1/jobs", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def wait_for(
    client: AsyncClient,
    job_id: str,
    statuses: tuple[str, ...] = ("completed", "failed", "cancelled"),
    limit_seconds: float = 120.0,
) -> dict[str, Any]:
    deadline = time.monotonic() + limit_seconds
    while True:
        job = (await client.get(f"/api/v1/jobs/{job_id}")).json()
        if job["status"] in statuses:
            return job
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} still {job['status']} after {limit_seconds} s")
        await asyncio.sleep(0.05)
