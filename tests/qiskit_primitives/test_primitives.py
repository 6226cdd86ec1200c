"""qdeck's Sampler and Estimator against Aer's own primitives, on the same circuits."""

from __future__ import annotations

import math

import numpy as np
import pytest
from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister, qasm2
from qiskit.circuit import Parameter
from qiskit.primitives import BaseEstimatorV2, BaseSamplerV2, PrimitiveResult
from qiskit.primitives.containers import BitArray
from qiskit.providers import JobStatus
from qiskit.quantum_info import SparsePauliOp
from qiskit_aer.primitives import EstimatorV2 as AerEstimator
from qiskit_aer.primitives import SamplerV2 as AerSampler

from qdeck.client import JobCancelled, QDeckClient
from qdeck.qiskit import Estimator, Sampler
from tests.client.live import slow_circuit

SHOTS = 4000

# Runs one primitive job at a time: a second warm worker would only cost start-up.
SERVER_WORKERS = 1


def assert_same_distribution(ours: dict[str, int], aers: dict[str, int]) -> None:
    """Every outcome's frequency agrees within 5 sigma of the two-sample difference."""
    n1, n2 = sum(ours.values()), sum(aers.values())
    for outcome in set(ours) | set(aers):
        c1, c2 = ours.get(outcome, 0), aers.get(outcome, 0)
        pooled = (c1 + c2) / (n1 + n2)
        sigma = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        assert abs(c1 / n1 - c2 / n2) <= 5 * sigma + 1e-12, (outcome, ours, aers)


def lopsided(num_qubits: int = 4) -> QuantumCircuit:
    """Each qubit with its own probability of 1 (0.1, 0.3, ...), so a bit-order mistake shows."""
    circuit = QuantumCircuit(num_qubits)
    for q in range(num_qubits):
        circuit.ry(2 * math.asin(math.sqrt(0.1 + 0.8 * q / num_qubits)), q)
    circuit.cx(0, num_qubits - 1)
    return circuit


def two_registers() -> QuantumCircuit:
    body = lopsided()
    a, b = ClassicalRegister(2, "a"), ClassicalRegister(3, "b")
    circuit = QuantumCircuit(QuantumRegister(4, "q"), a, b)
    circuit.compose(body, inplace=True)
    # Scrambled on purpose: register bits are not in qubit order.
    circuit.measure([0, 1, 2, 3, 3], [b[1], a[0], b[0], a[1], b[2]])
    return circuit


def one_register() -> QuantumCircuit:
    circuit = lopsided(3)
    circuit.measure_all()
    return circuit


def test_sampler_is_a_qiskit_sampler_v2_matching_aer(qd: QDeckClient) -> None:
    sampler = Sampler(backend="aer_simulator", client=qd)
    assert isinstance(sampler, BaseSamplerV2)
    pubs = [one_register(), two_registers()]
    ours = sampler.run(pubs, shots=SHOTS).result()
    aers = AerSampler().run(pubs, shots=SHOTS).result()
    assert isinstance(ours, PrimitiveResult) and len(ours) == 2
    for mine, theirs in zip(ours, aers, strict=True):
        assert list(mine.data) == list(theirs.data)  # same registers, same order
        for name in theirs.data:
            bits, expected = mine.data[name], theirs.data[name]
            assert isinstance(bits, BitArray)
            assert (bits.shape, bits.num_bits, bits.num_shots) == (
                expected.shape,
                expected.num_bits,
                expected.num_shots,
            )
            assert_same_distribution(bits.get_counts(), expected.get_counts())
        assert_same_distribution(mine.join_data().get_counts(), theirs.join_data().get_counts())
    assert ours[0].data.meas.num_bits == 3
    assert ours[0].metadata["shots"] == SHOTS


def test_parameter_value_sets_give_results_shaped_like_the_pub(qd: QDeckClient) -> None:
    a, b = Parameter("a"), Parameter("b")
    circuit = QuantumCircuit(2)
    circuit.ry(a, 0)
    circuit.ry(b, 1)
    circuit.measure_all()
    values = np.linspace(0, np.pi, 12).reshape(2, 3, 2)
    ours = Sampler(client=qd, default_shots=2000).run([(circuit, values)]).result()[0]
    aers = AerSampler(default_shots=2000).run([(circuit, values)]).result()[0]
    assert ours.data.meas.shape == aers.data.meas.shape == (2, 3)
    for index in np.ndindex(2, 3):
        assert_same_distribution(ours.data.meas.get_counts(index), aers.data.meas.get_counts(index))


