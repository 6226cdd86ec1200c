"""The account page's credentials: the IBM Quantum token (in the vault) and API tokens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nicegui import ui

from qdeck.auth.models import ApiToken
from qdeck.backends.schemas import IbmAccountCheck
from qdeck.db.keyset import PageRequest
from qdeck.errors import InvalidInput
from qdeck.ui.components.badges import section_card
from qdeck.ui.components.forms import submit_form
from qdeck.ui.errors import attempt
from qdeck.ui.session import Viewer
from qdeck.vault.models import UserSecret
from qdeck.vault.schemas import SecretName

IBM = SecretName.IBM_QUANTUM_TOKEN


@dataclass
class Secrets:
    ibm: UserSecret | None
    tokens: list[ApiToken]


async def load_secrets(viewer: Viewer) -> Secrets:
    async with viewer.qdeck.reading() as services:
        stored = await services.vault.list(viewer.user.id)
        tokens, _ = await services.auth.list_api_tokens(viewer.user, PageRequest(limit=100))
    ibm = next((s for s in stored if s.name == IBM.value), None)
    return Secrets(ibm, [t for t in tokens if t.revoked_at is None])


def _when(value: Any) -> str:
    return f"{value:%Y-%m-%d %H:%M} UTC" if value else "never"


class AccountSecrets:
    def __init__(self, viewer: Viewer, secrets: Secrets) -> None:
        self.viewer = viewer
        self.secrets = secrets

    def build(self) -> None:
        self.ibm_section()
        self.tokens_section()
        # Outside the refreshed sections, so a dialog outlives the refresh that opens it.
        self.dialogs = ui.element("div")

    async def reload(self) -> None:
        self.secrets = await load_secrets(self.viewer)
        self.ibm_section.refresh()
        self.tokens_section.refresh()

    async def _write(self, call: Any) -> Any:
        async with self.viewer.qdeck.writing() as services:
            return await call(services) or True

    async def _check(self) -> IbmAccountCheck:
        """The stored token tried now (what POST /backends/providers/ibm_quantum/check does)."""
        async with self.viewer.qdeck.reading() as services:
            return await services.backends.check_ibm(self.viewer.user.id)

    @ui.refreshable_method
    def ibm_section(self) -> None:
        stored = self.secrets.ibm
        hint = f"ending …{stored.hint}" if stored and stored.hint else "stored"
        subtitle = f"A token is {hint}, encrypted" if stored else "Run jobs on IBM hardware"
        with section_card("IBM Quantum token", subtitle):
            token = (
                ui.input("IBM Quantum API token", password=True)
                .props('outlined autocomplete="off" hint="From quantum.cloud.ibm.com"')
                .classes("w-full")
                .without_auto_validation()
                .mark("ibm-token")
            )
            result = ui.label().classes("text-sm").mark("ibm-result")
            with ui.row().classes("gap-2"):
                ui.button("Save and test", on_click=lambda: self._save_ibm(token, result)).props(
                    "unelevated no-caps"
                ).mark("save-ibm")
                if stored:
                    ui.button("Test", on_click=lambda: self._test_ibm(result)).props(
                        "outline no-caps"
                    ).mark("test-ibm")
                    ui.button("Remove", on_click=self._remove_ibm).props(
                        "flat no-caps color=negative"
                    ).mark("remove-ibm")

    async def _save_ibm(self, token: ui.input, result: ui.label) -> None:
        """Store, then test; a token IBM refuses is taken out again, the old one restored."""
        value = (token.value or "").strip()
        settings = self.viewer.qdeck.settings
        user_id = self.viewer.user.id

        async def store(services: Any) -> Any:
            if not value or any(c.isspace() for c in value):
                raise InvalidInput(
                    "Paste the token without spaces.",
                    errors=[{"field": "value", "message": "empty or has spaces"}],
                )
            vault = services.vault
            previous = await vault.get(user_id, IBM)
            await vault.put(user_id, IBM, value)
            return previous or ""

        previous = await submit_form(self._write(store), {"value": token}, fallback="value")
        if previous is None:
            return
        check = await self._check()
        if not check.ok and not (check.error or {}).get("transient"):
            await self._write(lambda s: _restore(s, settings, user_id, previous))
            token.error = f"IBM Quantum refused this token: {_reason(check)}. Nothing was saved."
            return
        await self.reload()
        ui.notify("Token saved", type="positive")

    async def _test_ibm(self, result: ui.label) -> None:
        check = await self._check()
        if check.ok:
            where = f" ({check.instance})" if check.instance else ""
            result.set_text(f"Works{where}: {len(check.backends)} devices available.")
            result.classes(replace="text-sm text-positive")
        else:
            result.set_text(f"Does not work: {_reason(check)}.")
            result.classes(replace="text-sm text-negative")

    async def _remove_ibm(self) -> None:
        removed = await attempt(
            self._write(lambda s: s.vault.delete(self.viewer.user.id, IBM)),
            success="IBM Quantum token removed",
        )
        if removed:
            await self.reload()

    @ui.refreshable_method
    def tokens_section(self) -> None:
        with section_card("API tokens", "For scripts, the CLI and the Python SDK"):
            with ui.row().classes("w-full items-start gap-2 no-wrap"):
                name = (
                    ui.input("Token name", placeholder="e.g. laptop CLI")
                    .props("outlined dense maxlength=100")
                    .classes("flex-1")
                    .mark("token-name")
                )
                ui.button("Create token", on_click=lambda: self._create_token(name)).props(
                    "unelevated no-caps"
                ).mark("create-token")
            if not self.secrets.tokens:
                ui.label("No API tokens.").classes("qd-muted text-sm")
            for item in self.secrets.tokens:
                with (
                    ui.row()
                    .classes("w-full items-center gap-3 py-2 border-b no-wrap")
                    .style("border-color: var(--qd-border)")
                    .mark(f"token-{item.name}")
                ):
                    ui.icon("key", size="20px").classes("qd-muted")
                    with ui.column().classes("gap-0 flex-1 min-w-0"):
                        ui.label(f"{item.name}").classes("font-medium break-words")
                        ui.label(
                            f"{item.prefix}… · created {_when(item.created_at)} · "
                            f"last used {_when(item.last_used_at)}"
                        ).classes("qd-muted text-xs")
                    ui.button("Revoke", on_click=lambda t=item: self._revoke(t)).props(
                        f'flat no-caps color=negative aria-label="Revoke {item.name}"'
                    )

    async def _create_token(self, name: ui.input) -> None:
        label = (name.value or "").strip()
        if not label:
            name.error = "Name the token, so you can tell it apart later."
            return

        async def create(services: Any) -> Any:
            return await services.auth.create_api_token(self.viewer.user, label, None)

        made = await submit_form(self._write(create), {"name": name}, fallback="name")
        if made:
            with self.dialogs:
                _show_once(made[1])
            await self.reload()

    async def _revoke(self, token: ApiToken) -> None:
        done = await attempt(
            self._write(lambda s: s.auth.revoke_api_token(self.viewer.user, token.id)),
            success=f"Token {token.name} revoked",
        )
        if done:
            await self.reload()


async def _restore(services: Any, settings: Any, user_id: Any, previous: str) -> None:
    vault = services.vault
    if previous:
        await vault.put(user_id, IBM, previous)
    else:
        await vault.delete(user_id, IBM)


def _reason(check: IbmAccountCheck) -> str:
    return str((check.error or {}).get("message") or "unknown error")


def _show_once(plain: str) -> None:
    with (
        ui.dialog().props("persistent") as dialog,
        ui.card().classes("qd-card w-full max-w-lg p-6 gap-3"),
    ):
        ui.label("Your new API token").classes("text-xl font-bold")
        ui.label("Copy it now: qdeck keeps only its hash and cannot show it again.").classes(
            "qd-muted text-sm"
        )
        ui.label(plain).classes("qd-pre w-full break-all").style("white-space: normal").mark(
            "new-token"
        )

        def copy() -> None:
            ui.clipboard.write(plain)
            ui.notify("Token copied", type="positive")

        with ui.row().classes("w-full justify-end gap-2"):
            ui.button("Copy", icon="content_copy", on_click=copy).props("outline no-caps").mark(
                "copy-token"
            )
            ui.button("Done", on_click=dialog.close).props("unelevated no-caps").mark("token-done")
    dialog.open()
