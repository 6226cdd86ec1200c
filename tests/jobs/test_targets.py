"""Execution targets: each backend runs where its target says, and only targets that run
work remotely have their jobs re-attached after a restart. The scheduler asks the registry,
so registering a target is all it takes for its backends' jobs to start."""

from __future__ import annotations

import asyncio

import pytest

from qdeck.app import create_app
from qdeck.backends.targets import execution_targets
from qdeck.engine.ibm import IbmRuntimeRunner, ServiceCache
from qdeck.engine.local_runner import LocalProcessRunner
from qdeck.jobs.models import Job
from qdeck.jobs.scheduler import Scheduler
from qdeck.jobs.targets import DuplicateTarget, TargetRegistry, simulator_targets
from tests.jobs.conftest import BELL, submit, wait_for


def _registry(settings, *, with_ibm: bool = True):
    simulators = LocalProcessRunner(workers=1)  # never started: the registry only routes
    ibm = IbmRuntimeRunner(services=ServiceCache()) if with_ibm else None
    return execution_targets(settings, simulators, ibm), simulators, ibm


async def test_every_backend_is_served_by_the_target_that_declares_it(settings) -> None:
    targets, simulators, ibm = _registry(settings)
    served = {
        backend: targets.target_for(backend).name
        for backend in ("aer_simulator", "fake_sherbrooke", "fake_manila", "ibm_brisbane")
    }
    assert served == {
        "aer_simulator": "aer_ideal",
        "fake_sherbrooke": "fake_devices",
        "fake_manila": "fake_devices",
        "ibm_brisbane": "ibm_quantum",
    }
    assert targets.target_for("fake_manila").runner is simulators
    assert targets.target_for("ibm_brisbane").runner is ibm
    # Two simulator targets share one runner: the scheduler sees each runner once.
    assert targets.runners == [simulators, ibm]


async def test_without_an_ibm_runner_ibm_devices_have_no_target(settings) -> None:
    targets, simulators, _ = _registry(settings, with_ibm=False)
    assert targets.target_for("ibm_brisbane") is None
    assert targets.target_for("aer_simulator").runner is simulators
    assert targets.runners == [simulators]


async def test_only_jobs_running_remotely_are_reattached(settings) -> None:
    targets, _, _ = _registry(settings)

    def job(backend: str, remote_job_id: str | None) -> Job:
        return Job(backend=backend, remote_job_id=remote_job_id)

    assert targets.can_reattach(job("ibm_brisbane", "d1abc"))
    assert not targets.can_reattach(job("ibm_brisbane", None)), "never submitted: run it"
    assert not targets.can_reattach(job("fake_manila", "d1abc")), "simulated here: run again"
    assert not targets.can_reattach(job("aer_simulator", None))
    without_ibm, _, _ = _registry(settings, with_ibm=False)
    assert not without_ibm.can_reattach(job("ibm_brisbane", "d1abc"))


async def test_two_targets_cannot_share_a_name(runner) -> None:
    registry = TargetRegistry(simulator_targets(runner))
    with pytest.raises(DuplicateTarget, match="aer_ideal"):
        registry.register(simulator_targets(runner)[0])


async def test_a_backend_runs_once_a_target_for_it_is_registered(
    settings, runner, accounts_factory
) -> None:
    """A scheduler whose registry lacks the ideal simulator leaves its jobs queued while
    fake-device jobs run; registering the target lets the waiting job start."""
    quiet = settings.model_copy(update={"engine_enabled": False})
    app = create_app(quiet, runner=runner)
    async with app.router.lifespan_context(app):
        aer, fakes = simulator_targets(runner)
        registry = TargetRegistry([fakes])
        scheduler = Scheduler(app.state.database, quiet, app.state.bus, registry)
        await scheduler.start()
        accounts = accounts_factory(app)
        try:
            ada = await accounts.sign_up("Ada")
            ideal = await submit(ada.client, BELL, backend="aer_simulator", shots=100)
            noisy = await submit(ada.client, BELL, backend="fake_manila", shots=100)
            assert (await wait_for(ada.client, noisy["id"]))["status"] == "completed"
            await asyncio.sleep(1.5)  # a few dispatch rounds pass the queued job by
            waiting = (await ada.client.get(f"/api/v1/jobs/{ideal['id']}")).json()
            assert waiting["status"] == "queued"
            registry.register(aer)
            scheduler.wake()
            done = await wait_for(ada.client, ideal["id"])
            assert done["status"] == "completed"
            assert any("local runner" in e["reason"] for e in done["events"])
        finally:
            await accounts.close()
            await scheduler.stop()
