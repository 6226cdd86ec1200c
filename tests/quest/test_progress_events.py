"""Solving levels and completing a lesson leave outbox events for gamification and
notifications, each exactly once; progress resumes where the learner left off."""

from __future__ import annotations

from qdeck.quest.catalog import load_catalog
from qdeck.quest.event_types import QUEST_LESSON_COMPLETED, QUEST_LEVEL_SOLVED
from tests.accounts import Accounts
from tests.quest.conftest import get_json, outbox


async def _solve(client, key: str, qasm: str | None = None) -> dict:
    level = load_catalog().level(key)
    assert level is not None
    body = {"qasm": qasm or level.reference_qasm}
    response = await client.post(f"/api/v1/quest/levels/{key}/attempts", json=body)
    assert response.status_code == 200, response.text
    return response.json()


async def test_completing_the_first_lesson(app, accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    database = app.state.database  # type: ignore[attr-defined]
    lesson = load_catalog().lesson("qubit")
    assert lesson is not None
    keys = [level.key for level in lesson.levels]

    first = await _solve(ada.client, keys[0])
    assert first["first_solve"] and not first["lesson_completed"]
    again = await _solve(ada.client, keys[0])
    assert again["passed"] and not again["first_solve"]
    solved = await outbox(database, QUEST_LEVEL_SOLVED)
    assert len(solved) == 1
    assert solved[0].user_id is not None and str(solved[0].user_id) == ada.id
    assert solved[0].data == {
        "user_id": ada.id, "level_key": keys[0], "lesson_key": "qubit", "stars": 3,
    }  # fmt: skip

    for key in keys[1:-1]:
        await _solve(ada.client, key)
    summary = next(
        x for x in await get_json(ada.client, "/api/v1/quest/lessons") if x["key"] == "qubit"
    )
    assert not summary["completed"] and summary["levels_solved"] == len(keys) - 1
    last = await _solve(ada.client, keys[-1])
    assert last["lesson_completed"] is True
    await _solve(ada.client, keys[-1])

    completed = await outbox(database, QUEST_LESSON_COMPLETED)
    assert [(e.data["lesson_key"], e.data["user_id"]) for e in completed] == [("qubit", ada.id)]
    assert len(await outbox(database, QUEST_LEVEL_SOLVED)) == len(keys)

    progress = await get_json(ada.client, "/api/v1/quest/progress")
    assert progress["lessons_completed"] == ["qubit"]
    assert progress["stars"] == 3 * len(keys)
    # The next lesson's first level is where to carry on.
    assert progress["resume_level_key"] == load_catalog().lesson("superposition").levels[0].key


async def test_a_wrong_answer_emits_nothing_and_resume_stays(app, accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    fresh = await get_json(ada.client, "/api/v1/quest/progress")
    assert fresh["resume_level_key"] == load_catalog().levels[0].key
    wrong = await _solve(ada.client, "minus", load_catalog().level("plus").reference_qasm)
    assert not wrong["passed"]
    assert await outbox(app.state.database, QUEST_LEVEL_SOLVED) == []  # type: ignore[attr-defined]
    progress = await get_json(ada.client, "/api/v1/quest/progress")
    assert progress["resume_level_key"] == "minus"


async def test_hints_come_one_at_a_time(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    level = load_catalog().level("ghz3")
    texts = []
    for number in (1, 2, 3, 3):
        hint = (await ada.client.post("/api/v1/quest/levels/ghz3/hints")).json()
        assert hint["number"] == number
        texts.append(hint["text"])
    assert texts[:3] == list(level.hints)
    shown = await get_json(ada.client, "/api/v1/quest/levels/ghz3")
    assert shown["hints"] == list(level.hints) and shown["reference_qasm"] is None
    row = (await get_json(ada.client, "/api/v1/quest/progress"))["levels"][0]
    assert row["hints_used"] == 3 and row["attempts"] == 0


async def test_a_longer_solution_keeps_the_best_stars(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    level = load_catalog().level("plus")
    longer = level.reference_qasm + "x q[0];\nx q[0];\n"
    result = await _solve(ada.client, "plus", longer)
    assert result["passed"] and result["stars"] == 1
    assert "it can be done with 1" in result["feedback"]
    best = await _solve(ada.client, "plus")
    assert best["stars"] == 3
    await _solve(ada.client, "plus", longer)
    assert (await get_json(ada.client, "/api/v1/quest/levels/plus"))["best_stars"] == 3


async def test_the_quiz(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    url = "/api/v1/quest/lessons/qubit/quiz"
    right = (await ada.client.post(url, json={"index": 0, "choice": 2})).json()
    assert right["correct"] is True and right["explanation"]
    wrong = (await ada.client.post(url, json={"index": 0, "choice": 0})).json()
    assert wrong == {**right, "correct": False}
    assert (await ada.client.post(url, json={"index": 9, "choice": 0})).status_code == 422
    assert (await ada.client.post(url, json={"index": 0, "choice": 7})).status_code == 422
