"""Open pages lose access live: a member demoted to viewer loses the submit controls
without a reload; a removed member's dashboard stops showing the workspace's jobs and
activity and says why; ending a person's sessions elsewhere sends their open page back to
the log-in page."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from qdeck.testing.live_server import api_client
from tests.jobs.conftest import BELL
from tests.live_server import LiveServer
from tests.ui.browser import LAPTOP, screenshot

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def server(browser: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path_factory.mktemp("revoke-ui") / "data", QDECK_WORKERS="1").start()
    try:
        yield live
    finally:
        live.stop()


def open_lab_dashboard(browser, server: LiveServer, email: str):
    context = browser.new_context(viewport=LAPTOP)
    context.set_default_timeout(60_000)  # a busy two-core machine serves pages slowly
    page = context.new_page()
    page.goto(f"{server.url}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/dashboard")
    page.get_by_role("combobox", name="Workspace").click()
    page.get_by_role("option", name="Lab").click()
    try:
        page.get_by_text("What is happening in Lab").wait_for()
    except Exception:
        screenshot(page, "revocation-switch-failed")
        raise
    return context, page


def submit(api: httpx.Client, workspace: str, name: str) -> None:
    body = {"circuits": [{"source": BELL}], "shots": 20, "workspace_id": workspace, "name": name}
    api.post("/api/v1/jobs", json=body).raise_for_status()


def test_revocations_reach_an_open_dashboard(browser, server: LiveServer) -> None:
    ada = api_client(server, "ada@example.org", PASSWORD, name="Ada")
    bob = api_client(server, "bob@example.org", PASSWORD, name="Bob")
    lab = ada.post("/api/v1/workspaces", json={"name": "Lab"}).json()["id"]
    bob_id = bob.get("/api/v1/auth/me").json()["user"]["id"]
    ada.post(
        f"/api/v1/workspaces/{lab}/members", json={"email": "bob@example.org"}
    ).raise_for_status()

    context, page = open_lab_dashboard(browser, server, "bob@example.org")
    # The dashboard is live: Ada's job shows up in Bob's activity feed.
    submit(ada, lab, "visible-job")
    page.get_by_text("visible-job", exact=False).first.wait_for(timeout=15_000)
    run_bell = page.get_by_role("button", name="Run a Bell state")
    assert run_bell.is_visible()

    # Demoted to viewer: the controls go, the page is not reloaded.
    page.evaluate("window.__stillTheSamePage = true")
    ada.patch(
        f"/api/v1/workspaces/{lab}/members/{bob_id}", json={"role": "viewer"}
    ).raise_for_status()
    run_bell.wait_for(state="hidden", timeout=15_000)
    assert page.evaluate("window.__stillTheSamePage === true")
    screenshot(page, "revocation-viewer")

    # Removed: a notice, and nothing of the workspace arrives any more.
    ada.delete(f"/api/v1/workspaces/{lab}/members/{bob_id}").raise_for_status()
    page.get_by_text("You no longer have access to Lab").wait_for(timeout=15_000)
    submit(ada, lab, "secret-job")
    time.sleep(3.5)
    assert page.get_by_text("secret-job").count() == 0
    screenshot(page, "revocation-removed")
    context.close()

    # Sessions ended from elsewhere (a password change ends every other session).
    ada.post(
        f"/api/v1/workspaces/{lab}/members", json={"email": "bob@example.org"}
    ).raise_for_status()
    context, page = open_lab_dashboard(browser, server, "bob@example.org")
    elsewhere = httpx.Client(base_url=server.url, timeout=30)
    elsewhere.post(
        "/api/v1/auth/login", json={"email": "bob@example.org", "password": PASSWORD}
    ).raise_for_status()
    changed = elsewhere.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "an entirely new passphrase 7"},
        headers={"X-CSRF-Token": elsewhere.cookies["qdeck_csrf"]},
    )
    assert changed.status_code == 204, changed.text
    page.wait_for_url("**/login**", timeout=15_000)
    submit(ada, lab, "after-sign-out")
    page.goto(f"{server.url}/dashboard")
    page.wait_for_url("**/login**")  # the old browser session is really over
    context.close()
