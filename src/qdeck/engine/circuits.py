"""Parse user-supplied circuit sources into :class:`QuantumCircuit` objects.

Accepted entries are ``{"format": "qasm2" | "qasm3" | "qpy", "source": str}`` where ``qpy``
is base64-encoded QPY bytes holding one or many circuits. A missing ``format`` is detected
from the source. Every failure raises :class:`CircuitParseError` with a 1-based line and
column whenever the parser reveals one.

Security note: ``include`` statements other than the standard ``qelib1.inc`` /
``stdgates.inc`` are refused, since resolving them would read files on the worker host.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
from collections.abc import Callable, Mapping
from typing import Any

from qiskit import QuantumCircuit, qasm2, qasm3, qpy
from qiskit.circuit import Gate
from qiskit.circuit.library import get_standard_gate_name_mapping

from .errors import CircuitParseError
from .limits import Limits
from .qasm_diagnostics import diagnose, locate_by_prefix

FORMATS = ("qasm2", "qasm3", "qpy")
_HEADER = re.compile(r"^\s*(?://[^\n]*\n\s*)*OPENQASM\s+(\d+)(?:\.\d+)?\s*;")
_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL)
# Without a header the dialect shows in the content, as Qiskit's loaders accept it:
# OpenQASM 2 includes qelib1.inc and declares qreg/creg; OpenQASM 3 includes stdgates.inc
# and declares qubit/bit. Published benchmark suites often omit "OPENQASM 2.0;".
_DIALECT_MARKS = {
    "qasm2": re.compile(
        r'^[ \t]*(?:include\s+"qelib1\.inc"\s*;|(?:qreg|creg)\s+[A-Za-z_]\w*\s*\[)', re.MULTILINE
    ),
    "qasm3": re.compile(
        r'^[ \t]*(?:include\s+"stdgates\.inc"\s*;|(?:qubit|bit)\s*(?:\[\s*\d+\s*\])?\s+[A-Za-z_])',
        re.MULTILINE,
    ),
}
_INCLUDE = re.compile(r'^([ \t]*include\s+")([^"]*)"', re.MULTILINE)
_ALLOWED_INCLUDES = {"qasm2": {"qelib1.inc"}, "qasm3": {"stdgates.inc"}}
# Register declarations are checked before parsing: ``qreg q[100000000];`` would otherwise
# allocate millions of bit objects before any size check could run.
_REGISTER_SIZE = re.compile(
    r"\b(?:qreg|creg)\s+\w+\s*\[\s*(\d+)\s*\]|\b(?:qubit|bit)\s*\[\s*(\d+)\s*\]"
)
_NON_GATE_OPS = {"measure", "reset", "barrier", "delay"}


def _round_trip_instructions() -> tuple[qasm2.CustomInstruction, ...]:
    """Legacy qelib1 gates plus every other standard gate, mapped to Qiskit's classes.

    ``qasm2.dumps`` writes gates such as ``ecr`` (the native gate of many IBM devices) as
    ``gate`` definitions; ``builtin=False`` makes the loader rebuild the real gate class from
    such a definition, so stored transpiled circuits load back exactly as they were.
    """
    legacy = {inst.name for inst in qasm2.LEGACY_CUSTOM_INSTRUCTIONS}
    extra = []
    for name, op in get_standard_gate_name_mapping().items():
        if name in legacy or not isinstance(op, Gate):
            continue
        try:
            type(op)(*op.params)
        except TypeError:  # constructor signature differs from its params; skip it
            continue
        extra.append(qasm2.CustomInstruction(name, len(op.params), op.num_qubits, type(op)))
    return (*qasm2.LEGACY_CUSTOM_INSTRUCTIONS, *extra)


QASM2_CUSTOM_INSTRUCTIONS = _round_trip_instructions()


def detect_format(source: str) -> str | None:
    """``"qasm2"``/``"qasm3"`` from the OPENQASM header, or without one from the content
    (``include "qelib1.inc";``, ``qreg``/``creg`` mean OpenQASM 2); ``"qpy"`` for base64
    QPY; None when nothing tells (or the content mixes both dialects)."""
    match = _HEADER.match(source)
    if match:
        return "qasm2" if match.group(1) == "2" else "qasm3"
    try:
        head = base64.b64decode(source[:64].strip() + "==", validate=False)
    except (binascii.Error, ValueError):
        head = b""
    if head.startswith(b"QISKIT"):
        return "qpy"
    text = _COMMENT.sub("", source)
    found = [fmt for fmt, marks in _DIALECT_MARKS.items() if marks.search(text)]
    return found[0] if len(found) == 1 else None


def load_qasm2(source: str) -> QuantumCircuit:
    return qasm2.loads(source, include_path=(), custom_instructions=QASM2_CUSTOM_INSTRUCTIONS)


def load_qasm3(source: str) -> QuantumCircuit:
    return qasm3.loads(source)


_LOADERS: dict[str, Callable[[str], QuantumCircuit]] = {"qasm2": load_qasm2, "qasm3": load_qasm3}


def parse_source(fmt: str, source: str, limits: Limits | None = None) -> list[QuantumCircuit]:
    """Parse one source string; QPY may yield several circuits."""
    limits = limits or Limits()
    if not isinstance(source, str) or not source.strip():
        raise CircuitParseError("the circuit source is empty")
    if len(source) > limits.max_source_chars:
        raise CircuitParseError(
            f"the circuit source has {len(source):,} characters; "
            f"the limit is {limits.max_source_chars:,}"
        )
    if fmt == "qpy":
        circuits = _load_qpy(source)
    elif fmt in _LOADERS:
        _check_text(fmt, source, limits)
        circuits = [_load_qasm(fmt, source)]
    else:
        raise CircuitParseError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    for circuit in circuits:
        check_size(circuit, limits)
    return circuits


def parse_circuit_entry(
    entry: Mapping[str, Any], index: int | None = None, limits: Limits | None = None
) -> list[QuantumCircuit]:
    """Parse a spec ``circuits`` entry; errors are attributed to ``index``."""
    try:
        if not isinstance(entry, Mapping):
            raise CircuitParseError('each circuit must be an object {"format", "source"}')
        source = entry.get("source")
        fmt = entry.get("format") or (detect_format(source) if isinstance(source, str) else None)
        if fmt is None:
            raise CircuitParseError("could not detect the format; set format to qasm2/qasm3/qpy")
        return parse_source(fmt, source, limits)
    except CircuitParseError as exc:
        raise (exc.with_index(index) if index is not None else exc) from None


def _load_qasm(fmt: str, source: str) -> QuantumCircuit:
    loader = _LOADERS[fmt]
    try:
        return loader(source)
    except Exception as exc:  # the loaders raise a zoo of types; all become parse errors
        diagnostic = diagnose(exc)
        line = diagnostic.line
        if line is None:
            line = locate_by_prefix(source, loader, exc)
        raise CircuitParseError(
            f"invalid {fmt.upper()}: {diagnostic.message}", line=line, column=diagnostic.column
        ) from None


def _check_text(fmt: str, source: str, limits: Limits) -> None:
    for match in _INCLUDE.finditer(source):
        if match.group(2) not in _ALLOWED_INCLUDES[fmt]:
            line = source.count("\n", 0, match.start()) + 1
            allowed = ", ".join(sorted(_ALLOWED_INCLUDES[fmt]))
            raise CircuitParseError(
                f"include {match.group(2)!r} is not allowed; only {allowed} can be included",
                line=line,
                column=len(match.group(1)) + 1,
            )
    total = 0
    for match in _REGISTER_SIZE.finditer(source):
        total += int(match.group(1) or match.group(2))
        if total > 2 * limits.max_qubits:
            line = source.count("\n", 0, match.start()) + 1
            raise CircuitParseError(
                f"registers declare more than {2 * limits.max_qubits} bits in total",
                line=line,
            )


def _load_qpy(source: str) -> list[QuantumCircuit]:
    try:
        data = base64.b64decode("".join(source.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise CircuitParseError(f"QPY source is not valid base64: {exc}") from None
    if not data.startswith(b"QISKIT"):
        raise CircuitParseError("not QPY data: it must start with the 'QISKIT' header")
    try:
        loaded = qpy.load(io.BytesIO(data))
    except Exception as exc:  # QpyError, struct.error, ValueError...: all mean bad bytes
        raise CircuitParseError(f"could not read QPY data: {exc}") from None
    circuits = [c for c in loaded if isinstance(c, QuantumCircuit)]
    if not circuits:
        raise CircuitParseError("the QPY data holds no circuits")
    return circuits


def check_size(circuit: QuantumCircuit, limits: Limits) -> None:
    if circuit.num_qubits > limits.max_qubits:
        raise CircuitParseError(
            f"circuit has {circuit.num_qubits} qubits; the limit is {limits.max_qubits}"
        )
    if len(circuit.data) > limits.max_operations:
        raise CircuitParseError(
            f"circuit has {len(circuit.data):,} operations; the limit is {limits.max_operations:,}"
        )
    if not any(inst.operation.name != "barrier" for inst in circuit.data):
        raise CircuitParseError("circuit is empty: it has no operations")


def has_measurements(circuit: QuantumCircuit) -> bool:
    """True if any measurement is present, including inside control-flow blocks."""
    for inst in circuit.data:
        if inst.operation.name == "measure":
            return True
        for block in getattr(inst.operation, "blocks", ()):
            if has_measurements(block):
                return True
    return False


def circuit_to_qasm(circuit: QuantumCircuit) -> str:
    """OpenQASM 2 when the circuit can be expressed in it, else OpenQASM 3."""
    try:
        return qasm2.dumps(circuit)
    except Exception:  # QASM2ExportError or parameters/control flow qasm2 cannot express
        return qasm3.dumps(circuit)


def gate_count_summary(circuit: QuantumCircuit) -> dict[str, int]:
    """Operation counts, barriers excluded (they never change results)."""
    return {name: int(count) for name, count in circuit.count_ops().items() if name != "barrier"}


def two_qubit_gate_count(circuit: QuantumCircuit) -> int:
    return sum(
        1
        for inst in circuit.data
        if len(inst.qubits) == 2 and inst.operation.name not in _NON_GATE_OPS
    )
