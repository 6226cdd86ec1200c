"""Webhooks (/notifications/webhooks): your endpoints and those of workspaces you
administer; create (the secret shown once), send a test event, rotate, disable, delete,
and each endpoint's delivery log with status, latency, the receiver's answer and
redeliver. Through ``WebhookService``, like the API; the log follows deliveries live."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from qdeck.events.bus import Event
from qdeck.notifications import email
from qdeck.notifications.catalog import EVENT_TYPES
from qdeck.notifications.delivery_models import DeliveryState
from qdeck.notifications.webhook_schemas import (
    DeliveryRead,
    EndpointCreate,
    EndpointRead,
    EndpointUpdate,
)
from qdeck.notifications.webhook_service import DELIVERY_ATTEMPTED
from qdeck.ui.components.badges import section_card
from qdeck.ui.components.forms import submit_form
from qdeck.ui.errors import attempt
from qdeck.ui.layout import PAGE_WAIT, frame, page_heading
from qdeck.ui.session import Viewer, current_viewer, to_log_in

OWN = "own"
_STATE_COLOURS = {
    DeliveryState.DELIVERED: "positive",
    DeliveryState.PENDING: "warning",
    DeliveryState.DELIVERING: "info",
    DeliveryState.FAILED: "negative",
    DeliveryState.DISABLED: "grey",
}
_FINAL = (DeliveryState.DELIVERED, DeliveryState.FAILED, DeliveryState.DISABLED)


@dataclass
class Scope:
    key: str
    label: str
    workspace_id: uuid.UUID | None


@dataclass
class Loaded:
    endpoints: list[EndpointRead] = field(default_factory=list)
    logs: dict[uuid.UUID, list[DeliveryRead]] = field(default_factory=dict)


def _when(value: Any) -> str:
    return f"{value:%Y-%m-%d %H:%M:%S} UTC" if value else "—"


class WebhooksPage:
    def __init__(self, viewer: Viewer, scopes: list[Scope]) -> None:
        self.viewer = viewer
        self.scopes = scopes
        self.scope = scopes[0]
        self.loaded = Loaded()

    async def load(self) -> None:
        user, where = self.viewer.user, self.scope.workspace_id
        async with self.viewer.qdeck.reading() as services:
            found = await services.webhooks.list(user, where)
            logs = {e.id: await services.webhooks.deliveries(user, e.id, where) for e in found}
        self.loaded = Loaded(
            [EndpointRead.model_validate(e) for e in found],
            {k: [DeliveryRead.model_validate(d) for d in v] for k, v in logs.items()},
        )

    async def reload(self) -> None:
        await self.load()
        self.endpoints_section.refresh()

    async def _write(self, call: Any) -> Any:
        async with self.viewer.qdeck.writing() as services:
            return await call(services.webhooks) or True

    def build(self) -> None:
        self.status_card()
        with ui.element("div").classes("grid w-full gap-5 lg:grid-cols-3 items-start"):
            with ui.column().classes("w-full gap-5 min-w-0"):
                self.create_card()
            with ui.column().classes("w-full gap-5 min-w-0 lg:col-span-2"):
                self.endpoints_section()
        # Outside the refreshed parts, so a dialog outlives the refresh that opens it.
        self.dialogs = ui.element("div")

    def status_card(self) -> None:
        settings = self.viewer.qdeck.settings
        status = ui.row().classes("w-full items-start gap-2 qd-muted text-sm no-wrap")
        with status.mark("channel-status"):
            if email.configured(settings):
                ui.icon("mark_email_read", size="20px").classes("text-positive")
                ui.label(f"E-mail is on (sent through {settings.smtp_host}).").classes("min-w-0")
            else:
                ui.icon("unsubscribe", size="20px")
                ui.label(
                    "E-mail is off: this server has no SMTP server configured "
                    "(QDECK_SMTP_HOST), so notifications arrive in the app and by webhook."
                ).classes("min-w-0")

    def create_card(self) -> None:
        with section_card("Add an endpoint", "qdeck POSTs signed JSON to it (Standard Webhooks)"):
            if len(self.scopes) > 1:
                ui.select(
                    {s.key: s.label for s in self.scopes},
                    value=self.scope.key,
                    label="For",
                    on_change=lambda e: self._switch(e.value),
                ).props("outlined dense").classes("w-full").mark("webhook-scope")
            url = (
                ui.input("URL", placeholder="https://example.org/hooks/qdeck")
                .props("outlined dense inputmode=url")
                .classes("w-full")
                .without_auto_validation()
                .mark("webhook-url")
            )
            description = (
                ui.input("Description (optional)")
                .props("outlined dense maxlength=200")
                .classes("w-full")
                .mark("webhook-description")
            )
            types = (
                ui.select(
                    {k: f"{e.title} ({k})" for k, e in EVENT_TYPES.items()},
                    multiple=True,
                    label="Event types (none: all)",
                )
                .props("outlined dense use-chips")
                .classes("w-full")
                .mark("webhook-types")
            )
            ui.button(
                "Add endpoint", icon="add", on_click=lambda: self._create(url, description, types)
            ).props("unelevated no-caps").mark("webhook-create")

    async def _switch(self, key: str) -> None:
        self.scope = next(s for s in self.scopes if s.key == key)
        await self.reload()

    async def _create(self, url: ui.input, description: ui.input, types: ui.select) -> None:
        body = EndpointCreate.model_construct(
            url=(url.value or "").strip(),
            description=(description.value or "").strip(),
            event_types=list(types.value or []),
        )
        user, where = self.viewer.user, self.scope.workspace_id
        made = await submit_form(
            self._write(lambda s: s.create(user, body, where)),
            {"url": url, "event_types": types, "description": description},
            fallback="url",
        )
        if not made:
            return
        url.value, description.value, types.value = "", "", []
        with self.dialogs:
            _secret_once(made[1], "Your endpoint's signing secret")
        await self.reload()

    @ui.refreshable_method
    def endpoints_section(self) -> None:
        endpoints = self.loaded.endpoints
        with section_card("Endpoints", self.scope.label).mark("webhook-endpoints"):
            if not endpoints:
                ui.label("No endpoints yet. Add one to get notifications as webhooks.").classes(
                    "qd-muted text-sm"
                )
            for endpoint in endpoints:
                self._endpoint(endpoint)

    def _endpoint(self, endpoint: EndpointRead) -> None:
        active = endpoint.state == "active"
        with (
            ui.column()
            .classes("w-full gap-2 py-3 border-b min-w-0")
            .style("border-color: var(--qd-border)")
            .mark(f"endpoint-{endpoint.id}")
        ):
            with ui.row().classes("w-full items-center gap-2 no-wrap min-w-0"):
                ui.icon("webhook", size="20px").classes("qd-muted")
                ui.label(endpoint.url).classes("font-medium break-all flex-1 min-w-0")
                ui.badge(endpoint.state, color="positive" if active else "grey").mark(
                    "endpoint-state"
                )
            kinds = ", ".join(endpoint.event_types) or "every event type"
            ui.label(
                f"{endpoint.description + ' · ' if endpoint.description else ''}{kinds}"
            ).classes("qd-muted text-xs break-words")
            if endpoint.disabled_reason:
                ui.label(endpoint.disabled_reason).classes("text-negative text-sm")
            if endpoint.previous_secret_expires_at:
                ui.label(
                    f"Old secret still signs until {_when(endpoint.previous_secret_expires_at)}"
                ).classes("qd-muted text-xs")
            with ui.row().classes("gap-1 flex-wrap"):
                test = ui.button(
                    "Send test event", icon="send", on_click=lambda: self._test(endpoint)
                )
                test.props("outline dense no-caps").mark("webhook-test").set_enabled(active)
                ui.button(
                    "Rotate secret", icon="autorenew", on_click=lambda: self._rotate(endpoint)
                ).props("flat dense no-caps").mark("webhook-rotate")
                ui.button(
                    "Disable" if active else "Enable",
                    on_click=lambda: self._toggle(endpoint),
                ).props("flat dense no-caps").mark("webhook-toggle")
                ui.button("Delete", on_click=lambda: self._delete(endpoint)).props(
                    f'flat dense no-caps color=negative aria-label="Delete {endpoint.url}"'
                ).mark("webhook-delete")
            self._log(endpoint, self.loaded.logs.get(endpoint.id, []))

    def _log(self, endpoint: EndpointRead, rows: list[DeliveryRead]) -> None:
        with (
            ui.expansion(f"Delivery log ({len(rows)})", value=bool(rows))
            .classes("w-full")
            .props("dense")
            .mark("delivery-log")
        ):
            if not rows:
                ui.label("Nothing sent yet.").classes("qd-muted text-sm")
            for row in rows:
                with (
                    ui.row()
                    .classes("w-full items-start gap-2 py-1 no-wrap min-w-0")
                    .mark(f"delivery-{row.event_type}")
                ):
                    ui.badge(row.state, color=_STATE_COLOURS.get(row.state, "grey")).classes("mt-1")
                    with ui.column().classes("gap-0 flex-1 min-w-0"):
                        status = row.last_status_code if row.last_status_code is not None else "—"
                        latency = (
                            f"{row.last_latency_ms} ms" if row.last_latency_ms is not None else "—"
                        )
                        ui.label(
                            f"{row.event_type} · HTTP {status} · {latency} · "
                            f"{row.attempts} attempt{'s' if row.attempts != 1 else ''}"
                        ).classes("text-sm").mark("delivery-summary")
                        ui.label(f"{_when(row.created_at)} · {row.message_id}").classes(
                            "qd-muted text-xs break-all"
                        )
                        if row.last_error:
                            ui.label(row.last_error).classes("text-negative text-xs break-words")
                        if row.last_response:
                            ui.label(row.last_response[:200]).classes(
                                "qd-pre text-xs w-full break-all"
                            ).style("white-space: pre-wrap").mark("delivery-response")
                    if row.state in _FINAL:
                        ui.button(
                            icon="replay", on_click=lambda r=row: self._redeliver(endpoint, r)
                        ).props(f'flat round dense aria-label="Redeliver {row.message_id}"')

    async def _test(self, endpoint: EndpointRead) -> None:
        user, where = self.viewer.user, self.scope.workspace_id
        if await attempt(
            self._write(lambda s: s.send_test(user, endpoint.id, None, where)),
            success="Test event queued",
        ):
            await self.reload()

    async def _rotate(self, endpoint: EndpointRead) -> None:
        user, where = self.viewer.user, self.scope.workspace_id
        made = await attempt(self._write(lambda s: s.rotate(user, endpoint.id, None, where)))
        if made:
            hours = self.viewer.qdeck.settings.webhook_rotation_overlap_hours
            with self.dialogs:
                _secret_once(made[1], f"New secret (the old one keeps signing for {hours:g} h)")
            await self.reload()

    async def _toggle(self, endpoint: EndpointRead) -> None:
        user, where = self.viewer.user, self.scope.workspace_id
        change = EndpointUpdate.model_construct(
            url=None, description=None, event_types=None, enabled=endpoint.state != "active"
        )
        if await attempt(self._write(lambda s: s.update(user, endpoint.id, change, where))):
            await self.reload()

    async def _delete(self, endpoint: EndpointRead) -> None:
        user, where = self.viewer.user, self.scope.workspace_id
        if await attempt(
            self._write(lambda s: s.delete(user, endpoint.id, where)), success="Endpoint deleted"
        ):
            await self.reload()

    async def _redeliver(self, endpoint: EndpointRead, row: DeliveryRead) -> None:
        user, where = self.viewer.user, self.scope.workspace_id
        if await attempt(
            self._write(lambda s: s.redeliver(user, endpoint.id, row.id, where)),
            success="Sending again",
        ):
            await self.reload()

    async def on_events(self, events: list[Event]) -> None:
        shown = {str(e.id) for e in self.loaded.endpoints}
        if any(e.type == DELIVERY_ATTEMPTED and e.data.get("endpoint_id") in shown for e in events):
            await self.reload()


def _secret_once(secret: str, title: str) -> None:
    with (
        ui.dialog().props("persistent") as dialog,
        ui.card().classes("qd-card w-full max-w-lg p-6 gap-3"),
    ):
        ui.label(title).classes("text-xl font-bold")
        ui.label(
            "Copy it now: receivers verify signatures with it, and qdeck will not show it again."
        ).classes("qd-muted text-sm")
        ui.label(secret).classes("qd-pre w-full break-all").style("white-space: normal").mark(
            "new-secret"
        )

        def copy() -> None:
            ui.clipboard.write(secret)
            ui.notify("Secret copied", type="positive")

        with ui.row().classes("w-full justify-end gap-2"):
            ui.button("Copy", icon="content_copy", on_click=copy).props("outline no-caps")
            ui.button("Done", on_click=dialog.close).props("unelevated no-caps").mark("secret-done")
    dialog.open()


async def _scopes(viewer: Viewer) -> list[Scope]:
    async with viewer.qdeck.reading() as services:
        managed = set(await services.webhooks.manageable_workspaces(viewer.user))
    scopes = [Scope(OWN, "Your own endpoints", None)]
    for workspace in viewer.workspaces:
        if workspace.id in managed and not workspace.is_personal:
            scopes.append(Scope(str(workspace.id), f"Workspace {workspace.name}", workspace.id))
    return scopes


def register() -> None:
    @ui.page("/notifications/webhooks", title="Webhooks · qdeck", response_timeout=PAGE_WAIT)
    async def webhooks_page(request: Request) -> RedirectResponse | None:
        viewer = await current_viewer(request)
        if viewer is None:
            return to_log_in(request)
        page = WebhooksPage(viewer, await _scopes(viewer))
        await page.load()
        with frame(viewer, "Webhooks", active="webhooks") as live:
            page_heading("Webhooks", "Your notifications as signed HTTP requests")
            page.build()
            live.on_events(page.on_events)
            live.on_resync(page.reload)
        return None
