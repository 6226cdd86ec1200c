"""What a page needs from the qdeck app that served it: its services in a unit of work,
settings, bus, runner."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request

from qdeck.auth.service import ClientInfo
from qdeck.config import Settings
from qdeck.db.engine import Database
from qdeck.events.bus import EventBus
from qdeck.services import Services

SCOPE_KEY = "qdeck.app"


@dataclass(frozen=True)
class Qdeck:
    """A handle on the running qdeck app, taken from the request that built the page."""

    app: FastAPI
    client: ClientInfo

    @property
    def settings(self) -> Settings:
        return self.app.state.settings

    @property
    def database(self) -> Database:
        return self.app.state.database

    @property
    def bus(self) -> EventBus:
        return self.app.state.bus

    @property
    def runner(self) -> Any:
        return self.app.state.runner

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Services]:
        """The services of a read-only unit of work."""
        async with self.database.session(write=False) as session:
            yield Services(session, self.settings, self.app.state.registry)

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[Services]:
        """The services of a unit of work that commits when the block succeeds."""
        async with self.database.session(write=True) as session:
            yield Services(session, self.settings, self.app.state.registry)


def qdeck_for(request: Request) -> Qdeck:
    app = request.scope[SCOPE_KEY]
    host = request.client.host if request.client else None
    return Qdeck(app=app, client=ClientInfo(ip=host, user_agent=request.headers.get("user-agent")))
