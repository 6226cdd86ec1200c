"""IbmRuntimeRunner end to end in qiskit-ibm-runtime's local testing mode (fake devices)."""

from __future__ import annotations

import asyncio
import json
import logging
import math

import pytest
import structlog
from qiskit_ibm_runtime import Batch, QiskitRuntimeService
from qiskit_ibm_runtime.api.exceptions import RequestsApiError
from qiskit_ibm_runtime.exceptions import IBMNotAuthorizedError

from qdeck.engine import run_job
from qdeck.engine.ibm import (
    IbmCredentials,
    IbmRuntimeRunner,
    MissingCredentialsError,
    ServiceCache,
)
from qdeck.engine.runner import RunRequest

from .conftest import (
    DEVICE,
    FAST_POLL,
    QUIET_RUNTIME_WARNINGS,
    CountingFactory,
    estimator_spec,
    first_remote_id,
    messages_until_final,
    sampler_spec,
)

pytestmark = QUIET_RUNTIME_WARNINGS
SHOTS = 2000


async def test_bell_sampler_completes_with_phases_and_remote_id(runner, local):
    await runner.submit_ibm(RunRequest("bell", 1, sampler_spec(shots=SHOTS)), local)
    messages = await messages_until_final(runner, "bell")

    assert [m.kind for m in messages] == ["phase"] * (len(messages) - 1) + ["result"]
    phases = [m.phase for m in messages[:-1]]
    assert phases[:2] == ["transpiling", "executing"]
    assert phases[-1] == "post_processing"
    assert set(phases[2:-1]) == {"executing"}
    remote = [m.result for m in messages[:-1] if m.result]
    assert remote and remote[0]["remote_job_id"] and remote[0]["backend"] == DEVICE
    assert all(m.attempt == 1 for m in messages)

    result = messages[-1].result
    assert result["remote_job_id"] == remote[0]["remote_job_id"]
    assert (result["backend"], result["method"], result["primitive"]) == (
        DEVICE,
        "local_testing",
        "sampler",
    )
    entry = result["pubs"][0]["data"][0]
    counts = entry["counts"]
    assert sum(counts.values()) == SHOTS == entry["shots"]
    # Noisy device: mostly correlated outcomes, each near half, a few percent of 01/10.
    assert counts.get("00", 0) + counts.get("11", 0) > 0.85 * SHOTS
    assert min(counts.get("00", 0), counts.get("11", 0)) > 0.35 * SHOTS
    assert math.isclose(sum(entry["probabilities"].values()), 1.0)
    assert json.loads(json.dumps(result)) == result  # stored as JSON by the scheduler
    assert runner.free_slots() == runner.max_jobs


def _shape(result: dict) -> dict:
    pub = result["pubs"][0]
    return {
        "top": set(result),
        "pub": set(pub),
        "data": set(pub["data"][0]),
        "transpiled": set(pub["transpiled"]),
        "timing": set(result["timing"]),
        "seeds": set(result["seeds"]),
    }


@pytest.mark.parametrize(
    "spec",
    [sampler_spec(shots=200), estimator_spec([[["ZZ", 1.0]]], shots=200)],
    ids=["sampler", "estimator"],
)
async def test_result_has_the_shape_of_run_job(runner, local, spec):
    await runner.submit_ibm(RunRequest("shape", 1, spec), local)
    ibm = _shape((await messages_until_final(runner, "shape"))[-1].result)
    simulated = _shape(run_job({**spec, "backend": "aer_simulator"}))

    assert ibm["top"] == simulated["top"] | {"remote_job_id"}
    assert ibm["timing"] >= simulated["timing"]
    for part in ("pub", "data", "transpiled", "seeds"):
        assert ibm[part] == simulated[part], part


async def test_estimator_zz_and_xx_of_bell_state_close_to_one(runner, local):
    spec = estimator_spec([[["ZZ", 1.0]], [["XX", 1.0]], [["ZI", 1.0]]])
    await runner.submit_ibm(RunRequest("est", 1, spec), local)
    result = (await messages_until_final(runner, "est"))[-1].result

    entry = result["pubs"][0]["data"][0]
    zz, xx, zi = entry["evs"]
    assert entry["shots"] == 4096  # the noisy-estimator default, as for fake devices
    assert zz > 0.85 and xx > 0.8  # ideal 1; gate and readout errors pull it down
    assert abs(zi) < 0.1
    assert all(0 < std < 0.05 for std in entry["stds"])


async def test_parameter_sets_give_one_entry_each(runner, local):
    source = (
        'OPENQASM 3.0;\ninclude "stdgates.inc";\ninput float theta;\n'
        "qubit[1] q;\nbit[1] c;\nry(theta) q[0];\nc[0] = measure q[0];\n"
    )
    spec = {
        "primitive": "sampler",
        "backend": DEVICE,
        "circuits": [{"format": "qasm3", "source": source, "parameter_values": [[0.0], [math.pi]]}],
        "shots": 500,
    }
    await runner.submit_ibm(RunRequest("params", 1, spec), local)
    data = (await messages_until_final(runner, "params"))[-1].result["pubs"][0]["data"]

    assert len(data) == 2
    assert data[0]["counts"].get("0", 0) > 450
    assert data[1]["counts"].get("1", 0) > 450


