"""/api/v1/gamification: your level, XP, streak and progress; how XP works; leaderboards
(workspace and opt-in global), weekly leagues, challenges with their boards, the
workspace switch, Open Badges 3.0 credentials and their public verification.

Awards are made by the outbox consumer, never by a request; live changes arrive on the
WebSocket topic ``gamification:<your user id>``.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, status

from qdeck.api.deps import CurrentUser, ServicesDep, SettingsDep
from qdeck.gamification.schemas import (
    BackfillRead,
    BadgeRead,
    BoardRead,
    ChallengeBoardRead,
    ChallengeCreate,
    ChallengeRead,
    HowXpWorks,
    LeagueRead,
    LedgerRead,
    MeRead,
    Period,
    PreferencesUpdate,
    ProgressRead,
    RevokeBody,
    WorkspaceSwitch,
    WorkspaceSwitchRead,
)

router = APIRouter(prefix="/gamification", tags=["gamification"])
Key = Annotated[str, Path(min_length=1, max_length=64)]


def _base(request: Request, settings) -> str:
    return (settings.public_url or str(request.base_url)).rstrip("/")


@router.get("/me", response_model=MeRead)
async def me(user: CurrentUser, services: ServicesDep) -> MeRead:
    """Level, XP, streak (in your time zone), today's job XP against the cap, league."""
    return await services.gamification.me(user)


@router.patch("/me", response_model=MeRead)
async def update_me(body: PreferencesUpdate, user: CurrentUser, services: ServicesDep) -> MeRead:
    """Opt in to the global board and leagues, or hide yourself from global boards."""
    return await services.gamification.update_preferences(user, body)


@router.get("/progress", response_model=ProgressRead)
async def progress(user: CurrentUser, services: ServicesDep) -> ProgressRead:
    """XP by week, the activity calendar, achievements (locked, in progress, earned),
    Quest progress and skills by topic."""
    return await services.gamification.progress(user)


@router.get("/ledger", response_model=list[LedgerRead])
async def ledger(
    user: CurrentUser,
    services: ServicesDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[LedgerRead]:
    """Your latest XP awards, including the work that earned nothing and why (``note``)."""
    return await services.gamification.ledger(user, limit)


@router.get("/rules", response_model=HowXpWorks)
async def how_xp_works(user: CurrentUser, services: ServicesDep) -> HowXpWorks:
    return services.gamification.how_xp_works()


@router.get("/leaderboards/global", response_model=BoardRead)
async def global_board(
    user: CurrentUser, services: ServicesDep, period: Period = "week"
) -> BoardRead:
    """People who opted in and are not hidden; no workspace is named."""
    return await services.gamification.global_board(user, period)


@router.get("/leaderboards/workspaces/{workspace_id}", response_model=BoardRead)
async def workspace_board(
    workspace_id: uuid.UUID, user: CurrentUser, services: ServicesDep, period: Period = "week"
) -> BoardRead:
    return await services.gamification.workspace_board(user, workspace_id, period)


@router.get("/league", response_model=LeagueRead)
async def league(user: CurrentUser, services: ServicesDep) -> LeagueRead:
    """This week's cohort (opt in with ``PATCH /me``); closes Monday 00:00 UTC."""
    return await services.gamification.league(user)


@router.get("/challenges", response_model=list[ChallengeRead])
async def challenges(user: CurrentUser, services: ServicesDep) -> list[ChallengeRead]:
    from qdeck.db.types import utcnow

    return await services.gamification.challenges.visible(user, utcnow())


@router.post(
    "/workspaces/{workspace_id}/challenges",
    response_model=ChallengeRead,
    status_code=status.HTTP_201_CREATED,
)
async def create_challenge(
    workspace_id: uuid.UUID, body: ChallengeCreate, user: CurrentUser, services: ServicesDep
) -> ChallengeRead:
    """Workspace admins: a challenge for the members, counted from ``starts_at``."""
    from qdeck.db.types import utcnow

    return await services.gamification.challenges.create(user, workspace_id, body, utcnow())


@router.get("/challenges/{challenge_id}/leaderboard", response_model=ChallengeBoardRead)
async def challenge_board(
    challenge_id: uuid.UUID, user: CurrentUser, services: ServicesDep
) -> ChallengeBoardRead:
    from qdeck.db.types import utcnow

    return await services.gamification.challenges.board(user, challenge_id, utcnow())


@router.get("/workspaces/{workspace_id}/settings", response_model=WorkspaceSwitchRead)
async def workspace_switch(
    workspace_id: uuid.UUID, user: CurrentUser, services: ServicesDep
) -> WorkspaceSwitchRead:
    return await services.gamification.workspace_switch(user, workspace_id)


@router.put("/workspaces/{workspace_id}/settings", response_model=WorkspaceSwitchRead)
async def set_workspace_switch(
    workspace_id: uuid.UUID, body: WorkspaceSwitch, user: CurrentUser, services: ServicesDep
) -> WorkspaceSwitchRead:
    """Workspace admins: with gamification off, the workspace's jobs earn no XP."""
    return await services.gamification.set_workspace_switch(user, workspace_id, body.enabled)


@router.get("/achievements/{key}/badge", response_model=BadgeRead)
async def export_badge(
    key: Key, request: Request, user: CurrentUser, services: ServicesDep, settings: SettingsDep
) -> BadgeRead:
    """The Open Badges 3.0 ``OpenBadgeCredential`` of an achievement you earned, signed
    as a VC-JWT (EdDSA); 404 for one you have not earned."""
    return await services.gamification.export_achievement(user, key, _base(request, settings))


@router.get("/issuer")
async def issuer(request: Request, services: ServicesDep, settings: SettingsDep) -> dict:
    """The badge issuer's profile with its Ed25519 public key (public)."""
    return services.gamification.issuer(_base(request, settings))


@router.get("/badges/{award_id}", response_model=BadgeRead)
async def public_badge(
    award_id: uuid.UUID, request: Request, services: ServicesDep, settings: SettingsDep
) -> BadgeRead:
    """A badge's credential and whether it is revoked (public: the verification link)."""
    return await services.gamification.public_badge(award_id, _base(request, settings))


@router.post("/badges/{award_id}/revoke", response_model=BadgeRead)
async def revoke_badge(
    award_id: uuid.UUID, body: RevokeBody, user: CurrentUser, services: ServicesDep
) -> BadgeRead:
    """Instance admins: the credential is marked revoked wherever it is verified."""
    return await services.gamification.revoke_badge(user, award_id, body.reason)


@router.post("/backfill", response_model=BackfillRead)
async def run_backfill(user: CurrentUser, services: ServicesDep) -> BackfillRead:
    """Instance admins: award whatever history holds that the ledger does not."""
    return await services.gamification.backfill(user)
