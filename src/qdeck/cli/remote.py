"""What every client command shares: the connection, exit codes, and errors a person reads.

Exit codes (documented in ``qdeck --help``):
0 success · 1 the job failed or was cancelled · 2 usage error (a wrong argument, id or
circuit) · 3 the server cannot be reached or does not accept the credentials.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import NoReturn, ParamSpec, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.text import Text

from qdeck.client import (
    APIError,
    AuthenticationError,
    InvalidRequestError,
    JobError,
    QDeckClient,
    QDeckClientError,
    RateLimitedError,
    ServerError,
    ServerUnreachable,
)
from qdeck.client import config as client_config

OK, JOB_FAILED, USAGE, UNREACHABLE = 0, 1, 2, 3
EXIT_CODES_HELP = (
    "Exit codes: 0 success, 1 the job failed or was cancelled, 2 usage error, "
    "3 cannot reach the server or not authenticated."
)


def _console(stderr: bool = False) -> Console:
    # No markup: job names, tags and server messages are printed as they are ("[x]" too).
    console = Console(stderr=stderr, highlight=False, markup=False)
    if not console.is_terminal and not os.environ.get("COLUMNS"):
        # A pipe or a log has no width to respect: never squeeze a table's columns to nothing.
        console = Console(stderr=stderr, highlight=False, markup=False, width=160)
    return console


out = _console()
err = _console(stderr=True)
P = ParamSpec("P")
R = TypeVar("R")


def fail(code: int, message: str, hint: str = "") -> NoReturn:
    err.print(Text("error: ", style="bold red") + Text(message), soft_wrap=True)
    if hint:
        err.print(hint, style="dim", soft_wrap=True)
    raise typer.Exit(code)


def connect(**options: object) -> QDeckClient:
    """A client for the configured server, or exit 3 saying how to configure one."""
    found = client_config.load()
    if not found.url:
        fail(
            UNREACHABLE,
            "not logged in to any qdeck server",
            "Run `qdeck login URL` (or set QDECK_URL and QDECK_TOKEN).",
        )
    if not found.token:
        fail(
            UNREACHABLE,
            f"no API token for {found.url}",
            "Run `qdeck login URL`, or set QDECK_TOKEN to a token from the dashboard.",
        )
    # Two retries: a person at a terminal wants to hear quickly that the server is down.
    return QDeckClient(found.url, found.token, **{"retries": 2, **options})  # type: ignore[arg-type]


def _api_failure(exc: APIError) -> NoReturn:
    if isinstance(exc, AuthenticationError):
        fail(
            UNREACHABLE,
            f"the server refused the credentials: {exc.message}",
            "The token may be expired or revoked: run `qdeck login URL` again.",
        )
    if isinstance(exc, ServerError):
        request = f" (request id {exc.request_id})" if exc.request_id else ""
        fail(UNREACHABLE, f"the server failed: {exc.message}{request}", "Try again later.")
    if isinstance(exc, RateLimitedError):
        fail(USAGE, exc.message, f"Wait {exc.retry_after or 60:g} s before trying again.")
    details = ""
    if isinstance(exc, InvalidRequestError) and exc.errors:
        details = "\n".join(
            f"  {e.get('field') or '-'}: {e.get('message')}"
            + (f" (line {e['line']}, column {e.get('column') or '?'})" if e.get("line") else "")
            for e in exc.errors
        )
    fail(USAGE, f"{exc.message} [{exc.code}]", details)


def friendly(command: Callable[P, R]) -> Callable[P, R]:
    """Turn the SDK's exceptions into a message that says what to do, and the exit code."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except JobError as exc:
            fail(JOB_FAILED, str(exc))
        except ServerUnreachable as exc:
            fail(UNREACHABLE, str(exc), "`qdeck whoami` checks the connection.")
        except APIError as exc:
            _api_failure(exc)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'value'}: {e['msg']}" for e in exc.errors()
            )
            fail(USAGE, f"invalid input: {problems}")
        except QDeckClientError as exc:
            fail(USAGE, str(exc))

    return run
