"""What a page needs from the qdeck app that served it: database, settings, bus, runner."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.auth.service import ClientInfo
from qdeck.config import Settings
from qdeck.db.engine import Database
from qdeck.events.bus import EventBus

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
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """A read-only unit of work."""
        async with self.database.session(write=False) as session:
            yield session

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[AsyncSession]:
        """A unit of work that commits when the block succeeds."""
        async with self.database.session(write=True) as session:
            yield session


def qdeck_for(request: Request) -> Qdeck:
    app = request.scope[SCOPE_KEY]
    host = request.client.host if request.client else None
    return Qdeck(app=app, client=ClientInfo(ip=host, user_agent=request.headers.get("user-agent")))
