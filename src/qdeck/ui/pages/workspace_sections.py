"""The sections of the workspace settings page: projects, members, invitations, and
leaving or deleting. Each takes the page (``SettingsPage``) for its data and actions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nicegui import ui
from pydantic import ValidationError

from qdeck.ui.components.badges import section_card
from qdeck.ui.components.forms import submit_form
from qdeck.ui.errors import attempt
from qdeck.workspaces.access import Action
from qdeck.workspaces.roles import Role
from qdeck.workspaces.schemas import InvitationCreate, MemberRead, ProjectSummary

if TYPE_CHECKING:
    from qdeck.ui.pages.workspace_settings import SettingsPage

ROLE_LABELS = {
    Role.VIEWER: "Viewer: sees everything",
    Role.MEMBER: "Member: submits jobs",
    Role.ADMIN: "Admin: manages members",
    Role.OWNER: "Owner: everything",
}
ROW = "w-full items-center gap-3 py-2 border-b no-wrap"


def _row() -> ui.row:
    return ui.row().classes(ROW).style("border-color: var(--qd-border)")


def projects_section(page: SettingsPage) -> None:
    view = page.view
    with section_card("Projects", "Archived projects leave the pickers; their jobs stay"):
        if view.can(Action.CREATE_PROJECT):
            with ui.row().classes("w-full items-start gap-2"):
                name = (
                    ui.input("New project name")
                    .props("outlined dense")
                    .classes("flex-1 min-w-48 max-w-md")
                    .mark("project-name")
                )

                async def create() -> None:
                    async def make(services: Any) -> Any:
                        return await services.projects.create(
                            page.viewer.user, view.workspace.id, name.value, ""
                        )

                    if await submit_form(
                        page.write(make), {"name": name}, fallback="name", success="Project created"
                    ):
                        await page.reload()

                name.on("keydown.enter", create)
                ui.button("Create project", icon="add", on_click=create).props(
                    "unelevated no-caps"
                ).mark("create-project")
        if not view.projects:
            ui.label("No projects yet.").classes("qd-muted text-sm")
        for project in view.projects:
            _project_row(page, project)


def _project_row(page: SettingsPage, project: ProjectSummary) -> None:
    archived = project.archived_at is not None
    with _row().mark(f"project-{project.name}"):
        ui.icon("inventory_2" if archived else "folder", color="primary", size="22px")
        with ui.column().classes("gap-0 flex-1 min-w-0"):
            ui.label(project.name).classes("font-medium break-words")
            jobs = f"{project.job_count} job" + ("" if project.job_count == 1 else "s")
            ui.link(jobs, f"/jobs?project={project.id}").classes("qd-link text-sm")
        if archived:
            ui.chip("archived", icon="inventory_2").props("dense square").classes("text-xs")
        if not page.view.can(Action.UPDATE_PROJECT):
            return
        with (
            ui.button(icon="more_vert").props(
                f'flat round dense aria-label="Actions for project {project.name}"'
            ),
            ui.menu(),
        ):
            ui.menu_item("Rename", on_click=lambda: _rename_project(page, project))
            ui.menu_item(
                "Restore" if archived else "Archive",
                on_click=lambda: page.act(
                    lambda s: s.projects.update(
                        page.viewer.user,
                        project.id,
                        name=None,
                        description=None,
                        archived=not archived,
                    ),
                    success="Project restored" if archived else "Project archived",
                ),
            )


def _rename_project(page: SettingsPage, project: ProjectSummary) -> None:
    with ui.dialog() as dialog, ui.card().classes("qd-card w-full max-w-md p-6 gap-3"):
        ui.label(f"Rename {project.name}").classes("text-xl font-bold")
        name = ui.input("Project name", value=project.name).props("outlined").classes("w-full")

        async def save() -> None:
            async def rename(services: Any) -> Any:
                return await services.projects.update(
                    page.viewer.user, project.id, name=name.value, description=None
                )

            if await submit_form(page.write(rename), {"name": name}, fallback="name"):
                dialog.close()
                await page.reload()

        with ui.row().classes("w-full justify-end gap-2"):
            ui.button("Cancel", on_click=dialog.close).props("flat no-caps")
            ui.button("Rename", on_click=save).props("unelevated no-caps")
    dialog.open()


def members_section(page: SettingsPage) -> None:
    view = page.view
    count = len(view.members)
    with section_card("Members", f"{count} {'person' if count == 1 else 'people'}"):
        for member in view.members:
            _member_row(page, member)


def _member_row(page: SettingsPage, member: MemberRead) -> None:
    view = page.view
    me = member.user_id == page.viewer.user.id
    owners_ok = view.can(Action.MANAGE_OWNERS)
    manage = view.can(Action.MANAGE_MEMBERS) and (owners_ok or member.role != Role.OWNER)
    with _row().classes("flex-wrap sm:flex-nowrap").mark(f"member-{member.email}"):
        initials = "".join(p[0] for p in member.display_name.split()[:2]).upper() or "?"
        ui.avatar(initials, color="primary", text_color="white", size="34px", font_size="13px")
        with ui.column().classes("gap-0 flex-1 min-w-0"):
            ui.label(member.display_name + (" (you)" if me else "")).classes("font-medium")
            ui.label(member.email).classes("qd-muted text-xs break-all")
        if not manage or view.workspace.is_personal:
            ui.chip(member.role.value).props("dense square").classes("text-xs")
            return
        roles = [r for r in Role if owners_ok or r != Role.OWNER]
        select = (
            ui.select({r.value: ROLE_LABELS[r] for r in roles}, value=member.role.value)
            .props(f'outlined dense options-dense aria-label="Role of {member.display_name}"')
            .classes("w-full sm:w-56")
            .mark(f"role-{member.email}")
        )

        async def change(event: Any) -> None:
            if event.value == member.role.value:
                return

            async def set_role(services: Any) -> Any:
                return await services.workspaces.change_role(
                    page.viewer.user, view.workspace.id, member.user_id, Role(event.value)
                )

            done = await submit_form(
                page.write(set_role), {"role": select}, fallback="role", success="Role changed"
            )
            if done:
                await page.reload()
                return
            # Nothing changed: show the role it still has, and why, next to the box.
            message = select.error
            select.value = member.role.value
            select.error = message

        select.on_value_change(change)
        if not me:
            ui.button(
                icon="person_remove",
                on_click=lambda: page.act(
                    lambda s: s.workspaces.remove_member(
                        page.viewer.user, view.workspace.id, member.user_id
                    ),
                    success=f"{member.display_name} removed",
                ),
            ).props(f'flat round color=negative aria-label="Remove {member.display_name}"')


def invitations_section(page: SettingsPage) -> None:
    view = page.view
    owners_ok = view.can(Action.MANAGE_OWNERS)
    with section_card(
        "Invite people",
        "An invitation waits until it is accepted; someone without an account finds it "
        "after signing up with that address.",
    ):
        with ui.row().classes("w-full items-start gap-2"):
            email = (
                ui.input("E-mail address")
                .props('outlined dense type=email autocomplete="off"')
                .classes("flex-1 min-w-56")
                .mark("invite-email")
            )
            roles = [r for r in Role if owners_ok or r != Role.OWNER]
            role = (
                ui.select({r.value: r.value.capitalize() for r in roles}, value="member")
                .props('outlined dense aria-label="Role"')
                .classes("w-32")
                .mark("invite-role")
            )

            async def invite() -> None:
                try:
                    body = InvitationCreate(email=email.value.strip(), role=Role(role.value))
                except ValidationError:
                    email.error = "Enter an e-mail address like name@example.org."
                    return

                async def send(services: Any) -> Any:
                    return await services.invitations.invite(
                        page.viewer.user, view.workspace.id, str(body.email), body.role
                    )

                sent = await submit_form(
                    page.write(send), {"email": email}, fallback="email", success="Invitation sent"
                )
                if sent:
                    await page.reload()

            email.on("keydown.enter", invite)
            ui.button("Invite", icon="send", on_click=invite).props("unelevated no-caps").mark(
                "send-invitation"
            )
        if view.invitations:
            ui.label("Pending").classes("text-sm font-semibold mt-2")
        for item in view.invitations:
            with _row().mark(f"pending-{item.email}"):
                ui.icon("schedule_send", size="20px").classes("qd-muted")
                with ui.column().classes("gap-0 flex-1 min-w-0"):
                    ui.label(item.email).classes("font-medium break-all")
                    ui.label(
                        f"{item.role.value} · invited by {item.invited_by_name or 'someone'}"
                        f" · until {item.expires_at:%b %d}"
                    ).classes("qd-muted text-xs")
                ui.button(
                    "Revoke",
                    on_click=lambda i=item: page.act(
                        lambda s: s.invitations.revoke(page.viewer.user, view.workspace.id, i.id),
                        success="Invitation revoked",
                    ),
                ).props("flat no-caps color=negative")


def danger_zone(page: SettingsPage) -> None:
    view = page.view
    with section_card("Leave or delete"), ui.row().classes("w-full items-center gap-3"):
        ui.button("Leave workspace", icon="logout", on_click=lambda: _leave(page)).props(
            "outline no-caps"
        ).mark("leave-workspace")
        if view.can(Action.DELETE_WORKSPACE):
            ui.button(
                "Delete workspace", icon="delete", on_click=lambda: _delete_dialog(page)
            ).props("unelevated no-caps color=negative").mark("delete-workspace")


async def _leave(page: SettingsPage) -> None:
    async def leave(services: Any) -> Any:
        return await services.workspaces.leave(page.viewer.user, page.view.workspace.id)

    if await attempt(page.write(leave), success="You left the workspace"):
        ui.navigate.to("/dashboard")


def _delete_dialog(page: SettingsPage) -> None:
    workspace = page.view.workspace
    with ui.dialog() as dialog, ui.card().classes("qd-card w-full max-w-md p-6 gap-3"):
        ui.label(f"Delete {workspace.name}?").classes("text-xl font-bold")
        ui.label(
            "Its projects, jobs, sessions and results are deleted for everyone. "
            "This cannot be undone. Type the workspace name to confirm."
        ).classes("qd-muted text-sm")
        typed = ui.input("Workspace name").props("outlined").classes("w-full").mark("confirm-name")
        confirm = ui.button("Delete for everyone").props("unelevated no-caps color=negative")
        confirm.mark("confirm-delete")
        confirm.bind_enabled_from(typed, "value", backward=lambda v: (v or "") == workspace.name)

        async def delete() -> None:
            async def remove(services: Any) -> Any:
                return await services.workspaces.delete(page.viewer.user, workspace.id)

            if await attempt(page.write(remove), success=f"{workspace.name} deleted"):
                dialog.close()
                ui.navigate.to("/dashboard")

        confirm.on_click(delete)
        ui.button("Cancel", on_click=dialog.close).props("flat no-caps")
    dialog.open()
