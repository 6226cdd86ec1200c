"""Who may do what. The one module that decides; every service asks it.

A user who is not a member of a workspace is told the workspace (or the project, job, ...
inside it) does not exist: 404, never 403, so membership of other teams does not leak.
A member whose role is too low gets 403 with the role that would be needed.
"""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.errors import NotFound, PermissionDenied
from qdeck.workspaces.models import Membership
from qdeck.workspaces.roles import Role


class Action(StrEnum):
    VIEW = "view"
    UPDATE_WORKSPACE = "update_workspace"
    DELETE_WORKSPACE = "delete_workspace"
    MANAGE_MEMBERS = "manage_members"
    MANAGE_OWNERS = "manage_owners"
    CREATE_PROJECT = "create_project"
    UPDATE_PROJECT = "update_project"
    DELETE_PROJECT = "delete_project"
    SUBMIT_JOB = "submit_job"
    MANAGE_OWN_JOBS = "manage_own_jobs"
    MANAGE_ALL_JOBS = "manage_all_jobs"
    CHAT = "chat"
    # Delete anyone's chat message, change the workspace's chat rules.
    MODERATE_CHAT = "moderate_chat"
    # Delete anyone's shared document.
    MANAGE_DOCUMENTS = "manage_documents"
    EDIT_DOCUMENTS = "edit_documents"
    # A workspace's webhook endpoints (notifications/webhook_service.py).
    MANAGE_WEBHOOKS = "manage_webhooks"


_VIEWER = frozenset({Action.VIEW})
_MEMBER = _VIEWER | {
    Action.CREATE_PROJECT,
    Action.UPDATE_PROJECT,
    Action.SUBMIT_JOB,
    Action.MANAGE_OWN_JOBS,
    Action.CHAT,
    Action.EDIT_DOCUMENTS,
}
_ADMIN = _MEMBER | {
    Action.UPDATE_WORKSPACE,
    Action.MANAGE_MEMBERS,
    Action.DELETE_PROJECT,
    Action.MANAGE_ALL_JOBS,
    Action.MANAGE_WEBHOOKS,
    Action.MODERATE_CHAT,
    Action.MANAGE_DOCUMENTS,
}
_OWNER = _ADMIN | {Action.DELETE_WORKSPACE, Action.MANAGE_OWNERS}

PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.VIEWER: _VIEWER,
    Role.MEMBER: frozenset(_MEMBER),
    Role.ADMIN: frozenset(_ADMIN),
    Role.OWNER: frozenset(_OWNER),
}


def allows(role: Role, action: Action) -> bool:
    return action in PERMISSIONS[role]


def lowest_role_for(action: Action) -> Role:
    return min((r for r in Role if allows(r, action)), key=lambda r: r.rank)


async def authorize(
    session: AsyncSession,
    user_id: uuid.UUID,
    workspace_id: uuid.UUID,
    action: Action,
    *,
    resource: str = "workspace",
) -> Membership:
    """Return the caller's membership if they may do ``action`` in the workspace.

    ``resource`` names what the caller asked for, so an outsider's 404 reads
    "project not found" rather than revealing the workspace.
    """
    membership = await session.scalar(
        select(Membership).where(
            Membership.workspace_id == workspace_id, Membership.user_id == user_id
        )
    )
    if membership is None:
        raise NotFound(f"{resource.capitalize()} not found.", code=f"{resource}_not_found")
    if not allows(membership.role, action):
        needed = lowest_role_for(action)
        raise PermissionDenied(
            f"Your role '{membership.role}' cannot {action.replace('_', ' ')}; "
            f"it needs '{needed}' or higher."
        )
    return membership


def may_post_in_chat(role: Role, *, viewers_can_post: bool) -> bool:
    """Members and above post; viewers read, unless the workspace lets them post too."""
    return allows(role, Action.CHAT) or (viewers_can_post and role is Role.VIEWER)


def sees_channel(role: Role | None, *, public: bool, in_channel: bool) -> bool:
    """A public channel is open to every member of its workspace; a private channel or a
    direct conversation only to the people in it (and only while they are members)."""
    return role is not None and (public or in_channel)


def require_instance_admin(user: object, what: str) -> None:
    """Instance-wide operations (the event consumers, for instance) are for instance
    admins (``qdeck user create --admin``), whatever their workspace roles."""
    if not getattr(user, "is_admin", False):
        raise PermissionDenied(f"Only instance admins can {what}.", code="admin_only")
