"""Result analysis on real Aer runs (the engine's own ``run_job``), with statistical bounds."""

from __future__ import annotations

import math

import pytest
from qiskit.quantum_info import hellinger_fidelity as qiskit_hellinger

from qdeck.assistant.result_analysis import (
    analyze_counts,
    hellinger_fidelity,
    ideal_distribution,
    shots_for_standard_error,
)
from qdeck.engine import default_catalog, parse_source, run_job
from tests.assistant.corpus import BELL, GHZ3, MISTAKES

SHOTS = 4000
# Hoeffding: |p_hat - p| > t with probability at most 2 exp(-2 N t^2); 1e-6 here.
HOEFFDING = math.sqrt(math.log(2 / 1e-6) / (2 * SHOTS))


def _run(source: str, backend: str, seed: int = 7) -> dict:
    spec = {
        "primitive": "sampler",
        "backend": backend,
        "circuits": [{"source": source}],
        "shots": SHOTS,
        "seed": seed,
    }
    return run_job(spec)["pubs"][0]


def test_an_ideal_bell_run_is_within_shot_noise_of_the_ideal() -> None:
    pub = _run(BELL, "aer_simulator")
    circuit = parse_source("qasm2", BELL)[0]
    report = analyze_counts(circuit, pub["data"][0]["counts"], backend="aer_simulator")
    assert report["ideal_available"]
    # Two outcomes: the TVD is |p_hat(00) - 1/2|, bounded by Hoeffding.
    assert report["total_variation_distance"] <= HOEFFDING
    assert report["hellinger_fidelity"] >= 1 - 2 * HOEFFDING
    assert report["error_budget"] is None  # no device, no calibration
    assert report["suspicious"] == []


def test_the_ideal_is_keyed_like_the_counts_of_a_real_run() -> None:
    # q0 -> c1 and q1 -> c0, with only q0 flipped: the ideal and Aer must both say "10".
    source = """OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
creg c[2];
x q[0];
measure q[0] -> c[1];
measure q[1] -> c[0];
"""
    ideal, why = ideal_distribution(parse_source("qasm2", source)[0])
    assert why == "" and ideal == {"10": pytest.approx(1.0)}
    assert _run(source, "aer_simulator")["data"][0]["counts"] == {"10": SHOTS}
    ghz, _ = ideal_distribution(parse_source("qasm3", GHZ3)[0])
    assert ghz == {"000": pytest.approx(0.5), "111": pytest.approx(0.5)}


def test_a_noisy_run_gets_an_error_budget_that_matches_its_calibration() -> None:
    pub = _run(GHZ3, "fake_manila")
    circuit = parse_source("qasm3", GHZ3)[0]
    report = analyze_counts(
        circuit,
        pub["data"][0]["counts"],
        backend="fake_manila",
        transpiled_qasm=pub["transpiled"]["qasm"],
    )
    assert report["hellinger_fidelity"] < 1.0
    assert report["total_variation_distance"] > 0
    budget = report["error_budget"]
    props = default_catalog().backend("fake_manila").properties()
    measured = pub["transpiled"]["final_layout"]
    readout = math.prod(1 - props.readout_error(q) for q in measured)
    assert budget["readout_success"] == pytest.approx(readout, rel=1e-12)
    gate_loss, readout_loss = -math.log(budget["gate_success"]), -math.log(readout)
    assert budget["dominant"] == ("gates" if gate_loss > readout_loss else "readout")


def test_hellinger_fidelity_is_qiskits() -> None:
    p = {"00": 0.49, "11": 0.46, "01": 0.05}
    q = {"00": 0.5, "11": 0.5}
    assert hellinger_fidelity(p, q) == pytest.approx(qiskit_hellinger(p, q), rel=1e-12)


def test_shots_needed_for_a_standard_error() -> None:
    assert shots_for_standard_error({"0": 0.5, "1": 0.5}, 0.01)["shots"] == 2500
    assert shots_for_standard_error({"0": 0.9, "1": 0.1}, 0.01)["shots"] == 900
    assert shots_for_standard_error({"0": 0.9, "1": 0.1}, 0.01)["worst_case_shots"] == 2500


def test_all_zeros_and_uniform_noise_are_suspicious() -> None:
    bell = parse_source("qasm2", BELL)[0]
    zeros = analyze_counts(bell, {"00": 1024}, backend="aer_simulator")
    assert [s["code"] for s in zeros["suspicious"]] == ["all_zeros"]
    ghz = parse_source("qasm3", GHZ3)[0]
    uniform = {format(k, "03b"): 125 for k in range(8)}
    noisy = analyze_counts(ghz, uniform, backend="aer_simulator")
    assert [s["code"] for s in noisy["suspicious"]] == ["near_uniform"]
    assert noisy["hellinger_fidelity"] == pytest.approx(0.25)  # (2 * sqrt(1/8 * 1/2))^2


def test_no_ideal_for_a_mid_circuit_measurement() -> None:
    ideal, why = ideal_distribution(parse_source("qasm2", MISTAKES)[0])
    assert ideal is None and "mid-circuit" in why
