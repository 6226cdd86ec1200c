"""Notification settings (/notifications/settings): which events reach you on which
channel (the catalog's defaults shown), per-workspace overrides, digests per channel,
quiet hours in your time zone, and the shown workspace's daily usage quota for its
admins. Says so when this server has no SMTP host. Through ``NotificationService``,
like ``PUT /api/v1/notifications/preferences``."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui
from pydantic import ValidationError

from qdeck.notifications.catalog import CHANNELS, EVENT_TYPES, ROUTED_CHANNELS
from qdeck.notifications.schemas import (
    PreferencesRead,
    PreferencesUpdate,
    UsageQuotaRead,
    UsageQuotaUpdate,
)
from qdeck.notifications.timing import zone_names
from qdeck.ui.components.badges import section_card
from qdeck.ui.components.forms import submit_form
from qdeck.ui.errors import attempt
from qdeck.ui.layout import PAGE_WAIT, frame, page_heading
from qdeck.ui.session import Viewer, current_viewer, to_log_in
from qdeck.workspaces.roles import Role

CHANNEL_LABELS = {"in_app": "In-app", "email": "E-mail", "webhook": "Webhook"}
DIGESTS = {"immediate": "At once", "hourly": "Hourly digest", "daily": "Daily digest"}
# "Default": the person's own choice for the event type applies.
OVERRIDE = {"default": "Default", "on": "On", "off": "Off"}
HOURS = {h: f"{h:02d}:00" for h in range(24)}


def _clock(text: str | None) -> str | None:
    return text or None


class NotificationSettingsPage:
    def __init__(
        self, viewer: Viewer, prefs: PreferencesRead, quota: UsageQuotaRead | None
    ) -> None:
        self.viewer = viewer
        self.prefs = prefs
        self.quota = quota
        self.switches: dict[tuple[str, str], ui.switch] = {}
        self.overrides: dict[tuple[str, str], ui.select] = {}
        self.override_ws = str(viewer.workspace.id)

    def build(self) -> None:
        page_heading("Notification settings", "What reaches you, where, and when")
        if not self.prefs.email_configured:
            with (
                ui.card().classes("qd-card w-full p-3").mark("email-off"),
                ui.row().classes("items-center gap-2 no-wrap"),
            ):
                ui.icon("mail_lock", color="warning", size="22px")
                ui.label(
                    "E-mail is not configured on this server: notifications stay in the app "
                    "and go to your webhooks. An administrator can set QDECK_SMTP_HOST."
                ).classes("text-sm")
        self._matrix()
        self._timing()
        self._workspace_overrides()
        ui.button("Save settings", icon="save", on_click=self.save).props(
            "unelevated no-caps"
        ).mark("save-notification-settings")
        if self.quota is not None:
            self._quota()

    def _matrix(self) -> None:
        with section_card("What reaches you", "Defaults follow severity: errors go everywhere"):
            groups: dict[str, list] = {}
            for t in self.prefs.event_types:
                groups.setdefault(t.group, []).append(t)
            for group, types in groups.items():
                ui.label(group).classes("text-sm font-semibold mt-2")
                for t in types:
                    with (
                        ui.row()
                        .classes("w-full items-center gap-2 py-1 border-b")
                        .style("border-color: var(--qd-border)")
                    ):
                        with ui.column().classes("gap-0 flex-1 min-w-[12rem]"):
                            ui.label(t.title).classes("text-sm font-medium")
                            defaults = ", ".join(
                                CHANNEL_LABELS[c] for c in CHANNELS if t.defaults[c]
                            )
                            urgent = " · urgent: ignores quiet hours" if t.urgent else ""
                            ui.label(f"Default: {defaults or 'off'}{urgent}").classes(
                                "text-xs qd-muted"
                            )
                        with ui.row().classes("gap-1 no-wrap"):
                            for c in CHANNELS:
                                switch = ui.switch(CHANNEL_LABELS[c], value=t.channels[c]).props(
                                    f'dense aria-label="{CHANNEL_LABELS[c]} for {t.title}"'
                                )
                                switch.classes("text-xs").mark(f"pref-{t.key}-{c}")
                                self.switches[(t.key, c)] = switch

    def _timing(self) -> None:
        prefs = self.prefs
        with section_card("When", "Quiet hours and digests hold e-mail and webhooks back"):
            self.zone = (
                ui.select(zone_names(), value=prefs.time_zone, label="Time zone", with_input=True)
                .props("outlined options-dense")
                .classes("w-full max-w-md")
                .mark("notification-time-zone")
            )
            quiet = prefs.quiet_hours or {}
            self.quiet_on = ui.switch("Quiet hours", value=bool(prefs.quiet_hours)).mark(
                "quiet-hours"
            )
            with ui.row().classes("gap-3 flex-wrap").bind_visibility_from(self.quiet_on, "value"):
                self.quiet_start = (
                    ui.input("From", value=quiet.get("start", "22:00"))
                    .props("outlined dense type=time")
                    .classes("w-36")
                    .mark("quiet-start")
                )
                self.quiet_end = (
                    ui.input("Until", value=quiet.get("end", "07:00"))
                    .props("outlined dense type=time")
                    .classes("w-36")
                    .mark("quiet-end")
                )
            self.digests = {}
            with ui.row().classes("gap-3 flex-wrap"):
                for c in ROUTED_CHANNELS:
                    self.digests[c] = (
                        ui.select(DIGESTS, value=prefs.digests[c].value, label=CHANNEL_LABELS[c])
                        .props("outlined dense options-dense")
                        .classes("w-48")
                        .mark(f"digest-{c}")
                    )
                self.daily_hour = (
                    ui.select(HOURS, value=prefs.daily_digest_hour, label="Daily digest at")
                    .props("outlined dense options-dense")
                    .classes("w-40")
                    .mark("daily-hour")
                )

    def _workspace_overrides(self) -> None:
        names = {str(w.id): w.name for w in self.viewer.workspaces}
        with section_card(
            "Per workspace", "Overrides for one workspace, above your own choices"
        ) as card:
            card.mark("workspace-overrides")
            ui.select(
                names, value=self.override_ws, label="Workspace", on_change=self._pick_workspace
            ).props("outlined dense options-dense").classes("w-full max-w-md").mark(
                "override-workspace"
            )
            self.override_box = ui.column().classes("w-full gap-1")
            self._render_overrides()

    def _current_overrides(self) -> dict[str, dict[str, bool]]:
        for w in self.prefs.workspaces:
            if str(w.workspace_id) == self.override_ws:
                return w.overrides
        return {}

    def _render_overrides(self) -> None:
        self.override_box.clear()
        self.overrides = {}
        current = self._current_overrides()
        with self.override_box:
            for t in EVENT_TYPES.values():
                with ui.row().classes("w-full items-center gap-2 flex-wrap"):
                    ui.label(t.title).classes("text-sm flex-1 min-w-[10rem]")
                    for c in CHANNELS:
                        chosen = current.get(t.key, {}).get(c)
                        value = "default" if chosen is None else ("on" if chosen else "off")
                        select = (
                            ui.select(OVERRIDE, value=value, label=CHANNEL_LABELS[c])
                            .props("dense outlined options-dense")
                            .props(f'aria-label="{CHANNEL_LABELS[c]} for {t.title}"')
                            .classes("w-32")
                            .mark(f"override-{t.key}-{c}")
                        )
                        self.overrides[(t.key, c)] = select

    async def _pick_workspace(self, event: Any) -> None:
        self.override_ws = event.value
        self._render_overrides()

    def _update(self) -> PreferencesUpdate:
        loaded = {(t.key, c): t.channels[c] for t in self.prefs.event_types for c in CHANNELS}
        channels: dict[str, dict[str, bool]] = {}
        for key, switch in self.switches.items():
            if bool(switch.value) != loaded[key]:
                channels.setdefault(key[0], {})[key[1]] = bool(switch.value)
        current = self._current_overrides()
        overrides: dict[str, dict[str, bool | None]] = {}
        for (kind, channel), select in self.overrides.items():
            wanted = {"default": None, "on": True, "off": False}[select.value]
            if wanted != current.get(kind, {}).get(channel):
                overrides.setdefault(kind, {})[channel] = wanted
        quiet = (
            {"start": self.quiet_start.value, "end": self.quiet_end.value}
            if self.quiet_on.value
            else None
        )
        values: dict[str, Any] = {
            "channels": channels,
            "time_zone": self.zone.value or "",
            "quiet_hours": quiet,
            "digests": {c: s.value for c, s in self.digests.items()},
            "daily_digest_hour": self.daily_hour.value,
        }
        if overrides:
            values["workspaces"] = {uuid.UUID(self.override_ws): overrides}
        return PreferencesUpdate(**values)

    async def save(self) -> None:
        try:
            update = self._update()
        except ValidationError as exc:
            fields = ", ".join(str(e["loc"][0]) for e in exc.errors())
            ui.notify(f"Check these settings: {fields}", type="negative")
            return

        async def change() -> PreferencesRead:
            async with self.viewer.qdeck.writing() as services:
                return await services.notifications.update_preferences(self.viewer.user, update)

        saved = await submit_form(
            change(), {"time_zone": self.zone}, success="Notification settings saved"
        )
        if saved is not None:
            self.prefs = saved
            self._render_overrides()

    def _quota(self) -> None:
        quota = self.quota
        assert quota is not None
        with section_card(
            f"Daily usage quota of {self.viewer.workspace.name}",
            f"Today (UTC): {quota.jobs_today} jobs, {quota.shots_today:,} shots. "
            "Owners and admins hear at 80 % and 100 %.",
        ) as card:
            card.mark("usage-quota")
            with ui.row().classes("gap-3 flex-wrap items-end"):
                jobs = (
                    ui.number("Jobs per day", value=quota.daily_job_quota, min=1, precision=0)
                    .props("outlined dense clearable")
                    .classes("w-44")
                    .mark("quota-jobs")
                )
                shots = (
                    ui.number("Shots per day", value=quota.daily_shot_quota, min=1, precision=0)
                    .props("outlined dense clearable")
                    .classes("w-44")
                    .mark("quota-shots")
                )

                async def save_quota() -> None:
                    try:
                        update = UsageQuotaUpdate(
                            daily_job_quota=int(jobs.value) if jobs.value else None,
                            daily_shot_quota=int(shots.value) if shots.value else None,
                        )
                    except (ValidationError, ValueError):
                        ui.notify("Quotas are whole numbers of at least 1.", type="negative")
                        return
                    async with self.viewer.qdeck.writing() as services:
                        await attempt(
                            services.notifications.set_usage_quota(
                                self.viewer.user, self.viewer.workspace.id, update
                            ),
                            success="Quota saved",
                        )

                ui.button("Save quota", on_click=save_quota).props("outline no-caps").mark(
                    "save-quota"
                )


def register() -> None:
    @ui.page(
        "/notifications/settings", title="Notification settings · qdeck", response_timeout=PAGE_WAIT
    )
    async def notification_settings_page(request: Request) -> RedirectResponse | None:
        viewer = await current_viewer(request)
        if viewer is None:
            return to_log_in(request)
        admin = viewer.workspace.role in (Role.OWNER, Role.ADMIN)
        async with viewer.qdeck.reading() as services:
            prefs = await services.notifications.preferences(viewer.user)
            quota = (
                await services.notifications.usage_quota(viewer.user, viewer.workspace.id)
                if admin
                else None
            )
        with frame(viewer, "Notification settings", active="notification-settings"):
            NotificationSettingsPage(viewer, prefs, quota).build()
        return None
