"""The activity consumer: what happened to a job becomes an entry in its workspace's feed."""

from __future__ import annotations

import uuid

from qdeck.activity.service import record_activity
from qdeck.auth.models import User
from qdeck.events.bus import Event
from qdeck.events.registry import HandlerContext
from qdeck.jobs.event_types import JOB_STATUS_CHANGED, JOB_SUBMITTED
from qdeck.jobs.status import JobStatus
from qdeck.workspaces.models import Workspace

JOB_OUTCOMES = frozenset({JOB_SUBMITTED, JOB_STATUS_CHANGED})
_VERBS = {
    JobStatus.COMPLETED: "job.completed",
    JobStatus.FAILED: "job.failed",
    JobStatus.CANCELLED: "job.cancelled",
}


async def record_job_activity(ctx: HandlerContext, event: Event) -> None:
    if event.workspace_id is None or await ctx.session.get(Workspace, event.workspace_id) is None:
        return  # the workspace was deleted since: there is no feed to add to
    data = event.data
    if event.type == JOB_SUBMITTED:
        verb = "job.submitted"
        who = await _display_name(ctx, event.actor_id)
        summary = f"{who} submitted {data.get('name')} to {data.get('backend')}"
    else:
        status = JobStatus(data["status"])
        if status not in _VERBS:
            return
        verb = _VERBS[status]
        what = f"failed: {data.get('reason')}" if status == JobStatus.FAILED else status.value
        summary = f"{data.get('name')} {what}"
    await record_activity(
        ctx.session,
        event.workspace_id,
        verb,
        actor_id=event.actor_id,
        subject_type="job",
        subject_id=event.job_id,
        summary=summary,
        data={"event_id": event.id},
    )


async def _display_name(ctx: HandlerContext, user_id: uuid.UUID | None) -> str:
    user = await ctx.session.get(User, user_id) if user_id else None
    return user.display_name if user else "Someone"
