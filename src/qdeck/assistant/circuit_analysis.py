"""What a circuit is, before any device: its size and the mistakes visible in it.

Findings are computed on the parsed circuit (Qiskit's instruction list), so they hold for
OpenQASM 2, 3 and QPY alike; ``qasm_review`` adds the line-numbered, text-level view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from qiskit import QuantumCircuit
from qiskit.circuit.controlflow import CONTROL_FLOW_OP_NAMES

from qdeck.engine.circuits import gate_count_summary, two_qubit_gate_count

NOT_GATES = frozenset({"measure", "barrier", "reset", "delay"})


@dataclass(frozen=True)
class Finding:
    """One thing worth telling the user; ``qubits`` and ``line`` point at where it is."""

    code: str
    severity: str  # "info" | "warning" | "error"
    message: str
    suggestion: str = ""
    qubits: list[int] = field(default_factory=list)
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "suggestion": self.suggestion,
            "qubits": self.qubits,
            "line": self.line,
        }


@dataclass(frozen=True)
class CircuitFacts:
    num_qubits: int
    num_clbits: int
    depth: int
    size: int
    gate_counts: dict[str, int]
    two_qubit_gates: int
    measured_qubits: list[int]
    has_control_flow: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "num_qubits": self.num_qubits,
            "num_clbits": self.num_clbits,
            "depth": self.depth,
            "size": self.size,
            "gate_counts": self.gate_counts,
            "two_qubit_gates": self.two_qubit_gates,
            "measured_qubits": self.measured_qubits,
            "has_control_flow": self.has_control_flow,
        }


def circuit_facts(circuit: QuantumCircuit) -> CircuitFacts:
    measured = sorted(
        {
            circuit.find_bit(inst.qubits[0]).index
            for inst in circuit.data
            if inst.operation.name == "measure"
        }
    )
    return CircuitFacts(
        num_qubits=circuit.num_qubits,
        num_clbits=circuit.num_clbits,
        depth=circuit.depth(),
        size=circuit.size(),
        gate_counts=gate_count_summary(circuit),
        two_qubit_gates=two_qubit_gate_count(circuit),
        measured_qubits=measured,
        has_control_flow=any(getattr(i.operation, "blocks", None) for i in circuit.data),
    )


def circuit_findings(circuit: QuantumCircuit) -> list[Finding]:
    """Idle qubits, missing measurements, gates after a qubit's final measurement."""
    index = {q: circuit.find_bit(q).index for q in circuit.qubits}
    touched: set[int] = set()
    measured: set[int] = set()
    after: dict[int, list[str]] = {}
    for inst in circuit.data:
        name = inst.operation.name
        if name == "barrier":
            continue
        qubits = [index[q] for q in inst.qubits]
        touched.update(qubits)
        if name == "measure":
            measured.add(qubits[0])
            continue
        if getattr(inst.operation, "blocks", None):
            continue  # feed-forward on a measured bit is what control flow is for
        for q in qubits:
            if q in measured and name != "reset":
                after.setdefault(q, []).append(name)
    findings = []
    idle = sorted(set(range(circuit.num_qubits)) - touched)
    if idle:
        findings.append(
            Finding(
                "idle_qubits",
                "warning",
                f"{len(idle)} qubit(s) are declared but never used: {_list(idle)}",
                "Declare only the qubits the circuit uses: a smaller register fits more "
                "devices and simulates faster.",
                qubits=idle,
            )
        )
    if not measured:
        findings.append(
            Finding(
                "no_measurements",
                "warning",
                "the circuit measures nothing, so a sampler job returns no counts",
                "Add `measure q -> c;` (OpenQASM 2) or `c = measure q;` (OpenQASM 3) at the "
                "end, or submit it as an estimator job with observables.",
            )
        )
    else:
        unmeasured = sorted(touched - measured)
        if unmeasured:
            findings.append(
                Finding(
                    "unmeasured_qubits",
                    "info",
                    f"qubit(s) {_list(unmeasured)} are used but never measured",
                    "Fine for ancillas; otherwise measure them, or their result is lost.",
                    qubits=unmeasured,
                )
            )
    if after:
        qubits = sorted(after)
        gates = sorted({g for names in after.values() for g in names})
        findings.append(
            Finding(
                "gates_after_measurement",
                "warning",
                f"gates ({', '.join(gates)}) act on qubit(s) {_list(qubits)} after they "
                "were measured; they cannot change the counts already taken",
                "Move the measurement after the last gate on that qubit, unless the "
                "mid-circuit measurement is intended.",
                qubits=qubits,
            )
        )
    return findings


def unsupported_gates(circuit: QuantumCircuit, target: Any) -> list[Finding]:
    """Control flow the device cannot run (an error), and gates it has no native form of
    (information: the transpiler rewrites them)."""
    native = set(target.operation_names)
    used = {inst.operation.name for inst in circuit.data}
    findings = []
    missing_flow = sorted((used & set(CONTROL_FLOW_OP_NAMES)) - native)
    if missing_flow:
        findings.append(
            Finding(
                "unsupported_control_flow",
                "error",
                f"{', '.join(missing_flow)} is not supported by this device",
                "Unroll the loop by hand (a fixed number of repetitions), or run on "
                "aer_simulator, which supports every control-flow construct.",
            )
        )
    foreign = sorted(used - native - NOT_GATES - set(CONTROL_FLOW_OP_NAMES))
    if foreign:
        basis = sorted(native - NOT_GATES - set(CONTROL_FLOW_OP_NAMES) - {"id"})
        findings.append(
            Finding(
                "non_native_gates",
                "info",
                f"{', '.join(foreign)} is not native on this device; the transpiler rewrites "
                f"it into {', '.join(basis)}",
                "Nothing to do unless the rewrite is long: then prefer gates close to the "
                "device's basis.",
            )
        )
    return findings


def _list(values: list[int], limit: int = 12) -> str:
    shown = ", ".join(str(v) for v in values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")
