"""Notifications about challenges: one that starts within a day (to the people who can
enter it) and one that ends within a day (to those who entered and have not completed
it). Run by the gamification worker's tick on every server; dedupe keys make a second
run, or a second server, a no-op."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.gamification.models import ChallengeEntry, GamificationChallenge, GamificationProfile
from qdeck.notifications.service import notify_many
from qdeck.workspaces.models import Membership

NOTICE_AHEAD = timedelta(hours=24)
# A global challenge is for everyone; "can enter" is read as "has played lately", so a
# weekly challenge does not reach every dormant account of a large instance.
RECENT_PLAYERS = timedelta(days=7)


async def announce(session: AsyncSession, now: datetime) -> int:
    """Notifications made (0 when every challenge in the window was announced)."""
    return await _starting(session, now) + await _ending(session, now)


async def _starting(session: AsyncSession, now: datetime) -> int:
    soon = await session.scalars(
        select(GamificationChallenge).where(
            GamificationChallenge.starts_at > now,
            GamificationChallenge.starts_at <= now + NOTICE_AHEAD,
        )
    )
    made = 0
    for challenge in list(soon):
        people = await _who_can_enter(session, challenge, now)
        rows = await notify_many(
            session,
            people,
            workspace_id=challenge.workspace_id,
            kind="challenge.starting",
            title=f"Challenge starting: {challenge.title}"[:200],
            body=f"It starts {_when(challenge.starts_at, now)}: {challenge.rule} "
            f"{challenge.target}, worth {challenge.reward_xp} XP.",
            link="/challenges",
            data={"challenge_id": str(challenge.id), "starts_at": challenge.starts_at.isoformat()},
            dedupe_key=f"challenge:{challenge.id}:starting",
            now=now,
        )
        made += len(rows)
    return made


async def _ending(session: AsyncSession, now: datetime) -> int:
    closing = await session.scalars(
        select(GamificationChallenge).where(
            GamificationChallenge.starts_at <= now,
            GamificationChallenge.ends_at > now,
            GamificationChallenge.ends_at <= now + NOTICE_AHEAD,
        )
    )
    made = 0
    for challenge in list(closing):
        entrants = list(
            await session.scalars(
                select(ChallengeEntry.user_id).where(
                    ChallengeEntry.challenge_id == challenge.id,
                    ChallengeEntry.completed_at.is_(None),
                )
            )
        )
        rows = await notify_many(
            session,
            entrants,
            workspace_id=challenge.workspace_id,
            kind="challenge.ending",
            title=f"Challenge ending: {challenge.title}"[:200],
            body=f"It ends {_when(challenge.ends_at, now)}; you have not reached "
            f"{challenge.target} yet.",
            link="/challenges",
            data={"challenge_id": str(challenge.id), "ends_at": challenge.ends_at.isoformat()},
            dedupe_key=f"challenge:{challenge.id}:ending",
            now=now,
        )
        made += len(rows)
    return made


async def _who_can_enter(
    session: AsyncSession, challenge: GamificationChallenge, now: datetime
) -> list[uuid.UUID]:
    if challenge.workspace_id is not None:
        query = select(Membership.user_id).where(Membership.workspace_id == challenge.workspace_id)
    else:
        query = select(GamificationProfile.user_id).where(
            GamificationProfile.last_active_day >= (now - RECENT_PLAYERS).date()
        )
    return list(await session.scalars(query))


def _when(at: datetime, now: datetime) -> str:
    hours = max(1, round((at - now).total_seconds() / 3600))
    return f"in about {hours} hour{'s' if hours != 1 else ''}"
