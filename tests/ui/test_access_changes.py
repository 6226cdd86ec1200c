"""An open page follows access changes without a reload (simulated browser): a member
demoted to viewer loses the job controls; a removed member's page says so."""

from __future__ import annotations

import asyncio

from nicegui.testing import User

from tests.accounts import Accounts
from tests.ui.conftest import LogIn
from tests.ui.test_dashboard_and_jobs import marked


async def _shown(user: User, marker: str) -> bool:
    return any(e.visible for e in marked(user, marker))


async def test_demoted_and_removed_while_looking(user: User, api: Accounts, log_in: LogIn) -> None:
    ada = await api.sign_up("Ada")
    bob = await api.sign_up("Bob")
    lab = (await ada.client.post("/api/v1/workspaces", json={"name": "Lab"})).json()["id"]
    added = await ada.client.post(f"/api/v1/workspaces/{lab}/members", json={"email": bob.email})
    assert added.status_code == 201, added.text
    await log_in(user, bob)

    await user.open("/dashboard")
    switcher = marked(user, "workspace-switcher")[0]
    switcher.set_value(lab)
    await user.should_see("What is happening in Lab", retries=30)
    assert await _shown(user, "run-bell")

    changed = await ada.client.patch(
        f"/api/v1/workspaces/{lab}/members/{bob.id}", json={"role": "viewer"}
    )
    assert changed.status_code == 200, changed.text
    for _ in range(50):
        if not await _shown(user, "run-bell"):
            break
        await asyncio.sleep(0.1)
    assert not await _shown(user, "run-bell"), "a viewer still sees Run a Bell state"

    removed = await ada.client.delete(f"/api/v1/workspaces/{lab}/members/{bob.id}")
    assert removed.status_code == 204
    await user.should_see("You no longer have access to Lab", retries=50)
