"""Textbook circuits in OpenQASM 2 that several parts of qdeck offer (the submit page's
samples, ``qdeck demo``): one copy, so they cannot drift apart."""

from __future__ import annotations

HEADER = 'OPENQASM 2.0;\ninclude "qelib1.inc";\n'

BELL = (
    HEADER
    + """qreg q[2];
creg c[2];
h q[0];
cx q[0],q[1];
measure q -> c;
"""
)

GHZ5 = (
    HEADER
    + """qreg q[5];
creg c[5];
h q[0];
cx q[0],q[1];
cx q[1],q[2];
cx q[2],q[3];
cx q[3],q[4];
measure q -> c;
"""
)
