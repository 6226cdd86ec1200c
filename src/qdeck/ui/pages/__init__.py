"""One module per page; each has a ``register()`` that declares its routes."""

from __future__ import annotations

import importlib

PAGES = [
    "landing",
    "auth",
    "dashboard",
    "jobs",
    "job_detail",
    "submit",
    "backends",
    "sessions",
    "workspace_settings",
    "account",
    "security",
]


def register_pages() -> None:
    for name in PAGES:
        importlib.import_module(f"qdeck.ui.pages.{name}").register()
