"""Landing, sign-up, log-in, log-out, and the frame around every page."""

from __future__ import annotations

from nicegui.testing import User

from tests.accounts import Accounts
from tests.ui.conftest import LogIn, NewUser


async def test_a_visitor_reads_the_landing_page_and_signs_up(user: User) -> None:
    await user.open("/")
    await user.should_see("Run quantum circuits. Watch them finish live.")
    await user.should_see("Quantum Quest")
    user.find(marker="cta-signup").click()
    await user.should_see("Create your account")
    user.find(marker="name").type("Grace Hopper")
    user.find(marker="email").type("grace@example.org")
    user.find(marker="password").type("short")
    user.find(marker="sign-up").click()
    await user.should_see("Use at least 10 characters")
    user.find(marker="password").clear().type("a much longer password")
    user.find(marker="sign-up").click()
    await user.should_see("Hello, Grace", retries=30)
    # The personal workspace was created with the account.
    await user.should_see("Grace Hopper's workspace")


async def test_signing_up_twice_with_one_email_says_so(user: User, api: Accounts) -> None:
    ada = await api.sign_up("Ada")
    await user.open("/signup")
    user.find(marker="name").type("Ada again")
    user.find(marker="email").type(ada.email)
    user.find(marker="password").type("another long password")
    user.find(marker="sign-up").click()
    await user.should_see("An account with this e-mail already exists.", retries=30)


async def test_a_wrong_password_is_refused_with_the_apis_message(user: User, api: Accounts) -> None:
    ada = await api.sign_up("Ada")
    await user.open("/login")
    user.find(marker="email").type("not-an-email")
    user.find(marker="log-in").click()
    await user.should_see("That does not look like an e-mail address")
    user.find(marker="email").clear().type(ada.email)
    user.find(marker="password").type("wrong password")
    user.find(marker="log-in").click()
    await user.should_see("E-mail or password is wrong.", retries=30)


async def test_a_protected_page_sends_you_to_log_in_and_back(user: User, api: Accounts) -> None:
    ada = await api.sign_up("Ada")
    await user.open("/jobs?status=completed")
    await user.should_see("Welcome back")
    user.find(marker="email").type(ada.email)
    user.find(marker="password").type(ada.password)
    user.find(marker="log-in").click()
    await user.should_see("Every job in", retries=30)
    assert user.back_history[-1] == "/jobs?status=completed"


async def test_the_session_survives_a_reload_and_ends_at_log_out(
    user: User, api: Accounts, log_in: LogIn
) -> None:
    ada = await api.sign_up("Ada")
    await log_in(user, ada)
    await user.open("/dashboard")  # a reload: the same browser, a new page
    await user.should_see("Hello, Ada")
    await user.open("/")  # signed in: the landing page leads to the dashboard
    await user.should_see("Hello, Ada")
    user.find(marker="log-out").click()
    await user.should_see("Welcome back", retries=30)
    await user.open("/backends")
    await user.should_see("Welcome back")


async def test_dark_mode_is_remembered_for_the_user(
    user: User, new_user: NewUser, api: Accounts, log_in: LogIn
) -> None:
    ada = await api.sign_up("Ada")
    await log_in(user, ada)
    user.find(marker="theme-toggle").click()
    for _ in range(30):
        me = (await ada.client.get("/api/v1/auth/me")).json()["user"]
        if me["preferences"].get("theme") == "dark":
            break
        await user.should_see("Hello, Ada")
    assert me["preferences"]["theme"] == "dark"
    # Another browser of the same person opens in dark mode too.
    laptop = new_user()
    await log_in(laptop, ada)
    dark = [e for e in laptop.find(kind=_dark_mode()).elements]
    assert dark and dark[0].value is True


def _dark_mode():
    from nicegui import ui

    return ui.dark_mode


async def test_navigation_lists_only_pages_that_exist(
    user: User, api: Accounts, log_in: LogIn
) -> None:
    await log_in(user, await api.sign_up("Ada"))
    for label in ("Dashboard", "Jobs", "Submit", "Backends", "Sessions"):
        await user.should_see(label)
    for missing in ("Analytics", "Quantum Quest", "Team"):
        await user.should_not_see(marker=f"nav-{missing.lower()}")


async def test_the_workspace_switcher_changes_what_you_see(
    user: User, api: Accounts, log_in: LogIn
) -> None:
    ada = await api.sign_up("Ada")
    lab = (await ada.client.post("/api/v1/workspaces", json={"name": "Quantum Lab"})).json()
    await ada.client.post(
        "/api/v1/jobs",
        json={"name": "lab job", "workspace_id": lab["id"], "circuits": [{"source": _BELL}]},
    )
    await log_in(user, ada)
    await user.open("/jobs")
    await user.should_see("Every job in Ada's workspace")
    user.find(marker="workspace-switcher").click()
    user.find("Quantum Lab").click()
    await user.should_see("Every job in Quantum Lab", retries=30)


async def test_an_unknown_page_is_a_friendly_404(user: User) -> None:
    page = await user.http_client.get("/no/such/page")
    assert page.status_code == 404
    assert "Page not found" in page.text
    api = await user.http_client.get("/api/v1/no-such-endpoint")
    assert api.headers["content-type"] == "application/problem+json"


_BELL = (
    'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\n'
    "measure q -> c;\n"
)
