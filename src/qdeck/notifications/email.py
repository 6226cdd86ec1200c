"""Notification e-mail: HTML and plain text in one message, sent over SMTP (aiosmtplib).

Every message carries ``List-Unsubscribe`` (the signed https link, and a mailto when the
sender address allows one) and ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``
(RFC 8058), so mail clients offer a one-click unsubscribe that needs no log-in.
"""

from __future__ import annotations

import html
import time
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from importlib import resources
from string import Template
from typing import Any

import aiosmtplib

from qdeck.config import Settings
from qdeck.notifications import unsubscribe
from qdeck.notifications.channel_result import SendResult

SUBJECT_PREFIX = "[qdeck] "
_COLOURS = {"error": "#cf222e", "warning": "#bf8700", "info": "#0969da"}


def configured(settings: Settings) -> bool:
    """Without an SMTP host qdeck notifies in-app (and by webhook) only."""
    return bool(settings.smtp_host)


def _template(name: str) -> Template:
    text = resources.files("qdeck.notifications").joinpath("templates", name).read_text()
    return Template(text)


@dataclass(frozen=True)
class EmailItem:
    title: str
    body: str
    link: str | None
    severity: str = "info"

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> EmailItem:
        note = (payload.get("data") or {}).get("notification") or {}
        return cls(
            title=str(note.get("title") or payload.get("type") or "Notification"),
            body=str(note.get("body") or ""),
            link=note.get("link"),
            severity=str(note.get("severity") or "info"),
        )


def compose(
    settings: Settings,
    *,
    to: str,
    user_id: uuid.UUID,
    items: list[EmailItem],
    kind: str,
    message_id: str,
) -> EmailMessage:
    """One message for one notification, or a digest of several (``kind`` is then
    ``unsubscribe.ALL_EMAIL``: the link stops all notification e-mail)."""
    base = unsubscribe.base_url(settings)
    heading = items[0].title if len(items) == 1 else f"{len(items)} notifications"
    stop = unsubscribe.Unsubscribe(user_id, kind).what
    stop_url = unsubscribe.link(settings, user_id, kind)
    settings_url = f"{base}/notifications/settings"
    message = EmailMessage()
    message["Subject"] = SUBJECT_PREFIX + heading
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    domain = parseaddr(settings.smtp_from)[1].partition("@")[2] or "qdeck.localhost"
    message["Message-ID"] = make_msgid(idstring=message_id, domain=domain)
    message["List-Unsubscribe"] = f"<{stop_url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    plain_items = "\n".join(_plain_item(item, base) for item in items)
    message.set_content(
        _template("email.txt").substitute(
            heading=heading,
            items=plain_items,
            settings_url=settings_url,
            what=stop,
            unsubscribe_url=stop_url,
        )
    )
    message.add_alternative(
        _template("email.html").substitute(
            heading=html.escape(heading),
            items="\n".join(_html_item(item, base) for item in items),
            settings_url=html.escape(settings_url),
            what=html.escape(stop),
            unsubscribe_url=html.escape(stop_url),
        ),
        subtype="html",
    )
    return message


def compose_test(settings: Settings, to: str) -> EmailMessage:
    """What ``qdeck notify test-email`` sends: the same parts, no unsubscribe link (it is
    not a notification anyone subscribed to)."""
    message = EmailMessage()
    message["Subject"] = SUBJECT_PREFIX + "Test e-mail"
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    message["Auto-Submitted"] = "auto-generated"
    text = "This is a test e-mail from qdeck: notification e-mail works from this server."
    message.set_content(text + "\n")
    message.add_alternative(f"<!doctype html><p>{html.escape(text)}</p>", subtype="html")
    return message


def _absolute(link: str | None, base: str) -> str | None:
    if not link:
        return None
    return link if link.startswith(("http://", "https://")) else f"{base}{link}"


def _plain_item(item: EmailItem, base: str) -> str:
    lines = [f"* {item.title}"]
    if item.body:
        lines.append(f"  {item.body}")
    url = _absolute(item.link, base)
    if url:
        lines.append(f"  {url}")
    return "\n".join(lines) + "\n"


def _html_item(item: EmailItem, base: str) -> str:
    url = _absolute(item.link, base)
    link = (
        f'<div style="margin-top:8px"><a href="{html.escape(url)}" style="color:#0969da">'
        "Open in qdeck</a></div>"
        if url
        else ""
    )
    return _template("email_item.html").substitute(
        colour=_COLOURS.get(item.severity, _COLOURS["info"]),
        title=html.escape(item.title),
        body=html.escape(item.body),
        link=link,
    )


async def send(settings: Settings, message: EmailMessage) -> SendResult:
    """One SMTP transaction; any failure (refused, unreachable, timeout) is a result,
    never an exception, so the delivery is retried and the log says why."""
    started = time.perf_counter()
    mode = settings.smtp_tls_mode
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    try:
        errors, reply = await aiosmtplib.send(
            message,
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username or None,
            password=password if settings.smtp_username else None,
            use_tls=mode == "tls",
            start_tls=mode == "starttls",
            timeout=settings.smtp_timeout_seconds,
        )
    except aiosmtplib.SMTPResponseException as exc:
        return SendResult(False, exc.code, _ms(started), error=f"SMTP {exc.code}: {exc.message}")
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
        return SendResult(False, None, _ms(started), error=f"{type(exc).__name__}: {exc}"[:400])
    if errors:
        refused = "; ".join(f"{who}: {code} {text}" for who, (code, text) in errors.items())
        return SendResult(False, None, _ms(started), error=f"Refused: {refused}"[:400])
    return SendResult(True, 250, _ms(started), excerpt=str(reply)[:500])


def _ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)
