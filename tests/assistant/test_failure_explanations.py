"""Every failure code the engine, the scheduler, validation and the IBM path can produce
has a plain-language explanation; explanations point at the failing part of the job."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from qdeck.assistant.failure_catalog import EXPLANATIONS
from qdeck.assistant.failure_explanations import FailureFacts, explain_failure
from tests.assistant.corpus import BELL

SRC = Path(__file__).resolve().parents[2] / "src" / "qdeck"
SOURCES = [
    *sorted((SRC / "engine").rglob("*.py")),
    *(SRC / "jobs" / name for name in ("errors.py", "validation.py", "outcomes.py")),
    *(SRC / "jobs" / name for name in ("scheduler.py", "targets.py")),
    SRC / "backends" / "ibm.py",
]


def _codes_in(path: Path) -> set[str]:
    """String literals used as an error code: ``code="x"``, ``{"code": "x"}``, class
    ``code = "x"``, ``Admission.refuse("x", ...)``, ``getattr(e, "code", "x")``,
    ``... or "x"`` fallbacks of a code, and the ``(code, message, transient)`` tuples the
    IBM classifier returns."""
    found: set[str] = set()
    tree = ast.parse(path.read_text())

    def literal(node: ast.AST | None) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        return None

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg == "code" and literal(keyword.value):
                    found.add(literal(keyword.value))
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "refuse" and node.args:
                found.add(literal(node.args[0]) or "")
            is_getattr = isinstance(func, ast.Name) and func.id == "getattr"
            if is_getattr and len(node.args) == 3 and literal(node.args[1]) == "code":
                found.add(literal(node.args[2]) or "")
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if literal(key) == "code" and literal(value):
                    found.add(literal(value))
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.id == "code" and literal(node.value):
                found.add(literal(node.value))
        elif isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
            if "code" in ast.unparse(node.values[0]) and literal(node.values[-1]):
                found.add(literal(node.values[-1]))
        elif isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple):
            elts = node.value.elts
            if len(elts) == 3 and literal(elts[0]) and isinstance(elts[2], ast.Constant):
                found.add(literal(elts[0]))
    found.discard("")
    return found


def all_failure_codes() -> set[str]:
    codes: set[str] = set()
    for path in SOURCES:
        codes |= _codes_in(path)
    return codes


def test_the_enumeration_finds_the_codes_people_see() -> None:
    codes = all_failure_codes()
    # One from each source, so a broken scanner cannot pass the test below by finding none.
    for code in (
        "circuit_parse_error",  # engine/errors.py
        "too_many_shots",  # engine/spec.py
        "worker_died",  # engine/local_runner.py
        "timeout",  # jobs/outcomes.py
        "dispatch_failed",  # jobs/scheduler.py
        "ibm_token_required",  # jobs/validation.py, backends/ibm.py
        "ibm_rate_limited",  # engine/ibm/errors.py (classifier tuple)
        "ibm_instance_not_found",  # engine/ibm/connection.py
        "failed",  # jobs/outcomes.py fallback
        "job_not_found",  # jobs/errors.py
    ):
        assert code in codes, code
    assert len(codes) >= 30


def test_every_failure_code_has_an_explanation() -> None:
    missing = sorted(all_failure_codes() - set(EXPLANATIONS))
    assert not missing, f"explain these codes in assistant/failure_catalog.py: {missing}"
    for entry in EXPLANATIONS.values():
        assert entry.title and entry.cause and entry.fix
        assert entry.fix.rstrip().endswith((".", ")")), entry.code


def _facts(**changes) -> FailureFacts:
    values = {"code": "failed", "message": "", "backend": "aer_simulator", "spec": {}}
    return FailureFacts(**{**values, **changes})


def test_a_parse_error_points_at_the_line_as_written() -> None:
    broken = BELL.replace("cx q[0],q[1];", "cx q[0] q[1];")
    explained = explain_failure(
        _facts(
            code="circuit_parse_error",
            message="circuit 0, line 6, column 9: invalid QASM2: needed a comma",
            spec={"circuits": [{"source": broken}]},
        )
    )
    (pointer,) = [p for p in explained["pointers"] if p["kind"] == "qasm_line"]
    assert pointer == {
        "kind": "qasm_line",
        "circuit_index": 0,
        "line": 6,
        "column": 9,
        "text": "cx q[0] q[1];",
    }
    assert explained["title"] == "The circuit could not be read"


def test_a_circuit_too_wide_names_the_device_limit_and_devices_that_fit() -> None:
    explained = explain_failure(
        _facts(
            code="circuit_too_wide",
            message="circuit 0 has 7 qubits but fake_manila has only 5",
            backend="fake_manila",
            num_qubits=7,
        )
    )
    limit = next(p for p in explained["pointers"] if p["kind"] == "backend_limit")
    assert limit == {
        "kind": "backend_limit",
        "backend": "fake_manila",
        "limit": "num_qubits",
        "allowed": 5,
        "actual": 7,
        "circuit_index": 0,
    }
    assert "fake_jakarta" in explained["fix"] or "fake_lagos" in explained["fix"]


@pytest.mark.parametrize(
    ("code", "retry"), [("worker_died", True), ("ibm_auth_failed", False), ("timeout", False)]
)
def test_whether_a_retry_helps_is_said(code: str, retry: bool) -> None:
    assert explain_failure(_facts(code=code, timeout_seconds=30))["retry_helps"] is retry


def test_a_timeout_names_the_limit_it_hit() -> None:
    explained = explain_failure(_facts(code="timeout", timeout_seconds=30, phase="executing"))
    assert {"kind": "limit", "limit": "timeout_seconds", "allowed": 30} in explained["pointers"]
    assert "It was stopped after 30 s." in explained["fix"]


def test_an_unknown_code_is_said_to_be_unknown_not_guessed() -> None:
    explained = explain_failure(_facts(code="martian_interference", message="zap"))
    assert explained["known"] is False
    assert explained["message"] == "zap"
