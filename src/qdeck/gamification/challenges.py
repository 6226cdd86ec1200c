"""Challenges as people see them: the built-in weekly global one and those a workspace's
admins create, each with its participants, progress and its own leaderboard. An ended
challenge keeps its final standings (entries stop changing when it ends)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.auth.models import User
from qdeck.errors import InvalidInput, NotFound
from qdeck.gamification.challenge_progress import RULE_KINDS
from qdeck.gamification.models import ChallengeEntry, GamificationChallenge, GamificationProfile
from qdeck.gamification.schemas import BoardRow, ChallengeBoardRead, ChallengeCreate, ChallengeRead
from qdeck.workspaces.access import Action, authorize

# Longer windows would make a board that means nothing and a rule that scans everything.
MAX_DURATION = timedelta(days=92)
# A challenge counts from its start onward; one that started long ago would need history.
START_GRACE = timedelta(minutes=5)
ANONYMOUS = "Anonymous learner"


class ChallengeService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def create(
        self, user: User, workspace_id: uuid.UUID, body: ChallengeCreate, now: datetime
    ) -> ChallengeRead:
        await authorize(self.session, user.id, workspace_id, Action.UPDATE_WORKSPACE)
        problems = []
        if body.ends_at <= body.starts_at:
            problems.append({"field": "ends_at", "message": "must be after starts_at"})
        elif body.ends_at - body.starts_at > MAX_DURATION:
            problems.append({"field": "ends_at", "message": "a challenge lasts at most 92 days"})
        if body.starts_at < now - START_GRACE:
            problems.append(
                {
                    "field": "starts_at",
                    "message": "must not be in the past: progress counts from the start on",
                }
            )
        if problems:
            raise InvalidInput(
                "The challenge's dates are not valid: "
                + "; ".join(f"{p['field']} {p['message']}" for p in problems),
                code="invalid_challenge",
                errors=problems,
            )
        row = GamificationChallenge(
            workspace_id=workspace_id,
            title=body.title,
            rule=body.rule,
            target=body.target,
            reward_xp=body.reward_xp,
            starts_at=body.starts_at,
            ends_at=body.ends_at,
            created_by=user.id,
            created_at=now,
        )
        self.session.add(row)
        await self.session.flush()
        return await self._read(row, user.id, now)

    async def visible(self, user: User, now: datetime) -> list[ChallengeRead]:
        from qdeck.gamification.repository import GamificationRepository

        workspaces = await GamificationRepository(self.session).workspaces_of(user.id)
        stmt = (
            select(GamificationChallenge)
            .where(
                or_(
                    GamificationChallenge.workspace_id.is_(None),
                    GamificationChallenge.workspace_id.in_(workspaces),
                ),
                GamificationChallenge.ends_at > now - timedelta(days=60),
            )
            .order_by(GamificationChallenge.ends_at.desc())
            .limit(100)
        )
        return [await self._read(row, user.id, now) for row in await self.session.scalars(stmt)]

    async def board(
        self, user: User, challenge_id: uuid.UUID, now: datetime, limit: int = 50
    ) -> ChallengeBoardRead:
        row = await self._visible_row(user, challenge_id)
        public = GamificationProfile.global_opt_in.is_(True) & GamificationProfile.hidden.is_(False)
        stmt = (
            select(ChallengeEntry, User.display_name, func.coalesce(public, False))
            .join(User, User.id == ChallengeEntry.user_id)
            .outerjoin(GamificationProfile, GamificationProfile.user_id == ChallengeEntry.user_id)
            .where(ChallengeEntry.challenge_id == row.id)
            .order_by(ChallengeEntry.value.desc(), ChallengeEntry.completed_at, User.id)
            .limit(limit)
        )
        # A global board names only people who opted in to global boards and are not
        # hidden; everyone else (members of private workspaces included) is anonymous.
        rows = [
            BoardRow(
                rank=i,
                user_id=entry.user_id if row.workspace_id or named else None,
                display_name=name
                if row.workspace_id or named or entry.user_id == user.id
                else ANONYMOUS,
                xp=entry.value,
                level=0,
                you=entry.user_id == user.id,
            )
            for i, (entry, name, named) in enumerate(await self.session.execute(stmt), start=1)
        ]
        return ChallengeBoardRead(
            challenge=await self._read(row, user.id, now), rows=rows, final=row.ends_at <= now
        )

    async def _visible_row(self, user: User, challenge_id: uuid.UUID) -> GamificationChallenge:
        row = await self.session.get(GamificationChallenge, challenge_id)
        missing = NotFound("Challenge not found.", code="challenge_not_found")
        if row is None:
            raise missing
        if row.workspace_id is not None:
            try:
                await authorize(self.session, user.id, row.workspace_id, Action.VIEW)
            except NotFound:
                raise missing from None
        return row

    async def _read(self, row: GamificationChallenge, user_id, now: datetime) -> ChallengeRead:
        participants = await self.session.scalar(
            select(func.count()).where(ChallengeEntry.challenge_id == row.id)
        )
        mine = await self.session.get(ChallengeEntry, (row.id, user_id))
        status = "upcoming" if now < row.starts_at else "open" if now < row.ends_at else "ended"
        return ChallengeRead(
            id=row.id,
            key=row.key,
            workspace_id=row.workspace_id,
            title=row.title,
            rule=row.rule,
            rule_label=RULE_KINDS[row.rule],
            target=row.target,
            reward_xp=row.reward_xp,
            starts_at=row.starts_at,
            ends_at=row.ends_at,
            status=status,
            participants=int(participants or 0),
            your_progress=mine.value if mine else 0,
            completed=bool(mine and mine.completed_at),
        )
