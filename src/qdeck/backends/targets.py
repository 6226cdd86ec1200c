"""The execution targets qdeck ships, registered in one place at start-up.

The ideal Aer simulator and the fake devices run on the server's simulation runner (local
worker processes, or Ray actors with ``QDECK_RAY_ADDRESS``: see ``engine.factory``); every
other backend name is an IBM Quantum device, run by the IBM runner when there is one. A new
kind of device adds its target here; the scheduler does not change.
"""

from __future__ import annotations

from qdeck.backends.ibm import IbmQuantumTarget
from qdeck.config import Settings
from qdeck.engine.ibm import IbmRuntimeRunner
from qdeck.engine.runner import Runner
from qdeck.jobs.targets import TargetRegistry, simulator_targets


def execution_targets(
    settings: Settings, runner: Runner, ibm_runner: IbmRuntimeRunner | None = None
) -> TargetRegistry:
    """Simulators first, then IBM; without an IBM runner, IBM jobs wait in the queue."""
    registry = TargetRegistry(simulator_targets(runner))
    if ibm_runner is not None:
        registry.register(IbmQuantumTarget(ibm_runner, settings))
    return registry
