"""The workspace settings and account pages, with NiceGUI's simulated user."""

from __future__ import annotations

from nicegui.testing import User

from tests.accounts import Accounts
from tests.ui.conftest import LogIn


async def test_an_owner_sees_the_settings_of_their_team(
    user: User, api: Accounts, log_in: LogIn
) -> None:
    ada = await api.sign_up("Ada")
    lab = (await ada.client.post("/api/v1/workspaces", json={"name": "Quantum Lab"})).json()
    await ada.client.post(f"/api/v1/workspaces/{lab['id']}/projects", json={"name": "Chemistry"})
    await log_in(user, ada)
    await user.open(f"/workspaces/{lab['id']}/settings")
    await user.should_see("Chemistry")
    await user.should_see("0 jobs")
    await user.should_see("Invite people")
    await user.should_see(marker="delete-workspace")

    user.find(marker="invite-email").type("someone")
    user.find(marker="send-invitation").click()
    await user.should_see("Enter an e-mail address like name@example.org.")
    user.find(marker="invite-email").clear().type(ada.email)
    user.find(marker="send-invitation").click()
    await user.should_see(f"{ada.email} is already a member.", retries=50)
    user.find(marker="invite-email").clear().type("new.person@example.org")
    user.find(marker="send-invitation").click()
    await user.should_see(marker="pending-new.person@example.org", retries=50)
    pending = (await ada.client.get(f"/api/v1/workspaces/{lab['id']}/invitations")).json()
    assert [i["email"] for i in pending] == ["new.person@example.org"]


async def test_the_account_page_shows_profile_tokens_and_the_ibm_token(
    user: User, api: Accounts, log_in: LogIn
) -> None:
    ada = await api.sign_up("Ada")
    await log_in(user, ada)
    await user.open("/account")
    await user.should_see("IBM Quantum token")
    await user.should_see("No API tokens.")
    user.find(marker="token-name").type("ci")
    user.find(marker="create-token").click()
    await user.should_see(marker="new-token", retries=50)
    tokens = (await ada.client.get("/api/v1/tokens")).json()["items"]
    assert [t["name"] for t in tokens] == ["ci"]
