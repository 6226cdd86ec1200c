"""Run a job spec end to end and return a JSON-able result.

``run_job`` is synchronous and framework-free: it is meant to run inside a worker process
whose :class:`~qdeck.engine.cache.DeviceCache` stays warm between jobs. Phases are reported
through ``on_phase("transpiling" | "executing" | "post_processing")``.

Seeds: with ``seed`` given, the transpiler and the simulator both use it (pub ``i`` simulates
with ``seed + i``), so the same spec gives the same counts. Without it, the transpiler uses
the fixed :data:`~qdeck.engine.cache.DEFAULT_TRANSPILER_SEED` (stable layouts, warm pass
managers) and the simulator a fresh random seed. Both are recorded in the result.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Mapping
from typing import Any

from qdeck.jobs.status import JobPhase

from .cache import DEFAULT_TRANSPILER_SEED, DeviceCache, default_cache
from .compile import Compiled, compile_circuit, describe_transpiled
from .estimator import estimator_data, estimator_plan
from .limits import Limits
from .sampler import sampler_circuits, sampler_data
from .spec import PreparedJob, Pub, prepare_job

PhaseCallback = Callable[[str], None]
_MIB = 2**20
# Up to this width (Aer's own statevector_parallel_threshold) extra OpenMP threads only add
# overhead, and on a busy host they cost several times the simulation itself (measured: a
# 5-qubit noisy GHZ took 15 ms with all threads vs 3 ms with one while other work ran).
SMALL_SIMULATION_QUBITS = 14


class _Clock:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._start = time.perf_counter()
        self._phase: str | None = None

    def enter(self, phase: str, on_phase: PhaseCallback | None) -> None:
        self._close()
        self._phase = phase
        if on_phase is not None:
            on_phase(phase)
        self._start = time.perf_counter()

    def _close(self) -> None:
        if self._phase is not None:
            elapsed = time.perf_counter() - self._start
            self.seconds[self._phase] = self.seconds.get(self._phase, 0.0) + elapsed

    def finish(self) -> dict[str, float]:
        self._close()
        self._phase = None
        return {
            "transpile_seconds": self.seconds.get(JobPhase.TRANSPILING, 0.0),
            "execute_seconds": self.seconds.get(JobPhase.EXECUTING, 0.0),
            "post_process_seconds": self.seconds.get(JobPhase.POST_PROCESSING, 0.0),
        }


def run_job(
    spec: Mapping[str, Any],
    on_phase: PhaseCallback | None = None,
    limits: Limits | Mapping[str, Any] | None = None,
    cache: DeviceCache | None = None,
) -> dict[str, Any]:
    """Validate, transpile, simulate and format one job. Raises JobSpecError subclasses."""
    started = time.perf_counter()
    limits = Limits.coerce(limits)
    cache = cache or default_cache()
    job = prepare_job(spec, limits, cache.catalog)
    prepare_seconds = time.perf_counter() - started
    seeds = {
        "transpiler": DEFAULT_TRANSPILER_SEED if job.seed is None else job.seed,
        "simulator": secrets.randbelow(2**31) if job.seed is None else job.seed,
    }
    clock = _Clock()
    clock.enter(JobPhase.TRANSPILING, on_phase)
    runtime = cache.runtime(job.backend)
    estimator = job.primitive == "estimator"
    compiled = [
        compile_circuit(
            runtime,
            pub.circuit,
            level=job.optimization_level,
            seed=seeds["transpiler"],
            method=job.method,
            limits=limits,
            keep_all_virtual=estimator,
        )
        for pub in job.pubs
    ]
    clock.enter(JobPhase.EXECUTING, on_phase)
    results = [
        _execute(job, pub, comp, runtime, (seeds["simulator"] + i) % 2**32, limits)
        for i, (pub, comp) in enumerate(zip(job.pubs, compiled, strict=True))
    ]
    clock.enter(JobPhase.POST_PROCESSING, on_phase)
    pubs = [
        _format_pub(job, pub, comp, outcome)
        for pub, comp, outcome in zip(job.pubs, compiled, results, strict=True)
    ]
    methods = {p["method"] for p in pubs}
    timing = clock.finish()
    timing["prepare_seconds"] = prepare_seconds
    return {
        "pubs": pubs,
        "timing": timing,
        "seeds": seeds,
        "method": methods.pop() if len(methods) == 1 else "mixed",
        "backend": job.backend,
        "primitive": job.primitive,
        "shots": job.shots,
        "optimization_level": job.optimization_level,
    }


def _execute(job: PreparedJob, pub: Pub, compiled: Compiled, runtime, seed: int, limits: Limits):
    if job.primitive == "sampler":
        plan = None
        circuits = sampler_circuits(pub, compiled)
    else:
        plan = estimator_plan(pub, compiled, runtime, job.shots)
        circuits = plan.circuits
    small = compiled.runnable.num_qubits <= SMALL_SIMULATION_QUBITS
    options: dict[str, Any] = {
        "seed_simulator": seed,
        "method": compiled.method,
        "max_memory_mb": max(1, limits.memory_limit_bytes // _MIB),
        "max_parallel_threads": 1 if small else limits.max_simulator_threads,
    }
    if job.shots is not None:
        options["shots"] = job.shots
    result = compiled.simulator.run(circuits, **options).result()
    if not result.success:
        raise RuntimeError(f"simulation failed: {result.status}")
    return plan, result


def _format_pub(job: PreparedJob, pub: Pub, compiled: Compiled, outcome) -> dict[str, Any]:
    plan, result = outcome
    if job.primitive == "sampler":
        data = sampler_data(pub, result, job.shots)
    else:
        data = estimator_data(pub, plan, result, job.shots)
    method = result.results[0].metadata.get("method", compiled.method)
    return {
        "data": data,
        "transpiled": describe_transpiled(compiled),
        "method": method,
        "circuit_index": pub.circuit_index,
        "sub_index": pub.sub_index,
    }
