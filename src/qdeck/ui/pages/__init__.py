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
    "notifications",
    "chat",
    "documents",
    "notification_settings",
    "webhooks",
    "quest",
    "quest_lesson",
    "quest_level",
    "quest_challenges",
    "quest_composer",
    "progress",
    "leaderboards",
    "challenges_board",
    "badge_verify",
]


def register_pages() -> None:
    for name in PAGES:
        importlib.import_module(f"qdeck.ui.pages.{name}").register()
