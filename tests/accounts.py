"""Test accounts: each person gets their own HTTP client, logged in as a browser would be."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from httpx import ASGITransport, AsyncClient

PASSWORD = "correct horse battery staple"


@dataclass
class Person:
    email: str
    password: str
    client: AsyncClient
    user: dict[str, Any]
    csrf_token: str
    personal_workspace_id: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.user["id"]


class Accounts:
    def __init__(self, app: object) -> None:
        self.app = app
        self._clients: list[AsyncClient] = []

    def new_client(self) -> AsyncClient:
        client = AsyncClient(transport=ASGITransport(app=self.app), base_url="http://testserver")  # type: ignore[arg-type]
        self._clients.append(client)
        return client

    async def sign_up(self, name: str, *, email: str | None = None) -> Person:
        """Sign up through the API; the returned client carries the session cookie and CSRF."""
        email = email or f"{name.lower()}-{uuid.uuid4().hex[:8]}@example.org"
        client = self.new_client()
        response = await client.post(
            "/api/v1/auth/signup",
            json={"email": email, "password": PASSWORD, "display_name": name},
        )
        assert response.status_code == 201, response.text
        body = response.json()
        client.headers["X-CSRF-Token"] = body["csrf_token"]
        workspaces = (await client.get("/api/v1/workspaces")).json()["items"]
        personal = next(w for w in workspaces if w["is_personal"])
        return Person(
            email=email,
            password=PASSWORD,
            client=client,
            user=body["user"],
            csrf_token=body["csrf_token"],
            personal_workspace_id=personal["id"],
        )

    async def close(self) -> None:
        for client in self._clients:
            await client.aclose()
