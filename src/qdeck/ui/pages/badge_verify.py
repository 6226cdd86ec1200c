"""A badge's public verification page (/badges/{id}): who earned what and when, whether
the signature is this instance's and whether it was revoked, the signed credential
itself and the issuer profile holding the public key. No sign-in needed."""

from __future__ import annotations

import uuid

from fastapi import Request
from nicegui import ui

from qdeck.errors import NotFound
from qdeck.ui.context import qdeck_for
from qdeck.ui.layout import brand
from qdeck.ui.theme import apply_theme


def register() -> None:
    @ui.page("/badges/{award_id}", title="Badge · qdeck")
    async def badge_page(request: Request, award_id: str) -> None:
        qdeck = qdeck_for(request)
        base = (qdeck.settings.public_url or str(request.base_url)).rstrip("/")
        badge = None
        try:
            async with qdeck.reading() as services:
                badge = await services.gamification.public_badge(uuid.UUID(award_id), base)
        except (ValueError, NotFound):
            badge = None
        apply_theme()
        with ui.header().classes("qd-header px-4 md:px-10 py-3 items-center"):
            brand("/")
        with ui.column().classes("w-full max-w-3xl mx-auto px-4 py-8 gap-4"):
            if badge is None:
                ui.label("No such badge").classes("text-2xl font-bold").mark("badge-missing")
                ui.label("The link may be mistyped, or the badge never existed.").classes(
                    "qd-muted"
                )
                return
            with ui.card().classes("qd-card w-full p-6 gap-2").mark("badge"):
                ui.label(badge.title).classes("text-3xl font-bold").props(
                    'role="heading" aria-level="1"'
                )
                ui.label(badge.description)
                ui.label(
                    f"Earned by {badge.recipient} on {badge.issued_at:%B %d, %Y} · {badge.tier}"
                ).classes("qd-muted")
                if badge.revoked:
                    with ui.row().classes("items-center gap-2 text-negative").mark("badge-status"):
                        ui.icon("block")
                        ui.label(
                            f"Revoked on {badge.revoked_at:%B %d, %Y}"
                            + (f": {badge.revoked_reason}" if badge.revoked_reason else "")
                        )
                elif badge.verified:
                    with ui.row().classes("items-center gap-2 text-positive").mark("badge-status"):
                        ui.icon("verified")
                        ui.label("Valid: signed by this qdeck instance (Ed25519) and not revoked")
            with ui.expansion("The signed credential (Open Badges 3.0, VC-JWT)").classes(
                "qd-card w-full"
            ):
                ui.code(badge.credential_jwt or "").classes("w-full break-all")
                ui.link("Issuer profile and public key", "/api/v1/gamification/issuer").classes(
                    "qd-link text-sm"
                )
