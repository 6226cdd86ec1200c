"""Sampler physics on the ideal simulator."""

from __future__ import annotations

import base64
import io
import math

import pytest
from qiskit import QuantumCircuit, qasm2, qpy
from qiskit.quantum_info import Statevector

from qdeck.engine import DeviceCache, MemoryLimitError, run_job, warm

SHOTS = 4000


@pytest.mark.parametrize("num_qubits", [2, 3, 5])
def test_ghz_gives_only_all_equal_bitstrings(num_qubits, ghz, binomial, make_sampler_spec):
    result = run_job(make_sampler_spec(ghz(num_qubits), shots=SHOTS))
    entry = result["pubs"][0]["data"][0]
    zeros, ones = "0" * num_qubits, "1" * num_qubits
    assert set(entry["counts"]) <= {zeros, ones}
    assert sum(entry["counts"].values()) == SHOTS == entry["shots"]
    binomial(entry["counts"].get(zeros, 0), SHOTS, 0.5)
    assert math.isclose(sum(entry["probabilities"].values()), 1.0)


def test_phases_reported_in_order(ghz, make_sampler_spec):
    phases = []
    run_job(make_sampler_spec(ghz(2), shots=10), on_phase=phases.append)
    assert phases == ["transpiling", "executing", "post_processing"]


def test_same_seed_same_counts(ghz, make_sampler_spec):
    spec = make_sampler_spec(ghz(3), shots=500, seed=1234)
    first, second = run_job(spec), run_job(spec)
    assert first["pubs"][0]["data"] == second["pubs"][0]["data"]
    assert first["seeds"] == {"transpiler": 1234, "simulator": 1234}


def test_seeds_recorded_without_seed(ghz, make_sampler_spec):
    result = run_job(make_sampler_spec(ghz(2), shots=10))
    assert isinstance(result["seeds"]["simulator"], int)
    assert isinstance(result["seeds"]["transpiler"], int)


def test_parameterized_ry_matches_sin_squared(binomial):
    source = (
        'OPENQASM 3.0;\ninclude "stdgates.inc";\ninput float theta;\n'
        "qubit[1] q;\nbit[1] c;\nry(theta) q[0];\nc[0] = measure q[0];\n"
    )
    thetas = [math.pi / 3, 2.0]
    spec = {
        "primitive": "sampler",
        "backend": "aer_simulator",
        "circuits": [
            {"format": "qasm3", "source": source, "parameter_values": [[t] for t in thetas]}
        ],
        "shots": SHOTS,
        "seed": 5,
    }
    data = run_job(spec)["pubs"][0]["data"]
    assert len(data) == 2
    for theta, entry in zip(thetas, data, strict=True):
        binomial(entry["counts"].get("1", 0), SHOTS, math.sin(theta / 2) ** 2)


def test_registers_join_like_primitive_result():
    # Register a (1 bit) then b (2 bits): join_data puts the later register on the left.
    source = (
        'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[3];\ncreg a[1];\ncreg b[2];\n'
        "x q[0];\nx q[2];\nmeasure q[0] -> a[0];\nmeasure q[1] -> b[0];\nmeasure q[2] -> b[1];\n"
    )
    result = run_job(
        {"primitive": "sampler", "backend": "aer_simulator", "shots": 20,
         "circuits": [{"format": "qasm2", "source": source}]}
    )  # fmt: skip
    assert result["pubs"][0]["data"][0]["counts"] == {"101": 20}


def test_wide_clifford_ghz_runs_with_stabilizer(ghz, binomial, make_sampler_spec):
    result = run_job(make_sampler_spec(ghz(40), shots=2000, seed=3))
    entry = result["pubs"][0]["data"][0]
    assert result["method"] == "stabilizer"
    assert set(entry["counts"]) <= {"0" * 40, "1" * 40}
    binomial(entry["counts"].get("0" * 40, 0), 2000, 0.5)


def test_wide_non_clifford_refused_with_memory_figure(ghz, make_sampler_spec):
    source = ghz(40).replace("h q[0];", "h q[0];\nt q[3];")
    with pytest.raises(MemoryLimitError) as info:
        run_job(make_sampler_spec(source, method="statevector"))
    assert "16.0 TiB" in info.value.message and "40 qubits" in info.value.message
    assert info.value.required_bytes == 16 * 2**40
    with pytest.raises(MemoryLimitError):  # automatic cannot fall back to stabilizer either
        run_job(make_sampler_spec(source))


def test_matrix_product_state_on_request(ghz, make_sampler_spec):
    source = ghz(40).replace("h q[0];", "h q[0];\nt q[3];")
    result = run_job(make_sampler_spec(source, method="matrix_product_state", shots=100))
    assert result["method"] == "matrix_product_state"
    assert set(result["pubs"][0]["data"][0]["counts"]) <= {"0" * 40, "1" * 40}


@pytest.mark.parametrize("method", ["density_matrix", "matrix_product_state"])
def test_explicit_methods_get_gates_they_support(method, binomial, make_sampler_spec):
    # crx/cu3 are not native to these methods; the pass manager must translate them.
    source = (
        'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\ncreg c[2];\nx q[0];\n'
        "crx(1.2) q[0],q[1];\ncu3(0.1,0.2,0.3) q[1],q[0];\nmeasure q -> c;\n"
    )
    result = run_job(make_sampler_spec(source, method=method, shots=SHOTS, seed=8))
    assert result["method"] == method
    counts = result["pubs"][0]["data"][0]["counts"]
    assert sum(counts.values()) == SHOTS
    # Reference distribution: the exact statevector of the same circuit.
    circuit = qasm2.loads(source, custom_instructions=qasm2.LEGACY_CUSTOM_INSTRUCTIONS)
    exact = Statevector(circuit.remove_final_measurements(inplace=False)).probabilities_dict()
    for bits, probability in exact.items():
        if probability > 1e-9:
            binomial(counts.get(bits, 0), SHOTS, probability)


def test_qpy_with_two_circuits_gives_two_pubs():
    ones, zeros = QuantumCircuit(2, 2), QuantumCircuit(1, 1)
    ones.x([0, 1])
    ones.measure([0, 1], [0, 1])
    zeros.measure(0, 0)
    buffer = io.BytesIO()
    qpy.dump([ones, zeros], buffer)
    entry = {"format": "qpy", "source": base64.b64encode(buffer.getvalue()).decode()}
    result = run_job(
        {"primitive": "sampler", "backend": "aer_simulator", "shots": 50, "circuits": [entry]}
    )
    assert [p["sub_index"] for p in result["pubs"]] == [0, 1]
    assert [p["data"][0]["counts"] for p in result["pubs"]] == [{"11": 50}, {"0": 50}]


def test_warm_prebuilds_the_cache(ghz, make_sampler_spec):
    cache = DeviceCache()
    warm(["aer_simulator"], cache=cache)
    result = run_job(make_sampler_spec(ghz(2), shots=10), cache=cache)
    assert result["backend"] == "aer_simulator"
