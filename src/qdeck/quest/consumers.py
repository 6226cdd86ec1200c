"""The scoring consumer: when a challenge attempt's job ends, its counts become a score."""

from __future__ import annotations

from qdeck.db.types import utcnow
from qdeck.events.bus import Event
from qdeck.events.outbox import emit
from qdeck.events.registry import HandlerContext
from qdeck.jobs.event_types import JOB_STATUS_CHANGED
from qdeck.jobs.models import Job
from qdeck.jobs.status import JobStatus
from qdeck.quest.catalog import Challenge, load_catalog
from qdeck.quest.event_types import QUEST_CHALLENGE_SCORED
from qdeck.quest.models import Challenge as ChallengeRow
from qdeck.quest.repository import QuestRepository
from qdeck.quest.scoring import score

JOB_ENDINGS = frozenset({JOB_STATUS_CHANGED})
_FINAL = {JobStatus.COMPLETED.value, JobStatus.FAILED.value, JobStatus.CANCELLED.value}


async def score_challenge_attempts(ctx: HandlerContext, event: Event) -> None:
    if event.data.get("status") not in _FINAL or event.job_id is None:
        return
    repo = QuestRepository(ctx.session)
    attempt = await repo.pending_for_job(event.job_id)
    if attempt is None:
        return  # not a challenge job, or already scored (a repeated delivery)
    job = await ctx.session.get(Job, event.job_id)
    row = await ctx.session.get(ChallengeRow, attempt.challenge_id)
    assert row is not None
    # The challenge as the data files say now, or as it was when first attempted.
    challenge = load_catalog().challenge(row.key) or Challenge.model_validate(row.spec)
    now = utcnow()
    if job is not None and job.status == JobStatus.COMPLETED and job.result:
        counts = job.result["pubs"][0]["data"][0]["counts"]
        attempt.score, attempt.feedback = score(challenge, counts)
        attempt.status = "scored"
    else:
        reason = (job.error_message if job else None) or event.data.get("reason") or "it ended"
        attempt.status = "failed"
        attempt.feedback = f"The job did not complete ({event.data.get('status')}): {reason}"
    attempt.scored_at = now
    await ctx.session.flush()
    emit(
        ctx.session,
        Event(
            type=QUEST_CHALLENGE_SCORED,
            workspace_id=None,
            user_id=attempt.user_id,
            data={
                "user_id": str(attempt.user_id),
                "challenge_key": challenge.key,
                "attempt_id": str(attempt.id),
                "job_id": str(event.job_id),
                "status": attempt.status,
                "score": attempt.score,
            },
        ),
    )
