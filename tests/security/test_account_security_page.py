"""The Sessions and security page, as a person uses it (NiceGUI's simulated user on the
real app): see both browsers, end the other one, revoke a token, log out everywhere;
sign-up shows how strong the password is."""

from __future__ import annotations

from nicegui.testing import User

from tests.accounts import Accounts
from tests.ui.conftest import LogIn


async def test_see_and_end_sessions_and_tokens(user: User, api: Accounts, log_in: LogIn) -> None:
    ada = await api.sign_up("Ada")  # the API sign-up is the "other browser"
    token = (await ada.client.post("/api/v1/tokens", json={"name": "laptop CLI"})).json()
    await log_in(user, ada)
    await user.open("/account/security")
    await user.should_see("Sessions and security")
    await user.should_see("This browser")
    assert len(user.find(marker="session-row").elements) == 2
    await user.should_see("laptop CLI")

    user.find(marker="end-session").click()  # the other browser's; this one has its own
    await user.should_see("logged out", retries=30)
    assert (await ada.client.get("/api/v1/auth/me")).status_code == 401
    assert len(user.find(marker="session-row").elements) == 1

    user.find(marker="revoke-token").click()
    await user.should_see("Token laptop CLI revoked", retries=30)
    script = api.new_client()
    script.headers["Authorization"] = f"Bearer {token['token']}"
    assert (await script.get("/api/v1/auth/me")).status_code == 401

    user.find(marker="logout-everywhere").click()
    user.find(marker="confirm-logout-everywhere").click()
    await user.should_see("Welcome back", retries=30)
    await user.open("/account/security")
    await user.should_see("Welcome back")


async def test_the_sign_up_page_measures_the_password(user: User) -> None:
    await user.open("/signup")
    user.find(marker="name").type("Grace Hopper")
    user.find(marker="email").type("grace@example.org")
    user.find(marker="password").type("password12")
    await user.should_see("it is one of the most common passwords", retries=30)
    user.find(marker="password").clear().type("grace hopper's cobol")
    await user.should_see("contains your", retries=30)
    user.find(marker="password").clear().type("violet kestrels over the weir")
    await user.should_see("Very strong", retries=30)


async def test_a_refused_password_is_named_under_the_field(user: User) -> None:
    await user.open("/signup")
    user.find(marker="name").type("Grace Hopper")
    user.find(marker="email").type("grace@example.org")
    user.find(marker="password").type("1234567890")
    user.find(marker="sign-up").click()
    await user.should_see("The password is one of the most common passwords", retries=30)
