"""The assistant over HTTP: what a user sends, what they get, and what bad input gets."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from qdeck.jobs.status import JobStatus
from tests.assistant.corpus import BELL, FIVE_QUBIT_DEVICES, MISTAKES
from tests.assistant.history import job_row, store
from tests.jobs.conftest import submit, wait_for

ANALYZE = "/api/v1/assistant/analyze"
REVIEW = "/api/v1/assistant/review"


@pytest.fixture
async def people(accounts):
    return await accounts.sign_up("Ada"), await accounts.sign_up("Eve")


async def test_analyze_a_circuit_for_a_chosen_device(people) -> None:
    ada, _ = people
    body = {"source": BELL, "backend": "fake_manila", "devices": FIVE_QUBIT_DEVICES, "top": 2}
    response = await ada.client.post(ANALYZE, json=body)
    assert response.status_code == 200, response.text
    analysis = response.json()
    assert analysis["circuit"]["two_qubit_gates"] == 1
    assert analysis["candidates"][0]["backend"] == "aer_simulator"
    requested = analysis["requested_backend"]
    assert requested["backend"] == "fake_manila" and requested["transpiled"]
    assert 0 < requested["estimate"]["probability"] < 1
    transpiled = [
        c for c in analysis["candidates"] if c["transpiled"] and c["backend"] != "aer_simulator"
    ]
    best = max(transpiled, key=lambda c: c["estimate"]["probability"])
    assert analysis["recommended"]["backend"] == best["backend"]
    assert analysis["recommended"]["layout"] == best["layout"]
    assert analysis["method"] == "screen+top2"


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        ({"source": ""}, 422, "source"),
        ({"source": "   \n  "}, 422, "source"),
        ({"source": "x" * 200_001}, 422, "source"),
        ({"source": BELL, "backend": "fake_atlantis"}, 422, "fake_atlantis"),
        ({"source": BELL, "devices": ["ibm_nowhere"]}, 422, "ibm_nowhere"),
        ({"source": BELL.replace("cx q[0],q[1];", "cx q[0] q[1];")}, 422, "line 6"),
        ({"source": BELL, "top": 0}, 422, "top"),
        ({"source": BELL, "exhaustive": "yes"}, 422, "exhaustive"),
        ({"source": BELL.replace("h q[0];", "h q[0];\n" * 2100), "exhaustive": True}, 422, "2,000"),
    ],
)
async def test_bad_analysis_input_is_a_problem_naming_what_is_wrong(
    people, body, status, says
) -> None:
    ada, _ = people
    response = await ada.client.post(ANALYZE, json=body)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert says in problem["detail"] or any(
        says in str(e.get("field")) + str(e.get("message")) for e in problem.get("errors", [])
    ), problem


async def test_review_over_http_gives_line_numbers(people) -> None:
    ada, _ = people
    response = await ada.client.post(REVIEW, json={"source": MISTAKES, "backend": "fake_manila"})
    assert response.status_code == 200, response.text
    review = response.json()
    assert [(f["code"], f["line"]) for f in review["findings"]] == [("gate_after_measurement", 9)]
    assert (review["errors"], review["warnings"]) == (0, 1)
    bad = await ada.client.post(REVIEW, json={"source": BELL, "backend": "nope"})
    assert bad.status_code == 422 and "nope" in bad.json()["detail"]


async def _failed_job(app, person, **fields) -> str:
    row = job_row(
        person.personal_workspace_id,
        datetime.now(UTC),
        status=JobStatus.FAILED,
        backend="fake_manila",
        num_qubits=7,
        spec={"primitive": "sampler", "backend": "fake_manila", "circuits": [{"source": BELL}]},
        **fields,
    )
    await store(app, [row])
    return str(row.id)


async def test_explain_a_failed_job_and_keep_it_from_others(app, people) -> None:
    ada, eve = people
    job_id = await _failed_job(
        app,
        ada,
        error_code="circuit_too_wide",
        error_message="circuit 0 has 7 qubits but fake_manila has only 5",
    )
    response = await ada.client.get(f"/api/v1/assistant/jobs/{job_id}/explain")
    assert response.status_code == 200, response.text
    explained = response.json()
    assert explained["status"] == "failed"
    failure = explained["failure"]
    assert failure["title"] == "The circuit has more qubits than the device"
    limit = next(p for p in failure["pointers"] if p["kind"] == "backend_limit")
    assert (limit["allowed"], limit["actual"]) == (5, 7)
    assert explained["summary"].startswith("The circuit has more qubits than the device.")
    for stranger_sees in (
        await eve.client.get(f"/api/v1/assistant/jobs/{job_id}/explain"),
        await ada.client.get(f"/api/v1/assistant/jobs/{uuid.uuid4()}/explain"),
    ):
        assert stranger_sees.status_code == 404
        assert stranger_sees.json()["detail"] == "Job not found."


async def test_explain_a_finished_job_compares_it_with_the_ideal(people) -> None:
    ada, _ = people
    job = await submit(ada.client, BELL, shots=2000, seed=3)
    done = await wait_for(ada.client, job["id"])
    assert done["status"] == "completed"
    response = await ada.client.get(
        f"/api/v1/assistant/jobs/{job['id']}/explain", params={"target_standard_error": 0.02}
    )
    assert response.status_code == 200, response.text
    explained = response.json()
    assert explained["failure"] is None
    (result,) = explained["results"]
    assert result["shots"] == 2000 and result["ideal_available"]
    assert result["hellinger_fidelity"] > 0.99
    assert result["shots_needed"]["worst_case_shots"] == 625
    assert explained["summary"].startswith("Hellinger fidelity to the ideal result")
    bad = await ada.client.get(
        f"/api/v1/assistant/jobs/{job['id']}/explain", params={"target_standard_error": 0}
    )
    assert bad.status_code == 422


async def test_the_assistant_is_in_the_openapi(client) -> None:
    paths = (await client.get("/api/openapi.json")).json()["paths"]
    assert {
        "/api/v1/assistant/analyze",
        "/api/v1/assistant/jobs/{job_id}/explain",
        "/api/v1/assistant/review",
        "/api/v1/assistant/workspaces/{workspace_id}/insights",
    } <= set(paths)
