"""Steady-state cost of a noisy job: qdeck's engine vs qiskit-ibm-runtime local testing mode.

Workload: 5-qubit GHZ, 1024 shots, on fake_sherbrooke (127 qubits). Both sides simulate the
same transpiled circuit; the engine does so on a warm per-process cache (as a worker would),
the baseline through ``SamplerV2(mode=FakeSherbrooke()).run([transpiled])``.

Run: ``PYTHONPATH=src python benchmarks/bench_engine_simulation.py`` (well under a minute).
"""

from __future__ import annotations

import statistics
import time
import warnings

from qdeck.engine import parse_source, run_job, warm

SHOTS = 1024
ENGINE_RUNS = 50
BASELINE_RUNS = 3
GHZ5 = (
    'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[5];\ncreg c[5];\nh q[0];\n'
    "cx q[0],q[1];\ncx q[1],q[2];\ncx q[2],q[3];\ncx q[3],q[4];\nmeasure q -> c;\n"
)
SPEC = {
    "primitive": "sampler",
    "backend": "fake_sherbrooke",
    "circuits": [{"format": "qasm2", "source": GHZ5}],
    "shots": SHOTS,
}


def _timed(action) -> tuple[float, object]:
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


def bench_engine() -> tuple[list[float], list[float], str]:
    cold, _ = _timed(lambda: warm(["fake_sherbrooke"]))
    first, result = _timed(lambda: run_job(SPEC))
    print(f"engine warm-up: warm() {cold:.2f} s, first job {first * 1e3:.0f} ms")
    totals, executes = [], []
    for _ in range(ENGINE_RUNS):
        elapsed, result = _timed(lambda: run_job(SPEC))
        totals.append(elapsed)
        executes.append(result["timing"]["execute_seconds"])
    return totals, executes, result["pubs"][0]["transpiled"]["qasm"]


def bench_baseline(transpiled_qasm: str) -> list[float]:
    from qiskit_ibm_runtime import SamplerV2
    from qiskit_ibm_runtime.fake_provider import FakeSherbrooke

    transpiled = parse_source("qasm2", transpiled_qasm)[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sampler = SamplerV2(mode=FakeSherbrooke())
        first, _ = _timed(lambda: sampler.run([transpiled], shots=SHOTS).result())
        print(f"baseline first job (builds the noise model): {first:.2f} s")
        return [
            _timed(lambda: sampler.run([transpiled], shots=SHOTS).result())[0]
            for _ in range(BASELINE_RUNS)
        ]


def main() -> None:
    totals, executes, qasm = bench_engine()
    baseline = bench_baseline(qasm)
    engine_ms = statistics.median(totals) * 1e3
    execute_ms = statistics.median(executes) * 1e3
    baseline_ms = statistics.median(baseline) * 1e3
    print(f"engine run_job (warm, median of {ENGINE_RUNS}): {engine_ms:8.2f} ms per job")
    print(f"  of which simulation (execute phase):     {execute_ms:8.2f} ms")
    print(f"baseline SamplerV2 (median of {BASELINE_RUNS}):        {baseline_ms:8.1f} ms per job")
    print(f"speed-up (baseline / engine run_job):      {baseline_ms / engine_ms:8.0f}x")


if __name__ == "__main__":
    main()
