"""Value types for what clients send, the same in query parameters and request bodies.

``Instant`` is the one rule for datetimes (docs/api-conventions.md): an ISO 8601 date-time
with an offset is converted to UTC; one without an offset, or a bare date, means UTC; a
moment that falls outside years 1-9999 once converted is a 422 naming the parameter.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AllowInfNan, Strict


def to_utc(value: datetime) -> datetime:
    """An aware UTC datetime; naive means UTC. Raises ValueError (a 422) when converting
    pushes the moment out of Python's years 1-9999 (``0001-01-01T00:00:00+05:00``)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("is outside years 1-9999 once converted to UTC") from None


Instant = Annotated[datetime, AfterValidator(to_utc)]

# Numbers and switches in JSON bodies are taken only as JSON numbers and booleans:
# "10" and true are not a shot count. Query parameters keep FastAPI's plain int (they
# arrive as text); these are for InputModel fields.
StrictInteger = Annotated[int, Strict()]
StrictNumber = Annotated[float, Strict(), AllowInfNan(False)]
StrictSwitch = Annotated[bool, Strict()]
