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
        made += await _notice(
            session,
            challenge,
            await _who_can_enter(session, challenge, now),
            "starting",
            f"It starts {_when(challenge.starts_at, now)}: {challenge.rule} "
            f"{challenge.target}, worth {challenge.reward_xp} XP.",
            challenge.starts_at,
            now,
        )
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
        entrants = await session.scalars(
            select(ChallengeEntry.user_id).where(
                ChallengeEntry.challenge_id == challenge.id,
                ChallengeEntry.completed_at.is_(None),
            )
        )
        made += await _notice(
            session,
            challenge,
            list(entrants),
            "ending",
            f"It ends {_when(challenge.ends_at, now)}; you have not reached "
            f"{challenge.target} yet.",
            challenge.ends_at,
            now,
        )
    return made


async def _notice(
    session: AsyncSession,
    challenge: GamificationChallenge,
    people: list[uuid.UUID],
    moment: str,
    body: str,
    at: datetime,
    now: datetime,
) -> int:
    """``challenge.<moment>`` to ``people``, once per person and challenge."""
    rows = await notify_many(
        session,
        people,
        workspace_id=challenge.workspace_id,
        kind=f"challenge.{moment}",
        title=f"Challenge {moment}: {challenge.title}"[:200],
        body=body,
        link="/challenges",
        data={"challenge_id": str(challenge.id), "at": at.isoformat()},
        dedupe_key=f"challenge:{challenge.id}:{moment}",
        now=now,
    )
    return len(rows)


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
