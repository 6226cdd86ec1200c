"""A team for the chat tests: Ada (owner), Grace (member), Vic (viewer) and Olga, who
belongs to another workspace, all signed up through the API of an app whose engine is
off (jobs named in messages stay queued)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from qdeck.app import create_app
from tests.accounts import Accounts, Person
from tests.ui.browser import LAPTOP


@dataclass
class Team:
    accounts: Accounts
    ada: Person
    grace: Person
    vic: Person
    olga: Person
    workspace: str

    async def general(self, person: Person | None = None) -> dict:
        who = person or self.ada
        response = await who.client.get(f"/api/v1/workspaces/{self.workspace}/chat/channels")
        assert response.status_code == 200, response.text
        return next(c for c in response.json() if c["name"] == "general")

    async def post(self, person: Person, channel: str, body: str, **extra) -> dict:
        response = await person.client.post(
            f"/api/v1/chat/channels/{channel}/messages", json={"body": body, **extra}
        )
        assert response.status_code == 201, response.text
        return response.json()


@pytest.fixture
async def chat_app(settings) -> AsyncIterator[object]:
    changed = settings.model_copy(
        update={"engine_enabled": False, "notifications_enabled": False, "chat_rate_limit": 5}
    )
    application = create_app(changed)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def team(chat_app) -> AsyncIterator[Team]:
    accounts = Accounts(chat_app)
    ada = await accounts.sign_up("Ada")
    grace = await accounts.sign_up("Grace")
    vic = await accounts.sign_up("Vic")
    olga = await accounts.sign_up("Olga")
    ws = (await ada.client.post("/api/v1/workspaces", json={"name": "Lab"})).json()["id"]
    for person, role in ((grace, "member"), (vic, "viewer")):
        response = await ada.client.post(
            f"/api/v1/workspaces/{ws}/members", json={"email": person.email, "role": role}
        )
        assert response.status_code == 201, response.text
    yield Team(accounts, ada, grace, vic, olga, ws)
    await accounts.close()


def log_in_browser(chromium, server, who, viewport=LAPTOP):
    """A new browser context logged in as ``who`` (an Account of tests/client/live.py)."""
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{server.url}/login")
    page.get_by_label("E-mail").fill(who.email)
    page.get_by_label("Password", exact=True).fill(who.password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/dashboard")
    return context, page


# The browser journeys' Chromium (tests/ui/conftest.py).
from tests.ui.conftest import browser  # noqa: E402, F401
