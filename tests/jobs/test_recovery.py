"""A server that dies holding jobs: its jobs are picked up again once its lease runs out."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import update

from qdeck.db.types import utcnow
from qdeck.jobs.models import Job
from qdeck.jobs.status import JobStatus
from tests.accounts import Accounts
from tests.jobs.conftest import BELL, submit, wait_for


async def test_a_job_held_by_a_dead_server_is_rerun_once(accounts: Accounts, app) -> None:
    ada = await accounts.sign_up("Ada")
    job = await submit(ada.client, BELL, shots=100)
    await wait_for(ada.client, job["id"])
    # Make it look as if another server had taken it and died half-way.
    async with app.state.database.session() as session:
        await session.execute(
            update(Job)
            .where(Job.id == uuid.UUID(job["id"]))
            .values(
                status=JobStatus.RUNNING,
                result=None,
                finished_at=None,
                worker_id="scheduler-dead",
                lease_expires_at=utcnow() - timedelta(seconds=1),
            )
        )
    done = await wait_for(ada.client, job["id"], limit_seconds=60)
    assert done["status"] == "completed"
    recovered = [e for e in done["events"] if e["origin"] == "system"]
    assert len(recovered) == 1 and "stopped" in recovered[0]["reason"]
    assert done["result"]["pubs"][0]["data"][0]["counts"].keys() <= {"00", "11"}
