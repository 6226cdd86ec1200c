"""Fast noisy simulation of fake devices: restrict the device noise model to active qubits.

Why this exists: ``SamplerV2(mode=FakeSherbrooke())`` spends seconds per job because Aer
serializes the full 127-qubit noise model (~650 errors, NoiseModel.to_dict + JSON round trip)
on every ``run``. A transpiled circuit only touches a handful of physical qubits, and a noise
model built from calibration data (``basic_device_gate_errors``) attaches errors only to the
gates and measurements that act on a qubit. Idle qubits therefore never influence the measured
distribution, and simulating just the active qubits with their own calibrated errors is
statistically identical to the full-device simulation (verified in the tests against
qiskit-ibm-runtime's local testing mode with a Hellinger-fidelity check).

Three things make the per-job cost a few milliseconds:

1. :class:`ReducedNoiseModels` remaps only the errors whose qubits are all active.
2. Each error is converted once to a single Kraus channel (the same CPTP map, so the same
   statistics), which Aer parses and applies far faster than the original mixture of circuits.
3. :class:`SerializedOnceNoiseModel` caches Aer's serialized form, since these models are never
   mutated after construction.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

from qiskit.circuit import Delay
from qiskit.quantum_info import Kraus
from qiskit_aer.noise import NoiseModel, QuantumError
from qiskit_aer.noise.passes import RelaxationNoisePass


class SerializedOnceNoiseModel(NoiseModel):
    """A NoiseModel that serializes itself for Aer only once.

    Aer calls ``to_dict(serializable=True)`` on every ``run``; the model must not be mutated
    after the first run (models built here never are).
    """

    def to_dict(self, serializable: bool = False) -> dict[str, Any]:
        if not serializable:
            return super().to_dict(serializable=False)
        cached = self.__dict__.get("_qdeck_serialized")
        if cached is None:
            cached = super().to_dict(serializable=True)
            self._qdeck_serialized = cached
        return cached


def device_noise_model(backend: Any) -> NoiseModel:
    """The exact noise model qiskit-ibm-runtime's local testing mode uses for ``backend``.

    ``FakeBackendV2.run`` (and hence ``SamplerV2(mode=fake)``) builds its model with this
    private helper; calling the same builder keeps our results comparable to that baseline.
    Falls back to Aer's public ``NoiseModel.from_backend`` if the helper disappears.
    """
    builder = getattr(backend, "_get_noise_model_from_backend_v2", None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if builder is not None:
            return builder()
        return NoiseModel.from_backend(backend)


class ReducedNoiseModels:
    """Builds noise models restricted (and renumbered) to a tuple of active physical qubits."""

    def __init__(self, backend: Any, full_model: NoiseModel) -> None:
        self._backend = backend
        self._full = full_model
        self._compact: dict[tuple[str, tuple[int, ...]], QuantumError] = {}

    def _compact_error(self, name: str, qubits: tuple[int, ...], error: QuantumError):
        key = (name, qubits)
        if key not in self._compact:
            # One Kraus channel is the same CPTP map as the original mixture, but Aer applies
            # it without sampling among dozens of sub-circuits.
            self._compact[key] = QuantumError(Kraus(error.to_quantumchannel()))
        return self._compact[key]

    def build(self, active: Sequence[int]) -> SerializedOnceNoiseModel:
        """Noise model on ``len(active)`` qubits; qubit ``i`` is physical ``active[i]``."""
        index = {physical: i for i, physical in enumerate(active)}
        full = self._full
        reduced = SerializedOnceNoiseModel(basis_gates=list(full.basis_gates))
        # NoiseModel exposes no public iteration over its per-qubit errors.
        for name, by_qubits in full._local_quantum_errors.items():
            for qubits, error in by_qubits.items():
                if all(q in index for q in qubits):
                    compact = self._compact_error(name, tuple(qubits), error)
                    reduced.add_quantum_error(compact, name, [index[q] for q in qubits])
        for name, error in full._default_quantum_errors.items():
            reduced.add_all_qubit_quantum_error(error, name)
        for qubits, error in full._local_readout_errors.items():
            if all(q in index for q in qubits):
                reduced.add_readout_error(error, [index[q] for q in qubits])
        if full._default_readout_error is not None:
            reduced.add_all_qubit_readout_error(full._default_readout_error)
        relaxation = self._delay_relaxation(active)
        if relaxation is not None:
            reduced._custom_noise_passes.append(relaxation)
        return reduced

    def _delay_relaxation(self, active: Sequence[int]) -> RelaxationNoisePass | None:
        """Thermal relaxation on ``delay`` instructions, as FakeBackendV2 adds it."""
        if not self._full._custom_noise_passes:
            return None
        try:
            props = self._backend.properties()
            t1s = [props.t1(q) for q in active]
            t2s = [props.t2(q) for q in active]
        except Exception:  # device snapshot without T1/T2: the full model has no such pass
            return None
        return RelaxationNoisePass(t1s=t1s, t2s=t2s, dt=self._backend.dt, op_types=Delay)
