"""Choose the runner from settings: Ray when an address is set, local workers otherwise."""

from __future__ import annotations

from qdeck.config import Settings
from qdeck.engine.runner import Runner


def make_runner(settings: Settings) -> Runner:
    if settings.ray_address:
        from qdeck.engine.ray_runner import RayRunner  # optional extra: qdeck[ray]

        return RayRunner(settings.ray_address, settings.worker_count, settings.warm_backends)
    from qdeck.engine.local_runner import LocalProcessRunner

    return LocalProcessRunner(settings.worker_count, settings.warm_backends)
