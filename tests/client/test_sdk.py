"""The Python SDK against a real `qdeck serve`: what a script author does and sees."""

from __future__ import annotations

import csv
import io
import json

import pytest
from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister

from qdeck.client import (
    AsyncQDeckClient,
    AuthenticationError,
    ConflictError,
    InvalidRequestError,
    JobCancelled,
    NotFoundError,
    QDeckClient,
)
from qdeck.jobs.schemas import JobDetail, JobRead
from tests.client.live import BELL, Account, slow_circuit
from tests.live_server import LiveServer


def test_submit_wait_and_read_counts(qd: QDeckClient) -> None:
    job = qd.jobs.submit(BELL, shots=2000, name="bell", tags=["sdk"])
    assert isinstance(job.info, JobRead)
    assert job.status in ("queued", "running")
    result = job.wait(timeout=120)
    assert job.status == "completed"
    assert isinstance(result.job, JobDetail)
    assert set(result.counts) == {"00", "11"}
    assert sum(result.counts.values()) == 2000
    # An ideal Bell pair: each outcome 1000 within 5 sigma (sigma = sqrt(2000/4) = 22).
    assert all(abs(n - 1000) < 112 for n in result.counts.values())
    assert qd.jobs.result(job.id).counts == result.counts


def test_a_qiskit_circuit_travels_as_qpy_with_its_registers(qd: QDeckClient) -> None:
    q, low, high = QuantumRegister(3), ClassicalRegister(1, "low"), ClassicalRegister(2, "high")
    circuit = QuantumCircuit(q, low, high)
    circuit.x(0)
    circuit.measure(0, high[1])
    circuit.measure(1, low[0])
    circuit.measure(2, high[0])
    result = qd.jobs.submit(circuit, shots=50, seed=7).wait(timeout=120)
    assert result.job.spec["circuits"][0]["format"] == "qpy"
    # Joined bitstring, last register leftmost: high = "10", low = "0".
    assert result.counts == {"100": 50}


def test_list_filters_and_iterating_across_pages(qd: QDeckClient) -> None:
    ids = [qd.jobs.submit(BELL, shots=10, name=f"paged {k}", tags=["paged"]).id for k in range(5)]
    page = qd.jobs.list(tag="paged", limit=2)
    assert len(page.items) == 2 and page.next_cursor
    everything = list(qd.jobs.iter(tag="paged", page_size=2))
    # Newest first, each exactly once, across three pages.
    assert [str(j.id) for j in everything] == ids[::-1]
    assert [j.name for j in qd.jobs.iter(q="paged 3")] == ["paged 3"]
    for job_id in ids:
        qd.jobs.wait(job_id, timeout=120)
    assert {str(j.id) for j in qd.jobs.iter(tag="paged", status=["completed"])} == set(ids)
    assert not list(qd.jobs.iter(tag="paged", status="failed"))


def test_errors_carry_the_servers_code_and_message(qd: QDeckClient, server: LiveServer) -> None:
    with pytest.raises(NotFoundError) as missing:
        qd.jobs.get("00000000-0000-0000-0000-000000000000")
    assert missing.value.status == 404 and missing.value.code == "job_not_found"

    with pytest.raises(InvalidRequestError) as bad:
        qd.jobs.submit('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[1];\nfoo q[0];\n')
    assert bad.value.code == "circuit_parse_error"
    assert bad.value.errors[0]["line"] == 4
    assert "'foo' is not defined" in bad.value.message

    done = qd.jobs.submit(BELL, shots=10)
    done.wait(timeout=120)
    with pytest.raises(ConflictError) as finished:
        done.cancel()
    assert finished.value.code == "invalid_transition"
    assert "completed job cannot be cancelled" in str(finished.value)

    stranger = QDeckClient(server.url, "qdk_not-a-real-token")
    with stranger, pytest.raises(AuthenticationError) as refused:
        stranger.jobs.list()
    assert refused.value.status == 401


