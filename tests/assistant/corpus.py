"""Circuits with known answers, as people write them."""

from __future__ import annotations

# The textbook two are the jobs tests' own, part of this corpus too.
from tests.jobs.conftest import BELL, GHZ3  # noqa: F401

# q[2] is never used; q[1] is measured and then flipped.
MISTAKES = """OPENQASM 2.0;
include "qelib1.inc";
qreg q[3];
creg c[3];
h q[0];
cx q[0],q[1];
measure q[0] -> c[0];
measure q[1] -> c[1];
x q[1];
"""

NO_MEASURE = """OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
h q[0];
cx q[0],q[1];
"""

# A 3-qubit line of CNOTs with a Toffoli: the Toffoli alone costs 6 CNOTs.
TOFFOLI = """OPENQASM 2.0;
include "qelib1.inc";
qreg q[3];
creg c[3];
x q[0];
x q[1];
ccx q[0],q[1],q[2];
measure q -> c;
"""

FIVE_QUBIT_DEVICES = ["fake_manila", "fake_lima", "fake_belem", "fake_quito", "fake_athens"]