async def test_same_seed_gives_same_counts(runner, local):
    spec = sampler_spec(shots=300, seed=77)
    results = []
    for k in range(2):
        await runner.submit_ibm(RunRequest(f"seed{k}", 1, spec), local)
        results.append((await messages_until_final(runner, f"seed{k}"))[-1].result)

    assert results[0]["pubs"][0]["data"] == results[1]["pubs"][0]["data"]
    assert results[0]["seeds"] == {"transpiler": 77, "simulator": 77}


async def test_cancel_cancels_the_remote_job_and_reports_nothing_more(local):
    factory = CountingFactory(hold=True)
    runner = IbmRuntimeRunner(services=ServiceCache(), poll=FAST_POLL, primitive_factory=factory)
    await runner.start()
    await runner.submit_ibm(RunRequest("c1", 1, sampler_spec(shots=50)), local)
    remote_id = await first_remote_id(runner, "c1")
    assert runner.remote_job_ids() == {"c1": remote_id}
    assert runner.status()["busy"] == 1 and runner.status()["phases"] == {"executing": 1}

    assert await runner.cancel("c1") is True
    held = factory.jobs[remote_id]
    held.release()
    await asyncio.sleep(0.3)

    assert held.cancel_calls == 1
    assert runner.pending_messages() == []
    assert runner.free_slots() == runner.max_jobs
    assert await runner.cancel("c1") is False
    await runner.stop()


async def test_cancel_of_an_unknown_job_is_false(runner):
    assert await runner.cancel("nobody") is False


async def test_attach_after_restart_follows_the_same_remote_job(local):
    factory = CountingFactory(hold=True)
    first = IbmRuntimeRunner(services=ServiceCache(), poll=FAST_POLL, primitive_factory=factory)
    await first.start()
    spec = sampler_spec(shots=300)
    await first.submit_ibm(RunRequest("a1", 1, spec), local)
    remote_id = await first_remote_id(first, "a1")
    await first.stop()  # qdeck shuts down; the job stays queued at IBM
    held = factory.jobs[remote_id]
    assert held.cancel_calls == 0

    second = IbmRuntimeRunner(
        services=ServiceCache(),
        poll=FAST_POLL,
        primitive_factory=factory,
        job_lookup=factory.lookup,
    )
    await second.start()
    await second.submit_ibm(RunRequest("a1", 2, spec), local, remote_job_id=remote_id)
    await first_remote_id(second, "a1")
    held.release()
    messages = await messages_until_final(second, "a1")
    await second.stop()

    assert len(factory.calls) == 1  # submitted once, by the first runner
    assert "transpiling" not in [m.phase for m in messages]
    result = messages[-1].result
    assert result["remote_job_id"] == remote_id
    assert sum(result["pubs"][0]["data"][0]["counts"].values()) == 300
    # The transpiled block comes from the job's own inputs, not from transpiling again.
    assert result["pubs"][0]["transpiled"]["qasm"].startswith("OPENQASM 2.0")
    assert all(m.attempt == 2 for m in messages)


async def test_attach_in_local_mode_without_a_lookup_explains_why(runner, local):
    await runner.attach(RunRequest("a2", 1, sampler_spec()), local, "some-remote-id")
    error = (await messages_until_final(runner, "a2"))[-1].error

    assert error["code"] == "ibm_attach_unavailable"
    assert error["transient"] is False
    assert error["remote_job_id"] == "some-remote-id"


async def test_job_cancelled_at_ibm_is_a_permanent_error(local):
    factory = CountingFactory(status="CANCELLED")
    runner = IbmRuntimeRunner(services=ServiceCache(), poll=FAST_POLL, primitive_factory=factory)
    await runner.start()
    await runner.submit_ibm(RunRequest("rc", 1, sampler_spec(shots=10)), local)
    error = (await messages_until_final(runner, "rc"))[-1].error
    await runner.stop()

    assert error["code"] == "ibm_job_cancelled"
    assert error["transient"] is False
    assert error["phase"] == "executing"
    assert error["remote_job_id"] in factory.jobs


async def test_submit_without_credentials_is_refused(runner):
    request = RunRequest("nocreds", 1, sampler_spec())
    with pytest.raises(MissingCredentialsError, match="submit_ibm"):
        await runner.submit(request)
    with pytest.raises(MissingCredentialsError):
        await runner.submit_ibm(request, None)
    assert runner.free_slots() == runner.max_jobs


