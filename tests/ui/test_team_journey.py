"""A team formed in the browser only: a workspace, a project, an invitation accepted live,
a role change that takes controls away, an API token, a job in the project, a new password.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from tests.live_server import LiveServer
from tests.ui.browser import PHONE, screenshot

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "violet ocean lantern quartz 42"
LAPTOP = {"width": 1366, "height": 900}


@pytest.fixture(scope="module")
def server(browser: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path_factory.mktemp("team") / "data").start()
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


def shoot_both_themes(page, server: LiveServer, paths: dict[str, str]) -> None:
    """Each page in light and dark, at 1366 px and 390 px."""
    for theme in ("light", "dark"):
        for width, viewport in (("1366", LAPTOP), ("390", PHONE)):
            page.set_viewport_size(viewport)
            for name, path in paths.items():
                page.goto(server.url + path)
                page.wait_for_function(
                    "document.body.classList.contains('body--dark') === "
                    + str(theme == "dark").lower()
                )
                page.get_by_role("heading", level=1).first.wait_for()
                page.wait_for_timeout(300)
                screenshot(page, f"{name}-{theme}-{width}")
        if theme == "light":
            page.set_viewport_size(LAPTOP)
            page.get_by_role("button", name="Toggle dark mode").click()
            page.wait_for_function("document.body.classList.contains('body--dark')")
            page.wait_for_timeout(500)  # the preference is saved in the background
    page.set_viewport_size(LAPTOP)


@pytest.fixture
def pages(browser) -> Iterator[list]:
    """Open pages; on a failure each is kept as a screenshot for whoever reads the run."""
    opened: list = []
    yield opened
    for index, page in enumerate(opened):
        if not page.is_closed():
            screenshot(page, f"team-journey-last-{index}")
            page.context.close()


def test_a_team_formed_in_the_browser(browser, server: LiveServer, pages: list) -> None:
    ada_context = browser.new_context(viewport=LAPTOP)
    ada_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    ada = ada_context.new_page()
    pages.append(ada)
    sign_up(ada, server, "Ada Lovelace", "ada@example.org")

    # A team workspace, from the avatar menu.
    ada.get_by_role("button", name="Account menu for Ada Lovelace").click()
    ada.locator(".q-menu").get_by_text("Workspace settings", exact=True).click()
    ada.wait_for_url("**/workspace/settings")
    ada.get_by_role("button", name="New team workspace").click()
    ada.get_by_label("Name of the new workspace").fill("Qubit Crew")
    ada.get_by_role("button", name="Create", exact=True).click()
    ada.wait_for_url(re.compile(r".*/workspaces/[0-9a-f-]+/settings$"))
    settings_path = ada.url.removeprefix(server.url)
    ada.get_by_role("heading", name="Qubit Crew").wait_for()
    ada.locator(".q-header").get_by_text("Qubit Crew").wait_for()  # now the current one

    # The same name again is refused next to the box, and nothing is created.
    ada.get_by_role("button", name="New team workspace").click()
    ada.get_by_label("Name of the new workspace").fill("qubit crew")
    ada.get_by_role("button", name="Create", exact=True).click()
    ada.get_by_text("You already have a workspace named 'qubit crew'").wait_for()
    ada.get_by_role("button", name="Cancel").click()

    ada.get_by_label("New project name").fill("Bell studies")
    ada.get_by_role("button", name="Create project").click()
    ada.get_by_text("0 jobs").wait_for()

    # Bob signs up in his own browser and is invited while his dashboard is open.
    bob_context = browser.new_context(viewport=PHONE)
    bob = bob_context.new_page()
    pages.append(bob)
    sign_up(bob, server, "Bob Boole", "bob@example.org")
    ada.get_by_label("E-mail address").fill("bob@example.org")
    ada.get_by_role("button", name="Invite").click()
    ada.get_by_text("invited by Ada Lovelace").wait_for()
    ada.get_by_label("E-mail address").fill("bob@example.org")
    ada.get_by_role("button", name="Invite").click()
    ada.get_by_text("bob@example.org already has a pending invitation").wait_for()

    banner = bob.get_by_text("Ada Lovelace invited you to Qubit Crew")
    banner.wait_for(timeout=10_000)  # live: Bob did not reload
    screenshot(bob, "invitation-banner-light-390")
    bob.get_by_role("button", name="Accept").click()
    bob.get_by_text("What is happening in Qubit Crew").wait_for()  # reloaded, switched to it
    bob.locator(".q-header").get_by_text("Qubit Crew").wait_for()

    # Ada sees him join; Bob, a member, may create projects...
    ada.get_by_text("Bob Boole", exact=True).wait_for(timeout=10_000)
    bob.goto(f"{server.url}/workspace/settings")
    bob.get_by_role("heading", name="Qubit Crew").wait_for()
    create_project = bob.get_by_role("button", name="Create project")
    create_project.wait_for()
    # ...until Ada makes him a viewer: the control disappears from his open page.
    ada.get_by_role("combobox", name="Role of Bob Boole").click()
    ada.get_by_role("option", name="Viewer: sees everything").click()
    ada.get_by_text("Role changed").wait_for()
    create_project.wait_for(state="detached", timeout=10_000)
    bob.get_by_text("you are viewer").wait_for()

    # The last owner cannot step down: the message stands next to the role box.
    ada.get_by_role("combobox", name="Role of Ada Lovelace").click()
    ada.get_by_role("option", name="Admin: manages members").click()
    ada.get_by_text("A workspace needs at least one owner").wait_for()

    # An API token: shown once, works, revoked, stops working.
    ada.get_by_role("button", name="Account menu for Ada Lovelace").click()
    ada.locator(".q-menu").get_by_text("Account", exact=True).click()
    ada.wait_for_url("**/account")
    ada.get_by_label("Token name").fill("laptop CLI")
    ada.get_by_role("button", name="Create token").click()
    shown = ada.locator(".q-dialog").get_by_text(re.compile(r"^qdk_"))
    shown.wait_for()
    token = shown.inner_text().strip()
    ada.get_by_role("button", name="Copy").click()
    ada.get_by_text("Token copied").wait_for()
    assert ada.evaluate("navigator.clipboard.readText()") == token
    ada.get_by_role("button", name="Done").click()
    api = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"})
    assert api.get("/api/v1/auth/me").status_code == 200
    ada.get_by_role("button", name="Revoke laptop CLI").click()
    ada.get_by_text("Token laptop CLI revoked").wait_for()
    assert api.get("/api/v1/auth/me").status_code == 401

    # A job into the project, found through the project's link.
    ada.goto(f"{server.url}/submit")
    ada.get_by_role("button", name="Bell state").click()
    ada.get_by_text("Parsed: 2 qubits").wait_for(timeout=30_000)
    ada.get_by_role("combobox", name="Project").click()
    ada.get_by_role("option", name="Bell studies").click()
    ada.get_by_role("button", name="Submit job").click()
    ada.wait_for_url("**/jobs/*")
    ada.goto(server.url + settings_path)
    ada.get_by_role("link", name="1 job").click()
    ada.wait_for_url("**/jobs?project=*")
    ada.get_by_role("link", name="Bell state (sample)").wait_for()

    # The password: a wrong current one is refused next to it, then changed.
    ada.goto(f"{server.url}/account")
    ada.get_by_label("Current password").fill("not my password")
    ada.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    ada.get_by_label("New password again").fill(NEW_PASSWORD)
    ada.get_by_role("button", name="Change password").click()
    ada.get_by_text("The current password is wrong.").wait_for()
    ada.get_by_label("Current password").fill(PASSWORD)
    ada.get_by_role("button", name="Change password").click()
    ada.get_by_text("Password changed").wait_for()
    old = httpx.post(
        f"{server.url}/api/v1/auth/login", json={"email": "ada@example.org", "password": PASSWORD}
    )
    assert old.status_code == 401
    new = httpx.post(
        f"{server.url}/api/v1/auth/login",
        json={"email": "ada@example.org", "password": NEW_PASSWORD},
    )
    assert new.status_code == 200

    shoot_both_themes(ada, server, {"workspace-settings": settings_path, "account": "/account"})
