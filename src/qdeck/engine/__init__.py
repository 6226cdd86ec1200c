"""qdeck execution engine: pure, framework-free simulation core run inside worker processes.

Everything crossing the process boundary (specs, results, limits, errors via ``to_dict``) is
plain JSON-able data. Typical worker usage::

    from qdeck.engine import run_job, warm

    warm(["aer_simulator", "fake_sherbrooke"])      # once, when the worker starts
    result = run_job(spec, on_phase=report_phase)   # per job
"""

from .cache import DEFAULT_TRANSPILER_SEED, DeviceCache, default_cache, warm
from .circuits import circuit_to_qasm, detect_format, parse_circuit_entry, parse_source
from .devices import (
    AER_SIMULATOR,
    DeviceCatalog,
    DeviceInfo,
    MedianErrors,
    default_catalog,
    device_info,
    fits,
    list_devices,
)
from .errors import CircuitParseError, EngineError, JobSpecError, MemoryLimitError
from .limits import Limits
from .methods import check_memory, is_clifford, required_bytes
from .simulate import run_job
from .spec import prepare_job, validate_spec

__all__ = [
    "AER_SIMULATOR",
    "DEFAULT_TRANSPILER_SEED",
    "CircuitParseError",
    "DeviceCache",
    "DeviceCatalog",
    "DeviceInfo",
    "EngineError",
    "JobSpecError",
    "Limits",
    "MedianErrors",
    "MemoryLimitError",
    "check_memory",
    "circuit_to_qasm",
    "default_cache",
    "default_catalog",
    "detect_format",
    "device_info",
    "fits",
    "is_clifford",
    "list_devices",
    "parse_circuit_entry",
    "parse_source",
    "prepare_job",
    "required_bytes",
    "run_job",
    "validate_spec",
    "warm",
]
