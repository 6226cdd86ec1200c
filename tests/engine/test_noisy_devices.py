"""Noisy fake-device simulation: fast reduced model vs. the full-device reference."""

from __future__ import annotations

import warnings

import pytest
from qiskit.quantum_info import hellinger_fidelity
from qiskit_aer import AerSimulator

from qdeck.engine import parse_source, run_job
from qdeck.engine.devices import default_catalog
from qdeck.engine.noise import device_noise_model


def _counts_of(result):
    return result["pubs"][0]["data"][0]["counts"]


@pytest.mark.slow
def test_sherbrooke_ghz_matches_runtime_local_testing_mode(ghz, make_sampler_spec):
    from qiskit_ibm_runtime import SamplerV2
    from qiskit_ibm_runtime.fake_provider import FakeSherbrooke

    shots = 20_000
    result = run_job(make_sampler_spec(ghz(5), backend="fake_sherbrooke", shots=shots, seed=42))
    transpiled_qasm = result["pubs"][0]["transpiled"]["qasm"]
    transpiled = parse_source("qasm2", transpiled_qasm)[0]  # the stored circuit, read back
    assert transpiled.num_qubits == 127
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sampler = SamplerV2(mode=FakeSherbrooke())
        sampler.options.simulator.seed_simulator = 7
        reference = sampler.run([transpiled], shots=shots).result()[0].join_data().get_counts()
    ours = _counts_of(result)
    assert hellinger_fidelity(ours, reference) >= 0.98
    # The noise is real: a noticeable share of shots leaves the ideal GHZ outcomes.
    assert 0.02 < 1 - (ours.get("00000", 0) + ours.get("11111", 0)) / shots < 0.3


def test_steady_state_simulation_is_fast(ghz, make_sampler_spec):
    spec = make_sampler_spec(ghz(5), backend="fake_sherbrooke", shots=1024, seed=1)
    run_job(spec)  # warms the device cache and the reduced noise model
    timings = [run_job(spec)["timing"]["execute_seconds"] for _ in range(3)]
    assert min(timings) < 0.25  # typically ~3 ms; the full-device path takes seconds


def test_reduced_model_matches_full_device_model_with_routing():
    # cx between qubits that are not neighbours on fake_manila's line forces routing, so
    # the simulated qubit set and the layout are non-trivial.
    source = (
        'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[4];\ncreg c[4];\n'
        "h q[0];\ncx q[0],q[3];\ncx q[3],q[1];\nry(0.7) q[2];\ncx q[2],q[0];\nmeasure q -> c;\n"
    )
    shots = 20_000
    spec = {
        "primitive": "sampler",
        "backend": "fake_manila",
        "circuits": [{"format": "qasm2", "source": source}],
        "shots": shots,
        "seed": 9,
        "optimization_level": 0,
    }
    result = run_job(spec)
    transpiled = parse_source("qasm2", result["pubs"][0]["transpiled"]["qasm"])[0]
    full_model = device_noise_model(default_catalog().backend("fake_manila"))
    full = AerSimulator(noise_model=full_model).run(transpiled, shots=shots, seed_simulator=3)
    reference = {k.replace(" ", ""): v for k, v in full.result().get_counts().items()}
    assert hellinger_fidelity(_counts_of(result), reference) >= 0.99
    assert result["pubs"][0]["transpiled"]["two_qubit_gates"] > 3  # swaps were inserted
