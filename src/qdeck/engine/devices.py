"""The backend catalog: the ideal ``aer_simulator`` plus every IBM fake device.

Listing is cheap: instantiating all ~68 fake backends only reads their configuration JSON
(~0.1 s in total, after ~1 s to import qiskit-ibm-runtime). Calibration data (properties JSON,
~50 ms per device) is loaded only when median errors or a calibration table are asked for,
and cached per process.
"""

from __future__ import annotations

import dataclasses
import functools
import statistics
import threading
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from qiskit import QuantumCircuit

from .errors import JobSpecError
from .limits import Limits
from .methods import format_bytes, max_qubits_for, non_clifford_reason, required_bytes

AER_SIMULATOR = "aer_simulator"
# Gates the ideal simulator accepts natively; the transpiler rewrites anything else into them.
IDEAL_BASIS = (
    "ccx", "ccz", "cp", "crx", "cry", "crz", "cswap", "csx", "cu", "cu1", "cu3", "cx", "cy",
    "cz", "ecr", "h", "id", "p", "r", "rx", "rxx", "ry", "ryy", "rz", "rzx", "rzz", "s", "sdg",
    "swap", "sx", "sxdg", "t", "tdg", "u", "u1", "u2", "u3", "x", "y", "z",
)  # fmt: skip
_VIRTUAL_1Q = {"id", "rz", "u1", "reset", "delay", "measure"}


@dataclass(frozen=True)
class MedianErrors:
    readout_error: float | None
    single_qubit_gate_error: float | None
    two_qubit_gate_error: float | None
    t1_us: float | None
    t2_us: float | None


