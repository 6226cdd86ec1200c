"""create_app(settings): the one FastAPI application behind the API, the UI and the probes."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from qdeck import __version__
from qdeck.api.docs import install_docs
from qdeck.api.health import router as health_router
from qdeck.api.middleware import BodySizeLimitMiddleware, RequestContextMiddleware
from qdeck.api.problems import install_problem_handlers
from qdeck.api.router import api_router
from qdeck.backends.service import warm_catalog
from qdeck.backends.targets import execution_targets
from qdeck.collab.document_rooms import DocumentRooms
from qdeck.config import Settings
from qdeck.db import migrate
from qdeck.db.engine import Database
from qdeck.domains import build_registry
from qdeck.engine.factory import make_runner
from qdeck.engine.ibm import IbmRuntimeRunner
from qdeck.engine.runner import Runner
from qdeck.events.bus import EventBus
from qdeck.events.consumers import ConsumerRunner
from qdeck.events.redis_transport import RedisTransport
from qdeck.events.registry import WorkerContext
from qdeck.events.relay import OutboxRelay
from qdeck.jobs.scheduler import Scheduler
from qdeck.logs import configure_logging
from qdeck.ui.mount import mount_ui

log = structlog.get_logger("qdeck")


def create_app(
    settings: Settings | None = None,
    *,
    runner: Runner | None = None,
    ibm_runner: IbmRuntimeRunner | None = None,
) -> FastAPI:
    """The application. ``runner`` / ``ibm_runner`` inject already started runners (tests
    share them); by default they are made, started and stopped with the app."""
    settings = settings or Settings()
    configure_logging(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.auto_migrate:
            # Alembic drives its own event loop, so it runs in a thread.
            await asyncio.to_thread(migrate.upgrade, settings)
        settings.instance_secret  # noqa: B018 - create the key file now, not mid-request
        database = Database(settings)
        app.state.database = database
        log.info("started", database=database.reader.url.render_as_string(hide_password=True))
        async with (
            _events(app, settings, database),
            _engine(app, settings, database, runner, ibm_runner),
            _workers(app, settings, database),
        ):
            _freeze_long_lived()
            yield
        await database.dispose()

    app = FastAPI(
        title="qdeck",
        version=__version__,
        description="Submit, watch and study quantum jobs on simulators and IBM Quantum.",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.bus = EventBus()
    app.state.registry = build_registry(settings)
    app.state.runner = runner
    app.state.scheduler = None
    install_problem_handlers(app)
    app.include_router(health_router)
    app.include_router(api_router)
    install_docs(app)

    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["X-Request-ID", "Retry-After"],
        )
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    # Added last so it is outermost: even a 413 or a CORS refusal carries a request id.
    app.add_middleware(RequestContextMiddleware, hsts=settings.cookies_secure)
    mount_ui(app, settings)
    return app


def _freeze_long_lived() -> None:
    """What start-up built (Qiskit, the device catalogue, the app) lives as long as the
    process. Frozen, it is no longer scanned by every full collection: under the document
    benchmark those scans stalled the event loop 350-450 ms every 25 s."""
    gc.collect()
    gc.freeze()


@asynccontextmanager
async def _events(app: FastAPI, settings: Settings, database: Database) -> AsyncIterator[None]:
    """The outbox relay feeding the live bus, Redis wake-ups, and the consumers."""
    relay = OutboxRelay(database, app.state.bus, settings.outbox_poll_seconds)
    await relay.start()
    transport = None
    if settings.redis_url:
        transport = RedisTransport(settings.redis_url, settings.redis_channel, relay)
        await transport.start()
    consumers = None
    if settings.consumers_enabled and app.state.registry.consumers:
        consumers = ConsumerRunner(database, settings, list(app.state.registry.consumers.values()))
        relay.after_delivery = consumers.wake
        await consumers.start()
    app.state.relay, app.state.consumers = relay, consumers
    try:
        yield
    finally:
        if consumers is not None:
            await consumers.stop()
        if transport is not None:
            await transport.stop()
        await relay.stop()


@asynccontextmanager
async def _workers(app: FastAPI, settings: Settings, database: Database) -> AsyncIterator[None]:
    """The domains' background loops (events.registry.Worker), cancelled on the way out."""
    registry = app.state.registry
    context = WorkerContext(database, settings, app.state.bus, registry)
    # Shared documents' live rooms: each stores what is pending when the app stops.
    rooms = DocumentRooms(database, app.state.bus)
    await rooms.start()
    app.state.document_rooms = rooms
    tasks = [
        asyncio.create_task(worker.run(context), name=f"qdeck-worker-{worker.name}")
        for worker in registry.workers.values()
        if worker.enabled_by is None or getattr(settings, worker.enabled_by)
    ]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await rooms.stop()


@asynccontextmanager
async def _engine(
    app: FastAPI,
    settings: Settings,
    database: Database,
    injected: Runner | None,
    injected_ibm: IbmRuntimeRunner | None,
) -> AsyncIterator[None]:
    """Start the runners (unless injected) and the scheduler; stop them after."""
    if not settings.engine_enabled:
        yield
        return
    # Load every device's calibration in the background, so the first look at the
    # backends page does not wait for it.
    warming = asyncio.create_task(warm_catalog(settings))
    warming.add_done_callback(lambda _: _freeze_long_lived())
    runner = injected or make_runner(settings)
    if injected is None:
        await runner.start()
    ibm_runner = injected_ibm or IbmRuntimeRunner()
    if injected_ibm is None:
        await ibm_runner.start()
    targets = execution_targets(settings, runner, ibm_runner)
    scheduler = Scheduler(database, settings, app.state.bus, targets)
    app.state.runner, app.state.scheduler = runner, scheduler
    await scheduler.start()
    try:
        yield
    finally:
        warming.cancel()
        await scheduler.stop()
        if injected is None:
            await runner.stop()
        if injected_ibm is None:
            await ibm_runner.stop()
