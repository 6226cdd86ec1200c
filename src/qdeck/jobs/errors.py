"""Job-specific errors and the translation of engine validation errors into API errors."""

from __future__ import annotations

from qdeck.engine import CircuitParseError, JobSpecError, MemoryLimitError
from qdeck.errors import InvalidInput, NotFound


class JobNotFound(NotFound):
    code = "job_not_found"

    def __init__(self) -> None:
        super().__init__("Job not found.")


def invalid_job(exc: JobSpecError) -> InvalidInput:
    """A 422 naming what is wrong, with line and column for a circuit that does not parse."""
    field = exc.field or "spec"
    error: dict[str, object] = {"field": field, "message": exc.message}
    if isinstance(exc, CircuitParseError):
        error.update(line=exc.line, column=exc.column)
    elif isinstance(exc, MemoryLimitError):
        error.update(required_bytes=exc.required_bytes, limit_bytes=exc.limit_bytes)
    return InvalidInput(str(exc), code=exc.code, errors=[error])
