"""A learner works through levels over the API: reads a lesson, asks for hints, gets graded,
and the reference solution appears only once the level is solved."""

from __future__ import annotations

from tests.accounts import Accounts

BELL = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\nh q[0];\ncx q[0],q[1];\n'
HALF_BELL = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\nh q[0];\n'


async def test_lessons_come_in_order_with_formulas_and_a_starting_circuit(
    accounts: Accounts,
) -> None:
    ada = await accounts.sign_up("Ada")
    lessons = (await ada.client.get("/api/v1/quest/lessons")).json()
    assert len(lessons) >= 12
    assert [lesson["order"] for lesson in lessons] == sorted(lesson["order"] for lesson in lessons)
    assert lessons[0]["key"] == "qubit" and not lessons[0]["completed"]
    lesson = (await ada.client.get("/api/v1/quest/lessons/entanglement")).json()
    assert "$$" in lesson["markdown"]
    assert lesson["starting_qasm"].startswith("OPENQASM 2.0;")
    assert "bell" in [level["key"] for level in lesson["levels"]]
    assert all("answer" not in q for q in lesson["quiz"])


async def test_solving_the_bell_level(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    level = (await ada.client.get("/api/v1/quest/levels/bell")).json()
    assert level["reference_qasm"] is None and level["hints"] == []
    assert level["constraints"]["num_qubits"] == 2

    hint = (await ada.client.post("/api/v1/quest/levels/bell/hints")).json()
    assert hint["number"] == 1 and hint["total"] == 3
    level = (await ada.client.get("/api/v1/quest/levels/bell")).json()
    assert level["hints"] == [hint["text"]]

    wrong = await ada.client.post("/api/v1/quest/levels/bell/attempts", json={"qasm": HALF_BELL})
    assert wrong.status_code == 200, wrong.text
    assert wrong.json()["passed"] is False and wrong.json()["stars"] == 0
    assert "fidelity" in wrong.json()["feedback"]
    assert (await ada.client.get("/api/v1/quest/levels/bell")).json()["reference_qasm"] is None

    right = await ada.client.post(
        "/api/v1/quest/levels/bell/attempts", json={"qasm": BELL, "seconds_spent": 42}
    )
    result = right.json()
    assert result["passed"] is True and result["stars"] == 3 and result["first_solve"] is True
    assert result["next_level_key"] == "anti-correlated"

    level = (await ada.client.get("/api/v1/quest/levels/bell")).json()
    assert level["solved"] is True and level["best_stars"] == 3 and level["attempts"] == 2
    assert "cx q[0],q[1];" in level["reference_qasm"]

    progress = (await ada.client.get("/api/v1/quest/progress")).json()
    assert progress["levels_solved"] == 1 and progress["stars"] == 3
    row = next(r for r in progress["levels"] if r["level_key"] == "bell")
    assert row["hints_used"] == 1 and row["attempts"] == 2 and row["seconds_spent"] >= 42
    assert progress["resume_level_key"] == "anti-correlated"

    # Another person sees none of it.
    bob = await accounts.sign_up("Bob")
    assert (await bob.client.get("/api/v1/quest/levels/bell")).json()["reference_qasm"] is None


async def test_unknown_keys_are_404(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    for method, url in (
        ("GET", "/api/v1/quest/lessons/nope"),
        ("GET", "/api/v1/quest/levels/nope"),
        ("POST", "/api/v1/quest/levels/nope/hints"),
        ("GET", "/api/v1/quest/challenges/nope"),
        ("GET", "/api/v1/quest/challenges/nope/leaderboard"),
    ):
        response = await ada.client.request(method, url)
        assert response.status_code == 404, (url, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    response = await ada.client.post("/api/v1/quest/levels/nope/attempts", json={"qasm": BELL})
    assert response.status_code == 404
    assert response.json()["code"] == "level_not_found"


async def test_quest_needs_a_signed_in_user(client) -> None:
    response = await client.get("/api/v1/quest/lessons")
    assert response.status_code == 401
