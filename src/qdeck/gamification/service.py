"""``Services.gamification``: a person's level, XP, streak and progress, leaderboards,
leagues, challenges, the workspace switch, badges and the backfill.

Reads only: awarding happens in the consumer (``consumers.py``) and the backfill, so a
request never changes XP. ``now`` is a parameter everywhere, so tests choose the clock.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from functools import cached_property

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.auth.models import User
from qdeck.config import Settings
from qdeck.db.types import utcnow
from qdeck.errors import NotFound
from qdeck.gamification import badges, rules, streaks
from qdeck.gamification.achievements import load_achievements, metric_of, quest_totals, target_of
from qdeck.gamification.awarding import week_start
from qdeck.gamification.backfill import backfill
from qdeck.gamification.challenges import ChallengeService
from qdeck.gamification.leagues import COHORT_SIZE, DEMOTED, PROMOTED, TIERS, monday_of
from qdeck.gamification.levels import progress_of
from qdeck.gamification.repository import BoardQueries, GamificationRepository
from qdeck.gamification.schemas import (
    AchievementRead,
    BackfillRead,
    BadgeRead,
    BoardRead,
    BoardRow,
    DayRead,
    HowXpWorks,
    LeagueRead,
    LeagueRow,
    LedgerRead,
    MeRead,
    Period,
    PreferencesUpdate,
    ProgressRead,
    QuestProgressRead,
    StreakRead,
    WeekXpRead,
    WorkspaceSwitchRead,
    XpRuleRead,
)
from qdeck.gamification.skills import TOPICS
from qdeck.workspaces.access import Action, authorize, require_instance_admin

_PERIOD_CODE = {"week": "w", "month": "m", "all": "a"}


def period_start(period: Period, today: date) -> date:
    if period == "week":
        return week_start(today)
    if period == "month":
        return today.replace(day=1)
    return date(1970, 1, 1)


class GamificationService:
    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.repo = GamificationRepository(session)
        self.boards = BoardQueries(session)

    @cached_property
    def challenges(self) -> ChallengeService:
        return ChallengeService(self.session)

    # --- the person ---

    async def me(self, user: User, now: datetime | None = None) -> MeRead:
        now = now or utcnow()
        profile = await self.repo.find_profile(user.id)
        tz = streaks.zone(await self.repo.time_zone(user.id))
        today = streaks.local_day(now, tz)
        xp = profile.xp if profile else 0
        level = progress_of(xp)
        streak = streaks.Streak(
            current=profile.current_streak if profile else 0,
            longest=profile.longest_streak if profile else 0,
            freezes=profile.freezes if profile else 0,
            freezes_used=profile.freezes_used if profile else 0,
            last_day=profile.last_active_day if profile else None,
        )
        day = await self.repo.day(user.id, today)
        tier = profile.league_tier if profile else 0
        return MeRead(
            user_id=user.id,
            display_name=user.display_name,
            xp=xp,
            level=level.level,
            level_floor=level.level_floor,
            next_level_xp=level.next_level_xp,
            streak=StreakRead(
                current=streaks.standing(streak, today),
                longest=streak.longest,
                freezes=streak.freezes,
                freezes_used=streak.freezes_used,
                last_active_day=streak.last_day,
                active_today=streak.last_day == today,
            ),
            job_xp_today=day.job_xp if day else 0,
            daily_job_xp_cap=self.settings.gamification_daily_job_xp_cap,
            league_tier=tier,
            league_name=TIERS[tier],
            global_opt_in=bool(profile and profile.global_opt_in),
            hidden=bool(profile and profile.hidden),
            league_opt_in=bool(profile and profile.league_opt_in),
        )

    async def progress(self, user: User, now: datetime | None = None) -> ProgressRead:
        now = now or utcnow()
        me = await self.me(user, now)
        today = streaks.local_day(now, streaks.zone(await self.repo.time_zone(user.id)))
        since_week = week_start(now.date()) - timedelta(weeks=11)
        weeks = {r.start: r.xp for r in await self.boards.rollups(user.id, "w", since_week)}
        counters = await self.repo.counters(user.id)
        totals = quest_totals()
        return ProgressRead(
            me=me,
            xp_by_week=[
                WeekXpRead(week_start=w, xp=weeks.get(w, 0))
                for w in (since_week + timedelta(weeks=i) for i in range(12))
            ],
            calendar=[
                DayRead(day=d.day, xp=d.xp, actions=d.actions)
                for d in await self.repo.days(user.id, today - timedelta(days=364))
            ],
            achievements=await self.achievements(user, counters),
            quest=QuestProgressRead(
                levels_solved=counters.get("levels_solved", 0),
                levels_total=totals["levels"],
                lessons_completed=counters.get("lessons_completed", 0),
                lessons_total=totals["lessons"],
                three_star_levels=counters.get("three_star_levels", 0),
                challenges_scored=counters.get("challenges_scored", 0),
            ),
            skills={topic: counters.get(f"skill:{topic}", 0) for topic in TOPICS},
        )

    async def achievements(
        self, user: User, counters: dict[str, int] | None = None
    ) -> list[AchievementRead]:
        counters = counters if counters is not None else await self.repo.counters(user.id)
        profile = await self.repo.find_profile(user.id)
        live = {
            "streak": profile.longest_streak if profile else 0,
            "level": profile.level if profile else 1,
        }
        awards = {a.achievement_key: a for a in await self.repo.awards(user.id)}
        out = []
        for achievement in load_achievements().achievements:
            award = awards.get(achievement.key)
            if achievement.hidden and award is None:
                continue
            metric, target = metric_of(achievement), target_of(achievement)
            value = None
            if metric is not None and target is not None:
                value = min(target, live.get(metric, counters.get(metric, 0)))
            state = "earned" if award else ("in_progress" if value else "locked")
            out.append(
                AchievementRead(
                    key=achievement.key,
                    title=achievement.title,
                    description=achievement.description,
                    icon=achievement.icon,
                    tier=achievement.tier,
                    hidden=achievement.hidden,
                    state=state,
                    progress=target if award and target else value,
                    target=target,
                    earned_at=award.earned_at if award else None,
                    award_id=award.id if award else None,
                    revoked=bool(award and award.revoked_at),
                )
            )
        return out

    async def ledger(self, user: User, limit: int = 50) -> list[LedgerRead]:
        rows = await self.repo.ledger(user.id, limit)
        return [
            LedgerRead(source=r.source, rule=r.rule, xp=r.xp, note=r.note, at=r.at) for r in rows
        ]

    def how_xp_works(self) -> HowXpWorks:
        kinds = rules.JOB_XP
        return HowXpWorks(
            rules=[
                XpRuleRead(what="Completed job on the ideal simulator", xp=str(kinds["simulator"])),
                XpRuleRead(what="Completed job on a fake device", xp=str(kinds["fake_device"])),
                XpRuleRead(what="Completed job on hardware", xp=str(kinds["hardware"])),
                XpRuleRead(
                    what="First completed job on a backend", xp=f"+{rules.FIRST_BACKEND_XP}"
                ),
                XpRuleRead(
                    what="Quest level, first solve", xp=f"{rules.LEVEL_STAR_XP} per star (max 3)"
                ),
                XpRuleRead(what="Quest lesson completed", xp=str(rules.LESSON_XP)),
                XpRuleRead(
                    what="Quest challenge, first score",
                    xp=f"{rules.CHALLENGE_BASE_XP} + score / 5",
                ),
                XpRuleRead(what="Weekly or workspace challenge finished", xp="its reward"),
                XpRuleRead(what="Achievement", xp="bronze 10, silver 25, gold 50"),
            ],
            refusals={k.value: v for k, v in rules.EXPLANATIONS.items()},
            daily_job_xp_cap=self.settings.gamification_daily_job_xp_cap,
            level_curve="Level n needs 50 * n * (n - 1) XP in total: level 2 at 100, "
            "3 at 300, 5 at 1,000, 10 at 4,500, 20 at 19,000.",
        )

    async def update_preferences(self, user: User, body: PreferencesUpdate) -> MeRead:
        profile = await self.repo.profile(user.id)
        for name in ("global_opt_in", "hidden", "league_opt_in"):
            value = getattr(body, name)
            if value is not None:
                setattr(profile, name, value)
        await self.session.flush()
        return await self.me(user)

    # --- boards ---

    async def workspace_board(
        self, user: User, workspace_id: uuid.UUID, period: Period, now: datetime | None = None
    ) -> BoardRead:
        await authorize(self.session, user.id, workspace_id, Action.VIEW)
        start = period_start(period, (now or utcnow()).date())
        rows = await self.boards.workspace(workspace_id, _PERIOD_CODE[period], start, 100)
        return BoardRead(
            scope=f"workspace:{workspace_id}",
            period=period,
            period_start=start if period != "all" else None,
            rows=[
                BoardRow(rank=i, user_id=u, display_name=n, xp=xp, level=lv, you=u == user.id)
                for i, (u, n, xp, lv) in enumerate(rows, start=1)
            ],
        )

    async def global_board(
        self, user: User, period: Period, now: datetime | None = None
    ) -> BoardRead:
        """Only people who opted in and are not hidden; no workspace is ever named."""
        start = period_start(period, (now or utcnow()).date())
        rows = await self.boards.global_(_PERIOD_CODE[period], start, 100)
        return BoardRead(
            scope="global",
            period=period,
            period_start=start if period != "all" else None,
            rows=[
                BoardRow(rank=i, user_id=u, display_name=n, xp=xp, level=lv, you=u == user.id)
                for i, (u, n, xp, lv) in enumerate(rows, start=1)
            ],
        )

    async def league(self, user: User, now: datetime | None = None) -> LeagueRead:
        now = now or utcnow()
        week = monday_of(now)
        profile = await self.repo.find_profile(user.id)
        mine, rows = await self.boards.cohort(week, user.id)
        tier = mine.tier if mine else (profile.league_tier if profile else 0)
        return LeagueRead(
            week_start=week,
            tier=tier,
            tier_name=TIERS[tier],
            cohort=mine.cohort if mine else None,
            rows=[
                LeagueRow(rank=i, display_name=name, xp=entry.xp, you=entry.user_id == user.id)
                for i, (entry, name) in enumerate(rows, start=1)
            ][:COHORT_SIZE],
            promoted=PROMOTED,
            demoted=DEMOTED,
            closes_at=datetime.combine(week + timedelta(days=7), datetime.min.time(), now.tzinfo),
        )

    # --- workspace switch ---

    async def workspace_switch(self, user: User, workspace_id: uuid.UUID) -> WorkspaceSwitchRead:
        await authorize(self.session, user.id, workspace_id, Action.VIEW)
        enabled = await self.repo.workspace_enabled(workspace_id)
        return WorkspaceSwitchRead(workspace_id=workspace_id, enabled=enabled)

    async def set_workspace_switch(
        self, user: User, workspace_id: uuid.UUID, enabled: bool
    ) -> WorkspaceSwitchRead:
        await authorize(self.session, user.id, workspace_id, Action.UPDATE_WORKSPACE)
        await self.repo.set_workspace_enabled(workspace_id, enabled, user.id)
        return WorkspaceSwitchRead(workspace_id=workspace_id, enabled=enabled)

    # --- badges ---

    def issuer(self, base: str) -> dict:
        return badges.issuer_profile(self.settings, base)

    async def export_badge(self, user: User, award_id: uuid.UUID, base: str) -> BadgeRead:
        """The signed credential of one of the caller's own awards; another person's (or
        an achievement not earned) is not found."""
        award = await self.repo.award_by_id(award_id)
        if award is None or award.user_id != user.id:
            raise NotFound("Badge not found: you have not earned it.", code="badge_not_found")
        return await self._badge(award, base, signed=True)

    async def export_achievement(self, user: User, key: str, base: str) -> BadgeRead:
        award = next((a for a in await self.repo.awards(user.id) if a.achievement_key == key), None)
        if load_achievements().get(key) is None:
            raise NotFound(f"There is no achievement {key!r}.", code="achievement_not_found")
        if award is None:
            raise NotFound(
                f"You have not earned the achievement {key!r}, so there is no badge to export.",
                code="badge_not_found",
            )
        return await self._badge(award, base, signed=True)

    async def public_badge(self, award_id: uuid.UUID, base: str) -> BadgeRead:
        """What the public verification page shows: anyone holding the link may see it."""
        award = await self.repo.award_by_id(award_id)
        if award is None:
            raise NotFound("Badge not found.", code="badge_not_found")
        return await self._badge(award, base, signed=True)

    async def revoke_badge(
        self, user: User, award_id: uuid.UUID, reason: str, now: datetime | None = None
    ) -> BadgeRead:
        require_instance_admin(user, "revoke badges")
        award = await self.repo.award_by_id(award_id)
        if award is None:
            raise NotFound("Badge not found.", code="badge_not_found")
        if award.revoked_at is None:
            award.revoked_at = now or utcnow()
            award.revoked_reason = reason
            await self.session.flush()
        return await self._badge(award, "", signed=False)

    async def _badge(self, award, base: str, *, signed: bool) -> BadgeRead:
        achievement = load_achievements().get(award.achievement_key)
        if achievement is None:
            raise NotFound("Badge not found.", code="badge_not_found")
        owner = await self.session.get(User, award.user_id)
        name = owner.display_name if owner else "A former member"
        vc = badges.credential(award, achievement, name, base)
        token = badges.sign(self.settings, vc) if signed else None
        return BadgeRead(
            award_id=award.id,
            achievement_key=achievement.key,
            title=achievement.title,
            description=achievement.description,
            tier=achievement.tier,
            recipient=name,
            issued_at=award.earned_at,
            revoked=award.revoked_at is not None,
            revoked_at=award.revoked_at,
            revoked_reason=award.revoked_reason,
            credential_jwt=token,
            credential=vc if signed else None,
            verified=bool(token and badges.verify(self.settings, token)),
        )

    # --- backfill ---

    async def backfill(self, user: User | None, *, rebuild: bool = False) -> BackfillRead:
        """``user`` None: the local CLI (``qdeck gamification backfill``), which has the
        database itself; over the API only instance admins may run it."""
        if user is not None:
            require_instance_admin(user, "backfill gamification")
        report = await backfill(self.session, self.settings, rebuild=rebuild)
        return BackfillRead(facts=report.facts, applied=report.applied)
