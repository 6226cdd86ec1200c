"""Child processes that die with the server, even when it is killed with SIGKILL.

Every process qdeck starts through multiprocessing (the job workers, NiceGUI's
``run.cpu_bound`` pool) is a ``LifelineProcess``. Before it runs its target it

- watches its parent's sentinel, a pipe the parent holds open until it dies: when it
  closes the child exits. Nothing can be missed: a parent that died while the child was
  still starting has already closed it, so the child exits as soon as it looks;
- asks Linux for ``PR_SET_PDEATHSIG`` as well, which kills it at once, but only if the
  parent is alive when it asks and only while the thread that started it lives.

``PR_SET_PDEATHSIG`` alone left workers behind: it was set only after the worker had
imported Qiskit (seconds), so a server killed during that window left the worker
orphaned, and NiceGUI's pool processes never set it at all. The multiprocessing resource
tracker needs nothing: it exits once the last process holding its pipe is gone.

This module imports only the standard library, so a child reaches these checks quickly.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import multiprocessing
import multiprocessing.context
import os
import signal
import sys
import threading
from multiprocessing.connection import wait
from typing import Any

PR_SET_PDEATHSIG = 1


def watch_parent() -> None:
    """Exit this process as soon as its multiprocessing parent is gone."""
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL))
    sentinel = parent.sentinel

    def wait_for_parent() -> None:
        wait([sentinel])
        os._exit(0)  # no clean-up: the parent's state is gone and nothing here is durable

    threading.Thread(target=wait_for_parent, name="qdeck-lifeline", daemon=True).start()


class LifelineProcess(multiprocessing.context.SpawnProcess):
    """A spawned process that watches its parent before running its target."""

    def run(self) -> None:
        watch_parent()
        super().run()


class LifelineContext(multiprocessing.context.SpawnContext):
    Process = LifelineProcess  # type: ignore[assignment]


_CONTEXT = LifelineContext()


def spawn_context() -> LifelineContext:
    """A spawn context whose processes die with this one (for pools too)."""
    return _CONTEXT


def call(module: str, function: str, *args: Any) -> Any:
    """Import ``module`` in the child and call ``function``: a process target that does
    its heavy imports after ``watch_parent``, not while being unpickled before it."""
    return getattr(importlib.import_module(module), function)(*args)


def children_skip_main_module() -> None:
    """Spawned children normally re-import the parent's ``__main__`` before anything else.
    For ``qdeck serve`` that is the whole command line (Typer, the SDK, Qiskit): seconds
    in which a child cannot notice that its server died. qdeck's children need nothing
    from it (every target lives in a module), so the server stops advertising it."""
    main = sys.modules.get("__main__")
    if main is None:
        return
    with contextlib.suppress(AttributeError, TypeError):
        main.__spec__ = None
    with contextlib.suppress(AttributeError):
        del main.__file__
