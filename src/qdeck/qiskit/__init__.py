"""Qiskit primitives that run on qdeck: swap the import, keep the code.

Example::

    from qdeck.qiskit import Sampler  # instead of: from qiskit_aer.primitives import SamplerV2

Absolute imports only in this package: ``import qiskit`` here must mean the real Qiskit.
"""

from qdeck.qiskit.estimator import Estimator
from qdeck.qiskit.job import QDeckPrimitiveJob
from qdeck.qiskit.sampler import Sampler

__all__ = ["Estimator", "QDeckPrimitiveJob", "Sampler"]
