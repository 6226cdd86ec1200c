"""IBM Quantum devices as the dashboard shows them.

Each device is :meth:`qdeck.engine.devices.DeviceInfo.to_dict` (provider ``ibm_quantum``,
kind ``hardware``) plus ``status`` (``operational`` / ``paused`` / ``offline`` /
``unknown``), ``status_message`` (IBM's own word) and ``pending_jobs`` (queue length).

Median errors come from the backend's ``Target``: building an ``IBMBackend``'s target
already fetched its calibration, so no extra request is made, and for the fake devices the
numbers equal :meth:`qdeck.engine.devices.DeviceCatalog.median_errors` (tested).

Nothing here raises to the caller: a failed listing returns ``{"devices": [], "error":
{...}}`` with the mapped error, and a device whose status or calibration cannot be read is
still listed, with ``status: "unknown"`` or ``median_errors: None``.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from typing import Any

import structlog

from qdeck.engine.devices import DeviceInfo, MedianErrors

from .connection import IbmCredentials, ServiceCache, default_services, resolve_backend
from .errors import describe_ibm_error

log = structlog.get_logger("qdeck.ibm")

PROVIDER = "ibm_quantum"
KIND = "hardware"
LOCAL_NOTE = (
    "local testing mode: a fake device simulated with a calibration snapshot of the real one, "
    "not real hardware"
)
# Virtual or non-gate instructions whose zero "error" would drag the 1q median down.
_NOT_PHYSICAL_1Q = {"id", "rz", "delay", "reset", "measure"}
# status_msg values for which IBM holds jobs instead of running them; the runtime docs note
# that "operational but internal" means "accepting jobs but not processing them".
_HOLDING_MESSAGES = {"paused", "internal", "maintenance", "reserved", "calibrating"}


def list_ibm_devices(
    credentials: IbmCredentials,
    *,
    services: ServiceCache | None = None,
    names: Sequence[str] | None = None,
    with_errors: bool = True,
) -> dict[str, Any]:
    """``{"devices": [...], "error": None}`` or ``{"devices": [], "error": {...}}``.

    Blocking (network); call it from a thread. ``names`` limits the listing (local mode
    has ~60 fakes, and building every large device's target takes a while).
    """
    services = services if services is not None else default_services()
    try:
        service = services.get(credentials)
        if names is None:
            backends = list(service.backends())
        else:
            backends = [resolve_backend(service, credentials, n) for n in names]
    except Exception as exc:
        error = describe_ibm_error(exc, secrets=credentials.secrets())
        if error["code"] == "ibm_auth_failed":
            services.forget(credentials)
        log.warning("ibm_device_listing_failed", channel=credentials.channel, code=error["code"])
        return {"devices": [], "error": error}
    devices = [
        describe_backend(b, local=credentials.is_local, with_errors=with_errors)
        for b in backends
        if not _is_simulator(b)
    ]
    return {"devices": sorted(devices, key=lambda d: d["name"]), "error": None}


def describe_backend(backend: Any, *, local: bool = False, with_errors: bool = True) -> dict:
    config = _configuration(backend)
    info = DeviceInfo(
        name=str(backend.name),
        provider=PROVIDER,
        kind=KIND,
        num_qubits=int(backend.num_qubits),
        basis_gates=_basis_gates(backend, config),
        coupling_map=_coupling_map(backend, config),
        description=str(getattr(config, "description", "") or ""),
        median_errors=_median_errors_or_none(backend) if with_errors else None,
        notes=LOCAL_NOTE if local else "",
    )
    return {**info.to_dict(), **backend_status(backend)}


def backend_status(backend: Any) -> dict[str, Any]:
    try:
        status = backend.status()
    except Exception as exc:
        message = describe_ibm_error(exc)["message"]
        return {"status": "unknown", "status_message": message, "pending_jobs": None}
    message = str(getattr(status, "status_msg", "") or "")
    return {
        "status": classify_status(bool(status.operational), message),
        "status_message": message,
        "pending_jobs": int(getattr(status, "pending_jobs", 0) or 0),
    }


def classify_status(operational: bool, message: str) -> str:
    if message.strip().lower() in _HOLDING_MESSAGES:
        return "paused"
    return "operational" if operational else "offline"


def median_errors_from_target(target: Any) -> MedianErrors:
    one_qubit: list[float] = []
    two_qubit: list[float] = []
    readout: list[float] = []
    for name in target.operation_names:
        for qargs, props in (target[name] or {}).items():
            error = getattr(props, "error", None)
            if qargs is None or error is None:
                continue
            if name == "measure":
                readout.append(error)
            elif len(qargs) == 1 and name not in _NOT_PHYSICAL_1Q:
                one_qubit.append(error)
            elif len(qargs) == 2:
                two_qubit.append(error)
    qubits = [q for q in (target.qubit_properties or []) if q is not None]
    return MedianErrors(
        readout_error=_median(readout),
        single_qubit_gate_error=_median(one_qubit),
        two_qubit_gate_error=_median(two_qubit),
        t1_us=_median_us(q.t1 for q in qubits),
        t2_us=_median_us(q.t2 for q in qubits),
    )


def _median_errors_or_none(backend: Any) -> MedianErrors | None:
    try:
        return median_errors_from_target(backend.target)
    except Exception as exc:  # calibration unavailable: still list the device
        log.info("ibm_calibration_unavailable", backend=str(backend.name), error=type(exc).__name__)
        return None


def _median(values: Iterable[float | None]) -> float | None:
    present = [float(v) for v in values if v is not None]
    return statistics.median(present) if present else None


def _median_us(seconds: Iterable[float | None]) -> float | None:
    value = _median(seconds)
    return None if value is None else value * 1e6


def _configuration(backend: Any) -> Any:
    try:
        return backend.configuration()
    except Exception:  # BackendV2 without the IBM-specific configuration()
        return None


def _basis_gates(backend: Any, config: Any) -> list[str]:
    gates = getattr(config, "basis_gates", None)
    if gates:
        return list(gates)
    return sorted(backend.target.operation_names)


def _coupling_map(backend: Any, config: Any) -> list[list[int]] | None:
    edges = getattr(config, "coupling_map", None)
    if edges:
        return [list(edge) for edge in edges]
    coupling = backend.coupling_map
    return None if coupling is None else [list(edge) for edge in coupling.get_edges()]


def _is_simulator(backend: Any) -> bool:
    config = _configuration(backend)
    return bool(getattr(config, "simulator", False))
