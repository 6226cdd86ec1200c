"""Exceptions raised by the execution engine.

All of them carry plain data only and pickle cleanly, because they are raised inside worker
processes and travel back through multiprocessing pipes (or Ray) to the API, which turns them
into 422 responses via :meth:`EngineError.to_dict`.
"""

from __future__ import annotations

from typing import Any


class EngineError(Exception):
    """Base class for every error the engine raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict[str, Any]:
        """JSON-able description for API responses and job records."""
        return {"type": type(self).__name__, "message": self.message}

    def __reduce__(self):
        # Keyword-only attributes are lost by the default Exception pickling, which only replays
        # ``args``; rebuild from the full attribute dict instead.
        return (_rebuild, (type(self), self.__dict__))


def _rebuild(cls: type[EngineError], state: dict[str, Any]) -> EngineError:
    error = cls.__new__(cls)
    Exception.__init__(error, state.get("message", ""))
    error.__dict__.update(state)
    return error


class JobSpecError(EngineError):
    """The job spec is invalid; ``field`` names the offending spec entry (e.g. ``shots``)."""

    def __init__(
        self, message: str, *, field: str | None = None, code: str = "invalid_job"
    ) -> None:
        super().__init__(message)
        self.field = field
        # Stable machine-readable reason, used as the API problem's code.
        self.code = code

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "field": self.field, "code": self.code}


class CircuitParseError(JobSpecError):
    """A circuit source could not be read.

    ``line`` and ``column`` are 1-based and point at the offending token whenever the parser
    reports a position; ``circuit_index`` is the index into the spec's ``circuits`` list.
    """

    def __init__(
        self,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        circuit_index: int | None = None,
    ) -> None:
        field = None if circuit_index is None else f"circuits[{circuit_index}].source"
        super().__init__(message, field=field, code="circuit_parse_error")
        self.line = line
        self.column = column
        self.circuit_index = circuit_index

    def __str__(self) -> str:
        where = []
        if self.circuit_index is not None:
            where.append(f"circuit {self.circuit_index}")
        if self.line is not None:
            where.append(f"line {self.line}" + (f", column {self.column}" if self.column else ""))
        return f"{', '.join(where)}: {self.message}" if where else self.message

    def to_dict(self) -> dict[str, Any]:
        return {
            **super().to_dict(),
            "line": self.line,
            "column": self.column,
            "circuit_index": self.circuit_index,
        }

    def with_index(self, circuit_index: int) -> CircuitParseError:
        """Copy of this error attributed to a spec circuit entry."""
        return CircuitParseError(
            self.message, line=self.line, column=self.column, circuit_index=circuit_index
        )


class MemoryLimitError(JobSpecError):
    """The chosen simulation method would need more memory than the configured limit."""

    def __init__(
        self, message: str, *, required_bytes: int, limit_bytes: int, field: str = "method"
    ) -> None:
        super().__init__(message, field=field, code="too_large_for_memory")
        self.required_bytes = required_bytes
        self.limit_bytes = limit_bytes

    def to_dict(self) -> dict[str, Any]:
        return {
            **super().to_dict(),
            "required_bytes": self.required_bytes,
            "limit_bytes": self.limit_bytes,
        }
