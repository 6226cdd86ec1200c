"""A job's page: it follows the job live, shows its results, and offers its actions."""

from __future__ import annotations

import asyncio

from nicegui.testing import User

from qdeck.ui.components.samples import BELL, GHZ
from tests.accounts import Accounts
from tests.ui.conftest import LogIn


async def wait_until(check, seconds: float = 20.0) -> None:
    for _ in range(int(seconds / 0.1)):
        if check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError("condition not met in time")


def status_on_page(user: User) -> str:
    chips = user.find(marker="job-status").elements
    return next(iter(chips)).text if chips else ""


async def test_a_job_submitted_from_the_api_runs_live_on_its_page(
    user: User, api: Accounts, log_in: LogIn
) -> None:
    ada = await api.sign_up("Ada")
    await log_in(user, ada)
    response = await ada.client.post(
        "/api/v1/jobs",
        json={
            "backend": "aer_simulator",
            "shots": 500,
            "name": "bell from the api",
            "circuits": [{"source": BELL}],
        },
    )
    job = response.json()
    await user.open(f"/jobs/{job['id']}")
    await user.should_see("bell from the api")
    await wait_until(lambda: status_on_page(user) == "completed")
    await user.should_see(marker="histogram", retries=20)
    chart = next(iter(user.find(marker="histogram").elements))
    labels = chart.options["xAxis"]["data"]
    assert set(labels) <= {"00", "11"} and labels, labels
    await user.should_see(marker="timeline")
    await user.should_see("completed")


async def test_a_noisy_run_shows_the_ideal_distribution_next_to_the_counts(
    user: User, api: Accounts, log_in: LogIn
) -> None:
    ada = await api.sign_up("Ada")
    await log_in(user, ada)
    job = (
        await ada.client.post(
            "/api/v1/jobs",
            json={"backend": "fake_manila", "shots": 400, "circuits": [{"source": GHZ}]},
        )
    ).json()
    await user.open(f"/jobs/{job['id']}")
    await wait_until(lambda: status_on_page(user) == "completed", 60)
    await user.should_see(marker="histogram", retries=20)
    chart = next(iter(user.find(marker="histogram").elements))
    await wait_until(lambda: len(chart.options.get("series", [])) == 2, 30)
    ideal = dict(
        zip(chart.options["xAxis"]["data"], chart.options["series"][1]["data"], strict=True)
    )
    assert ideal["00000"] == ideal["11111"] == 200.0
    await user.should_see(marker="layout-map", retries=30)


async def test_someone_elses_job_is_not_found(user: User, api: Accounts, log_in: LogIn) -> None:
    ada, eve = await api.sign_up("Ada"), await api.sign_up("Eve")
    job = (await ada.client.post("/api/v1/jobs", json={"circuits": [{"source": BELL}]})).json()
    await log_in(user, eve)
    page = await user.http_client.get(f"/jobs/{job['id']}")
    assert page.status_code == 404
    assert "Page not found" in page.text
    assert job["name"] not in page.text


async def test_rename_tag_retry_and_export(user: User, api: Accounts, log_in: LogIn) -> None:
    ada = await api.sign_up("Ada")
    await log_in(user, ada)
    job = (
        await ada.client.post("/api/v1/jobs", json={"shots": 100, "circuits": [{"source": BELL}]})
    ).json()
    await user.open(f"/jobs/{job['id']}")
    await wait_until(lambda: status_on_page(user) == "completed")
    name = user.find(marker="job-name")
    name.clear().type("renamed bell").trigger("keydown.enter")
    await user.should_see("Saved", retries=30)
    stored = (await ada.client.get(f"/api/v1/jobs/{job['id']}")).json()
    assert stored["name"] == "renamed bell"

    user.find(marker="export-csv").click()
    await wait_until(lambda: user.download.http_responses)
    csv = user.download.http_responses[-1].text
    assert csv.splitlines()[0] == "circuit,binding,bitstring,count,probability"
    assert {line.split(",")[2] for line in csv.splitlines()[1:]} <= {"00", "11"}

    user.find(marker="retry-job").click()
    await wait_until(lambda: user.back_history[-1] != f"/jobs/{job['id']}")
    await user.should_see("renamed bell")
    retried = (await ada.client.get(f"/api/v1/jobs/{job['id']}")).json()["retried_by"]
    assert user.back_history[-1] == f"/jobs/{retried[0]}"
