from __future__ import annotations

from typing import Annotated

import typer
import uvicorn
from rich.console import Console

from qdeck.config import Settings

console = Console(stderr=True)


def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on [QDECK_HOST].")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on [QDECK_PORT].")] = None,
) -> None:
    """Start qdeck: the API, the web UI and the job engine, in one process.

    The database is created and migrated on first start.

    Example: qdeck serve --port 8000
    """
    overrides = {k: v for k, v in {"host": host, "port": port}.items() if v is not None}
    settings = Settings(**overrides)
    _children_die_with_the_server()
    from qdeck.app import create_app

    app = create_app(settings)
    console.print(
        f"qdeck listening on http://{settings.host}:{settings.port}  (data: {settings.data_dir})"
    )
    uvicorn.run(app, host=settings.host, port=settings.port, log_config=None, proxy_headers=True)


def _children_die_with_the_server() -> None:
    """Job workers and NiceGUI's CPU pool are LifelineProcesses: killed with SIGKILL, the
    server leaves no process behind (qdeck/lifeline.py)."""
    from nicegui import run

    from qdeck.lifeline import children_skip_main_module, spawn_context

    children_skip_main_module()
    # The context NiceGUI's pool uses for process_pool_start_method = "spawn" (ui/mount.py).
    run.SPAWN_CONTEXT = spawn_context()
