"""OpenQASM 2 and 3 round trips, share links, angle parsing and the composer's edits."""

from __future__ import annotations

import math

import numpy as np
import pytest
from qiskit import qasm2
from qiskit.quantum_info import Operator

from qdeck.quest.composer import (
    AngleError,
    Cell,
    Circuit,
    CircuitError,
    from_qasm,
    parse_angle,
    share,
    state_after,
    to_qasm2,
    to_qasm3,
    to_qiskit,
)
from tests.quest_composer.circuits import random_circuit


def compact(circuit: Circuit) -> Circuit:
    """The circuit as import lays it out (each gate as early as its wires allow)."""
    return from_qasm(to_qasm2(circuit))


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("export", [to_qasm2, to_qasm3])
def test_export_then_import_gives_back_the_same_circuit(seed, export):
    original = compact(random_circuit(1 + seed, 20, seed))
    again = from_qasm(export(original))
    assert again.qubits == original.qubits
    assert again.cells.keys() == original.cells.keys()
    for key, cell in original.cells.items():
        other = again.cells[key]
        assert (other.gate, other.controls, other.partner) == (
            cell.gate,
            cell.controls,
            cell.partner,
        )
        if cell.angle is not None:
            assert other.angle == pytest.approx(cell.angle, abs=1e-12)
    assert Operator(to_qiskit(again)).equiv(Operator(to_qiskit(original)))


def test_measurements_and_barriers_survive_a_round_trip():
    circuit = Circuit(2).place(Cell("h", 0, 0)).place(Cell("barrier", 1, 0))
    circuit = circuit.place(Cell("measure", 0, 1)).place(Cell("measure", 1, 1))
    text = to_qasm2(circuit)
    assert "measure q[0] -> c[0];" in text and "barrier q[1];" in text
    back = from_qasm(text)
    assert {(c.gate, c.qubit, c.column) for c in back.cells.values()} == {
        ("h", 0, 0),
        ("barrier", 1, 0),
        ("measure", 0, 1),
        ("measure", 1, 1),
    }


def test_gates_the_palette_lacks_are_rewritten_into_palette_gates():
    text = (
        'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\n'
        "u3(0.1,0.2,0.3) q[0];\nrxx(0.5) q[0],q[1];\n"
    )
    circuit = from_qasm(text)
    reference = Operator(qasm2.loads(text, custom_instructions=qasm2.LEGACY_CUSTOM_INSTRUCTIONS))
    assert Operator(to_qiskit(circuit)).equiv(reference)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("OPENQASM 2.0;\nqreg q[2];\nfoo q[0];\n", "not valid OpenQASM 2"),
        ('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[17];\nh q[0];\n', "up to 16 qubits"),
        ("OPENQASM 3.0;\nqubit[2] q;\nh q[5];\n", "not valid OpenQASM 3"),
        ('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[1];\n' + "h q[0];\n" * 10_001, "10,000"),
        ('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[1];\n' + "h q[0];\n" * 81, "80 columns"),
        ("x" * 200_001, "200,000 characters"),
    ],
)
def test_bad_qasm_is_refused_with_a_reason(source, message):
    with pytest.raises(CircuitError, match=message):
        from_qasm(source)


def test_a_share_link_reproduces_the_circuit_and_a_damaged_one_is_refused():
    circuit = compact(random_circuit(5, 30, seed=9))
    token = share.encode(to_qasm2(circuit))
    assert "/" not in token and "+" not in token
    assert from_qasm(share.decode(token)).cells == circuit.cells
    with pytest.raises(CircuitError, match="damaged"):
        share.decode(token[:-7] + "!!")
    bomb = share.encode("h" * 5_000_000)
    with pytest.raises(CircuitError, match="too long"):
        share.decode(bomb)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("pi/4", math.pi / 4),
        ("3π/4", 3 * math.pi / 4),
        ("-pi", -math.pi),
        ("0.5", 0.5),
        ("2*pi/3", 2 * math.pi / 3),
        (" - pi / 2 ", -math.pi / 2),
        ("1e-3", 0.001),
        ("PI", math.pi),
    ],
)
def test_angles_accept_numbers_and_fractions_of_pi(text, value):
    assert parse_angle(text) == pytest.approx(value, abs=1e-15)


@pytest.mark.parametrize("text", ["", "abc", "pi*", "*pi", "pi/0", "2 2", "nan", "1e9", "π/4/2"])
def test_angles_that_do_not_parse_say_what_to_write(text):
    with pytest.raises(AngleError, match=r"not an angle|divides by zero|too large") as caught:
        parse_angle(text)
    assert repr(text) in str(caught.value)


def test_edits_move_delete_and_refuse_what_the_composer_cannot_hold():
    circuit = Circuit(3).place(Cell("h", 0, 0)).place(Cell("x", 1, 1, controls=(0,)))
    moved = circuit.move(1, 1, 2, 3)  # the CX moves with its control, shifted alike
    assert moved.at(2, 3).controls == (1,) and moved.at(1, 1) is None
    dot = circuit.move(0, 1, 2, 1)  # dragging the control dot to q2
    assert dot.at(1, 1).controls == (2,)
    assert circuit.remove(0, 1).at(1, 1).controls == ()  # deleting the dot keeps the X
    assert circuit.remove(1, 1).at(0, 1) is None
    rotated = circuit.place(Cell("rx", 2, 0)).set_angle(2, 0, "3π/4")
    assert rotated.at(2, 0).angle == pytest.approx(3 * math.pi / 4)
    with pytest.raises(AngleError):
        rotated.set_angle(2, 0, "three quarters")
    with pytest.raises(CircuitError, match="taken"):
        circuit.place(Cell("z", 0, 1))
    with pytest.raises(CircuitError, match="at most 1 controls"):
        circuit.place(Cell("h", 2, 4, controls=(0, 1)))
    measured = circuit.place(Cell("measure", 0, 2))
    with pytest.raises(CircuitError, match="measured in column 3"):
        measured.place(Cell("h", 0, 5))
    assert measured.place(Cell("x", 2, 5, controls=(0,))).at(0, 5) is not None
    with pytest.raises(CircuitError, match="1 to 16"):
        Circuit(17)
    with pytest.raises(CircuitError, match="still has gates"):
        circuit.with_qubits(1)
    # Every refused edit left the circuit as it was.
    assert np.allclose(state_after(circuit).probabilities, [0.5, 0, 0, 0.5, 0, 0, 0, 0])
