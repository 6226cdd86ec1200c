"""The channels' public edges: whether e-mail is on, and one-click unsubscribe.

``/api/v1/notifications/unsubscribe/{token}`` is the ``List-Unsubscribe`` link of every
e-mail. GET answers a small page with a button and changes nothing (link scanners
fetch it); POST (that button, or a mail client's RFC 8058 one-click) turns the e-mail
off. Neither needs a log-in: the signed token is the authority.
"""

from __future__ import annotations

import html

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse

from qdeck.api.deps import CurrentUser, DatabaseDep, SettingsDep
from qdeck.errors import QdeckError
from qdeck.notifications import email, unsubscribe
from qdeck.notifications.webhook_schemas import ChannelStatus

router = APIRouter(tags=["notifications"])
# Styles inline in the page; no script, forms only to this site.
PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"
)
Token = Path(max_length=400, pattern=r"^[A-Za-z0-9_\-.]+$")


@router.get("/notifications/channels", response_model=ChannelStatus)
async def channel_status(user: CurrentUser, settings: SettingsDep) -> ChannelStatus:
    """Which channels this server can use: without SMTP, notifications stay in the app
    (and webhooks)."""
    on = email.configured(settings)
    detail = (
        f"E-mail is sent through {settings.smtp_host}:{settings.smtp_port} "
        f"({settings.smtp_tls_mode}) from {settings.smtp_from}."
        if on
        else "E-mail is off: this server has no SMTP server configured (QDECK_SMTP_HOST)."
    )
    return ChannelStatus(
        email_configured=on,
        email_detail=detail,
        webhook_allow_http=settings.webhook_allow_http,
        webhook_allow_private=settings.webhook_allow_private,
    )


@router.get("/notifications/unsubscribe/{token}", response_class=HTMLResponse)
async def unsubscribe_page(settings: SettingsDep, token: str = Token) -> HTMLResponse:
    """A confirmation page with a button; nothing changes until it is pressed."""
    try:
        request = unsubscribe.read(settings, token)
    except QdeckError as exc:
        return _page("Link not valid", exc.detail, status=404)
    what = html.escape(request.what)
    form = (
        f'<form method="post"><p>Stop {what}?</p>'
        '<input type="hidden" name="List-Unsubscribe" value="One-Click">'
        '<button type="submit" style="padding:10px 18px;border-radius:8px;border:0;'
        'background:#0969da;color:#fff;font-size:16px">Unsubscribe</button></form>'
    )
    return _page("Unsubscribe", form, raw=True)


@router.post("/notifications/unsubscribe/{token}", response_class=HTMLResponse)
async def unsubscribe_now(
    settings: SettingsDep, database: DatabaseDep, token: str = Token
) -> HTMLResponse:
    """RFC 8058 one-click (``List-Unsubscribe=One-Click``) or the page's button."""
    try:
        request = unsubscribe.read(settings, token)
        async with database.session() as session:
            await unsubscribe.apply(session, request)
    except QdeckError as exc:
        return _page("Link not valid", exc.detail, status=404)
    base = unsubscribe.base_url(settings)
    done = (
        f"<p>You will get no more {html.escape(request.what)}.</p>"
        f'<p><a href="{html.escape(base)}/notifications/settings">Notification settings</a>'
        " (after logging in) turn it back on.</p>"
    )
    return _page("Unsubscribed", done, raw=True)


def _page(title: str, body: str, *, raw: bool = False, status: int = 200) -> HTMLResponse:
    content = body if raw else f"<p>{html.escape(body)}</p>"
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light dark">'
        f"<title>{html.escape(title)} · qdeck</title></head>"
        '<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;'
        f'padding:0 1rem;line-height:1.5"><h1>{html.escape(title)}</h1>{content}</body></html>'
    )
    return HTMLResponse(page, status_code=status, headers={"Content-Security-Policy": PAGE_CSP})
