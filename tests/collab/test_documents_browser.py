"""Two people co-edit one document in real browsers: each sees the other's text and
named cursor without a reload, the preview renders the Markdown with its circuit, a
viewer's editor is read-only and their typing changes nothing. Screenshots in both
themes and at phone width."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.client.live import new_account
from tests.collab.conftest import log_in_browser
from tests.live_server import LiveServer
from tests.ui.browser import PHONE, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(browser: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path_factory.mktemp("docs-ui") / "data", QDECK_WORKERS="1").start()
    try:
        yield live
    finally:
        live.stop()


def test_two_people_co_edit_a_document_and_a_viewer_only_reads(browser, server) -> None:
    ada, grace, vic = (new_account(server, n) for n in ("Ada", "Grace", "Vic"))
    with httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {ada.token}"}, timeout=60
    ) as api:
        lab = api.post("/api/v1/workspaces", json={"name": "Lab"}).json()["id"]
        for who, role in ((grace, "member"), (vic, "viewer")):
            api.post(
                f"/api/v1/workspaces/{lab}/members", json={"email": who.email, "role": role}
            ).raise_for_status()
        doc = api.post(
            f"/api/v1/workspaces/{lab}/documents", json={"title": "Bell notes", "text": "# Bell"}
        ).json()
    link = f"{server.url}/documents/{doc['id']}"

    ada_ctx, mine = log_in_browser(browser, server, ada)
    grace_ctx, hers = log_in_browser(browser, server, grace)
    for page in (mine, hers):
        page.goto(link)
        page.locator("[data-status=connected]").wait_for()
        page.locator(".cm-content", has_text="# Bell").wait_for()
    # Ada types at the end; Grace sees it, and Ada's named cursor.
    mine.locator(".cm-content").click()
    mine.keyboard.press("Control+End")
    mine.keyboard.type("\n\nAda was here")
    hers.locator(".cm-content", has_text="Ada was here").wait_for()
    hers.locator(".cm-ySelectionInfo", has_text="Ada").wait_for(state="attached")
    hers.locator(".cm-content").click()
    hers.keyboard.press("Control+Home")
    hers.keyboard.type("Grace: ")
    # The line also holds Grace's named cursor, so look for her words, not the whole line.
    mine.locator(".cm-line", has_text="Grace:").filter(has_text="# Bell").wait_for()
    mine.get_by_label("Grace is here").wait_for()
    hers.get_by_label("Ada is here").wait_for()
    # The preview renders the Markdown, a circuit gets a Run button.
    hers.keyboard.press("Control+End")
    hers.keyboard.type(
        '\n\n```qasm\nOPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[1];\nh q[0];\n```\n'
    )
    mine.locator(".qd-chat-body .qd-q-gate", has_text="h").first.wait_for()
    mine.get_by_role("button", name="Run on aer_simulator").wait_for()
    screenshot(mine, "document-light")
    mine.get_by_role("button", name="Toggle dark mode").click()
    mine.locator("body.body--dark").wait_for()
    screenshot(mine, "document-dark")

    # A viewer reads live; the editor does not take their typing, nor does the server.
    vic_ctx, theirs = log_in_browser(browser, server, vic)
    theirs.goto(link)
    theirs.get_by_text("your role cannot edit it").wait_for()
    theirs.locator(".cm-content", has_text="Ada was here").wait_for()
    theirs.locator(".cm-content").click()
    theirs.keyboard.type("vandal")
    mine.keyboard.type(" ")  # any edit, so a rogue one would have arrived by now
    with httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {ada.token}"}, timeout=60
    ) as api:
        stored = api.get(f"/api/v1/documents/{doc['id']}").json()["text"]
    assert "vandal" not in stored and "Ada was here" in stored

    phone = browser.new_context(viewport=PHONE, storage_state=grace_ctx.storage_state())
    small = phone.new_page()
    small.goto(link)
    small.locator("[data-status=connected]").wait_for()
    screenshot(small, "document-phone")
    small.goto(f"{server.url}/documents")
    small.get_by_text("Bell notes").wait_for()
    for context in (ada_ctx, grace_ctx, vic_ctx, phone):
        context.close()
