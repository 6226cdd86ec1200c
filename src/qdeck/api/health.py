"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from qdeck import __version__
from qdeck.db.migrate import current_revision, head_revision

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is alive and serving."""
    return {"status": "ok", "version": __version__}


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    """The database answers and its schema is at the latest migration."""
    database = request.app.state.database
    head = head_revision()
    try:
        async with database.reader.connect() as connection:
            current = await connection.run_sync(current_revision)
    except Exception as exc:  # any driver error means "not ready", never a 500
        return JSONResponse(
            {"status": "unavailable", "database": "unreachable", "error": type(exc).__name__},
            status_code=503,
        )
    ready = current == head
    return JSONResponse(
        {
            "status": "ok" if ready else "unavailable",
            "database": "ok",
            "migration": current,
            "head": head,
        },
        status_code=200 if ready else 503,
    )
