"""The offline analyzer on a 20-qubit, 500-gate circuit across every fake device that fits.

    .venv/bin/python benchmarks/assistant_analysis.py [--runs 5] [--quality 4]

Prints, in one run on one machine:

* cold start: loading every fitting device's calibration (``Target``) once per process;
* the baseline: ``qiskit.transpile`` of the same circuit once, optimization level 1 on
  fake_sherbrooke (127 qubits), as a user would call it;
* the analyzer (``analyze_circuit``: facts, findings, the screen of every fitting device,
  real transpiles of the best three and aer_simulator), first and warm runs, and its
  multiple of the baseline; target <= 2 s;
* the exhaustive sweep (a real transpile of every fitting device) for comparison, and how
  well the screen ranks: whether the device the exhaustive sweep finds best is in the
  screen's top three and is the recommendation, and the Spearman correlation between the
  screen's and the exact estimates; ``--quality N`` repeats that check on N more random
  circuits.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import warnings


def random_circuit(qubits: int, gates: int, seed: int):
    from qiskit import QuantumCircuit

    rng = random.Random(seed)
    circuit = QuantumCircuit(qubits, qubits)
    for _ in range(gates - qubits):
        if rng.random() < 0.4:
            a, b = rng.sample(range(qubits), 2)
            circuit.cx(a, b)
        else:
            q = rng.randrange(qubits)
            gate = rng.choice(["h", "t", "s", "rx", "sx"])
            if gate == "rx":
                circuit.rx(rng.uniform(0, 3.14), q)
            else:
                getattr(circuit, gate)(q)
    circuit.measure(range(qubits), range(qubits))
    return circuit


def spearman(xs: list[float], ys: list[float]) -> float:
    def ranks(values: list[float]) -> list[float]:
        order = sorted(range(len(values)), key=values.__getitem__)
        out = [0.0] * len(values)
        for rank, index in enumerate(order):
            out[index] = float(rank)
        return out

    rx, ry = ranks(xs), ranks(ys)
    return statistics.correlation(rx, ry)


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - start, value


def agreement(circuit) -> dict:
    from qdeck.assistant.device_sweep import sweep

    screened = sweep(circuit)
    exact = sweep(circuit, exhaustive=True)
    devices = [c for c in exact.candidates if c.backend != "aer_simulator" and c.transpiled]
    best = exact.recommended.backend if exact.recommended else None
    top = [c.backend for c in screened.candidates if c.transpiled and c.backend != "aer_simulator"]
    by_name = {c.backend: c for c in screened.candidates}
    pairs = [
        (by_name[c.backend].screened_probability, c.probability)
        for c in devices
        if by_name[c.backend].screened_probability is not None
    ]
    return {
        "best": best,
        "in_top": best in top,
        "recommended_same": screened.recommended is not None
        and screened.recommended.backend == best,
        "spearman": spearman([p for p, _ in pairs], [q for _, q in pairs]),
        "regret": (exact.recommended.probability if exact.recommended else 0.0)
        - (screened.recommended.probability if screened.recommended else 0.0),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quality", type=int, default=4)
    args = parser.parse_args()
    warnings.simplefilter("ignore")

    start = time.perf_counter()
    from qiskit import transpile

    from qdeck.assistant.analysis import analyze_circuit
    from qdeck.assistant.device_sweep import fitting_devices, sweep
    from qdeck.assistant.success_estimate import error_table
    from qdeck.engine import DEFAULT_TRANSPILER_SEED, default_catalog

    imports = time.perf_counter() - start
    circuit = random_circuit(20, 500, seed=1)
    fit, _ = fitting_devices(circuit.num_qubits)
    cold, _ = timed(lambda: [error_table(name) for name in fit])
    print(f"circuit: 20 qubits, {len(circuit.data)} operations; {len(fit)} fake devices fit")
    print(f"imports {imports:.2f} s; cold calibration load of {len(fit)} devices {cold:.2f} s")

    sherbrooke = default_catalog().backend("fake_sherbrooke")
    baseline = [
        timed(
            transpile,
            circuit,
            backend=sherbrooke,
            optimization_level=1,
            seed_transpiler=DEFAULT_TRANSPILER_SEED,
        )[0]
        for _ in range(args.runs)
    ]
    base = statistics.median(baseline)
    print(f"baseline: transpile once on fake_sherbrooke, median of {args.runs}: {base:.3f} s")

    first, result = timed(analyze_circuit, circuit)
    warm = [timed(analyze_circuit, circuit)[0] for _ in range(args.runs)]
    analysis = statistics.median(warm)
    screen_only = statistics.median(
        timed(sweep, circuit, top=0)[0] for _ in range(args.runs)
    )  # the screen plus aer_simulator, no device transpiled
    verdict = "meets" if analysis <= 2.0 else "MISSES"
    print(
        f"analyzer (screen + top 3), first run {first:.3f} s, warm median {analysis:.3f} s "
        f"= {analysis / base:.1f}x the baseline ({verdict} the 2 s target)"
    )
    print(f"  of which the screen of {len(fit)} devices: {screen_only:.3f} s")
    print(f"  recommended: {result['recommended']['backend']} "
          f"(p = {result['recommended']['probability']:.4f})")  # fmt: skip

    exhaustive, _ = timed(sweep, circuit, exhaustive=True)
    print(
        f"exhaustive sweep (every device transpiled): {exhaustive:.3f} s "
        f"= {exhaustive / base:.1f}x the baseline"
    )
    checks = [agreement(circuit)]
    for k in range(args.quality):
        checks.append(agreement(random_circuit(12 + 2 * k, 200 + 75 * k, seed=100 + k)))
    for i, check in enumerate(checks):
        name = "benchmark circuit" if i == 0 else f"random circuit {i}"
        print(
            f"  {name}: exhaustive best {check['best']}, in the screen's top 3: "
            f"{check['in_top']}, recommended the same: {check['recommended_same']}, "
            f"Spearman {check['spearman']:.3f}, regret {check['regret']:.4f}"
        )
    hits = sum(c["in_top"] for c in checks)
    print(f"screen's top 3 held the exhaustive best in {hits} of {len(checks)} circuits")


if __name__ == "__main__":
    main()
