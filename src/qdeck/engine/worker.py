"""The simulation worker process: warm caches once, then run one job at a time.

Messages on the pipe, from the parent: ("run", job_id, attempt, spec, limits) and ("stop",).
To the parent: ("ready", pid), ("phase", job_id, attempt, phase),
("result", job_id, attempt, result), ("error", job_id, attempt, error_dict).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import traceback
from multiprocessing.connection import Connection
from typing import Any

from qdeck.jobs.status import JobPhase

PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """If the server is killed (even with SIGKILL), its workers go with it (Linux)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def worker_main(conn: Connection, warm_backends: list[str]) -> None:
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which stops us
    from qdeck.engine import warm

    try:
        warm(warm_backends)
    except Exception:  # a backend that cannot warm up is reported when a job uses it
        traceback.print_exc()
    conn.send(("ready", os.getpid()))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message[0] == "stop":
            return
        _, job_id, attempt, spec, limits = message
        conn.send(run_one(conn, job_id, attempt, spec, limits))


def run_one(
    conn: Connection, job_id: str, attempt: int, spec: dict[str, Any], limits: dict[str, int]
) -> tuple[Any, ...]:
    from qdeck.engine import EngineError, run_job

    current = {"phase": JobPhase.TRANSPILING}

    def on_phase(phase: str) -> None:
        current["phase"] = phase
        conn.send(("phase", job_id, attempt, phase))

    try:
        result = run_job(spec, on_phase=on_phase, limits=limits or None)
    except EngineError as exc:
        error = {"code": "invalid_job", **exc.to_dict(), "phase": current["phase"]}
        return ("error", job_id, attempt, {**error, "transient": False})
    except MemoryError:
        message = "the simulation ran out of memory; use fewer qubits or another method"
        error = {"code": "out_of_memory", "message": message, "phase": current["phase"]}
        return ("error", job_id, attempt, {**error, "transient": False})
    except Exception as exc:
        error = {
            "code": "simulation_error",
            "message": f"{type(exc).__name__}: {exc}",
            "phase": current["phase"],
            "transient": False,
        }
        return ("error", job_id, attempt, error)
    return ("result", job_id, attempt, result)
