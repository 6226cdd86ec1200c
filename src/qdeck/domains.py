"""The composition root of the event platform: every domain that plugs topics or
consumers into it, in one list. ``events/`` itself knows none of them."""

from __future__ import annotations

import importlib

from qdeck.config import Settings
from qdeck.events.registry import Registry

DOMAINS = (
    "qdeck.jobs.plugin",
    "qdeck.activity.plugin",
    "qdeck.quantum_sessions.plugin",
    "qdeck.workspaces.plugin",
    "qdeck.notifications.plugin",
    "qdeck.notifications.channel_plugin",
    "qdeck.quest.plugin",
    "qdeck.gamification.plugin",
    "qdeck.collab.plugin",
)


def build_registry(settings: Settings) -> Registry:
    """Each module's ``register(registry)``: the built-in domains, then QDECK_PLUGINS."""
    registry = Registry()
    for name in (*DOMAINS, *settings.plugins):
        importlib.import_module(name).register(registry)
    return registry
