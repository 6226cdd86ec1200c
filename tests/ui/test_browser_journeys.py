"""Journeys a person takes in a real browser, against a real ``qdeck serve``."""

from __future__ import annotations

import csv
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.live_server import LiveServer
from tests.ui.browser import LAPTOP, PHONE, screenshot

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def server(browser: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path_factory.mktemp("browser") / "data").start()
    try:
        yield live
    finally:
        live.stop()


def sign_up(page, server: LiveServer, name: str, email: str) -> None:
    page.goto(f"{server.url}/signup")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/dashboard")


def log_in(page, server: LiveServer, email: str) -> None:
    page.goto(f"{server.url}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/dashboard")


def test_sign_up_run_a_bell_state_and_come_back_in_the_dark(
    browser, server: LiveServer, tmp_path: Path
) -> None:
    context = browser.new_context(viewport=LAPTOP, accept_downloads=True)
    page = context.new_page()
    page.goto(server.url)
    page.get_by_role("heading", name="Run quantum circuits. Watch them finish live.").wait_for()
    screenshot(page, "landing")
    sign_up(page, server, "Ada Lovelace", "ada@example.org")
    page.get_by_text("Run your first quantum job").wait_for()
    screenshot(page, "dashboard-new-user")

    page.get_by_role("link", name="Submit").click()
    page.wait_for_url("**/submit")
    page.get_by_role("button", name="Bell state").click()
    page.get_by_text("Parsed: 2 qubits").wait_for(timeout=30_000)
    screenshot(page, "submit")
    page.get_by_role("button", name="Submit job").click()
    page.wait_for_url("**/jobs/*")
    # The job finishes while the page is open: its status and histogram arrive live.
    page.get_by_text("completed", exact=True).first.wait_for(timeout=30_000)
    histogram = page.locator(".qd-histogram")
    histogram.get_by_text("11", exact=True).wait_for(timeout=10_000)
    assert histogram.get_by_text("00", exact=True).count() == 1
    assert histogram.get_by_text("01", exact=True).count() == 0
    screenshot(page, "job")

    page.get_by_role("button", name="Export").click()
    with page.expect_download() as download:
        page.get_by_text("Results as CSV").click()
    rows = list(csv.DictReader(Path(download.value.path()).read_text().splitlines()))
    assert {r["bitstring"] for r in rows} == {"00", "11"}
    assert sum(int(r["count"]) for r in rows) == 1024

    page.get_by_role("button", name="Toggle dark mode").click()
    page.wait_for_function("document.body.classList.contains('body--dark')")
    page.wait_for_timeout(500)  # the preference is saved in the background
    page.reload()
    page.wait_for_function("document.body.classList.contains('body--dark')")
    screenshot(page, "job-dark")
    for path, name in (("/dashboard", "dashboard-dark"), ("/jobs", "jobs-dark")):
        page.goto(server.url + path)
        page.wait_for_timeout(1500)
        screenshot(page, name)

    page.get_by_role("button", name="Account menu for Ada Lovelace").click()
    page.get_by_text("Log out").click()
    page.wait_for_url("**/login")
    page.goto(f"{server.url}/jobs")
    page.wait_for_url("**/login?next=%2Fjobs")
    context.close()


def test_a_teammates_job_appears_live_on_my_jobs_page(browser, server: LiveServer) -> None:
    api = httpx.Client(base_url=server.url, timeout=30)
    people = {}
    for name in ("Grace", "Linus"):
        email = f"{name.lower()}@example.org"
        response = api.post(
            "/api/v1/auth/signup",
            json={"email": email, "password": PASSWORD, "display_name": name},
        )
        assert response.status_code == 201, response.text
        people[name] = (email, response.json()["csrf_token"], dict(response.cookies))
    email, csrf, cookies = people["Grace"]
    grace_api = httpx.Client(
        base_url=server.url, timeout=30, cookies=cookies, headers={"X-CSRF-Token": csrf}
    )
    team = grace_api.post("/api/v1/workspaces", json={"name": "Team Q"}).json()
    added = grace_api.post(
        f"/api/v1/workspaces/{team['id']}/members",
        json={"email": people["Linus"][0], "role": "member"},
    )
    assert added.status_code == 201, added.text

    linus = browser.new_context(viewport=LAPTOP).new_page()
    log_in(linus, server, people["Linus"][0])
    linus.get_by_role("combobox", name="Workspace").click()
    linus.get_by_role("option", name="Team Q").click()
    linus.get_by_text("What is happening in Team Q").wait_for()
    linus.goto(f"{server.url}/jobs")
    linus.get_by_text("No jobs yet").wait_for()

    grace = browser.new_context(viewport=PHONE).new_page()
    log_in(grace, server, email)
    grace.get_by_role("combobox", name="Workspace").click()
    grace.get_by_role("option", name="Team Q").click()
    grace.get_by_text("What is happening in Team Q").wait_for()
    screenshot(grace, "dashboard-phone")
    grace.goto(f"{server.url}/submit")
    grace.get_by_role("button", name="GHZ state").click()
    grace.get_by_text("Parsed: 5 qubits").wait_for(timeout=30_000)
    screenshot(grace, "submit-phone")
    grace.get_by_role("button", name="Submit job").click()
    submitted = time.monotonic()
    grace.wait_for_url("**/jobs/*")

    row = linus.get_by_role("link", name="GHZ state (sample)")
    row.wait_for(timeout=5_000)
    appeared = time.monotonic() - submitted
    linus.locator("tr", has=row).get_by_text("completed").wait_for(timeout=30_000)
    screenshot(linus, "jobs-live")
    screenshot(grace, "job-phone")
    print(f"a teammate's job appeared on the Jobs page {appeared:.2f} s after submit")
    assert appeared < 5

    for path, name in (
        ("/backends", "backends"),
        ("/backends/fake_manila", "backend-detail"),
        ("/sessions", "sessions"),
        ("/nope", "not-found"),
    ):
        linus.goto(server.url + path)
        linus.wait_for_timeout(1500)
        screenshot(linus, name)
