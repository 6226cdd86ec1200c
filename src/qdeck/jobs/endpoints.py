"""/api/v1/jobs: submit, list, read, edit, cancel (one or many), retry, export."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response, status

from qdeck.api.deps import CurrentUser, PageDep, ServicesDep
from qdeck.api.names import Text
from qdeck.api.params import Instant
from qdeck.api.schemas import Page
from qdeck.errors import InvalidInput
from qdeck.jobs.export import job_json, jobs_csv, jobs_json, result_csv
from qdeck.jobs.filters import SORTS, JobFilter, build_job_filter
from qdeck.jobs.read_models import job_read
from qdeck.jobs.schemas import (
    BulkCancel,
    BulkCancelResult,
    JobCreate,
    JobDetail,
    JobEventRead,
    JobRead,
    JobUpdate,
)
from qdeck.jobs.service import JobService
from qdeck.jobs.status import JobStatus

router = APIRouter(tags=["jobs"])
EXPORT_LIMIT = 10_000


def _service(services: ServicesDep) -> JobService:
    return services.jobs


def _filter(
    workspace_id: uuid.UUID | None = None,
    status_: Annotated[list[JobStatus] | None, Query(alias="status")] = None,
    backend: Annotated[Text | None, Query(max_length=100)] = None,
    project_id: uuid.UUID | None = None,
    tag: Annotated[Text | None, Query(max_length=50)] = None,
    q: Annotated[
        Text | None,
        Query(max_length=200, description="words in name, notes or tags; prefixes match"),
    ] = None,
    created_after: Instant | None = None,
    created_before: Instant | None = None,
    submitted_by: uuid.UUID | None = None,
) -> JobFilter:
    return build_job_filter(
        workspace_id=workspace_id,
        statuses=status_,
        backend=backend,
        project_id=project_id,
        tag=tag,
        q=q,
        created_after=created_after,
        created_before=created_before,
        submitted_by=submitted_by,
    )


FilterDep = Annotated[JobFilter, Depends(_filter)]
ServiceDep = Annotated[JobService, Depends(_service)]


@router.post("/jobs", status_code=status.HTTP_201_CREATED, response_model=JobRead)
async def submit_job(
    body: JobCreate, user: CurrentUser, service: ServiceDep, response: Response
) -> JobRead:
    """Submit circuits as a sampler or estimator job. Validated before anything is stored:
    a circuit that does not parse, does not fit the backend or the memory limit is a 422."""
    job = await service.submit(user, body)
    response.headers["Location"] = f"/api/v1/jobs/{job.id}"
    return job_read(job)


@router.get("/jobs", response_model=Page[JobRead])
async def list_jobs(
    user: CurrentUser,
    service: ServiceDep,
    flt: FilterDep,
    page: PageDep,
    sort: Literal[SORTS] = "created_at",  # type: ignore[valid-type]
    order: Literal["asc", "desc"] = "desc",
) -> Page[JobRead]:
    jobs, cursor, positions = await service.list(
        user, flt, page, sort=sort, descending=order == "desc"
    )
    return Page(items=[job_read(j, positions.get(j.id)) for j in jobs], next_cursor=cursor)


@router.get("/jobs/export", response_class=Response)
async def export_jobs(
    user: CurrentUser,
    service: ServiceDep,
    flt: FilterDep,
    format: Literal["json", "csv"] = "csv",
) -> Response:
    """The filtered list (up to 10,000 jobs, newest first) as CSV or JSON with results."""
    jobs = await service.jobs.list_all(user.id, flt, EXPORT_LIMIT)
    if format == "json":
        return _download(jobs_json(jobs), "application/json", "qdeck-jobs.json")
    return _download(jobs_csv(jobs), "text/csv", "qdeck-jobs.csv")


@router.post("/jobs/cancel", response_model=BulkCancelResult)
async def cancel_jobs(body: BulkCancel, user: CurrentUser, service: ServiceDep) -> BulkCancelResult:
    """Cancel many jobs, by ids or by a filter. Jobs you may not cancel are skipped."""
    if (body.ids is None) == (body.filter is None):
        raise InvalidInput("Give either ids or filter.", code="ids_or_filter")
    if body.ids is not None:
        flt = build_job_filter(ids=body.ids)
    else:
        f = body.filter
        assert f is not None
        flt = build_job_filter(
            workspace_id=f.workspace_id,
            statuses=f.status or (JobStatus.QUEUED, JobStatus.RUNNING),
            backend=f.backend,
            project_id=f.project_id,
            tag=f.tag,
            q=f.q,
            created_after=f.created_after,
            created_before=f.created_before,
            submitted_by=f.submitted_by,
        )
    outcome = await service.cancel_many(user, flt)
    return BulkCancelResult(
        cancelled=outcome.cancelled, cancelling=outcome.cancelling, skipped=outcome.skipped
    )


@router.get("/jobs/{job_id}", response_model=JobDetail)
async def get_job(job_id: uuid.UUID, user: CurrentUser, service: ServiceDep) -> JobDetail:
    return await service.detail(user, job_id)


@router.patch("/jobs/{job_id}", response_model=JobRead)
async def update_job(
    job_id: uuid.UUID, body: JobUpdate, user: CurrentUser, service: ServiceDep
) -> JobRead:
    return job_read(await service.update(user, job_id, body))


@router.post("/jobs/{job_id}/cancel", response_model=JobRead)
async def cancel_job(job_id: uuid.UUID, user: CurrentUser, service: ServiceDep) -> JobRead:
    """A queued job is cancelled at once; a running one goes to ``cancelling`` until its
    computation has been stopped. A finished job answers 409."""
    return job_read(await service.cancel(user, job_id))


@router.post("/jobs/{job_id}/retry", status_code=status.HTTP_201_CREATED, response_model=JobRead)
async def retry_job(
    job_id: uuid.UUID, user: CurrentUser, service: ServiceDep, response: Response
) -> JobRead:
    """A new job with the same inputs, linked to this one (``retry_of_id``)."""
    job = await service.retry(user, job_id)
    response.headers["Location"] = f"/api/v1/jobs/{job.id}"
    return job_read(job)


@router.get("/jobs/{job_id}/events", response_model=list[JobEventRead])
async def job_events(
    job_id: uuid.UUID, user: CurrentUser, service: ServiceDep
) -> list[JobEventRead]:
    job = await service.get(user, job_id)
    return [JobEventRead.model_validate(e) for e in await service.events(job)]


@router.get("/jobs/{job_id}/export", response_class=Response)
async def export_job(
    job_id: uuid.UUID,
    user: CurrentUser,
    service: ServiceDep,
    format: Literal["json", "csv"] = "json",
) -> Response:
    """JSON: the job with its spec and full result. CSV: one row per outcome."""
    job = await service.get(user, job_id)
    if format == "json":
        return _download(job_json(job), "application/json", f"{job.id}.json")
    return _download(result_csv(job), "text/csv", f"{job.id}.csv")


def _download(body: str, media_type: str, filename: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
