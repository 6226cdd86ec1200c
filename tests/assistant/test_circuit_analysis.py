"""Golden facts and findings for circuits whose answers are known by hand."""

from __future__ import annotations

from qdeck.assistant.circuit_analysis import circuit_facts, circuit_findings, unsupported_gates
from qdeck.engine import default_catalog, parse_source
from tests.assistant.corpus import BELL, GHZ3, MISTAKES, NO_MEASURE, TOFFOLI


def _circuit(source: str, fmt: str = "qasm2"):
    return parse_source(fmt, source)[0]


def test_a_bell_circuit_is_two_qubits_deep_two_with_one_cnot() -> None:
    facts = circuit_facts(_circuit(BELL))
    assert facts.num_qubits == 2 and facts.num_clbits == 2
    assert facts.depth == 3  # h, cx, measure
    assert facts.gate_counts == {"h": 1, "cx": 1, "measure": 2}
    assert facts.two_qubit_gates == 1
    assert facts.measured_qubits == [0, 1]
    assert circuit_findings(_circuit(BELL)) == []


def test_ghz_in_openqasm_3_counts_the_same_way() -> None:
    facts = circuit_facts(_circuit(GHZ3, "qasm3"))
    assert (facts.num_qubits, facts.depth, facts.two_qubit_gates) == (3, 4, 2)
    assert facts.gate_counts == {"h": 1, "cx": 2, "measure": 3}


def test_the_toffoli_is_one_gate_before_transpiling() -> None:
    facts = circuit_facts(_circuit(TOFFOLI))
    assert facts.gate_counts["ccx"] == 1
    assert facts.two_qubit_gates == 0  # three qubits: not a two-qubit gate


def test_idle_qubit_and_gate_after_measurement_are_found() -> None:
    findings = {f.code: f for f in circuit_findings(_circuit(MISTAKES))}
    assert findings["idle_qubits"].qubits == [2]
    assert findings["gates_after_measurement"].qubits == [1]
    assert "x" in findings["gates_after_measurement"].message


def test_a_circuit_without_measurements_is_told_it_returns_no_counts() -> None:
    codes = [f.code for f in circuit_findings(_circuit(NO_MEASURE))]
    assert codes == ["no_measurements"]


def test_gates_a_device_lacks_are_named_with_its_basis() -> None:
    target = default_catalog().backend("fake_manila").target
    (finding,) = unsupported_gates(_circuit(BELL), target)
    assert finding.code == "non_native_gates"
    assert finding.message.startswith("h is not native")
    assert "sx" in finding.message and "cx" in finding.message


WHILE_LOOP = """OPENQASM 3.0;
include "stdgates.inc";
qubit[2] q;
bit[2] c;
h q[0];
c[0] = measure q[0];
while (c[0]) { x q[0]; c[0] = measure q[0]; }
c[1] = measure q[1];
"""


def test_a_loop_the_devices_cannot_run_is_named_not_a_crash() -> None:
    from qdeck.assistant.analysis import analyze_circuit

    circuit = _circuit(WHILE_LOOP, "qasm3")
    # Feed-forward on a measured bit is not a "gate after measurement".
    assert "gates_after_measurement" not in [f.code for f in circuit_findings(circuit)]
    result = analyze_circuit(circuit, backend="fake_manila", devices=["fake_manila"])
    (device,) = [c for c in result["candidates"] if c["backend"] == "fake_manila"]
    codes = [f["code"] for f in device["findings"]]
    assert codes[0] == "unsupported_control_flow" and codes[-1] == "transpile_failed"
    assert result["recommended"] is None