@pytest.mark.parametrize(
    ("spec", "code", "field"),
    [
        (sampler_spec(backend="fake_nowhere"), "unknown_backend", None),
        (sampler_spec(method="statevector"), "invalid_job", "method"),
        (
            sampler_spec(
                'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[6];\ncreg c[6];\n'
                "h q[0];\nmeasure q -> c;\n"
            ),
            "circuit_too_wide",
            "circuits[0].source",
        ),
        (estimator_spec([[["ZZZ", 1.0]]]), "observable_width_mismatch", None),
    ],
)
async def test_bad_jobs_fail_permanently_before_submitting(local, spec, code, field):
    factory = CountingFactory()
    runner = IbmRuntimeRunner(services=ServiceCache(), poll=FAST_POLL, primitive_factory=factory)
    await runner.start()
    await runner.submit_ibm(RunRequest("bad", 1, spec), local)
    error = (await messages_until_final(runner, "bad"))[-1].error
    await runner.stop()

    assert (error["code"], error["transient"], error["phase"]) == (code, False, "transpiling")
    if field:
        assert error["field"] == field
    assert factory.calls == []


async def test_jobs_with_an_affinity_share_one_batch(local):
    factory = CountingFactory()
    runner = IbmRuntimeRunner(services=ServiceCache(), poll=FAST_POLL, primitive_factory=factory)
    await runner.start()
    for k in range(2):
        request = RunRequest(f"b{k}", 1, sampler_spec(shots=20), affinity="session-1")
        await runner.submit_ibm(request, local)
        assert (await messages_until_final(runner, f"b{k}"))[-1].kind == "result"

    modes = [mode for _, mode, _ in factory.calls]
    assert isinstance(modes[0], Batch) and modes[0] is modes[1]
    await runner.close_affinity("session-1")
    assert len(runner.modes) == 0
    await runner.stop()


class _FlakyStatus:
    """A remote job whose first status calls fail like a gateway hiccup at IBM."""

    def __init__(self, job, failures: int) -> None:
        self.job, self.failures = job, failures

    def status(self):
        if self.failures:
            self.failures -= 1
            raise RequestsApiError("502 Server Error: Bad Gateway for url: https://x. down", 502)
        return self.job.status()

    def __getattr__(self, name):
        return getattr(self.job, name)


async def test_transient_polling_failures_are_ridden_out(runner, local):
    factory = CountingFactory()
    submitter = IbmRuntimeRunner(services=ServiceCache(), poll=FAST_POLL, primitive_factory=factory)
    await submitter.start()
    await submitter.submit_ibm(RunRequest("f1", 1, sampler_spec(shots=20)), local)
    remote_id = (await messages_until_final(submitter, "f1"))[-1].result["remote_job_id"]
    await submitter.stop()
    flaky = _FlakyStatus(factory.jobs[remote_id], failures=2)

    runner.job_lookup = lambda service, job_id: flaky
    await runner.attach(RunRequest("f1", 2, sampler_spec(shots=20)), local, remote_id)
    final = (await messages_until_final(runner, "f1"))[-1]

    assert final.kind == "result", final.error
    assert flaky.failures == 0
    assert len(factory.calls) == 1


async def test_rejected_token_fails_permanently_and_drops_the_cached_service():
    token = "tok-" + "q" * 40 + "WXYZ"

    class RejectingService:
        def backend(self, name):
            raise IBMNotAuthorizedError(f"401 Client Error: Unauthorized. bad token {token}")

    services = ServiceCache(factory=lambda credentials: RejectingService())
    runner = IbmRuntimeRunner(services=services, poll=FAST_POLL)
    await runner.start()
    credentials = IbmCredentials.from_token(token)
    await runner.submit_ibm(RunRequest("auth", 1, sampler_spec()), credentials)
    error = (await messages_until_final(runner, "auth"))[-1].error
    await runner.stop()

    assert error["code"] == "ibm_auth_failed" and error["transient"] is False
    assert "update your ibm quantum api token in qdeck" in error["message"].lower()
    assert token not in error["message"]
    assert len(services) == 0


async def test_token_never_appears_in_messages_logs_or_reprs(caplog):
    """A real (non-local) credential, served by the local service so no network is used."""
    token = "secret-" + "k" * 40 + "9f3Z"
    credentials = IbmCredentials.from_token(token, "ibm_quantum_platform", "crn:v1:test")
    services = ServiceCache(factory=lambda c: QiskitRuntimeService(channel="local"))
    runner = IbmRuntimeRunner(services=services, poll=FAST_POLL)
    await runner.start()
    caplog.set_level(logging.DEBUG)
    with structlog.testing.capture_logs() as logs:
        await runner.submit_ibm(RunRequest("t1", 1, sampler_spec(shots=20)), credentials)
        done = await messages_until_final(runner, "t1")
        await runner.submit_ibm(RunRequest("t2", 1, sampler_spec(backend="nope")), credentials)
        failed = await messages_until_final(runner, "t2")
    await runner.stop()

    assert done[-1].kind == "result" and done[-1].result["method"] == "hardware"
    assert failed[-1].kind == "error"
    seen = [repr(m) for m in done + failed]
    seen += [repr(entry) for entry in logs] + [caplog.text]
    seen += [repr(credentials), str(credentials), f"{credentials.token}", repr(runner.status())]
    assert logs, "the runner logs what it does"
    assert all(token not in text for text in seen)
    assert "****9f3Z" in repr(credentials)
