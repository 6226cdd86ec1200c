"""QASM review: each finding at the line a person would fix, with the rewrite."""

from __future__ import annotations

from qdeck.assistant.qasm_review import review
from tests.assistant.corpus import BELL, GHZ3, MISTAKES


def _by_code(result: dict) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for finding in result["findings"]:
        found.setdefault(finding["code"], []).append(finding)
    return found


def test_clean_programs_have_no_findings() -> None:
    assert review(BELL)["findings"] == []
    assert review(GHZ3, "fake_manila")["findings"] == []


def test_gate_after_measurement_and_unused_qubit_point_at_their_lines() -> None:
    found = _by_code(review(MISTAKES))
    (after,) = found["gate_after_measurement"]
    assert after["line"] == 9 and after["original"] == "x q[1];"
    assert "measured on line 8" in after["message"]
    # q[2] is declared in q[3], which is used: the register is not unused.
    assert "unused_register" not in found


def test_unused_registers_and_the_missing_include() -> None:
    source = """OPENQASM 2.0;
qreg q[2];
qreg spare[4];
creg c[2];
creg never[1];
h q[0];
cx q[0],q[1];
measure q -> c;
"""
    found = _by_code(review(source))
    assert [(f["line"], f["original"]) for f in found["unused_register"]] == [
        (3, "qreg spare[4];"),
        (5, "creg never[1];"),
    ]
    (include,) = found["missing_include"]
    assert include["line"] == 6 and include["rewrite"] == 'include "qelib1.inc";'
    (parse,) = found["parse_error"]  # the engine refuses it too, at the same line
    assert parse["line"] == 6


def test_deprecated_idioms_get_rewrites() -> None:
    source = """OPENQASM 3.0;
include "stdgates.inc";
qreg q[2];
creg c[2];
u1(0.5) q[0];
u2(0.1, 0.2) q[1];
u3(0.1, 0.2, 0.3) q[0];
measure q -> c;
"""
    found = _by_code(review(source))
    rewrites = {f["line"]: f["rewrite"] for f in found["deprecated_gate"]}
    assert rewrites == {
        5: "p(0.5) q[0];",
        6: "u(pi/2, 0.1, 0.2) q[1];",
        7: "u(0.1, 0.2, 0.3) q[0];",
    }
    registers = {f["line"]: f["rewrite"] for f in found["deprecated_register"]}
    assert registers == {3: "qubit[2] q;", 4: "bit[2] c;"}


def test_openqasm_3_features_the_backend_lacks() -> None:
    source = """OPENQASM 3.0;
include "stdgates.inc";
qubit[1] q;
bit[1] c;
h q[0];
c[0] = measure q[0];
while (c[0]) {
  x q[0];
  c[0] = measure q[0];
}
"""
    on_device = _by_code(review(source, "fake_manila"))
    (lacking,) = on_device["backend_lacks_feature"]
    assert lacking["line"] == 7 and "while_loop" in lacking["message"]
    # Feed-forward inside the loop is the point of it: not a "gate after measurement".
    assert "gate_after_measurement" not in on_device
    assert "backend_lacks_feature" not in _by_code(review(source, "aer_simulator"))


def test_constructs_the_importer_cannot_read_are_errors_at_their_line() -> None:
    source = """OPENQASM 3.0;
include "stdgates.inc";
input float theta;
qubit[1] q;
bit[1] c;
rx(theta) q[0];
c[0] = measure q[0];
"""
    result = review(source)
    (feature,) = _by_code(result)["unsupported_qasm3_feature"]
    assert feature["line"] == 3 and "input" in feature["message"]
    assert result["errors"] >= 1


def test_comments_do_not_move_line_numbers() -> None:
    source = BELL.replace("h q[0];", "// prepare\n/* a\n   block */ h q[0];").replace(
        "measure q -> c;", "measure q -> c;\nx q[0];"
    )
    (after,) = _by_code(review(source))["gate_after_measurement"]
    assert after["line"] == source.splitlines().index("x q[0];") + 1
