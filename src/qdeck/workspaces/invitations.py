"""Invitations: an admin invites an e-mail address; its owner accepts or declines.

The address need not have an account yet: whoever signs up with it later finds the
invitation waiting. Nobody becomes a member without accepting. Resolved invitations are
deleted (the audit log keeps them), so an address has at most one per workspace.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.audit.service import record_audit
from qdeck.auth.models import User
from qdeck.auth.repository import UserRepository
from qdeck.db.types import utcnow
from qdeck.errors import Conflict, NotFound
from qdeck.workspaces.access import Action, authorize
from qdeck.workspaces.changes import (
    INVITATION_RECEIVED,
    INVITATION_RESOLVED,
    Part,
    tell_invitee,
    workspace_changed,
)
from qdeck.workspaces.models import Invitation, Membership, Workspace
from qdeck.workspaces.repository import (
    InvitationRepository,
    MembershipRepository,
    WorkspaceRepository,
)
from qdeck.workspaces.roles import Role
from qdeck.workspaces.schemas import InvitationRead, WorkspaceRead
from qdeck.workspaces.service import record_member_joined, workspace_read

INVITATION_DAYS = 14


class InvitationService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.invitations = InvitationRepository(session)
        self.members = MembershipRepository(session)
        self.workspaces = WorkspaceRepository(session)
        self.users = UserRepository(session)

    async def invite(
        self, actor: User, workspace_id: uuid.UUID, email: str, role: Role
    ) -> InvitationRead:
        action = Action.MANAGE_OWNERS if role == Role.OWNER else Action.MANAGE_MEMBERS
        await authorize(self.session, actor.id, workspace_id, action)
        workspace = await self._workspace(workspace_id)
        if workspace.is_personal:
            raise Conflict(
                "A personal workspace has only its owner; create a team workspace to invite "
                "others.",
                code="personal_workspace_locked",
            )
        email = email.strip().lower()
        invitee = await self.users.get_by_email(email)
        if invitee is not None and await self.members.get(workspace_id, invitee.id):
            raise _email_conflict(f"{email} is already a member.", "already_member")
        existing = await self.invitations.for_address(workspace_id, email)
        if existing is not None:
            if existing.expires_at > utcnow():
                raise _email_conflict(
                    f"{email} already has a pending invitation; revoke it to send a new one.",
                    "already_invited",
                )
            await self.invitations.remove(existing)
        invitation = await self.invitations.add(
            Invitation(
                workspace_id=workspace_id,
                email=email,
                role=role,
                invited_by=actor.id,
                expires_at=utcnow() + timedelta(days=INVITATION_DAYS),
            )
        )
        await record_audit(
            self.session,
            "invitation.created",
            actor_id=actor.id,
            workspace_id=workspace_id,
            target_type="invitation",
            target_id=invitation.id,
            data={"email": email, "role": role.value},
        )
        workspace_changed(self.session, workspace_id, Part.INVITATIONS, actor_id=actor.id)
        if invitee is not None:
            tell_invitee(self.session, invitee.id, INVITATION_RECEIVED, invitation.id)
        return _read(invitation, workspace, actor)

    async def pending(self, actor: User, workspace_id: uuid.UUID) -> list[InvitationRead]:
        """The workspace's pending invitations (admins: they show others' e-mail addresses)."""
        await authorize(self.session, actor.id, workspace_id, Action.MANAGE_MEMBERS)
        workspace = await self._workspace(workspace_id)
        rows = await self.invitations.pending_in(workspace_id, utcnow())
        return [_read(invitation, workspace, inviter) for invitation, inviter in rows]

    async def revoke(self, actor: User, workspace_id: uuid.UUID, invitation_id: uuid.UUID) -> None:
        await authorize(self.session, actor.id, workspace_id, Action.MANAGE_MEMBERS)
        invitation = await self.invitations.get(invitation_id)
        if invitation is None or invitation.workspace_id != workspace_id:
            raise NotFound("Invitation not found.", code="invitation_not_found")
        if invitation.role == Role.OWNER:
            await authorize(self.session, actor.id, workspace_id, Action.MANAGE_OWNERS)
        await self.invitations.remove(invitation)
        await record_audit(
            self.session,
            "invitation.revoked",
            actor_id=actor.id,
            workspace_id=workspace_id,
            target_type="invitation",
            target_id=invitation_id,
        )
        workspace_changed(self.session, workspace_id, Part.INVITATIONS, actor_id=actor.id)
        invitee = await self.users.get_by_email(invitation.email)
        if invitee is not None:
            tell_invitee(self.session, invitee.id, INVITATION_RESOLVED, invitation_id)

    async def mine(self, user: User) -> list[InvitationRead]:
        """Invitations waiting for the user's e-mail address, oldest first."""
        rows = await self.invitations.pending_for(user.email, utcnow())
        return [_read(invitation, workspace, inviter) for invitation, workspace, inviter in rows]

    async def accept(self, user: User, invitation_id: uuid.UUID) -> WorkspaceRead:
        invitation, workspace = await self._addressed_to(user, invitation_id)
        membership = await self.members.get(workspace.id, user.id)
        if membership is None:
            membership = await self.members.add(
                Membership(
                    workspace_id=workspace.id,
                    user_id=user.id,
                    role=invitation.role,
                    invited_by=invitation.invited_by,
                )
            )
            await record_member_joined(
                self.session, workspace.id, user, invitation.role, actor_id=user.id
            )
        await self._resolve(user, invitation, "accepted")
        return workspace_read(workspace, membership)

    async def decline(self, user: User, invitation_id: uuid.UUID) -> None:
        invitation, _ = await self._addressed_to(user, invitation_id)
        await self._resolve(user, invitation, "declined")

    async def _resolve(self, user: User, invitation: Invitation, verb: str) -> None:
        await self.invitations.remove(invitation)
        await record_audit(
            self.session,
            f"invitation.{verb}",
            actor_id=user.id,
            workspace_id=invitation.workspace_id,
            target_type="invitation",
            target_id=invitation.id,
        )
        part = Part.MEMBERS if verb == "accepted" else Part.INVITATIONS
        workspace_changed(self.session, invitation.workspace_id, part, actor_id=user.id)
        tell_invitee(self.session, user.id, INVITATION_RESOLVED, invitation.id)

    async def _addressed_to(
        self, user: User, invitation_id: uuid.UUID
    ) -> tuple[Invitation, Workspace]:
        """Someone else's invitation is not found, so ids cannot be probed."""
        invitation = await self.invitations.get(invitation_id)
        if invitation is None or invitation.email != user.email.lower():
            raise NotFound("Invitation not found.", code="invitation_not_found")
        if invitation.expires_at <= utcnow():
            raise NotFound(
                "This invitation has expired; ask for a new one.", code="invitation_expired"
            )
        return invitation, await self._workspace(invitation.workspace_id)

    async def _workspace(self, workspace_id: uuid.UUID) -> Workspace:
        workspace = await self.workspaces.get(workspace_id)
        if workspace is None:
            raise NotFound("Workspace not found.", code="workspace_not_found")
        return workspace


def _email_conflict(detail: str, code: str) -> Conflict:
    """A 409 that names the e-mail field, so forms can show it next to the box."""
    return Conflict(detail, code=code, errors=[{"field": "email", "message": detail}])


def _read(invitation: Invitation, workspace: Workspace, inviter: User | None) -> InvitationRead:
    return InvitationRead(
        id=invitation.id,
        workspace_id=workspace.id,
        workspace_name=workspace.name,
        email=invitation.email,
        role=invitation.role,
        invited_by_name=inviter.display_name if inviter else None,
        created_at=invitation.created_at,
        expires_at=invitation.expires_at,
    )
