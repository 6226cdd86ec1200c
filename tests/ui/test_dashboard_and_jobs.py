"""The dashboard and the Jobs page, following jobs submitted elsewhere, live."""

from __future__ import annotations

import asyncio

from nicegui.testing import User

from qdeck.ui.components.samples import BELL
from tests.accounts import Accounts
from tests.ui.conftest import LogIn
from tests.ui.test_job_page import wait_until


def marked(user: User, marker: str) -> list:
    """Elements with a marker, shown or hidden (an empty table is hidden)."""
    assert user.client is not None
    return [e for e in user.client.layout.descendants() if marker in e._markers]


def table_rows(user: User) -> list[dict]:
    tables = marked(user, "jobs-table")
    return list(tables[0].rows) if tables and tables[0].visible else []


def stat(user: User, label: str) -> str:
    return marked(user, f"stat-value-{label}")[0].text


async def submit(person, name: str, **extra) -> dict:
    body = {"name": name, "shots": 200, "circuits": [{"source": BELL}], **extra}
    response = await person.client.post("/api/v1/jobs", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_new_user_runs_a_bell_state_from_the_dashboard(
    user: User, api: Accounts, log_in: LogIn
) -> None:
    await log_in(user, await api.sign_up("Ada"))
    await user.should_see("Run your first quantum job")
    await user.should_see("Nothing has happened here yet")
    user.find("Run a Bell state on the simulator").click()
    await wait_until(lambda: user.back_history[-1].startswith("/jobs/"))
    await user.should_see("My first Bell state")


async def test_the_dashboard_counts_and_tells_what_happens_live(
    user: User, api: Accounts, log_in: LogIn
) -> None:
    ada = await api.sign_up("Ada")
    await log_in(user, ada)
    assert stat(user, "jobs-today") == "0"
    await submit(ada, "from the command line")
    await wait_until(lambda: stat(user, "jobs-today") == "1", 10)
    await user.should_see("submitted from the command line", retries=30)
    await wait_until(lambda: stat(user, "success-rate") == "100.0%", 20)
    await user.should_see(marker="system-status")
    await user.should_see("aer_simulator", retries=50)


async def test_jobs_appear_and_change_status_without_a_reload(
    user: User, api: Accounts, log_in: LogIn
) -> None:
    ada = await api.sign_up("Ada")
    await log_in(user, ada)
    await user.open("/jobs")
    await user.should_see("No jobs yet")
    job = await submit(ada, "watch me")
    await wait_until(lambda: any(r["id"] == job["id"] for r in table_rows(user)), 5)
    await wait_until(lambda: table_rows(user)[0]["status"] == "completed", 20)


async def test_a_link_reproduces_a_filtered_view(user: User, api: Accounts, log_in: LogIn) -> None:
    ada = await api.sign_up("Ada")
    await submit(ada, "tagged one", tags=["keep"])
    await submit(ada, "untagged one")
    await log_in(user, ada)
    await user.open("/jobs?tag=keep&order=asc")
    rows = table_rows(user)
    assert [r["name"] for r in rows] == ["tagged one"]
    await user.open("/jobs?q=untagged")
    assert [r["name"] for r in table_rows(user)] == ["untagged one"]
    await user.open("/jobs?status=failed")
    await user.should_see("No jobs match these filters")
    await user.open("/jobs?since=not-a-date")
    assert len(table_rows(user)) == 2  # the broken part of the link is ignored
    assert user.notify.contains("since is not a date")


async def test_typing_in_search_filters_on_the_server(
    user: User, api: Accounts, log_in: LogIn
) -> None:
    ada = await api.sign_up("Ada")
    for name in ("alpha", "beta", "alphabet"):
        await submit(ada, name)
    await log_in(user, ada)
    await user.open("/jobs")
    await wait_until(lambda: len(table_rows(user)) == 3)
    user.find(marker="filter-search").type("alpha")
    await wait_until(lambda: sorted(r["name"] for r in table_rows(user)) == ["alpha", "alphabet"])


async def test_pages_follow_each_other_by_cursor(user: User, api: Accounts, log_in: LogIn) -> None:
    ada = await api.sign_up("Ada")
    for i in range(27):
        await submit(ada, f"job {i:02d}")
    await log_in(user, ada)
    await user.open("/jobs?limit=25")
    first = [r["name"] for r in table_rows(user)]
    assert first[0] == "job 26" and len(first) == 25
    user.find(marker="next-page").click()
    await wait_until(lambda: [r["name"] for r in table_rows(user)] == ["job 01", "job 00"])
    await asyncio.sleep(0)
