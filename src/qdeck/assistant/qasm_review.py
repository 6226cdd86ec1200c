"""Review OpenQASM source like a linter: each finding has a line, a reason and a rewrite.

Checks: the header and the standard include, registers declared and never used, gates on
a qubit after it was measured (outside feed-forward blocks), deprecated idioms (``u1``,
``u2``, ``u3``, ``CX``, OpenQASM 2 registers and ``measure a -> b`` in OpenQASM 3,
``opaque``), and OpenQASM 3 features the chosen backend cannot run (control flow its
``Target`` lacks, ``reset``/``delay`` it lacks, and constructs qdeck's importer does not
read: subroutines, ``extern``, ``box``, timing types, ``input``/``output``). Finally the
source is parsed with the engine's own loader, so a program the engine would refuse is
never reviewed as clean.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from typing import Any

from qdeck.assistant.qasm_statements import Statement, gate_call, operands, statements
from qdeck.engine import AER_SIMULATOR, CircuitParseError, default_catalog
from qdeck.engine.circuits import detect_format, parse_source

_HEADER = re.compile(r"^OPENQASM\s+(\d+)(?:\.\d+)?$")
_INCLUDE = re.compile(r'^include\s+"([^"]+)"$')
_QASM2_DECL = re.compile(r"^(qreg|creg)\s+([A-Za-z_]\w*)\s*\[\s*(\d+)\s*\]$")
_QASM3_DECL = re.compile(r"^(qubit|bit)\s*(?:\[\s*(\d+)\s*\])?\s+([A-Za-z_]\w*)(?:\s*=\s*(.*))?$")
_MEASURE_ARROW = re.compile(r"^measure\s+(.+?)\s*->\s*(.+)$")
_MEASURE_ASSIGN = re.compile(r"^(.+?)\s*=\s*measure\s+(.+)$")
_GATE_DEF = re.compile(r"^gate\s+([A-Za-z_]\w*)")
QELIB1 = frozenset(
    [
        "u3",
        "u2",
        "u1",
        "cx",
        "id",
        "u0",
        "u",
        "p",
        "x",
        "y",
        "z",
        "h",
        "s",
        "sdg",
        "t",
        "tdg",
        "rx",
        "ry",
        "rz",
        "sx",
        "sxdg",
        "cz",
        "cy",
        "swap",
        "ch",
        "ccx",
        "cswap",
        "crx",
        "cry",
        "crz",
        "cu1",
        "cp",
        "cu3",
        "csx",
        "cu",
        "rxx",
        "rzz",
        "rccx",
        "rc3x",
        "c3x",
        "c3sqrtx",
        "c4x",
    ]
)
STDGATES = frozenset(
    [
        "p",
        "x",
        "y",
        "z",
        "h",
        "s",
        "sdg",
        "t",
        "tdg",
        "sx",
        "rx",
        "ry",
        "rz",
        "cx",
        "cy",
        "cz",
        "cp",
        "crx",
        "cry",
        "crz",
        "ch",
        "swap",
        "ccx",
        "cswap",
        "cu",
        "CX",
        "phase",
        "cphase",
        "id",
        "u1",
        "u2",
        "u3",
    ]
)
BUILTIN = {"qasm2": frozenset({"U", "CX"}), "qasm3": frozenset({"U", "gphase"})}
INCLUDE_FOR = {"qasm2": "qelib1.inc", "qasm3": "stdgates.inc"}
KEYWORDS = frozenset(
    [
        "OPENQASM",
        "include",
        "qreg",
        "creg",
        "qubit",
        "bit",
        "measure",
        "reset",
        "barrier",
        "if",
        "else",
        "for",
        "while",
        "switch",
        "case",
        "default",
        "def",
        "gate",
        "opaque",
        "extern",
        "box",
        "input",
        "output",
        "let",
        "const",
        "int",
        "uint",
        "float",
        "angle",
        "bool",
        "complex",
        "duration",
        "stretch",
        "delay",
        "return",
        "break",
        "continue",
        "pragma",
        "cal",
        "defcal",
        "array",
    ]
)
CONTROL_FLOW = {"if": "if_else", "else": "if_else", "for": "for_loop", "while": "while_loop"}
CONTROL_FLOW["switch"] = "switch_case"
UNREADABLE = {
    "def": "subroutines (def)",
    "extern": "extern functions",
    "box": "box blocks",
    "duration": "duration variables",
    "stretch": "stretch variables",
    "input": "input parameters",
    "output": "output variables",
    "defcal": "pulse-level calibrations (defcal)",
    "cal": "pulse-level calibrations (cal)",
}
DEPRECATED_GATES = {
    "u1": ("p", "u1(λ) is p(λ)"),
    "u2": ("u", "u2(φ, λ) is u(pi/2, φ, λ)"),
    "u3": ("u", "u3(θ, φ, λ) is u(θ, φ, λ)"),
    "CX": ("cx", "CX is the built-in form; the standard library's cx reads better"),
}


@dataclass
class ReviewFinding:
    code: str
    severity: str  # "info" | "warning" | "error"
    line: int | None
    message: str
    suggestion: str = ""
    original: str | None = None  # the line as written
    rewrite: str | None = None  # the line as it could be written (None: delete or n/a)
    column: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class _Registers:
    quantum: dict[str, tuple[int, int]] = field(default_factory=dict)  # name -> (size, line)
    classical: dict[str, tuple[int, int]] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)


def review(source: str, backend: str | None = None) -> dict[str, Any]:
    lines = source.splitlines()
    dialect = detect_format(source)
    dialect = dialect if dialect in ("qasm2", "qasm3") else "qasm2"
    found: list[ReviewFinding] = []
    stmts = statements(source)
    registers = _Registers()
    defined = {m.group(1) for s in stmts if (m := _GATE_DEF.match(s.text))}
    has_header = any(_HEADER.match(s.text) for s in stmts[:1])
    includes = {m.group(1) for s in stmts if (m := _INCLUDE.match(s.text))}
    if not has_header:
        version = "2.0" if dialect == "qasm2" else "3.0"
        found.append(
            ReviewFinding(
                "missing_header",
                "info",
                1,
                "the program has no OPENQASM version line; qdeck guesses the dialect",
                f"Start the file with `OPENQASM {version};`.",
                original=_line(lines, 1),
                rewrite=f"OPENQASM {version};",
            )
        )
    measured: dict[tuple[str, int], int] = {}
    flagged_after: set[tuple[str, int]] = set()
    missing_include_line: int | None = None
    target_ops = _target_operations(backend)
    for stmt in stmts:
        if stmt.in_definition:
            continue
        text = stmt.text
        word = text.split(" ", 1)[0].split("(", 1)[0].split("[", 1)[0]
        if _declare(stmt, dialect, registers, found, lines):
            continue
        if word in UNREADABLE:
            found.append(
                ReviewFinding(
                    "unsupported_qasm3_feature",
                    "error",
                    stmt.line,
                    f"{UNREADABLE[word]} cannot be read by qdeck's OpenQASM 3 importer",
                    "Inline the subroutine or value by hand; keep to gates, registers, "
                    "measurements and if/for blocks.",
                    original=_line(lines, stmt.line),
                )
            )
            continue
        if word in CONTROL_FLOW or word in ("reset", "delay"):
            _check_backend_support(stmt, word, backend, target_ops, found, lines)
        if word == "opaque":
            found.append(
                ReviewFinding(
                    "opaque_gate",
                    "error",
                    stmt.line,
                    "opaque gates have no definition, so no simulator or device can run them",
                    "Define the gate with `gate name q { ... }` in terms of standard gates.",
                    original=_line(lines, stmt.line),
                )
            )
            continue
        if _measure(stmt, registers, measured):
            continue
        if word in KEYWORDS:
            registers.used.update(name for name, _ in operands(text))
            continue
        call = gate_call(text)
        if call is None:
            continue
        name, args = call
        targets = operands(args)
        registers.used.update(reg for reg, _ in targets)
        if name in DEPRECATED_GATES:
            found.append(_deprecated_gate(stmt, name, lines))
        if name not in defined and name not in BUILTIN[dialect]:
            library = QELIB1 if dialect == "qasm2" else STDGATES
            if name in library and INCLUDE_FOR[dialect] not in includes:
                missing_include_line = missing_include_line or stmt.line
        if stmt.block in CONTROL_FLOW:
            continue  # feed-forward after a measurement is the point of the block
        for qubit in _expand(targets, registers):
            if qubit in measured and qubit not in flagged_after:
                flagged_after.add(qubit)
                found.append(
                    ReviewFinding(
                        "gate_after_measurement",
                        "warning",
                        stmt.line,
                        f"{name} acts on {qubit[0]}[{qubit[1]}] after it was measured on "
                        f"line {measured[qubit]}; the counts will not show this gate",
                        "Move the measurement below the last gate on this qubit (or reset "
                        "the qubit first if reusing it is intended).",
                        original=_line(lines, stmt.line),
                    )
                )
    if missing_include_line is not None:
        include = INCLUDE_FOR[dialect]
        found.append(
            ReviewFinding(
                "missing_include",
                "error",
                missing_include_line,
                f"standard gates are used but {include} is not included",
                f'Add `include "{include}";` right after the OPENQASM line.',
                original=_line(lines, missing_include_line),
                rewrite=f'include "{include}";',
            )
        )
    found += _unused(registers, lines)
    found += _parse_check(source, dialect)
    found.sort(key=lambda f: (f.line or 0, f.code))
    return {
        "dialect": dialect,
        "backend": backend or AER_SIMULATOR,
        "findings": [f.to_dict() for f in found],
        "errors": sum(1 for f in found if f.severity == "error"),
        "warnings": sum(1 for f in found if f.severity == "warning"),
    }


def _line(lines: list[str], number: int) -> str | None:
    return lines[number - 1] if 0 < number <= len(lines) else None


def _declare(
    stmt: Statement,
    dialect: str,
    registers: _Registers,
    found: list[ReviewFinding],
    lines: list[str],
) -> bool:
    old = _QASM2_DECL.match(stmt.text)
    if old:
        kind, name, size = old.group(1), old.group(2), int(old.group(3))
        book = registers.quantum if kind == "qreg" else registers.classical
        book[name] = (size, stmt.line)
        if dialect == "qasm3":
            new = f"{'qubit' if kind == 'qreg' else 'bit'}[{size}] {name};"
            found.append(
                ReviewFinding(
                    "deprecated_register",
                    "info",
                    stmt.line,
                    f"{kind} is OpenQASM 2 syntax, kept in OpenQASM 3 only for compatibility",
                    f"Write `{new}`.",
                    original=_line(lines, stmt.line),
                    rewrite=new,
                )
            )
        return True
    new_style = _QASM3_DECL.match(stmt.text)
    if new_style:
        kind, size, name, init = new_style.groups()
        book = registers.quantum if kind == "qubit" else registers.classical
        book[name] = (int(size) if size else 1, stmt.line)
        if init:
            registers.used.add(name)
            registers.used.update(reg for reg, _ in operands(init.replace("measure", "")))
        return True
    return False


def _measure(stmt: Statement, registers: _Registers, measured: dict) -> bool:
    arrow = _MEASURE_ARROW.match(stmt.text)
    assign = None if arrow else _MEASURE_ASSIGN.match(stmt.text)
    if not arrow and not assign:
        return False
    qubits, bits = (arrow.group(1), arrow.group(2)) if arrow else (assign.group(2), assign.group(1))
    quantum, classical = operands(qubits), operands(bits)
    registers.used.update(name for name, _ in quantum + classical)
    for qubit in _expand(quantum, registers):
        measured.setdefault(qubit, stmt.line)
    return True


def _expand(targets: list[tuple[str, int | None]], registers: _Registers) -> list[tuple[str, int]]:
    out = []
    for name, index in targets:
        if name not in registers.quantum:
            continue
        if index is None:
            out += [(name, i) for i in range(registers.quantum[name][0])]
        else:
            out.append((name, index))
    return out


def _deprecated_gate(stmt: Statement, name: str, lines: list[str]) -> ReviewFinding:
    replacement, why = DEPRECATED_GATES[name]
    original = _line(lines, stmt.line)
    rewrite = None
    if original is not None:
        rewrite = re.sub(rf"\b{name}\b", replacement, original, count=1)
        if name == "u2":
            rewrite = re.sub(r"\bu\s*\(", "u(pi/2, ", rewrite, count=1)
    return ReviewFinding(
        "deprecated_gate",
        "info",
        stmt.line,
        f"{name} is deprecated: {why}",
        f"Use {replacement}.",
        original=original,
        rewrite=rewrite,
    )


def _target_operations(backend: str | None) -> set[str] | None:
    """The operations the backend runs; None for the ideal simulator (it runs everything)."""
    if not backend or backend == AER_SIMULATOR:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return set(default_catalog().backend(backend).target.operation_names)


def _check_backend_support(
    stmt: Statement,
    word: str,
    backend: str | None,
    target_ops: set[str] | None,
    found: list[ReviewFinding],
    lines: list[str],
) -> None:
    operation = CONTROL_FLOW.get(word, word)
    if target_ops is None or operation in target_ops:
        return
    found.append(
        ReviewFinding(
            "backend_lacks_feature",
            "error",
            stmt.line,
            f"{backend} cannot run {word} ({operation} is not in its instruction set)",
            "Unroll it into a fixed sequence of gates, or run on aer_simulator."
            if word in CONTROL_FLOW
            else f"Remove the {word}, or run on aer_simulator.",
            original=_line(lines, stmt.line),
        )
    )


def _unused(registers: _Registers, lines: list[str]) -> list[ReviewFinding]:
    found = []
    for kind, book in (("quantum", registers.quantum), ("classical", registers.classical)):
        for name, (size, line) in book.items():
            if name in registers.used:
                continue
            found.append(
                ReviewFinding(
                    "unused_register",
                    "warning",
                    line,
                    f"{kind} register {name} ({size} bit{'s' if size != 1 else ''}) is "
                    "declared but never used",
                    "Delete the declaration: unused qubits still count against a device's size.",
                    original=_line(lines, line),
                    rewrite=None,
                )
            )
    return found


def _parse_check(source: str, dialect: str) -> list[ReviewFinding]:
    try:
        parse_source(dialect, source)
    except CircuitParseError as exc:
        return [
            ReviewFinding(
                "parse_error",
                "error",
                exc.line,
                exc.message,
                "The engine refuses this program as written; fix this line first.",
                column=exc.column,
            )
        ]
    return []
