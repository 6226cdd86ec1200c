"""Sample circuits for the submit page's library (OpenQASM 2, all run on the simulator)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from qdeck.circuit_library import BELL, HEADER
from qdeck.circuit_library import GHZ5 as GHZ


@dataclass(frozen=True)
class Sample:
    key: str
    title: str
    description: str
    source: str
    primitive: str = "sampler"
    observables: list[str] = field(default_factory=list)


TELEPORTATION = (
    HEADER
    + """// Teleport the state ry(1.1)|0> from q[0] to q[2] (deferred measurement).
qreg q[3];
creg c[1];
ry(1.1) q[0];
h q[1];
cx q[1],q[2];
cx q[0],q[1];
h q[0];
cx q[1],q[2];
cz q[0],q[2];
ry(-1.1) q[2];
measure q[2] -> c[0];
"""
)

DEUTSCH_JOZSA = (
    HEADER
    + """// Balanced oracle f(x) = x0 xor x1 xor x2: the input register never reads 000.
qreg q[4];
creg c[3];
x q[3];
h q[0];
h q[1];
h q[2];
h q[3];
cx q[0],q[3];
cx q[1],q[3];
cx q[2],q[3];
h q[0];
h q[1];
h q[2];
measure q[0] -> c[0];
measure q[1] -> c[1];
measure q[2] -> c[2];
"""
)

GROVER = (
    HEADER
    + """// Grover search over 2 qubits for |11>: one iteration finds it with certainty.
qreg q[2];
creg c[2];
h q[0];
h q[1];
cz q[0],q[1];
h q[0];
h q[1];
x q[0];
x q[1];
cz q[0],q[1];
x q[0];
x q[1];
h q[0];
h q[1];
measure q -> c;
"""
)

QFT = (
    HEADER
    + """// Quantum Fourier transform of |101> on 3 qubits.
qreg q[3];
creg c[3];
x q[0];
x q[2];
h q[2];
cu1(pi/2) q[1],q[2];
cu1(pi/4) q[0],q[2];
h q[1];
cu1(pi/2) q[0],q[1];
h q[0];
swap q[0],q[2];
measure q -> c;
"""
)

VQE_ANSATZ = (
    HEADER
    + """// Hardware-efficient ansatz for H2-like energies; estimate <ZZ>, <XX>, <ZI>.
qreg q[2];
ry(0.8) q[0];
ry(-1.2) q[1];
cx q[0],q[1];
ry(0.4) q[0];
ry(0.3) q[1];
"""
)


def random_circuit(width: int = 4, depth: int = 8, seed: int | None = None) -> str:
    rng = random.Random(seed)  # noqa: S311 - a teaching example, not a secret
    lines = [f"qreg q[{width}];", f"creg c[{width}];"]
    for _ in range(depth):
        gate = rng.choice(["h", "x", "sx", "rz", "cx", "cz"])
        if gate in ("cx", "cz"):
            a, b = rng.sample(range(width), 2)
            lines.append(f"{gate} q[{a}],q[{b}];")
        elif gate == "rz":
            lines.append(f"rz({rng.uniform(0, 3.14):.3f}) q[{rng.randrange(width)}];")
        else:
            lines.append(f"{gate} q[{rng.randrange(width)}];")
    lines.append("measure q -> c;")
    return HEADER + "\n".join(lines) + "\n"


SAMPLES = [
    Sample("bell", "Bell state", "Two entangled qubits: half 00, half 11.", BELL),
    Sample("ghz", "GHZ state", "Five qubits that are all 0 or all 1 together.", GHZ),
    Sample(
        "teleportation", "Teleportation", "Move a qubit's state across the register.", TELEPORTATION
    ),
    Sample(
        "deutsch-jozsa",
        "Deutsch-Jozsa",
        "Tell a balanced function from a constant one.",
        DEUTSCH_JOZSA,
    ),
    Sample("grover", "Grover search", "Find the marked item |11> in one step.", GROVER),
    Sample("qft", "Quantum Fourier transform", "The QFT of |101> on three qubits.", QFT),
    Sample(
        "vqe",
        "VQE ansatz",
        "Estimate energies: expectation values of Pauli terms.",
        VQE_ANSATZ,
        primitive="estimator",
        observables=["ZZ", "XX", "ZI"],
    ),
    Sample("random", "Random circuit", "A random 4-qubit circuit, new each time.", ""),
]


def sample(key: str) -> Sample:
    found = next(s for s in SAMPLES if s.key == key)
    if found.key == "random":
        return Sample(found.key, found.title, found.description, random_circuit())
    return found
