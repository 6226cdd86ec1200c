"""Two people chat in real browsers against a real `qdeck serve`: each sees the other's
messages, edits, reactions and typing without a reload; the unread count and the "new
messages" line are right; a mention notifies; a job card in chat turns from queued to
completed by itself; a corpus of XSS payloads renders as inert text (no script runs).
Screenshots in both themes and at phone width."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import expect

from tests.client.live import Account, new_account
from tests.collab.conftest import log_in_browser
from tests.live_server import LiveServer
from tests.ui.browser import PHONE, screenshot

pytestmark = pytest.mark.browser

XSS = [
    "<script>window.__xss = 1</script>",
    '<img src=x onerror="window.__xss = 2">',
    '<svg onload="window.__xss = 3"></svg>',
    "[click](javascript:window.__xss=4)",
    "![pic](javascript:window.__xss=5)",
    '<a href="javascript:window.__xss=6">x</a>',
    '<iframe src="javascript:window.__xss=7"></iframe>',
    "[x](jav&#x09;ascript:window.__xss=8)",
    "```qasm\n</code><script>window.__xss=9</script>\n```",
    '<details open ontoggle="window.__xss=10">',
]


@pytest.fixture(scope="module")
def server(browser: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path_factory.mktemp("chat") / "data", QDECK_WORKERS="1").start()
    try:
        yield live
    finally:
        live.stop()


def _api(server: LiveServer, who: Account) -> httpx.Client:
    return httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {who.token}"}, timeout=60
    )


def _send(page, text: str) -> None:
    box = page.get_by_label("Message", exact=True)
    box.fill(text)
    box.press("Enter")
    # Sent once the box is empty again: typing the next one earlier would be wiped.
    expect(box).to_have_value("", timeout=30_000)


def test_two_people_chat_live_with_mentions_job_cards_and_inert_payloads(
    browser, server: LiveServer
) -> None:
    ada, grace = new_account(server, "Ada"), new_account(server, "Grace")
    with _api(server, ada) as api:
        lab = api.post("/api/v1/workspaces", json={"name": "Lab"}).json()["id"]
        added = api.post(
            f"/api/v1/workspaces/{lab}/members", json={"email": grace.email, "role": "member"}
        )
        assert added.status_code == 201, added.text
        general = next(
            c
            for c in api.get(f"/api/v1/workspaces/{lab}/chat/channels").json()
            if c["name"] == "general"
        )
        api.post(f"/api/v1/chat/channels/{general['id']}/messages", json={"body": "Welcome!"})
    link = f"{server.url}/chat?channel={general['id']}"

    ada_ctx, mine = log_in_browser(browser, server, ada)
    grace_ctx, hers = log_in_browser(browser, server, grace)
    mine.goto(link)
    mine.get_by_text("Welcome!").wait_for()
    # Grace has one unread in #general before she opens it.
    hers.goto(link)
    hers.get_by_text("New messages").wait_for()
    hers.get_by_text("Welcome!").wait_for()

    # Live both ways, with typing shown to the other person.
    hers.get_by_label("Message", exact=True).press_sequentially("hel")
    mine.get_by_text("Grace is typing…").wait_for()
    _send(hers, "hello **Ada**")
    mine.locator(".qd-chat-body strong", has_text="Ada").wait_for()
    handle = grace.email.split("@")[0]
    _send(mine, f"@{handle} can you run the Bell test?")
    hers.locator(".qd-mention", has_text=f"@{handle}").wait_for()
    hers.get_by_role("button", name="Notifications, 1 unread").wait_for()
    screenshot(hers, "chat-light")

    # Reactions and edits reach the other side.
    message = hers.locator("[data-message]", has_text="can you run the Bell test?")
    message.get_by_role("button", name="Message actions").click()
    hers.get_by_role("button", name="React 👍").click()
    mine.locator("[data-message]", has_text="can you run the Bell test?").get_by_text(
        "👍 1"
    ).wait_for()
    own = mine.locator("[data-message]", has_text="can you run the Bell test?")
    own.get_by_role("button", name="Message actions").click()
    mine.locator(".q-menu").get_by_text("Edit", exact=True).click()
    mine.locator(".q-dialog textarea").fill(f"@{handle} can you run the Bell test, please?")
    mine.get_by_role("button", name="Save").click()
    hers.get_by_text("please?").wait_for()
    hers.locator("[data-message]", has_text="please?").get_by_text("(edited)").wait_for()

    # /run drafts a job; submitted, its card turns from queued to completed by itself.
    draft = hers.get_by_label("Message", exact=True)
    draft.fill("/run bell on aer_simulator 200 shots")
    draft.press("Enter")
    hers.get_by_role("button", name="Submit and post").click()
    card = mine.locator("[data-job]").first
    card.wait_for(timeout=30_000)
    card.get_by_text("completed").wait_for(timeout=90_000)
    hers.locator("[data-job]").first.get_by_text("completed").wait_for(timeout=30_000)

    # The XSS corpus: every payload shows as text, none runs.
    for payload in XSS:
        _send(mine, payload)
    hers.get_by_text("ontoggle").wait_for()
    for page in (mine, hers):
        assert page.evaluate("window.__xss") is None
        assert (
            page.locator(
                ".qd-chat-body script, .qd-chat-body img, .qd-chat-body iframe, "
                ".qd-chat-body svg, .qd-chat-body [onerror]"
            ).count()
            == 0
        )
        hrefs = page.locator(".qd-chat-body a").evaluate_all("els => els.map(e => e.href)")
        assert all(h.startswith(("http://", "https://", "mailto:")) for h in hrefs), hrefs
    mine.get_by_role("button", name="Toggle dark mode").click()
    mine.locator("body.body--dark").wait_for()
    screenshot(mine, "chat-dark")

    phone = browser.new_context(viewport=PHONE, storage_state=grace_ctx.storage_state())
    small = phone.new_page()
    small.goto(link)
    small.get_by_label("Channel", exact=True).wait_for()
    small.get_by_label("Message", exact=True).wait_for()
    screenshot(small, "chat-phone")
    for context in (ada_ctx, grace_ctx, phone):
        context.close()
