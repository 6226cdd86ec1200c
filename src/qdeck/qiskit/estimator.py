"""``qdeck.qiskit.Estimator``: Qiskit's EstimatorV2 interface, run by qdeck."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from qiskit.primitives import BaseEstimatorV2
from qiskit.primitives.containers.estimator_pub import EstimatorPub, EstimatorPubLike

from qdeck.client import JobResult, QDeckClient
from qdeck.qiskit.convert import estimator_circuit, estimator_result
from qdeck.qiskit.job import QDeckPrimitive, QDeckPrimitiveJob


class Estimator(QDeckPrimitive, BaseEstimatorV2):
    """Expectation values on a qdeck backend; every run is a job in the dashboard.

    ``result[i].data.evs`` and ``.stds`` have the pub's broadcast shape, as with Aer's or
    IBM's EstimatorV2. Precision: none (the default) means exact values on the ideal
    ``aer_simulator`` and 4096 shots on a fake device (IBM's default precision, 1/64);
    a precision ``p`` runs ``ceil(1/p²)`` shots.

    Example::

        from qdeck.qiskit import Estimator
        estimator = Estimator(backend="fake_sherbrooke")
        evs = estimator.run([(circuit, SparsePauliOp("ZZ"))]).result()[0].data.evs
    """

    primitive = "estimator"

    def __init__(
        self,
        backend: Any = "aer_simulator",
        *,
        client: QDeckClient | None = None,
        default_precision: float | None = None,
        seed: int | None = None,
        **job_options: Any,
    ) -> None:
        super().__init__(backend, client=client, seed=seed, **job_options)
        self.default_precision = default_precision

    def run(
        self, pubs: Iterable[EstimatorPubLike], *, precision: float | None = None
    ) -> QDeckPrimitiveJob:
        chosen = precision if precision is not None else self.default_precision
        coerced = [EstimatorPub.coerce(pub, chosen) for pub in pubs]
        if not coerced:
            raise ValueError("run() needs at least one pub")
        groups: dict[float | None, list[int]] = {}
        for index, pub in enumerate(coerced):
            # Precision 0 asks for exact values, which is what "no precision" gives.
            groups.setdefault(pub.precision or None, []).append(index)
        circuits = [estimator_circuit(pub) for pub in coerced]
        batches = self._submit(groups, circuits, "precision")

        def convert(index: int, entry: dict[str, Any], outcome: JobResult):
            return estimator_result(coerced[index], entry)

        return QDeckPrimitiveJob(batches, len(coerced), convert)