@dataclass(frozen=True)
class DeviceInfo:
    """What the dashboard shows about a backend. ``median_errors`` is None for the ideal
    simulator and in cheap listings (``list_devices(with_errors=False)``)."""

    name: str
    provider: str  # "aer" | "ibm_fake"
    kind: str  # "simulator" | "fake_device"
    num_qubits: int
    basis_gates: list[str]
    coupling_map: list[list[int]] | None
    description: str = ""
    median_errors: MedianErrors | None = None
    max_qubits_by_method: dict[str, int] = field(default_factory=dict)
    notes: str = ""

    def calibration(self) -> dict[str, list[dict[str, Any]]]:
        """Per-qubit and per-gate calibration rows (empty for the ideal simulator)."""
        return default_catalog().calibration(self.name)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _median(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


class DeviceCatalog:
    """Per-process registry of backend objects and derived device descriptions."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._backends: dict[str, Any] | None = None
        self._errors: dict[str, MedianErrors] = {}

    def _fake_backends(self) -> dict[str, Any]:
        with self._lock:
            if self._backends is None:
                from qiskit_ibm_runtime.fake_provider import FakeProviderForBackendV2

                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # e.g. fake_nighthawk warns on creation
                    backends = FakeProviderForBackendV2().backends()
                self._backends = {b.name: b for b in sorted(backends, key=lambda b: b.name)}
            return self._backends

    def names(self) -> list[str]:
        return [AER_SIMULATOR, *self._fake_backends()]

    def has(self, name: str) -> bool:
        return name == AER_SIMULATOR or name in self._fake_backends()

    def backend(self, name: str) -> Any:
        """The shared fake backend instance (its target and properties are cached on it)."""
        try:
            return self._fake_backends()[name]
        except KeyError:
            raise JobSpecError(
                f"unknown backend {name!r}; use aer_simulator or one of the fake_* devices",
                field="backend",
                code="unknown_backend",
            ) from None

    def info(
        self, name: str, *, with_errors: bool = True, limits: Limits | None = None
    ) -> DeviceInfo:
        if name == AER_SIMULATOR:
            return _aer_info(limits or Limits())
        config = self.backend(name).configuration()
        return DeviceInfo(
            name=name,
            provider="ibm_fake",
            kind="fake_device",
            num_qubits=int(config.n_qubits),
            basis_gates=list(config.basis_gates),
            coupling_map=[list(edge) for edge in (config.coupling_map or [])],
            description=str(getattr(config, "description", "") or ""),
            median_errors=self.median_errors(name) if with_errors else None,
            notes="noisy simulation with this device's calibration snapshot",
        )

    def devices(
        self, *, with_errors: bool = False, limits: Limits | None = None
    ) -> list[DeviceInfo]:
        return [self.info(n, with_errors=with_errors, limits=limits) for n in self.names()]

    def median_errors(self, name: str) -> MedianErrors:
        if name not in self._errors:
            rows = self.calibration(name)
            qubits, gates = rows["qubits"], rows["gates"]
            one_q = [
                g["error"] for g in gates if len(g["qubits"]) == 1 and g["gate"] not in _VIRTUAL_1Q
            ]
            two_q = [g["error"] for g in gates if len(g["qubits"]) == 2]
            self._errors[name] = MedianErrors(
                readout_error=_median(q["readout_error"] for q in qubits),
                single_qubit_gate_error=_median(one_q),
                two_qubit_gate_error=_median(two_q),
                t1_us=_median(q["t1_us"] for q in qubits),
                t2_us=_median(q["t2_us"] for q in qubits),
            )
        return self._errors[name]

    def calibration(self, name: str) -> dict[str, list[dict[str, Any]]]:
        """Rows for a CSV table: ``qubits`` (T1/T2 in µs, readout) and ``gates`` (error, ns)."""
        if name == AER_SIMULATOR:
            return {"qubits": [], "gates": []}
        props = self.backend(name).properties()
        qubits = [_qubit_row(props, q) for q in range(len(props.qubits))]
        gates = [_gate_row(gate) for gate in props.gates]
        return {"qubits": qubits, "gates": gates}


def _scaled(value: float | None, factor: float) -> float | None:
    return None if value is None else value * factor


def _qubit_row(props: Any, qubit: int) -> dict[str, Any]:
    values = {nduv.name: nduv.value for nduv in props.qubits[qubit]}
    units = {nduv.name: nduv.unit for nduv in props.qubits[qubit]}

    def in_us(key: str) -> float | None:
        # Snapshots spell microseconds "us" or "µs"; the stored value is already in µs then.
        value = values.get(key)
        unit = units.get(key, "us")
        return (
            _scaled(value, 1e6) if unit == "s" else _scaled(value, 1e-3) if unit == "ns" else value
        )

    return {
        "qubit": qubit,
        "t1_us": in_us("T1"),
        "t2_us": in_us("T2"),
        "frequency_ghz": values.get("frequency"),
        "readout_error": values.get("readout_error"),
        "prob_meas0_prep1": values.get("prob_meas0_prep1"),
        "prob_meas1_prep0": values.get("prob_meas1_prep0"),
        "readout_length_ns": values.get("readout_length"),
    }


def _gate_row(gate: Any) -> dict[str, Any]:
    params = {p.name: p for p in gate.parameters}
    length = params.get("gate_length")
    length_ns = None
    if length is not None:
        length_ns = length.value * {"s": 1e9, "us": 1e3, "µs": 1e3}.get(length.unit, 1.0)
    error = params.get("gate_error")
    return {
        "gate": gate.gate,
        "qubits": list(gate.qubits),
        "error": None if error is None else error.value,
        "length_ns": length_ns,
    }


def _aer_info(limits: Limits) -> DeviceInfo:
    statevector_max = max_qubits_for("statevector", limits.memory_limit_bytes)
    memory = format_bytes(limits.memory_limit_bytes)
    return DeviceInfo(
        name=AER_SIMULATOR,
        provider="aer",
        kind="simulator",
        num_qubits=statevector_max,
        basis_gates=list(IDEAL_BASIS),
        coupling_map=None,
        description="Ideal (noiseless) Qiskit Aer simulator",
        max_qubits_by_method={
            "statevector": statevector_max,
            "density_matrix": max_qubits_for("density_matrix", limits.memory_limit_bytes),
            "stabilizer": limits.max_qubits,
            "matrix_product_state": limits.max_mps_qubits,
        },
        notes=(
            f"num_qubits is the statevector maximum within {memory}; Clifford-only circuits "
            "use the stabilizer method at any width and matrix_product_state (on request) "
            "handles wide, weakly entangled circuits"
        ),
    )


@functools.cache
def default_catalog() -> DeviceCatalog:
    """The process-wide catalog (one per worker process)."""
    return DeviceCatalog()


def list_devices(*, with_errors: bool = False, limits: Limits | None = None) -> list[DeviceInfo]:
    return default_catalog().devices(with_errors=with_errors, limits=limits)


def device_info(name: str, limits: Limits | None = None) -> DeviceInfo:
    return default_catalog().info(name, with_errors=True, limits=limits)


def fits(
    device: DeviceInfo | str,
    circuit: QuantumCircuit,
    method: str = "automatic",
    limits: Limits | None = None,
) -> tuple[bool, str]:
    """Whether ``circuit`` can run on ``device`` with ``method``, and why not."""
    limits = limits or Limits()
    info = device if isinstance(device, DeviceInfo) else device_info(device, limits)
    width = circuit.num_qubits
    if info.kind == "fake_device":
        if width > info.num_qubits:
            return False, f"circuit needs {width} qubits but {info.name} has {info.num_qubits}"
        return True, f"fits on {info.name} ({width} of {info.num_qubits} qubits)"
    return _fits_ideal(width, circuit, method, limits)


def _fits_ideal(
    width: int, circuit: QuantumCircuit, method: str, limits: Limits
) -> tuple[bool, str]:
    if method == "matrix_product_state":
        ok = width <= limits.max_mps_qubits
        return ok, f"matrix_product_state allows up to {limits.max_mps_qubits} qubits"
    reason = non_clifford_reason(circuit)
    if method in ("automatic", "stabilizer") and reason is None:
        return True, "Clifford-only circuit: runs with the stabilizer method"
    if method == "stabilizer":
        return False, f"stabilizer needs a Clifford-only circuit ({reason})"
    dense = "density_matrix" if method == "density_matrix" else "statevector"
    needed = required_bytes(width, dense)
    if needed > limits.memory_limit_bytes:
        return False, (
            f"{dense} for {width} qubits needs {format_bytes(needed)}, above the "
            f"{format_bytes(limits.memory_limit_bytes)} limit ({reason})"
        )
    return True, f"{dense} needs {format_bytes(needed)}"
