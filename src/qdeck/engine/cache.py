"""Per-process caches of everything expensive to build for a backend.

A worker process keeps one :class:`DeviceCache`. For each backend it holds the device object
and target, preset pass managers per (optimization level, seed), the full noise model, reduced
noise models and simulators per set of active qubits, and the measurement-basis rotations in
the device's native gates. ``warm()`` pre-builds the fixed part when a worker starts.

A worker runs one job at a time. Entry creation is guarded by locks so that a second thread
cannot corrupt the caches, but running two jobs concurrently in one process is not a goal.
"""

from __future__ import annotations

import functools
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from qiskit import QuantumCircuit, transpile
from qiskit.circuit import Instruction
from qiskit.circuit.controlflow import CONTROL_FLOW_OP_NAMES
from qiskit.circuit.library import HGate, SdgGate
from qiskit.transpiler import PassManager, generate_preset_pass_manager
from qiskit_aer import AerSimulator

from .devices import AER_SIMULATOR, IDEAL_BASIS, DeviceCatalog, default_catalog
from .methods import STABILIZER_BASIS
from .noise import ReducedNoiseModels, device_noise_model

# Used when a job gives no seed: a fixed transpiler seed keeps layouts stable between runs of
# the same circuit (users compare them) and lets the warm pass managers be reused.
DEFAULT_TRANSPILER_SEED = 20_240_611
_NON_GATES = ["measure", "reset", "delay", *CONTROL_FLOW_OP_NAMES]
# Rotations that map the X / Y eigenbasis onto Z before a computational-basis measurement.
_BASIS_CHANGE = {"X": (HGate(),), "Y": (SdgGate(), HGate())}

T = TypeVar("T")


class _Lru(Generic[T]):
    """Tiny bounded mapping; evicts the least recently used entry."""

    def __init__(self, maxsize: int) -> None:
        self._items: OrderedDict[Hashable, T] = OrderedDict()
        self._maxsize = maxsize

    def get(self, key: Hashable, factory: Callable[[], T]) -> T:
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        value = factory()
        self._items[key] = value
        if len(self._items) > self._maxsize:
            self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)


class IdealRuntime:
    """The noiseless ``aer_simulator``: no coupling map, so transpiling never adds a layout."""

    name = AER_SIMULATOR
    is_noisy = False

    def __init__(self) -> None:
        self._pass_managers: _Lru[PassManager] = _Lru(32)
        self._simulators: dict[str, AerSimulator] = {}

    def pass_manager(self, level: int, seed: int, method: str = "statevector") -> PassManager:
        """Pass manager targeting the gates ``method`` runs natively (they differ: e.g. MPS
        lacks ``crx``, stabilizer only has Clifford gates)."""
        return self._pass_managers.get(
            (level, seed, method),
            lambda: generate_preset_pass_manager(
                level, basis_gates=[*self._basis(method), *_NON_GATES], seed_transpiler=seed
            ),
        )

    @staticmethod
    def _basis(method: str) -> list[str]:
        if method == "stabilizer":
            return list(STABILIZER_BASIS)
        native = set(AerSimulator(method=method).configuration().basis_gates)
        return [gate for gate in IDEAL_BASIS if gate in native]

    def simulator(self, method: str) -> AerSimulator:
        if method not in self._simulators:
            self._simulators[method] = AerSimulator(method=method)
        return self._simulators[method]

    def basis_change(self, letter: str) -> Sequence[Instruction]:
        return _BASIS_CHANGE.get(letter, ())

    def warm(self) -> None:
        for level in range(4):
            self.pass_manager(level, DEFAULT_TRANSPILER_SEED)
            self.pass_manager(level, DEFAULT_TRANSPILER_SEED, "stabilizer")
        for method in ("statevector", "stabilizer"):
            self.simulator(method)


class FakeDeviceRuntime:
    """A fake IBM device: real coupling map, basis gates and calibrated noise."""

    is_noisy = True

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self.name: str = backend.name
        self._lock = threading.Lock()
        self._pass_managers: _Lru[PassManager] = _Lru(16)
        self._simulators: _Lru[AerSimulator] = _Lru(64)
        self._noise: ReducedNoiseModels | None = None
        self._basis_change: dict[str, tuple[Instruction, ...]] = {}

    @property
    def target(self):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return self.backend.target

    @property
    def num_qubits(self) -> int:
        return self.target.num_qubits

    def pass_manager(self, level: int, seed: int) -> PassManager:
        return self._pass_managers.get(
            (level, seed),
            lambda: generate_preset_pass_manager(level, target=self.target, seed_transpiler=seed),
        )

    def _noise_models(self) -> ReducedNoiseModels:
        with self._lock:
            if self._noise is None:
                full = device_noise_model(self.backend)
                self._noise = ReducedNoiseModels(self.backend, full)
            return self._noise

    def simulator_for(self, active: tuple[int, ...]) -> AerSimulator:
        """Simulator whose noise model covers exactly ``active`` (renumbered 0..k-1)."""
        return self._simulators.get(
            active, lambda: AerSimulator(noise_model=self._noise_models().build(active))
        )

    def basis_change(self, letter: str) -> Sequence[Instruction]:
        """X/Y measurement rotations in native gates, so they get the device's gate noise."""
        if letter not in _BASIS_CHANGE:
            return ()
        if letter not in self._basis_change:
            probe = QuantumCircuit(1)
            for gate in _BASIS_CHANGE[letter]:
                probe.append(gate, [0])
            basis = list(self.backend.configuration().basis_gates)
            native = transpile(probe, basis_gates=basis, optimization_level=1)
            self._basis_change[letter] = tuple(inst.operation for inst in native.data)
        return self._basis_change[letter]

    def warm(self) -> None:
        for level in range(4):
            self.pass_manager(level, DEFAULT_TRANSPILER_SEED)
        self._noise_models()
        for letter in _BASIS_CHANGE:
            self.basis_change(letter)


Runtime = IdealRuntime | FakeDeviceRuntime


class DeviceCache:
    """All per-process backend state; one instance per worker process."""

    def __init__(self, catalog: DeviceCatalog | None = None) -> None:
        self.catalog = catalog or default_catalog()
        self._lock = threading.Lock()
        self._runtimes: dict[str, Runtime] = {}

    def runtime(self, name: str) -> Runtime:
        with self._lock:
            if name not in self._runtimes:
                if name == AER_SIMULATOR:
                    self._runtimes[name] = IdealRuntime()
                else:
                    self._runtimes[name] = FakeDeviceRuntime(self.catalog.backend(name))
            return self._runtimes[name]

    def warm(self, backend_names: Iterable[str]) -> None:
        """Pre-build device objects, targets, pass managers and noise models."""
        for name in backend_names:
            self.runtime(name).warm()


@functools.cache
def default_cache() -> DeviceCache:
    return DeviceCache()


def warm(backend_names: Iterable[str], cache: DeviceCache | None = None) -> None:
    """Call once when a worker process starts, e.g. ``warm(["aer_simulator", "fake_kyiv"])``."""
    (cache or default_cache()).warm(backend_names)
