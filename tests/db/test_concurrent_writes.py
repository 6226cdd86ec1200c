"""Many people writing at once: every write lands, none fails with "database is locked"."""

from __future__ import annotations

import asyncio

from tests.accounts import Accounts


async def test_fifty_concurrent_writes_all_succeed(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    url = f"/api/v1/workspaces/{ada.personal_workspace_id}/projects"

    async def create(i: int) -> int:
        response = await ada.client.post(url, json={"name": f"project {i}"})
        return response.status_code

    async def read() -> int:
        return (await ada.client.get(url)).status_code

    statuses = await asyncio.gather(*(create(i) for i in range(50)), *(read() for _ in range(20)))
    assert statuses[:50] == [201] * 50
    assert set(statuses[50:]) == {200}
    page = (await ada.client.get(url, params={"limit": 200})).json()
    assert len(page["items"]) == 50


async def test_concurrent_sign_ups_with_one_email_create_one_account(accounts: Accounts) -> None:
    client = accounts.new_client()
    body = {"email": "race@example.org", "password": "a long enough password", "display_name": "R"}
    responses = await asyncio.gather(
        *(client.post("/api/v1/auth/signup", json=body) for _ in range(4))
    )
    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409]
