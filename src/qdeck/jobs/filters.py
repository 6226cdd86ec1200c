"""What a job list is narrowed to, built in one place for the API, the UI and bulk actions."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from qdeck.jobs.status import JobStatus

# The sorts the jobs list offers; each has an index in its keyset order (jobs/models.py).
SORTS = ("created_at", "name", "backend", "status", "priority")
# A search is at most this many words; more would only slow the query down.
MAX_SEARCH_WORDS = 12
# Words as both full-text indexes cut text: runs of letters and digits (no underscore).
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class JobFilter:
    """What a job list is narrowed to; every field optional."""

    workspace_id: uuid.UUID | None = None
    statuses: Sequence[JobStatus] = ()
    backend: str | None = None
    project_id: uuid.UUID | None = None
    tag: str | None = None
    # Words to find in name, notes or tags; each word also matches as a prefix.
    text: str | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    submitted_by: uuid.UUID | None = None
    ids: Sequence[uuid.UUID] = ()


def build_job_filter(
    *,
    workspace_id: uuid.UUID | None = None,
    statuses: Iterable[JobStatus | str] | None = None,
    backend: str | None = None,
    project_id: uuid.UUID | None = None,
    tag: str | None = None,
    q: str | None = None,
    created_after: datetime | date | None = None,
    created_before: datetime | date | None = None,
    submitted_by: uuid.UUID | None = None,
    ids: Iterable[uuid.UUID] = (),
) -> JobFilter:
    """A JobFilter from request or URL values: blank text means "no filter", a date
    means midnight UTC at the start of that day, and statuses are checked names."""
    return JobFilter(
        workspace_id=workspace_id,
        statuses=tuple(dict.fromkeys(JobStatus(s) for s in statuses or ())),
        backend=_present(backend),
        project_id=project_id,
        tag=_present(tag),
        text=_present(q),
        created_after=_moment(created_after),
        created_before=_moment(created_before),
        submitted_by=submitted_by,
        ids=tuple(ids),
    )


def search_words(text: str) -> list[str]:
    """The words of a search as the text indexes see them; punctuation and query syntax
    (quotes, ``*``, ``:``, ``&``) only separate words, so no input is a syntax error."""
    return [w.lower() for w in _WORD.findall(text)][:MAX_SEARCH_WORDS]


def _present(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _moment(value: datetime | date | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day, tzinfo=UTC)
