"""Outbox consumers that turn other domains' events into notifications: a job's owner
hears how it ended (bursts folded into one), admins hear of quota use, people hear of
invitations, role changes and removals. Each handler runs in its consumer's unit of
work, so a notification commits together with the consumer's position."""

from __future__ import annotations

import uuid
from collections import Counter

from sqlalchemy import select

from qdeck.auth.models import User
from qdeck.events.access import ACCESS_CHANGED, AccessChange
from qdeck.events.bus import Event
from qdeck.events.registry import HandlerContext
from qdeck.jobs.event_types import JOB_STATUS_CHANGED, JOB_SUBMITTED
from qdeck.jobs.models import Job
from qdeck.jobs.status import JobStatus
from qdeck.notifications import quotas, reasons
from qdeck.notifications.models import Notification, Severity
from qdeck.notifications.service import notify, notify_many
from qdeck.workspaces.changes import INVITATION_RECEIVED
from qdeck.workspaces.models import Invitation, Membership, Workspace

JOB_EVENTS = frozenset({JOB_STATUS_CHANGED, JOB_SUBMITTED})
TEAM_EVENTS = frozenset({INVITATION_RECEIVED, ACCESS_CHANGED})
_FINISHED = {JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED}
# A grouped notification links to at most this many of its jobs.
GROUP_LINKS = 50
_SEVERITY = {
    JobStatus.COMPLETED: Severity.INFO,
    JobStatus.CANCELLED: Severity.INFO,
    JobStatus.FAILED: Severity.ERROR,
}


async def on_job_event(ctx: HandlerContext, event: Event) -> None:
    if event.type == JOB_SUBMITTED:
        if event.workspace_id is not None:
            await quotas.check_usage(ctx.session, event.workspace_id, event.at, notify_many)
        return
    status = JobStatus(event.data["status"])
    if status not in _FINISHED or event.job_id is None:
        return
    job = await ctx.session.get(Job, event.job_id)
    if job is None or job.submitted_by is None:
        return
    owner = job.submitted_by
    if not await _is_member(ctx, owner, job.workspace_id):
        return
    if status == JobStatus.CANCELLED and await reasons.cancelled_by(ctx.session, job.id) == owner:
        return  # they cancelled it themselves: no news to them
    reason = str(event.data.get("reason") or "")
    scope = f"session:{job.quantum_session_id}" if job.quantum_session_id else "burst"
    await notify(
        ctx.session,
        user_id=owner,
        workspace_id=job.workspace_id,
        kind=f"job.{status.value}",
        title=f"{job.name} {status.value} on {job.backend}",
        body=await reasons.job_outcome(ctx.session, job, status, reason),
        link=f"/jobs/{job.id}",
        data={
            "jobs": [_entry(job, status)],
            "counts": {status.value: 1},
            "errors": {reasons.first_line(job.error_message): 1} if _failed(status) else {},
            "session_id": str(job.quantum_session_id) if job.quantum_session_id else None,
        },
        severity=_SEVERITY[status],
        dedupe_key=f"job:{job.id}:{status.value}",
        group_key=f"jobs:{job.workspace_id}:{scope}",
        group_window=ctx.settings.notification_group_window_seconds,
        merge=lambda row: _fold(row, job, status),
        source_event_id=event.id,
        now=event.at,
    )


def _failed(status: JobStatus) -> bool:
    return status == JobStatus.FAILED


def _entry(job: Job, status: JobStatus) -> dict[str, str]:
    return {"id": str(job.id), "name": job.name, "status": status.value, "backend": job.backend}


