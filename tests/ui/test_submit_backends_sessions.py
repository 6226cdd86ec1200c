"""Submitting circuits, reading about backends, and working in quantum sessions."""

from __future__ import annotations

from nicegui.testing import User

from qdeck.ui.components.samples import BELL
from tests.accounts import Accounts
from tests.ui.conftest import LogIn
from tests.ui.test_dashboard_and_jobs import marked
from tests.ui.test_job_page import wait_until


def parse_status(user: User) -> str:
    return marked(user, "parse-status")[0].text


def editor(user: User):
    return marked(user, "qasm-editor")[0]


async def test_a_typo_is_pointed_out_while_typing(user: User, api: Accounts, log_in: LogIn) -> None:
    await log_in(user, await api.sign_up("Ada"))
    await user.open("/submit")
    await wait_until(lambda: parse_status(user).startswith("Parsed: 2 qubits"), 30)
    editor(user).value = BELL.replace("cx q[0],q[1];", "cx q[0],q[7];")
    await wait_until(lambda: parse_status(user).startswith("Line 6, column"), 30)
    assert "out-of-range" in parse_status(user)
    assert editor(user).decorations == [{"kind": "line", "line": 6, "class": "bg-red-500/20"}]
    user.find(marker="submit-job").click()
    await wait_until(lambda: user.notify.contains("Fix the circuit first"))
    assert user.back_history[-1] == "/submit"


async def test_a_sample_circuit_is_submitted_and_opens_live(
    user: User, api: Accounts, log_in: LogIn
) -> None:
    ada = await api.sign_up("Ada")
    await log_in(user, ada)
    await user.open("/submit")
    user.find("GHZ state").click()
    await wait_until(lambda: parse_status(user).startswith("Parsed: 5 qubits"), 30)
    await wait_until(lambda: "Fits aer_simulator" in marked(user, "fit")[0].text, 30)
    user.find(marker="submit-job").click()
    await wait_until(lambda: user.back_history[-1].startswith("/jobs/"), 30)
    await user.should_see("GHZ state (sample)")
    jobs = (await ada.client.get("/api/v1/jobs")).json()["items"]
    assert jobs[0]["num_qubits"] == 5 and jobs[0]["name"] == "GHZ state (sample)"


async def test_an_estimator_job_shows_expectation_values(
    user: User, api: Accounts, log_in: LogIn
) -> None:
    ada = await api.sign_up("Ada")
    await log_in(user, ada)
    await user.open("/submit")
    user.find("VQE ansatz").click()
    await wait_until(lambda: parse_status(user).startswith("Parsed: 2 qubits"), 30)
    user.find(marker="submit-job").click()
    await wait_until(lambda: user.back_history[-1].startswith("/jobs/"), 30)
    await user.should_see(marker="expectation-values", retries=100)
    table = marked(user, "expectation-values")[0]
    assert [row["observable"] for row in table.rows] == ["ZZ", "XX", "ZI"]


async def test_clone_and_edit_starts_from_the_old_job(
    user: User, api: Accounts, log_in: LogIn
) -> None:
    ada = await api.sign_up("Ada")
    job = (
        await ada.client.post(
            "/api/v1/jobs",
            json={
                "name": "original",
                "shots": 321,
                "backend": "fake_manila",
                "tags": ["x"],
                "circuits": [{"source": BELL}],
            },
        )
    ).json()
    await log_in(user, ada)
    await user.open(f"/submit?from={job['id']}")
    await user.should_see("original (copy)")
    await user.should_see("321")
    assert editor(user).value.strip() == BELL.strip()
    assert marked(user, "backend")[0].value == "fake_manila"


async def test_backends_list_detail_and_calibration_download(
    user: User, api: Accounts, log_in: LogIn
) -> None:
    await log_in(user, await api.sign_up("Ada"))
    await user.open("/backends")
    names = [row["name"] for row in marked(user, "backends-table")[0].rows]
    assert "aer_simulator" in names and "fake_manila" in names
    await user.open("/backends/fake_manila")
    await user.should_see("Coupling map")
    graph = marked(user, "coupling-map")[0].options["series"][0]
    assert len(graph["data"]) == 5 and graph["links"]
    user.find(marker="calibration-csv").click()
    await wait_until(lambda: user.download.http_responses)
    csv = user.download.http_responses[-1].text
    assert csv.splitlines()[0].startswith("kind,") or "t1" in csv.splitlines()[0]
    assert len(csv.splitlines()) > 5
    page = await user.http_client.get("/backends/no_such_device")
    assert page.status_code == 404


async def test_open_use_and_close_a_session(user: User, api: Accounts, log_in: LogIn) -> None:
    ada = await api.sign_up("Ada")
    await log_in(user, ada)
    await user.open("/sessions")
    await user.should_see("No sessions yet")
    user.find(marker="open-session").click()
    user.find(marker="confirm-open").click()
    await wait_until(lambda: user.back_history[-1].startswith("/sessions/"), 30)
    session_id = user.back_history[-1].rsplit("/", 1)[1]
    await ada.client.post(
        "/api/v1/jobs",
        json={"session_id": session_id, "name": "in session", "circuits": [{"source": BELL}]},
    )
    await user.open(f"/sessions/{session_id}")
    assert [r["name"] for r in marked(user, "session-jobs")[0].rows] == ["in session"]
    user.find(marker="close-session").click()
    await wait_until(lambda: user.notify.contains("Session closed"), 30)
    stored = (await ada.client.get(f"/api/v1/sessions/{session_id}")).json()
    assert stored["status"] == "closed"
