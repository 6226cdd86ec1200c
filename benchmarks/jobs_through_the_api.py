"""Jobs through qdeck's API, end to end, against plain Qiskit measured in the same run.

Three figures (issue: job engine):

1. Small noisy job: a 5-qubit GHZ, 1024 shots, on fake_sherbrooke (127 qubits), submitted
   through the REST API of a real ``qdeck serve`` and waited for until its result is
   stored. Baseline: ``SamplerV2(mode=FakeSherbrooke()).run(...)`` from
   qiskit-ibm-runtime's local testing mode. Goal: qdeck at least 100x faster per job.
2. Throughput: 300 such jobs submitted at once; jobs/s against the same 300 jobs run back
   to back in one plain Aer process (noise model built once, as fast as plain Aer gets).
3. Large ideal job: a 24-qubit statevector circuit through qdeck versus the same circuit in
   plain Aer. Goal: ratio at most 1.10.

Run: ``.venv/bin/python benchmarks/jobs_through_the_api.py [--quick]`` (a few minutes;
``--quick`` uses fewer repetitions).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path

import httpx

from qdeck.testing.live_server import LiveServer, api_client

GHZ5 = (
    'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[5];\ncreg c[5];\nh q[0];\n'
    "cx q[0],q[1];\ncx q[1],q[2];\ncx q[2],q[3];\ncx q[3],q[4];\nmeasure q -> c;\n"
)
SHOTS = 1024
FINAL = {"completed", "failed", "cancelled"}


def large_circuit(qubits: int = 24, layers: int = 8) -> str:
    lines = ["OPENQASM 2.0;", 'include "qelib1.inc";', f"qreg q[{qubits}];", f"creg c[{qubits}];"]
    for layer in range(layers):
        lines += [f"ry({0.3 + 0.05 * (q + layer)}) q[{q}];" for q in range(qubits)]
        lines += [f"cx q[{q}],q[{q + 1}];" for q in range(layer % 2, qubits - 1, 2)]
    lines.append("measure q -> c;")
    return "\n".join(lines)


def submit(api: httpx.Client, source: str, backend: str, shots: int = SHOTS) -> str:
    response = api.post(
        "/api/v1/jobs",
        json={"backend": backend, "circuits": [{"source": source}], "shots": shots, "seed": 1},
    )
    response.raise_for_status()
    return response.json()["id"]


def wait(api: httpx.Client, job_id: str) -> dict:
    # Polling every 10 ms: the figures below use the server's own finished_at, so how
    # often we look only needs to be gentle on the server, not precise.
    while True:
        job = api.get(f"/api/v1/jobs/{job_id}").json()
        if job["status"] in FINAL:
            if job["status"] != "completed":
                raise RuntimeError(f"job {job_id} {job['status']}: {job['error_message']}")
            return job
        time.sleep(0.01)


def stored_after(job: dict, started: datetime) -> float:
    """Seconds from the client starting the submit request to the result being stored."""
    return (datetime.fromisoformat(job["finished_at"]) - started).total_seconds()


def qdeck_latency(api: httpx.Client, runs: int) -> tuple[float, str]:
    first = time.perf_counter()
    job = wait(api, submit(api, GHZ5, "fake_sherbrooke"))
    print(
        f"  first qdeck job (noise model built in the worker): {time.perf_counter() - first:.2f} s"
    )
    times = []
    for _ in range(runs):
        started = datetime.now(UTC)
        times.append(stored_after(wait(api, submit(api, GHZ5, "fake_sherbrooke")), started))
    return statistics.median(times), job["result"]["pubs"][0]["transpiled"]["qasm"]


def baseline_latency(transpiled_qasm: str, runs: int) -> float:
    from qiskit import qasm2
    from qiskit_ibm_runtime import SamplerV2
    from qiskit_ibm_runtime.fake_provider import FakeSherbrooke

    circuit = qasm2.loads(transpiled_qasm, custom_instructions=qasm2.LEGACY_CUSTOM_INSTRUCTIONS)
    times = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sampler = SamplerV2(mode=FakeSherbrooke())
        for _ in range(runs):
            start = time.perf_counter()
            sampler.run([circuit], shots=SHOTS).result()
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def qdeck_throughput(api: httpx.Client, count: int) -> float:
    started = datetime.now(UTC)
    ids = [submit(api, GHZ5, "fake_sherbrooke") for _ in range(count)]
    last = max(stored_after(wait(api, job_id), started) for job_id in ids)
    return count / last


def plain_aer_throughput(count: int) -> float:
    from qiskit import qasm2, transpile
    from qiskit_aer import AerSimulator
    from qiskit_ibm_runtime.fake_provider import FakeSherbrooke

    backend = FakeSherbrooke()
    simulator = AerSimulator.from_backend(backend)
    circuit = qasm2.loads(GHZ5)
    simulator.run(transpile(circuit, backend, seed_transpiler=1), shots=SHOTS).result()
    start = time.perf_counter()
    for _ in range(count):
        compiled = transpile(circuit, backend, optimization_level=2, seed_transpiler=1)
        simulator.run(compiled, shots=SHOTS, seed_simulator=1).result()
    return count / (time.perf_counter() - start)


def large_qdeck(api: httpx.Client, source: str) -> float:
    started = datetime.now(UTC)
    return stored_after(wait(api, submit(api, source, "aer_simulator")), started)


def large_plain(source: str) -> float:
    from qiskit import qasm2, transpile
    from qiskit_aer import AerSimulator

    start = time.perf_counter()
    circuit = qasm2.loads(source)
    simulator = AerSimulator(method="statevector")
    compiled = transpile(circuit, simulator, optimization_level=2, seed_transpiler=1)
    simulator.run(compiled, shots=SHOTS, seed_simulator=1).result()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    runs, baseline_runs, count, large_runs = (10, 2, 60, 1) if args.quick else (30, 3, 300, 3)

    with tempfile.TemporaryDirectory() as tmp:
        server = LiveServer(Path(tmp), QDECK_WARM_BACKENDS="aer_simulator,fake_sherbrooke")
        with server:
            api = api_client(server, "bench@example.org", "violet harbour quartz lantern 73")
            print("1. small noisy job: 5-qubit GHZ, 1024 shots, fake_sherbrooke")
            ours, transpiled = qdeck_latency(api, runs)
            theirs = baseline_latency(transpiled, baseline_runs)
            print(f"  qdeck (API, submit -> result stored): {ours * 1e3:8.1f} ms per job")
            print(f"  SamplerV2(mode=FakeSherbrooke())    : {theirs * 1e3:8.1f} ms per job")
            print(f"  ratio: qdeck is {theirs / ours:.0f}x faster per job, one at a time")

            print(f"2. throughput: {count} jobs submitted at once")
            ours_rate = qdeck_throughput(api, count)
            plain_rate = plain_aer_throughput(count)
            print(f"  qdeck          : {ours_rate:7.1f} jobs/s")
            print(f"  plain Aer loop : {plain_rate:7.1f} jobs/s")
            print(f"  ratio qdeck / plain Aer: {ours_rate / plain_rate:.2f}")
            steady = 1 / ours_rate
            print(
                f"  steady state: {steady * 1e3:.1f} ms per job, {theirs / steady:.0f}x faster "
                "than SamplerV2(mode=FakeSherbrooke()) (goal >= 100x)"
            )

            print("3. large ideal job: 24-qubit statevector")
            source = large_circuit()
            ours_large = statistics.median(large_qdeck(api, source) for _ in range(large_runs))
            plain_large = statistics.median(large_plain(source) for _ in range(large_runs))
            print(f"  qdeck     : {ours_large:6.2f} s")
            print(f"  plain Aer : {plain_large:6.2f} s")
            print(f"  ratio qdeck / plain Aer: {ours_large / plain_large:.3f} (goal <= 1.10)")


if __name__ == "__main__":
    main()
