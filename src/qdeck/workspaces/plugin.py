"""A workspace's own changes (settings, members, invitations, projects) are part of its
live stream, so WebSocket clients of ``workspace:<id>`` hear them as open pages do."""

from __future__ import annotations

from qdeck.events.registry import Registry
from qdeck.workspaces.changes import WORKSPACE_CHANGED


def register(registry: Registry) -> None:
    registry.workspace_stream.add(WORKSPACE_CHANGED)
