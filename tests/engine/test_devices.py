"""Device catalog, calibration tables, fit and memory checks."""

from __future__ import annotations

import pytest
from qiskit import QuantumCircuit

from qdeck.engine import MemoryLimitError, check_memory, device_info, fits, list_devices


def test_catalog_lists_aer_and_every_fake_device():
    devices = list_devices()
    names = [d.name for d in devices]
    assert names[0] == "aer_simulator"
    assert "fake_sherbrooke" in names and len(names) > 50
    sherbrooke = next(d for d in devices if d.name == "fake_sherbrooke")
    assert sherbrooke.num_qubits == 127 and sherbrooke.kind == "fake_device"
    assert "ecr" in sherbrooke.basis_gates and [1, 0] in sherbrooke.coupling_map


def test_aer_simulator_reports_statevector_maximum():
    info = device_info("aer_simulator", None)
    assert info.num_qubits == 28  # 16 bytes * 2^28 = 4 GiB, the default limit
    assert info.max_qubits_by_method["stabilizer"] > info.num_qubits
    assert info.calibration() == {"qubits": [], "gates": []}


def test_median_errors_and_calibration_rows():
    info = device_info("fake_sherbrooke")
    errors = info.median_errors
    assert 0 < errors.readout_error < 0.1
    assert 0 < errors.single_qubit_gate_error < errors.two_qubit_gate_error < 0.05
    assert 50 < errors.t1_us < 1000 and 10 < errors.t2_us < 1000
    table = info.calibration()
    assert len(table["qubits"]) == 127
    assert {"qubit", "t1_us", "t2_us", "readout_error"} <= set(table["qubits"][0])
    ecr = [row for row in table["gates"] if row["gate"] == "ecr"]
    assert ecr and all(len(row["qubits"]) == 2 and row["length_ns"] > 0 for row in ecr)
    assert info.to_dict()["median_errors"]["t1_us"] == errors.t1_us


def test_fits():
    circuit = QuantumCircuit(6)
    circuit.h(0)
    ok, reason = fits("fake_manila", circuit)
    assert not ok and "6 qubits" in reason and "5" in reason
    assert fits("fake_sherbrooke", circuit)[0]
    wide = QuantumCircuit(40)
    wide.h(0)
    assert fits("aer_simulator", wide) == (
        True,
        "Clifford-only circuit: runs with the stabilizer method",
    )
    wide.t(0)
    ok, reason = fits("aer_simulator", wide)
    assert not ok and "16.0 TiB" in reason


def test_check_memory():
    assert check_memory(10, "statevector", 2**20) == 16 * 2**10
    with pytest.raises(MemoryLimitError, match=r"16\.0 MiB"):
        check_memory(20, "statevector", 2**20)
    with pytest.raises(MemoryLimitError, match=r"4\^n"):
        check_memory(12, "density_matrix", 2**20)
    assert check_memory(1000, "stabilizer", 2**20) < 2**20