def test_cancel_a_running_job_retry_and_export(qd: QDeckClient) -> None:
    running = qd.jobs.submit(slow_circuit(), shots=10, name="too slow", tags=["control"])
    cancelled = qd.jobs.cancel(running.id)
    assert cancelled.status in ("cancelled", "cancelling")
    with pytest.raises(JobCancelled) as stopped:
        running.wait(timeout=60)
    assert stopped.value.job.status == "cancelled"
    assert running.status == "cancelled"

    original = qd.jobs.submit(BELL, shots=100, name="again", tags=["control"])
    original.wait(timeout=120)
    retried = original.retry()
    assert str(retried.info.retry_of_id) == original.id
    assert retried.wait(timeout=120).job.name == "again"

    rows = list(csv.DictReader(io.StringIO(qd.jobs.export(original.id, format="csv"))))
    assert {r["bitstring"] for r in rows} <= {"00", "11"}
    assert sum(int(r["count"]) for r in rows) == 100
    listed = json.loads(qd.jobs.export(format="json", tag="control"))
    assert {j["name"] for j in listed} == {"too slow", "again"}

    outcome = qd.jobs.cancel_many([original.id])
    assert outcome.skipped == [{"id": original.id, "reason": "already completed"}]


def test_backends_sessions_workspaces_projects_and_tokens(
    qd: QDeckClient, server: LiveServer, ada: Account
) -> None:
    names = {b.name for b in qd.backends.list()}
    assert {"aer_simulator", "fake_sherbrooke"} <= names
    assert [b.name for b in qd.backends.list(kind="simulator")] == ["aer_simulator"]
    sherbrooke = qd.backends.get("fake_sherbrooke")
    assert sherbrooke.num_qubits == 127 and sherbrooke.coupling_map
    assert qd.backends.fit("fake_manila", BELL).fits

    session = qd.sessions.open("aer_simulator", name="warm")
    in_session = qd.jobs.submit(BELL, shots=10, session_id=session.id)
    in_session.wait(timeout=120)
    assert qd.sessions.close(session.id).status == "closed"
    assert [str(j.id) for j in qd.sessions.get(session.id).jobs] == [in_session.id]

    lab = qd.workspaces.create("Quantum Lab")
    project = qd.projects.create(lab.id, "Chemistry")
    assert [p.name for p in qd.projects.list(lab.id)] == ["Chemistry"]
    assert [m.email for m in qd.workspaces.members(lab.id)] == [ada.email]
    assert qd.workspaces.personal().is_personal
    job = qd.jobs.submit(BELL, shots=10, project_id=project.id)
    assert str(job.info.workspace_id) == str(lab.id)

    spare = qd.tokens.create("spare")
    assert "spare" in {t.name for t in qd.tokens.list()}
    with QDeckClient(server.url, spare.token) as other:
        assert other.me().user.email == ada.email
        qd.tokens.revoke(spare.id)
        with pytest.raises(AuthenticationError):
            other.me()


def test_url_and_token_come_from_the_environment(
    server: LiveServer, ada: Account, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    monkeypatch.setenv("QDECK_CONFIG_DIR", str(tmp_path))
    monkeypatch.setenv("QDECK_URL", server.url)
    monkeypatch.setenv("QDECK_TOKEN", ada.token)
    with QDeckClient() as from_env:
        assert from_env.me().user.email == ada.email
    # A token configured for one server is never sent to another one.
    with QDeckClient("http://127.0.0.1:9") as elsewhere:
        assert elsewhere.connection.token is None


async def test_the_async_client_does_the_same(server: LiveServer, ada: Account) -> None:
    async with AsyncQDeckClient(server.url, ada.token) as qd:
        job = await qd.jobs.submit(BELL, shots=500, tags=["async"])
        result = await job.wait()
        assert sum(result.counts.values()) == 500
        assert [str(j.id) async for j in qd.jobs.iter(tag="async")] == [job.id]
        with pytest.raises(NotFoundError):
            await qd.jobs.get("00000000-0000-0000-0000-000000000000")
        assert "fake_sherbrooke" in {b.name for b in await qd.backends.list()}
