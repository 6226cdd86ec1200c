"""Turn OpenQASM parser exceptions into 1-based line/column positions.

Qiskit's loaders report positions in different shapes:

* ``qiskit.qasm2``: ``"<input>:3,4: message"`` with a 1-based line and a 0-based column.
* ``qiskit.qasm3`` semantic errors (``QASM3ImporterError`` from ``qiskit_qasm3_import``):
  ``"3,4: message"``, 1-based line, 0-based column (ANTLR convention).
* ``openqasm3`` lexer errors: ``"L3:C4: message"``; parser errors carry no text at all, only a
  ``ParseCancellationException`` cause wrapping the ANTLR exception with the offending token.
* Some semantic errors (``IndexError``, ``CircuitError``) have no position whatsoever; for
  those :func:`locate_by_prefix` re-parses growing prefixes of the program to find the first
  line that reproduces the error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_QASM2_POSITION = re.compile(r"<input>:(\d+),(\d+):\s*(.*)", re.DOTALL)
_QASM3_POSITION = re.compile(r"^(\d+),(\d+):\s*(.*)", re.DOTALL)
_ANTLR_POSITION = re.compile(r"L(\d+):C(\d+):\s*(.*)", re.DOTALL)
# Re-parsing prefixes costs one parse per line, so only do it for modest programs.
MAX_PREFIX_SCAN_LINES = 300


@dataclass(frozen=True)
class Diagnostic:
    message: str
    line: int | None = None
    column: int | None = None


def _clean(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    return text.strip()


def diagnose(error: BaseException) -> Diagnostic:
    """Best-effort message and 1-based position for a QASM parser exception."""
    # QiskitError.__str__ returns repr(message); prefer the raw message when there is one.
    raw = getattr(error, "message", None)
    text = _clean(raw if isinstance(raw, str) else str(error))
    for pattern in (_QASM2_POSITION, _ANTLR_POSITION, _QASM3_POSITION):
        match = pattern.search(text)
        if match:
            line, column, message = match.groups()
            return Diagnostic(_clean(message), int(line), int(column) + 1)
    token_diagnostic = _diagnose_antlr_cause(error)
    if token_diagnostic is not None:
        return token_diagnostic
    message = text or type(error).__name__
    return Diagnostic(message)


def _diagnose_antlr_cause(error: BaseException) -> Diagnostic | None:
    """ANTLR syntax errors: the offending token hides in the exception's cause chain."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        for candidate in (current, *getattr(current, "args", ())):
            token = getattr(candidate, "offendingToken", None)
            if token is not None and getattr(token, "line", None) is not None:
                text = getattr(token, "text", None)
                near = "end of input" if text in (None, "<EOF>") else repr(text)
                message = f"syntax error near {near} (check the previous statement's ';')"
                return Diagnostic(message, int(token.line), int(token.column) + 1)
        current = current.__cause__ or current.__context__
    return None


def locate_by_prefix(
    source: str, loader: Callable[[str], object], error: BaseException
) -> int | None:
    """First 1-based line whose prefix reproduces ``error`` (same type and text), if any."""
    lines = source.splitlines(keepends=True)
    if len(lines) > MAX_PREFIX_SCAN_LINES:
        return None
    signature = (type(error), str(error))
    for count in range(1, len(lines) + 1):
        try:
            loader("".join(lines[:count]))
        except Exception as exc:  # any failure shape; compared below
            if (type(exc), str(exc)) == signature:
                return count
    return None