def _fold(row: Notification, job: Job, status: JobStatus) -> None:
    """One more job of the burst: counts, title, sentence and links follow."""
    data = dict(row.data or {})
    jobs = list(data.get("jobs") or [])
    if any(j.get("id") == str(job.id) for j in jobs):
        return  # already in it
    if len(jobs) < GROUP_LINKS:
        jobs.append(_entry(job, status))
    counts = Counter(data.get("counts") or {})
    counts[status.value] += 1
    errors = Counter(data.get("errors") or {})
    if _failed(status):
        errors[reasons.first_line(job.error_message) or "no reason recorded"] += 1
    total = sum(counts.values())
    parts = [f"{counts[s.value]} {s.value}" for s in _FINISHED_ORDER if counts[s.value]]
    row.kind = "jobs.finished"
    row.count = total
    row.title = f"{total} jobs finished: {', '.join(parts)}"
    row.body = reasons.burst(jobs, counts, errors)
    failed = counts[JobStatus.FAILED.value]
    row.severity = (
        Severity.ERROR if failed == total else Severity.WARNING if failed else Severity.INFO
    )
    session_id = data.get("session_id")
    row.link = (
        f"/sessions/{session_id}" if session_id else ("/jobs?status=failed" if failed else "/jobs")
    )
    row.data = {**data, "jobs": jobs, "counts": dict(counts), "errors": dict(errors)}


_FINISHED_ORDER = (JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED)


async def on_team_event(ctx: HandlerContext, event: Event) -> None:
    if event.user_id is None:
        return
    if event.type == INVITATION_RECEIVED:
        await _invited(ctx, event)
        return
    kind = event.data.get("kind")
    if kind == AccessChange.ROLE_CHANGED.value:
        await _access(ctx, event, "member.role_changed", "Your role in {ws} changed")
    elif kind == AccessChange.MEMBER_REMOVED.value and event.data.get("reason") != "you left":
        await _access(ctx, event, "member.removed", "You were removed from {ws}")


async def _invited(ctx: HandlerContext, event: Event) -> None:
    invitation = await ctx.session.get(Invitation, uuid.UUID(str(event.data["invitation"])))
    if invitation is None:
        return  # answered or revoked before this ran
    workspace = await ctx.session.get(Workspace, invitation.workspace_id)
    inviter = await ctx.session.get(User, invitation.invited_by) if invitation.invited_by else None
    who = inviter.display_name if inviter else "Someone"
    name = workspace.name if workspace else "a workspace"
    await notify(
        ctx.session,
        user_id=event.user_id,
        workspace_id=None,  # not theirs yet
        kind="member.invited",
        title=f"{who} invited you to {name}",
        body=f"You would join as {invitation.role.value}; the invitation is open until "
        f"{invitation.expires_at:%d %b %Y}.",
        link="/account",
        data={"invitation_id": str(invitation.id), "workspace": name},
        dedupe_key=f"invitation:{invitation.id}",
        source_event_id=event.id,
        now=event.at,
    )


async def _access(ctx: HandlerContext, event: Event, kind: str, title: str) -> None:
    assert event.user_id is not None
    workspace = await ctx.session.get(Workspace, event.workspace_id) if event.workspace_id else None
    if workspace is None:
        return
    reason = str(event.data.get("reason") or "")
    removed = kind == "member.removed"
    body = (
        f"{reason} from {workspace.name}; its jobs, projects and chat are no longer yours to see."
        if removed
        else f"{reason} in {workspace.name}."
    )
    await notify(
        ctx.session,
        user_id=event.user_id,
        # A removed member no longer sees the workspace: the notice stands on its own.
        workspace_id=None if removed else workspace.id,
        kind=kind,
        title=title.format(ws=workspace.name),
        body=body,
        link=None if removed else "/workspace/settings",
        data={"workspace_id": str(workspace.id), "workspace": workspace.name},
        dedupe_key=f"{kind}:event:{event.id}",
        source_event_id=event.id,
        now=event.at,
    )


async def _is_member(ctx: HandlerContext, user_id: uuid.UUID, workspace_id: uuid.UUID) -> bool:
    found = await ctx.session.scalar(
        select(Membership.user_id).where(
            Membership.user_id == user_id, Membership.workspace_id == workspace_id
        )
    )
    return found is not None
