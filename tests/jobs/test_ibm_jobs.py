"""Jobs on IBM Quantum devices, through qiskit-ibm-runtime's local testing mode (nothing
here can reach IBM's cloud): the same primitive calls, remote job ids kept, and a job
followed again after a restart without being submitted twice."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import update

from qdeck.app import create_app
from qdeck.db.types import utcnow
from qdeck.engine.ibm import IbmRuntimeRunner, ServiceCache
from qdeck.jobs.models import Job
from tests.accounts import Accounts
from tests.engine.ibm.conftest import FAST_POLL, QUIET_RUNTIME_WARNINGS, CountingFactory
from tests.jobs.conftest import BELL, submit, wait_for

pytestmark = QUIET_RUNTIME_WARNINGS


@pytest.fixture
def local_settings(settings):
    return settings.model_copy(update={"ibm_quantum_channel": "local"})


async def test_without_a_token_ibm_devices_are_refused_clearly(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    response = await ada.client.post(
        "/api/v1/jobs", json={"backend": "ibm_brisbane", "circuits": [{"source": BELL}]}
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "ibm_token_required"
    assert "ibm_quantum_token" in problem["detail"]
    assert (await ada.client.get("/api/v1/jobs")).json()["items"] == []
    providers = {p["name"]: p for p in (await ada.client.get("/api/v1/backends/providers")).json()}
    assert providers["ibm_quantum"]["status"] == "not_configured"


async def test_an_unreachable_ibm_with_a_stored_token_is_a_503_not_a_500(
    accounts: Accounts,
) -> None:
    ada = await accounts.sign_up("Ada")
    await ada.client.put(
        "/api/v1/me/secrets/ibm_quantum_token", json={"value": "a-token-that-cannot-be-checked"}
    )
    response = await ada.client.post(
        "/api/v1/jobs", json={"backend": "ibm_brisbane", "circuits": [{"source": BELL}]}
    )
    assert response.status_code == 503
    assert response.json()["code"].startswith("ibm_")
    assert "a-token-that-cannot-be-checked" not in response.text
    providers = {p["name"]: p for p in (await ada.client.get("/api/v1/backends/providers")).json()}
    assert providers["ibm_quantum"]["status"] == "error"
    check = (await ada.client.post("/api/v1/backends/providers/ibm_quantum/check")).json()
    assert check["ok"] is False and check["error"]["transient"] is True


async def test_a_job_on_an_ibm_device_in_local_testing_mode(
    local_settings, runner, accounts_factory
) -> None:
    app = create_app(local_settings, runner=runner)
    async with app.router.lifespan_context(app):
        accounts = accounts_factory(app)
        ada = await accounts.sign_up("Ada")
        listed = {b["name"]: b for b in (await ada.client.get("/api/v1/backends")).json()}
        assert listed["ibm_manila"]["kind"] == "hardware"
        assert listed["ibm_manila"]["num_qubits"] == 5
        job = await submit(ada.client, BELL, backend="ibm_manila", shots=2000, seed=3)
        done = await wait_for(ada.client, job["id"])
        assert done["status"] == "completed", done
        result = done["result"]
        assert result["method"] == "local_testing"
        counts = result["pubs"][0]["data"][0]["counts"]
        assert (counts.get("00", 0) + counts.get("11", 0)) / 2000 > 0.8
        remote = [e for e in done["events"] if e["details"].get("remote_job_id")]
        assert remote and remote[0]["origin"] == "remote"
        too_wide = await ada.client.post(
            "/api/v1/jobs",
            json={
                "backend": "ibm_manila",
                "circuits": [{"source": BELL.replace("[2]", "[7]")}],
            },
        )
        assert too_wide.status_code == 422
        assert too_wide.json()["code"] == "circuit_too_wide"
        await accounts.close()


async def test_after_a_restart_the_remote_job_is_followed_again_not_resubmitted(
    local_settings, runner, accounts_factory
) -> None:
    factory = CountingFactory(hold=True)

    def ibm_runner() -> IbmRuntimeRunner:
        return IbmRuntimeRunner(
            services=ServiceCache(),
            primitive_factory=factory,
            job_lookup=factory.lookup,
            poll=FAST_POLL,
        )

    first_ibm = ibm_runner()
    await first_ibm.start()
    first = create_app(local_settings, runner=runner, ibm_runner=first_ibm)
    async with first.router.lifespan_context(first):
        accounts = accounts_factory(first)
        ada = await accounts.sign_up("Ada")
        job = await submit(ada.client, BELL, backend="ibm_manila", shots=500)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            detail = (await ada.client.get(f"/api/v1/jobs/{job['id']}")).json()
            if any(e["details"].get("remote_job_id") for e in detail["events"]):
                break
            await asyncio.sleep(0.05)
        token = (await ada.client.post("/api/v1/tokens", json={"name": "t"})).json()["token"]
        await accounts.close()
    # The server is gone: nobody follows the remote job, and its lease runs out.
    await first_ibm.stop()
    assert len(factory.calls) == 1
    second_ibm = ibm_runner()
    await second_ibm.start()
    second = create_app(local_settings, runner=runner, ibm_runner=second_ibm)
    async with second.router.lifespan_context(second):
        async with second.state.database.session() as session:
            await session.execute(
                update(Job)
                .where(Job.id == uuid.UUID(job["id"]))
                .values(lease_expires_at=utcnow() - timedelta(seconds=1))
            )
        accounts = accounts_factory(second)
        client = accounts.new_client()
        client.headers["Authorization"] = f"Bearer {token}"
        for _ in range(600):  # the new server re-attaches within a maintenance round
            if second_ibm.remote_job_ids():
                break
            await asyncio.sleep(0.05)
        for held in factory.jobs.values():
            held.release()  # IBM finally runs it
        done = await wait_for(client, job["id"])
        await accounts.close()
    await second_ibm.stop()
    assert done["status"] == "completed", done
    assert len(factory.calls) == 1, "the job was submitted to IBM twice"
    assert done["attempts"] == 1
    assert any("re-attached" in e["reason"] for e in done["events"])
    assert sum(1 for e in done["events"] if e["to_status"] == "completed") == 1
