"""Parsing: formats, positions of typos, refusals and QASM round trips."""

from __future__ import annotations

import base64
import io
import pickle

import pytest
from qiskit import QuantumCircuit, qpy

from qdeck.engine import CircuitParseError, circuit_to_qasm, detect_format, parse_source
from qdeck.engine.circuits import parse_circuit_entry

QASM2_HEAD = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\ncreg c[2];\n'
QASM3_HEAD = 'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\nbit[2] c;\n'


@pytest.mark.parametrize(
    ("source", "line", "column", "fragment"),
    [
        (QASM2_HEAD + "h q[0];\n  cx q[0] q[1];\n", 6, 3, "argument list"),
        (QASM2_HEAD + "hh q[0];\n", 5, 1, "'hh' is not defined"),
        (QASM2_HEAD + "h q[7];\n", 5, 5, "out-of-range"),
        (QASM2_HEAD.replace("qreg q[2];", "qreg q[2]"), 4, 1, "needed ';'"),
    ],
)
def test_qasm2_errors_carry_position(source, line, column, fragment):
    with pytest.raises(CircuitParseError) as info:
        parse_source("qasm2", source)
    assert (info.value.line, info.value.column) == (line, column)
    assert fragment in info.value.message


@pytest.mark.parametrize(
    ("source", "line", "column", "fragment"),
    [
        (QASM3_HEAD + "hh q[0];\n", 5, 1, "'hh' is not defined"),
        (QASM3_HEAD + "h q[0]\ncx q[0], q[1];\n", 6, 1, "syntax error near 'cx'"),
        (QASM3_HEAD + "h q[0];\n  $$ q;\n", 6, 3, "token recognition error"),
        (QASM3_HEAD + "h q[0];\nx q[9];\n", 6, None, "index out of range"),
    ],
)
def test_qasm3_errors_carry_position(source, line, column, fragment):
    with pytest.raises(CircuitParseError) as info:
        parse_source("qasm3", source)
    assert (info.value.line, info.value.column) == (line, column)
    assert fragment in info.value.message


def test_error_attributed_to_spec_entry_and_picklable():
    entry = {"format": "qasm2", "source": QASM2_HEAD + "hh q[0];\n"}
    with pytest.raises(CircuitParseError) as info:
        parse_circuit_entry(entry, index=3)
    # Errors travel back from worker processes through pipes; this is our own object.
    error = pickle.loads(pickle.dumps(info.value))  # noqa: S301
    assert error.to_dict() == info.value.to_dict()
    assert error.to_dict()["circuit_index"] == 3
    assert error.field == "circuits[3].source"
    assert str(error).startswith("circuit 3, line 5, column 1:")


def test_foreign_includes_refused():
    source = 'OPENQASM 2.0;\ninclude "/etc/passwd";\nqreg q[1];\n'
    with pytest.raises(CircuitParseError) as info:
        parse_source("qasm2", source)
    assert info.value.line == 2 and "not allowed" in info.value.message


def test_absurd_register_refused_before_parsing():
    with pytest.raises(CircuitParseError, match="registers declare"):
        parse_source("qasm2", "OPENQASM 2.0;\nqreg q[100000000];\n")


def test_empty_circuit_refused():
    with pytest.raises(CircuitParseError, match="empty"):
        parse_source("qasm2", QASM2_HEAD)
    with pytest.raises(CircuitParseError, match="empty"):
        parse_source("qasm2", "   ")


def test_qpy_holds_several_circuits():
    first, second = QuantumCircuit(1, 1), QuantumCircuit(2, 2)
    first.x(0)
    second.h(0)
    buffer = io.BytesIO()
    qpy.dump([first, second], buffer)
    encoded = base64.b64encode(buffer.getvalue()).decode()
    assert detect_format(encoded) == "qpy"
    circuits = parse_source("qpy", encoded)
    assert [c.num_qubits for c in circuits] == [1, 2]
    with pytest.raises(CircuitParseError, match="base64"):
        parse_source("qpy", "!!not base64!!")


def test_detect_format():
    assert detect_format(QASM2_HEAD) == "qasm2"
    assert detect_format("// comment\nOPENQASM 3.0;\nqubit q;") == "qasm3"
    assert detect_format("hello") is None


def test_qasm_round_trip_keeps_native_gates():
    circuit = QuantumCircuit(2, 2)
    circuit.ecr(0, 1)
    circuit.rzx(0.25, 1, 0)
    circuit.measure([0, 1], [0, 1])
    text = circuit_to_qasm(circuit)
    assert text.startswith("OPENQASM 2.0;")
    loaded = parse_source("qasm2", text)[0]
    assert [inst.operation.name for inst in loaded.data] == ["ecr", "rzx", "measure", "measure"]
    assert type(loaded.data[0].operation).__name__.endswith("ECRGate")


def test_parameterized_circuits_export_as_qasm3():
    source = 'OPENQASM 3.0;\ninclude "stdgates.inc";\ninput float a;\nqubit q;\nrx(a) q;\n'
    circuit = parse_source("qasm3", source)[0]
    assert circuit_to_qasm(circuit).startswith("OPENQASM 3.0;")
