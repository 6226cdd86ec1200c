"""Estimator physics: exact ideal values, shot-based errors and noisy devices."""

from __future__ import annotations

import math

import pytest

from qdeck.engine import JobSpecError, run_job

BELL = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\nh q[0];\ncx q[0],q[1];\n'
OBSERVABLES = [
    [["ZZ", 1.0]],
    [["XX", 1.0]],
    [["ZI", 1.0]],
    [["YY", 1.0]],
    [["ZZ", 2.0], ["XX", -0.5], ["II", 0.25], ["ZI", 3.0]],
]
EXPECTED = [1.0, 1.0, 0.0, -1.0, 2.0 - 0.5 + 0.25]


def estimator_spec(backend="aer_simulator", **extra):
    return {
        "primitive": "estimator",
        "backend": backend,
        "circuits": [{"format": "qasm2", "source": BELL, "observables": OBSERVABLES}],
        **extra,
    }


def test_bell_exact_values():
    entry = run_job(estimator_spec())["pubs"][0]["data"][0]
    assert entry["evs"] == pytest.approx(EXPECTED, abs=1e-9)
    assert entry["stds"] == [0.0] * len(EXPECTED)


def test_bell_shot_based_values_within_errors():
    entry = run_job(estimator_spec(precision=0.01, seed=11))["pubs"][0]["data"][0]
    assert entry["shots"] == 10_000
    for ev, std, expected in zip(entry["evs"], entry["stds"], EXPECTED, strict=True):
        assert abs(ev - expected) <= 5 * max(std, 1e-12)
    # ⟨ZI⟩ = 0 has the full ±1 spread: std ≈ 1/sqrt(shots); ⟨ZZ⟩ = 1 is deterministic.
    assert entry["stds"][2] == pytest.approx(0.01, rel=0.05)
    assert entry["stds"][0] == 0.0


def test_noisy_device_estimator_has_noise_and_errors():
    spec = estimator_spec("fake_manila", shots=4000, seed=2)
    entry = run_job(spec)["pubs"][0]["data"][0]
    zz, xx, zi = entry["evs"][:3]
    assert 0.75 < zz < 0.995 and 0.75 < xx < 0.995  # noise lowers the correlations
    assert abs(zi) < 0.1
    assert all(0 < std < 0.02 for std in entry["stds"][:4])
    assert entry["stds"][2] == pytest.approx(1 / math.sqrt(4000), rel=0.1)
    # The weighted observable reuses the same measurements, so it is the same combination.
    assert entry["evs"][4] == pytest.approx(2 * zz - 0.5 * xx + 0.25 + 3 * zi)
    assert 0.04 < entry["stds"][4] < 0.06  # dominated by 3·⟨ZI⟩: 3/sqrt(4000) ≈ 0.047


def test_parameterized_estimator_returns_one_entry_per_binding():
    source = (
        'OPENQASM 3.0;\ninclude "stdgates.inc";\ninput float theta;\nqubit[1] q;\nry(theta) q[0];\n'
    )
    thetas = [0.0, math.pi / 2, 2.5]
    spec = {
        "primitive": "estimator",
        "backend": "aer_simulator",
        "circuits": [
            {"format": "qasm3", "source": source, "observables": [[["Z", 1.0]], [["X", 1.0]]],
             "parameter_values": [[t] for t in thetas]}
        ],
    }  # fmt: skip
    data = run_job(spec)["pubs"][0]["data"]
    assert len(data) == 3
    for theta, entry in zip(thetas, data, strict=True):
        assert entry["evs"] == pytest.approx([math.cos(theta), math.sin(theta)], abs=1e-9)


def test_wrong_observable_width_names_both_numbers():
    spec = estimator_spec()
    spec["circuits"][0]["observables"] = [[["ZZZ", 1.0]]]
    with pytest.raises(JobSpecError) as info:
        run_job(spec)
    assert "3 qubits" in info.value.message and "2 qubits" in info.value.message
    assert info.value.field == "circuits[0].observables[0]"


def test_final_measurements_are_ignored_but_mid_circuit_ones_refused():
    measured = BELL.replace("qreg q[2];", "qreg q[2];\ncreg c[2];") + "measure q -> c;\n"
    spec = estimator_spec()
    spec["circuits"][0]["source"] = measured
    assert run_job(spec)["pubs"][0]["data"][0]["evs"][0] == pytest.approx(1.0)
    spec["circuits"][0]["source"] = measured + "h q[0];\n"
    with pytest.raises(JobSpecError, match="middle"):
        run_job(spec)


def test_noisy_estimator_agrees_with_runtime_local_testing_mode():
    import warnings

    from qiskit.quantum_info import SparsePauliOp
    from qiskit_ibm_runtime import EstimatorV2
    from qiskit_ibm_runtime.fake_provider import FakeManilaV2

    from qdeck.engine import parse_source

    result = run_job(estimator_spec("fake_manila", shots=8000, seed=4))
    pub = result["pubs"][0]
    transpiled = parse_source("qasm2", pub["transpiled"]["qasm"])[0]
    final_layout = pub["transpiled"]["final_layout"]
    observables = [
        SparsePauliOp.from_list([tuple(term) for term in obs]).apply_layout(
            final_layout, num_qubits=transpiled.num_qubits
        )
        for obs in OBSERVABLES
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        estimator = EstimatorV2(mode=FakeManilaV2())
        estimator.options.simulator.seed_simulator = 8
        reference = estimator.run([(transpiled, observables)], precision=0.011).result()[0]
    ours = pub["data"][0]
    for k in range(len(OBSERVABLES)):
        combined = math.hypot(ours["stds"][k], float(reference.data.stds[k]))
        assert abs(ours["evs"][k] - float(reference.data.evs[k])) <= 5 * combined + 1e-9


def test_noisy_estimator_measures_idle_virtual_qubits():
    # q[1] is never touched, yet observables on it must still be measured on the device.
    source = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\nx q[0];\n'
    spec = {
        "primitive": "estimator",
        "backend": "fake_manila",
        "shots": 4000,
        "seed": 3,
        "circuits": [
            {"format": "qasm2", "source": source,
             "observables": [[["IZ", 1.0]], [["ZI", 1.0]], [["ZZ", 1.0]]]}
        ],
    }  # fmt: skip
    iz, zi, zz = run_job(spec)["pubs"][0]["data"][0]["evs"]
    assert -1 <= iz < -0.8 and 0.8 < zi <= 1 and -1 <= zz < -0.8
