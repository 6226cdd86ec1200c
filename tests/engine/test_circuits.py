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


# The shape of a QASMBench / "qasm benchmark" file: comments, no OPENQASM line.
BENCHMARK_STYLE_BELL = """// Name of Experiment: Bell state v1
// Generated for a benchmark suite; header-less like many published files
include "qelib1.inc";

qreg q[2];
creg c[2];
// entangle
h q[0];
cx q[0],q[1];
barrier q[0],q[1];
measure q[0] -> c[0];
measure q[1] -> c[1];
"""


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (BENCHMARK_STYLE_BELL, "qasm2"),
        ('include "qelib1.inc";\nqreg q[1];\nx q[0];\n', "qasm2"),
        ("qreg q[1];\ncreg c[1];\nx q[0];\nmeasure q -> c;\n", "qasm2"),
        ("/* a note */\n  creg c[1];\nqreg q[1];\n", "qasm2"),
        ('include "stdgates.inc";\nqubit[2] q;\nh q[0];\n', "qasm3"),
        ("qubit q;\nbit c;\nh q;\nc = measure q;\n", "qasm3"),
        # Nothing says which dialect, or both do: the client must say.
        ("h q[0];\n", None),
        ("// qreg q[1];\nh q[0];\n", None),
        ('include "qelib1.inc";\nqubit[2] q;\n', None),
    ],
)
def test_detect_format_without_a_header(source: str, expected: str | None) -> None:
    assert detect_format(source) == expected


def test_a_header_less_benchmark_file_runs_as_openqasm_2_with_bell_statistics() -> None:
    """Parsed exactly as the same file with "OPENQASM 2.0;" in front, and the ideal
    simulator gives 00 and 11 each ~50% (within 5 sigma of 4000 shots), never 01 or 10."""
    from qdeck.engine import run_job

    headed = parse_circuit_entry({"source": "OPENQASM 2.0;\n" + BENCHMARK_STYLE_BELL})[0]
    bare = parse_circuit_entry({"source": BENCHMARK_STYLE_BELL})[0]
    assert bare == headed
    spec = {
        "backend": "aer_simulator",
        "primitive": "sampler",
        "shots": 4000,
        "seed": 11,
        "circuits": [{"source": BENCHMARK_STYLE_BELL}],
    }
    counts = run_job(spec)["pubs"][0]["data"][0]["counts"]
    assert set(counts) == {"00", "11"}
    assert sum(counts.values()) == 4000
    sigma = (0.5 * 0.5 / 4000) ** 0.5
    assert all(abs(n / 4000 - 0.5) <= 5 * sigma for n in counts.values()), counts


def test_the_submit_page_check_uses_the_same_rule() -> None:
    from qdeck.ui.compute import check_circuit

    checked = check_circuit(BENCHMARK_STYLE_BELL)
    assert checked["ok"], checked
    assert (checked["num_qubits"], checked["num_clbits"], checked["has_measurements"]) == (
        2,
        2,
        True,
    )
