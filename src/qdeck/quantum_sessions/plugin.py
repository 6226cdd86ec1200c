"""Sessions' changes are part of their workspace's live stream."""

from __future__ import annotations

from qdeck.events.registry import Registry
from qdeck.quantum_sessions.service import SESSION_CHANGED


def register(registry: Registry) -> None:
    registry.workspace_stream.add(SESSION_CHANGED)
