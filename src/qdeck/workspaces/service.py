"""Workspaces and their members: create, list, invite, change roles, remove, leave."""

from __future__ import annotations

import re
import secrets
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.activity.service import record_activity
from qdeck.audit.service import record_audit
from qdeck.auth.models import User
from qdeck.auth.repository import UserRepository
from qdeck.db.keyset import PageRequest
from qdeck.errors import Conflict, InvalidInput, NotFound
from qdeck.events.access import AccessChange, announce_access_change
from qdeck.workspaces.access import Action, authorize
from qdeck.workspaces.changes import Part, workspace_changed
from qdeck.workspaces.models import Membership, Workspace
from qdeck.workspaces.repository import MembershipRepository, WorkspaceRepository
from qdeck.workspaces.roles import Role
from qdeck.workspaces.schemas import MemberRead, WorkspaceRead


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:100] or "workspace"


class WorkspaceService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.workspaces = WorkspaceRepository(session)
        self.members = MembershipRepository(session)

    async def create(
        self, actor: User, name: str, description: str = "", *, personal: bool = False
    ) -> WorkspaceRead:
        name = await self._usable_name(actor, name) if not personal else name
        workspace = await self.workspaces.add(
            Workspace(
                name=name,
                slug=await self._free_slug(name),
                description=description,
                is_personal=personal,
                created_by=actor.id,
            )
        )
        membership = await self.members.add(
            Membership(workspace_id=workspace.id, user_id=actor.id, role=Role.OWNER)
        )
        await record_audit(
            self.session, "workspace.created", actor_id=actor.id, workspace_id=workspace.id
        )
        return workspace_read(workspace, membership)

    async def create_personal(self, user: User) -> WorkspaceRead:
        # Display names may use all 100 characters; the workspace name may not exceed them.
        owner = user.display_name[: 100 - len("'s workspace")]
        return await self.create(user, f"{owner}'s workspace", personal=True)

    async def list_for(
        self, actor: User, page: PageRequest
    ) -> tuple[list[WorkspaceRead], str | None]:
        rows, cursor = await self.workspaces.list_for_user(actor.id, page)
        return [workspace_read(workspace, membership) for workspace, membership in rows], cursor

    async def get(self, actor: User, workspace_id: uuid.UUID) -> WorkspaceRead:
        membership = await authorize(self.session, actor.id, workspace_id, Action.VIEW)
        return workspace_read(await self._workspace(workspace_id), membership)

    async def update(
        self, actor: User, workspace_id: uuid.UUID, *, name: str | None, description: str | None
    ) -> WorkspaceRead:
        membership = await authorize(self.session, actor.id, workspace_id, Action.UPDATE_WORKSPACE)
        workspace = await self._workspace(workspace_id)
        if name is not None and name != workspace.name:
            workspace.name = await self._usable_name(actor, name, except_id=workspace_id)
        if description is not None:
            workspace.description = description
        await self.session.flush()
        workspace_changed(self.session, workspace_id, Part.SETTINGS, actor_id=actor.id)
        return workspace_read(workspace, membership)

    async def delete(self, actor: User, workspace_id: uuid.UUID) -> None:
        await authorize(self.session, actor.id, workspace_id, Action.DELETE_WORKSPACE)
        workspace = await self._workspace(workspace_id)
        if workspace.is_personal:
            raise Conflict(
                "A personal workspace cannot be deleted.", code="personal_workspace_locked"
            )
        await record_audit(
            self.session, "workspace.deleted", actor_id=actor.id, data={"id": str(workspace.id)}
        )
        await self.workspaces.delete(workspace)
        announce_access_change(
            self.session,
            AccessChange.WORKSPACE_DELETED,
            reason=f"{actor.display_name} deleted the workspace {workspace.name}",
            user_id=None,
            workspace_id=workspace_id,
        )

    async def list_members(
        self, actor: User, workspace_id: uuid.UUID, page: PageRequest
    ) -> tuple[list[MemberRead], str | None]:
        await authorize(self.session, actor.id, workspace_id, Action.VIEW)
        rows, cursor = await self.members.list_page(workspace_id, page)
        return [_member(membership, user) for membership, user in rows], cursor

    async def add_member(
        self, actor: User, workspace_id: uuid.UUID, email: str, role: Role
    ) -> MemberRead:
        await authorize(
            self.session,
            actor.id,
            workspace_id,
            Action.MANAGE_OWNERS if role == Role.OWNER else Action.MANAGE_MEMBERS,
        )
        workspace = await self._workspace(workspace_id)
        if workspace.is_personal:
            raise Conflict(
                "A personal workspace has only its owner; create a team workspace to invite "
                "others.",
                code="personal_workspace_locked",
            )
        user = await UserRepository(self.session).get_by_email(email)
        if user is None or not user.is_active:
            raise NotFound(
                f"No qdeck account uses the e-mail {email}; ask them to sign up first.",
                code="user_not_found",
            )
        if await self.members.get(workspace_id, user.id) is not None:
            raise Conflict(f"{email} is already a member.", code="already_member")
        membership = await self.members.add(
            Membership(workspace_id=workspace_id, user_id=user.id, role=role, invited_by=actor.id)
        )
        await record_audit(
            self.session,
            "member.added",
            actor_id=actor.id,
            workspace_id=workspace_id,
            target_type="user",
            target_id=user.id,
            data={"role": role.value},
        )
        await record_member_joined(self.session, workspace_id, user, role, actor_id=actor.id)
        return _member(membership, user)

    async def change_role(
        self, actor: User, workspace_id: uuid.UUID, user_id: uuid.UUID, role: Role
    ) -> MemberRead:
        membership = await self._target(actor, workspace_id, user_id, new_role=role)
        if membership.role == Role.OWNER and role != Role.OWNER:
            await self._keep_an_owner(workspace_id)
        old = membership.role
        membership.role = role
        await self.session.flush()
        await record_audit(
            self.session,
            "member.role_changed",
            actor_id=actor.id,
            workspace_id=workspace_id,
            target_type="user",
            target_id=user_id,
            data={"from": old.value, "to": role.value},
        )
        announce_access_change(
            self.session,
            AccessChange.ROLE_CHANGED,
            reason=f"{actor.display_name} changed the role from {old.value} to {role.value}",
            user_id=user_id,
            workspace_id=workspace_id,
        )
        workspace_changed(self.session, workspace_id, Part.MEMBERS, actor_id=actor.id)
        user = await UserRepository(self.session).get(user_id)
        assert user is not None
        return _member(membership, user)

    async def remove_member(self, actor: User, workspace_id: uuid.UUID, user_id: uuid.UUID) -> None:
        if user_id == actor.id:
            await self.leave(actor, workspace_id)
            return
        membership = await self._target(actor, workspace_id, user_id, new_role=None)
        await self._drop(actor, membership, verb="removed")

    async def leave(self, actor: User, workspace_id: uuid.UUID) -> None:
        membership = await authorize(self.session, actor.id, workspace_id, Action.VIEW)
        workspace = await self._workspace(workspace_id)
        if workspace.is_personal:
            raise Conflict(
                "You cannot leave your personal workspace.", code="personal_workspace_locked"
            )
        await self._drop(actor, membership, verb="left")

    async def _drop(self, actor: User, membership: Membership, *, verb: str) -> None:
        if membership.role == Role.OWNER:
            await self._keep_an_owner(membership.workspace_id)
        user = await UserRepository(self.session).get(membership.user_id)
        await self.members.remove(membership)
        await record_audit(
            self.session,
            f"member.{verb}",
            actor_id=actor.id,
            workspace_id=membership.workspace_id,
            target_type="user",
            target_id=membership.user_id,
        )
        await record_activity(
            self.session,
            membership.workspace_id,
            "member.left",
            actor_id=actor.id,
            subject_type="user",
            subject_id=membership.user_id,
            summary=f"{user.display_name if user else 'A member'} {verb} the workspace",
        )
        announce_access_change(
            self.session,
            AccessChange.MEMBER_REMOVED,
            reason=f"{actor.display_name} removed you" if verb == "removed" else "you left",
            user_id=membership.user_id,
            workspace_id=membership.workspace_id,
        )
        workspace_changed(self.session, membership.workspace_id, Part.MEMBERS, actor_id=actor.id)

    async def _target(
        self, actor: User, workspace_id: uuid.UUID, user_id: uuid.UUID, *, new_role: Role | None
    ) -> Membership:
        """The membership an admin acts on; touching an owner takes an owner."""
        await authorize(self.session, actor.id, workspace_id, Action.MANAGE_MEMBERS)
        membership = await self.members.get(workspace_id, user_id)
        if membership is None:
            raise NotFound("That user is not a member of this workspace.", code="member_not_found")
        if Role.OWNER in (membership.role, new_role):
            await authorize(self.session, actor.id, workspace_id, Action.MANAGE_OWNERS)
        return membership

    async def _keep_an_owner(self, workspace_id: uuid.UUID) -> None:
        if await self.members.count_owners(workspace_id) <= 1:
            raise Conflict(
                "A workspace needs at least one owner; make someone else owner first.",
                code="last_owner",
            )

    async def _usable_name(
        self, actor: User, name: str, *, except_id: uuid.UUID | None = None
    ) -> str:
        """Names are unique among the workspaces a person belongs to (ignoring case), so
        the switcher never shows two alike; two different teams may share a name."""
        name = name.strip()
        if not name:
            raise InvalidInput(
                "Give the workspace a name.",
                code="workspace_name_required",
                errors=[{"field": "name", "message": "must not be blank"}],
            )
        if await self.workspaces.name_taken_for(actor.id, name, except_id=except_id):
            raise Conflict(
                f"You already have a workspace named {name!r}; choose another name.",
                code="workspace_name_taken",
                errors=[{"field": "name", "message": "already used by one of your workspaces"}],
            )
        return name

    async def _workspace(self, workspace_id: uuid.UUID) -> Workspace:
        workspace = await self.workspaces.get(workspace_id)
        if workspace is None:
            raise NotFound("Workspace not found.", code="workspace_not_found")
        return workspace

    async def _free_slug(self, name: str) -> str:
        base = slugify(name)
        slug = base
        while await self.workspaces.slug_taken(slug):
            slug = f"{base}-{secrets.token_hex(3)}"
        return slug


def workspace_read(workspace: Workspace, membership: Membership) -> WorkspaceRead:
    return WorkspaceRead(
        id=workspace.id,
        name=workspace.name,
        slug=workspace.slug,
        description=workspace.description,
        is_personal=workspace.is_personal,
        created_at=workspace.created_at,
        role=membership.role,
    )


def _member(membership: Membership, user: User) -> MemberRead:
    return MemberRead(
        user_id=user.id,
        email=user.email,
        display_name=user.display_name,
        role=membership.role,
        joined_at=membership.created_at,
    )


async def record_member_joined(
    session: AsyncSession, workspace_id: uuid.UUID, user: User, role: Role, *, actor_id: uuid.UUID
) -> None:
    """The feed entry for a new member, however they came in (added or invited)."""
    await record_activity(
        session,
        workspace_id,
        "member.joined",
        actor_id=actor_id,
        subject_type="user",
        subject_id=user.id,
        summary=f"{user.display_name} joined as {role.value}",
    )
