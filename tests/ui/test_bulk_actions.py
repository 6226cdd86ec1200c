"""Selecting jobs on the Jobs page: cancel them together, export them.

The engine is off here, so submitted jobs wait in the queue until someone cancels them.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from nicegui.testing import User

from qdeck.config import Settings
from qdeck.ui.components.samples import BELL
from tests.accounts import Accounts
from tests.ui.conftest import LogIn
from tests.ui.test_dashboard_and_jobs import table_rows
from tests.ui.test_job_page import wait_until


@pytest.fixture
async def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"engine_enabled": False})


async def test_cancel_selected_jobs_and_export_the_rest(
    user: User, api: Accounts, log_in: LogIn
) -> None:
    ada = await api.sign_up("Ada")
    for i in range(4):
        await ada.client.post(
            "/api/v1/jobs", json={"name": f"waiting {i}", "circuits": [{"source": BELL}]}
        )
    await log_in(user, ada)
    await user.open("/jobs")
    rows = table_rows(user)
    assert [r["status"] for r in rows] == ["queued"] * 4
    assert rows[0]["detail"].endswith("in queue")
    chosen = [r for r in rows if r["name"] in ("waiting 1", "waiting 2")]
    # Ticking two rows' boxes: the browser sends one selection event.
    user.find(marker="jobs-table").trigger(
        "selection", {"added": True, "rows": chosen, "keys": [r["id"] for r in chosen]}
    )
    await user.should_see("2 selected")

    user.find(marker="bulk-cancel").click()
    await wait_until(lambda: user.notify.contains("Cancelled 2 jobs"))
    # The notice comes first; the table reloads right after it.
    await wait_until(lambda: any(r["status"] == "cancelled" for r in table_rows(user)))
    statuses = {r["name"]: r["status"] for r in table_rows(user)}
    assert statuses == {
        "waiting 0": "queued",
        "waiting 1": "cancelled",
        "waiting 2": "cancelled",
        "waiting 3": "queued",
    }

    await user.open("/jobs?status=queued")
    user.find(marker="export-csv").click()
    await wait_until(lambda: user.download.http_responses)
    exported = list(csv.DictReader(io.StringIO(user.download.http_responses[-1].text)))
    assert sorted(r["name"] for r in exported) == ["waiting 0", "waiting 3"]
    user.find(marker="export-json").click()
    await wait_until(lambda: len(user.download.http_responses) == 2)
    assert len(json.loads(user.download.http_responses[-1].text)) == 2