def test_pubs_with_their_own_shots_come_back_in_order(qd: QDeckClient) -> None:
    circuit = one_register()
    job = Sampler(client=qd).run([(circuit, None, 100), (circuit, None, 300), (circuit, None, 100)])
    result = job.result()
    assert [r.data.meas.num_shots for r in result] == [100, 300, 100]
    # One qdeck job per distinct shot count, all visible in the dashboard.
    assert len(job.job_ids) == 2 and job.job_id() == job.job_ids[0]
    assert {qd.jobs.get(i).info.status for i in job.job_ids} == {"completed"}
    assert job.status() == JobStatus.DONE and job.done()


def test_the_sampler_on_a_fake_device_shows_its_noise(qd: QDeckClient) -> None:
    bell = QuantumCircuit(2)
    bell.h(0)
    bell.cx(0, 1)
    bell.measure_all()
    job = Sampler(backend="fake_sherbrooke", client=qd, name="noisy bell").run([bell], shots=4000)
    counts = job.result()[0].data.meas.get_counts()
    wrong = counts.get("01", 0) + counts.get("10", 0)
    assert 0 < wrong < 400  # calibrated errors: a few percent, never half
    info = qd.jobs.get(job.job_id()).info
    assert (info.backend, info.name, info.shots) == ("fake_sherbrooke", "noisy bell", 4000)


def ansatz() -> QuantumCircuit:
    t0, t1 = Parameter("t0"), Parameter("t1")
    circuit = QuantumCircuit(2)
    circuit.ry(t0, 0)
    circuit.ry(t1, 1)
    circuit.cx(0, 1)
    return circuit


OBSERVABLES = [[SparsePauliOp("ZZ")], [SparsePauliOp(["XX", "IZ", "YY"], [1.0, 0.5, -0.25])]]
ANGLES = [[0.0, 0.3], [0.8, 1.9], [2.5, 0.4]]


def test_estimator_matches_aer_exactly_on_the_ideal_simulator(qd: QDeckClient) -> None:
    estimator = Estimator(client=qd)
    assert isinstance(estimator, BaseEstimatorV2)
    pub = (ansatz(), OBSERVABLES, ANGLES)
    ours = estimator.run([pub]).result()[0]
    aers = AerEstimator().run([pub]).result()[0]
    assert ours.data.evs.shape == aers.data.evs.shape == (2, 3)
    np.testing.assert_allclose(ours.data.evs, aers.data.evs, atol=1e-9)
    assert np.all(ours.data.stds == 0)
    single = estimator.run([(ansatz(), "ZZ", [0.1, 0.2])]).result()[0]
    assert single.data.evs.shape == ()


def test_estimator_precision_sets_the_shots_and_the_error_bars(qd: QDeckClient) -> None:
    pub = (ansatz(), OBSERVABLES, ANGLES)
    ours = Estimator(client=qd).run([pub], precision=0.02).result()[0]
    exact = AerEstimator().run([pub]).result()[0].data.evs
    assert ours.metadata["target_precision"] == 0.02 and ours.metadata["shots"] == 2500
    assert np.all((ours.data.stds > 0.001) & (ours.data.stds < 0.04))
    assert np.all(np.abs(ours.data.evs - exact) <= 5 * ours.data.stds + 1e-9)


def test_estimator_on_a_fake_device_is_close_but_noisy(qd: QDeckClient) -> None:
    bell = QuantumCircuit(2)
    bell.h(0)
    bell.cx(0, 1)
    result = Estimator(backend="fake_sherbrooke", client=qd).run([(bell, "ZZ")]).result()[0]
    assert 0.8 < float(result.data.evs) < 0.995  # ideal 1; readout and gate errors pull it down
    assert result.metadata["shots"] == 4096  # IBM's default precision, 1/64


def test_cancelling_a_primitive_job_cancels_its_qdeck_job(qd: QDeckClient) -> None:
    circuit = qasm2.loads(slow_circuit())
    job = Sampler(client=qd).run([circuit], shots=10)
    job.cancel()
    with pytest.raises(JobCancelled):
        job.result()
    assert job.status() == JobStatus.CANCELLED and job.cancelled()
