"""The success estimate, recomputed here independently from ``backend.properties()``.

The test transpiles with ``qiskit.transpile`` (not qdeck's cached pass managers) and reads
errors through ``BackendProperties.gate_error`` / ``readout_error`` (not the ``Target``).
"""

from __future__ import annotations

import math

import pytest
from qiskit import transpile

from qdeck.assistant.device_sweep import OPTIMIZATION_LEVEL, sweep
from qdeck.assistant.success_estimate import error_table, estimate_success
from qdeck.engine import DEFAULT_TRANSPILER_SEED, default_catalog, parse_source
from tests.assistant.corpus import BELL, FIVE_QUBIT_DEVICES, GHZ3, TOFFOLI


def _independent_estimate(circuit, backend_name: str) -> tuple[float, object]:
    backend = default_catalog().backend(backend_name)
    physical = transpile(
        circuit,
        backend=backend,
        optimization_level=OPTIMIZATION_LEVEL,
        seed_transpiler=DEFAULT_TRANSPILER_SEED,
    )
    props = backend.properties()
    p = 1.0
    for inst in physical.data:
        name = inst.operation.name
        qubits = [physical.find_bit(q).index for q in inst.qubits]
        if name in ("barrier", "delay"):
            continue
        if name == "measure":
            p *= 1 - props.readout_error(qubits[0])
        elif name != "rz":  # virtual: no error in the snapshot
            p *= 1 - props.gate_error(name, qubits)
    return p, physical


@pytest.mark.parametrize(
    ("source", "fmt", "backend"),
    [
        (BELL, "qasm2", "fake_manila"),
        (GHZ3, "qasm3", "fake_belem"),
        (TOFFOLI, "qasm2", "fake_quito"),
        (GHZ3, "qasm3", "fake_sherbrooke"),
    ],
)
def test_estimate_matches_the_product_over_properties(source, fmt, backend) -> None:
    circuit = parse_source(fmt, source)[0]
    expected, physical = _independent_estimate(circuit, backend)
    assert estimate_success(physical, error_table(backend)).probability == pytest.approx(
        expected, rel=1e-12
    )
    # The sweep transpiles with the engine's own cached pass manager: same circuit, same figure.
    found = sweep(circuit, backend=backend, devices=[backend], exhaustive=True)
    (candidate,) = [c for c in found.candidates if c.backend == backend]
    assert candidate.probability == pytest.approx(expected, rel=1e-12)
    assert candidate.two_qubit_gates == sum(
        1 for i in physical.data if len(i.qubits) == 2 and i.operation.name != "barrier"
    )


def test_the_estimate_splits_into_gate_and_readout_parts() -> None:
    circuit = parse_source("qasm2", BELL)[0]
    _, physical = _independent_estimate(circuit, "fake_manila")
    estimate = estimate_success(physical, error_table("fake_manila"))
    assert estimate.probability == pytest.approx(estimate.gate_success * estimate.readout_success)
    assert estimate.measurements == 2
    props = default_catalog().backend("fake_manila").properties()
    layout = physical.layout.final_index_layout()
    readout = math.prod(1 - props.readout_error(q) for q in layout[:2])
    assert estimate.readout_success == pytest.approx(readout, rel=1e-12)


def test_the_recommended_device_has_the_highest_independent_estimate() -> None:
    circuit = parse_source("qasm3", GHZ3)[0]
    found = sweep(circuit, devices=FIVE_QUBIT_DEVICES, exhaustive=True)
    independent = {name: _independent_estimate(circuit, name)[0] for name in FIVE_QUBIT_DEVICES}
    assert found.recommended is not None
    assert found.recommended.backend == max(independent, key=independent.get)
    assert found.recommended.layout is not None and len(found.recommended.layout) == 3


def test_screened_sweep_recommends_the_best_of_what_it_transpiled() -> None:
    circuit = parse_source("qasm2", TOFFOLI)[0]
    found = sweep(circuit, devices=FIVE_QUBIT_DEVICES, top=2)
    transpiled = [c for c in found.candidates if c.transpiled and c.backend != "aer_simulator"]
    assert len(transpiled) == 2
    assert all(c.screened_probability is not None for c in found.candidates[1:])
    assert found.recommended is max(transpiled, key=lambda c: c.probability)
    ideal = found.candidates[0]
    assert ideal.backend == "aer_simulator" and ideal.probability == 1.0


def test_devices_too_small_are_listed_not_analyzed() -> None:
    circuit = parse_source("qasm2", BELL.replace("q[2]", "q[6]").replace("c[2]", "c[6]"))[0]
    found = sweep(circuit, devices=["fake_manila", "fake_jakarta"], exhaustive=True)
    assert found.too_small == ["fake_manila"]
    assert [c.backend for c in found.candidates] == ["aer_simulator", "fake_jakarta"]
