"""The Jobs page's view as a URL: filters, sort and page size, so a link reproduces it."""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from urllib.parse import urlencode

from qdeck.jobs.filters import SORTS, JobFilter, build_job_filter
from qdeck.jobs.status import JobStatus

PAGE_SIZES = (25, 50, 100)


@dataclass(frozen=True)
class JobsQuery:
    statuses: tuple[str, ...] = ()
    backend: str = ""
    project: str = ""
    tag: str = ""
    text: str = ""
    since: str = ""  # YYYY-MM-DD, inclusive
    until: str = ""  # YYYY-MM-DD, inclusive
    sort: str = "created_at"
    descending: bool = True
    limit: int = 50
    problems: list[str] = field(default_factory=list, compare=False)

    @classmethod
    def from_params(cls, params: dict[str, str]) -> JobsQuery:
        """Read the URL's query; anything malformed is dropped (and reported), never fatal."""
        problems: list[str] = []
        statuses = tuple(
            s for s in params.get("status", "").split(",") if s in JobStatus.__members__.values()
        )
        sort = params.get("sort", "created_at")
        if sort not in SORTS:
            problems.append(f"unknown sort {sort!r}")
            sort = "created_at"
        limit = 50
        with contextlib.suppress(ValueError):
            limit = int(params.get("limit", "50"))
        if limit not in PAGE_SIZES:
            limit = 50
        dates = {}
        for key in ("since", "until"):
            value = params.get(key, "")
            try:
                dates[key] = date.fromisoformat(value).isoformat() if value else ""
            except ValueError:
                problems.append(f"{key} is not a date (YYYY-MM-DD)")
                dates[key] = ""
        project = params.get("project", "")
        if project and not _is_uuid(project):
            problems.append("unknown project")
            project = ""
        return cls(
            statuses=statuses,
            backend=params.get("backend", "")[:100],
            project=project,
            tag=params.get("tag", "")[:50],
            text=params.get("q", "")[:200],
            since=dates["since"],
            until=dates["until"],
            sort=sort,
            descending=params.get("order", "desc") != "asc",
            limit=limit,
            problems=problems,
        )

    def params(self) -> dict[str, str]:
        values = {
            "status": ",".join(self.statuses),
            "backend": self.backend,
            "project": self.project,
            "tag": self.tag,
            "q": self.text,
            "since": self.since,
            "until": self.until,
            "sort": "" if self.sort == "created_at" else self.sort,
            "order": "" if self.descending else "asc",
            "limit": "" if self.limit == 50 else str(self.limit),
        }
        return {k: v for k, v in values.items() if v}

    def url(self) -> str:
        query = urlencode(self.params())
        return f"/jobs?{query}" if query else "/jobs"

    def with_(self, **changes: object) -> JobsQuery:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def is_filtered(self) -> bool:
        return bool(
            self.statuses
            or self.backend
            or self.project
            or self.tag
            or self.text
            or self.since
            or self.until
        )

    def job_filter(self, workspace_id: uuid.UUID) -> JobFilter:
        """The same filter the API builds from its query parameters (jobs/filters.py)."""
        return build_job_filter(
            workspace_id=workspace_id,
            statuses=self.statuses,
            backend=self.backend,
            project_id=uuid.UUID(self.project) if self.project else None,
            tag=self.tag,
            q=self.text,
            created_after=_day(self.since),
            # "until" is inclusive: the list ends where the next day starts.
            created_before=_day(self.until, days=1),
        )


def _day(value: str, days: int = 0) -> date | None:
    return date.fromisoformat(value) + timedelta(days=days) if value else None


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
