"""``qdeck.qiskit.Sampler``: Qiskit's SamplerV2 interface, run by qdeck."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from qiskit.primitives import BaseSamplerV2
from qiskit.primitives.containers.sampler_pub import SamplerPub, SamplerPubLike

from qdeck.client import JobResult, QDeckClient
from qdeck.qiskit.convert import sampler_circuit, sampler_result
from qdeck.qiskit.job import QDeckPrimitive, QDeckPrimitiveJob


class Sampler(QDeckPrimitive, BaseSamplerV2):
    """Samples circuits on a qdeck backend; every run is a job in the dashboard.

    Results have the shape and types of Aer's or IBM's SamplerV2: one ``BitArray`` per
    classical register (``result[0].data.meas.get_counts()``), shaped like the pub's
    parameter values.

    Example::

        from qdeck.qiskit import Sampler
        sampler = Sampler(backend="fake_sherbrooke")  # URL/token: QDECK_URL or `qdeck login`
        counts = sampler.run([bell], shots=2000).result()[0].data.meas.get_counts()

    ``job_options`` are other ``POST /jobs`` fields: name, tags, notes, project_id,
    workspace_id, session_id, optimization_level, method, priority, timeout_seconds.
    """

    primitive = "sampler"

    def __init__(
        self,
        backend: Any = "aer_simulator",
        *,
        client: QDeckClient | None = None,
        default_shots: int = 1024,
        seed: int | None = None,
        **job_options: Any,
    ) -> None:
        super().__init__(backend, client=client, seed=seed, **job_options)
        self.default_shots = default_shots

    def run(self, pubs: Iterable[SamplerPubLike], *, shots: int | None = None) -> QDeckPrimitiveJob:
        coerced = [SamplerPub.coerce(pub, shots or self.default_shots) for pub in pubs]
        if not coerced:
            raise ValueError("run() needs at least one pub")
        groups: dict[int, list[int]] = {}
        for index, pub in enumerate(coerced):
            groups.setdefault(pub.shots, []).append(index)
        circuits = [sampler_circuit(pub) for pub in coerced]
        batches = self._submit(groups, circuits, "shots")

        def convert(index: int, entry: dict[str, Any], outcome: JobResult):
            # The simulator's seed makes the order of the shots reproducible too.
            seed = int(outcome.raw.get("seeds", {}).get("simulator", 0)) + index
            return sampler_result(coerced[index], entry, seed)

        return QDeckPrimitiveJob(batches, len(coerced), convert)
