"""Whatever text arrives, grading either answers or refuses with a 422: seeded mutations
of real level solutions (deleted, doubled or swapped characters, odd tokens) never raise
anything else, so no attempt can become a 500."""

from __future__ import annotations

import random

import pytest

from qdeck.errors import InvalidInput
from qdeck.quest.catalog import load_catalog
from qdeck.quest.grading import grade_circuit, read_attempt

TOKENS = ["pi", "(", ")", ";", ",", "q[", "]", "-", "/", "0", "99", "1e308", "nan", "measure",
          "gate g a {", "}", "if(c==1)", "->", "creg c[2];", "OPENQASM 3.0;", "qubit[2] r;",
          "\x00", "é", "U(0,0,0)", "reset", "barrier q;", "opaque o a;"]  # fmt: skip


def _mutate(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 4)):
        where = rng.randrange(len(chars) + 1)
        choice = rng.random()
        if choice < 0.3 and chars:
            del chars[min(where, len(chars) - 1)]
        elif choice < 0.6:
            chars.insert(where, rng.choice(TOKENS))
        elif chars:
            other = rng.randrange(len(chars))
            here = min(where, len(chars) - 1)
            chars[here], chars[other] = chars[other], chars[here]
    return "".join(chars)


@pytest.mark.parametrize("seed", range(8))
def test_mutated_solutions_are_graded_or_refused(seed: int) -> None:
    rng = random.Random(seed)
    levels = load_catalog().levels
    outcomes = {"graded": 0, "refused": 0}
    for _ in range(60):
        level = rng.choice(levels)
        text = _mutate(rng, level.reference_qasm)
        try:
            grade = grade_circuit(level, read_attempt(text))
        except InvalidInput as refusal:
            assert refusal.errors and refusal.errors[0]["field"] == "qasm"
            assert refusal.detail
            outcomes["refused"] += 1
        else:
            assert 0 <= grade.stars <= 3 and grade.feedback
            outcomes["graded"] += 1
    assert outcomes["refused"] > 0 and outcomes["graded"] > 0
