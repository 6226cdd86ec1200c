"""``qdeck notify``: check the notification channels from this machine. Like ``qdeck
serve``, it reads the server's settings (QDECK_SMTP_*, QDECK_WEBHOOK_*)."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Annotated

import typer

from qdeck.config import Settings
from qdeck.db.types import utcnow
from qdeck.notifications import email, webhooks
from qdeck.notifications.channel_webhook import WebhookSender
from qdeck.notifications.ssrf import UrlRefused, parse_url

app = typer.Typer(help="Test notification e-mail and webhooks.", no_args_is_help=True)


@app.command("test-email")
def test_email(
    address: Annotated[str, typer.Argument(help="Where to send the test e-mail.")],
) -> None:
    """Send a test e-mail through the server's SMTP settings.

    Example: QDECK_SMTP_HOST=smtp.example.org qdeck notify test-email ada@example.org
    """
    settings = Settings()
    if not email.configured(settings):
        typer.echo("error: no SMTP server is configured (set QDECK_SMTP_HOST)", err=True)
        raise typer.Exit(2)
    result = asyncio.run(email.send(settings, email.compose_test(settings, address)))
    where = f"{settings.smtp_host}:{settings.smtp_port} ({settings.smtp_tls_mode})"
    if not result.ok:
        typer.echo(f"error: not sent via {where}: {result.error}", err=True)
        raise typer.Exit(1)
    typer.echo(f"sent to {address} via {where} in {result.latency_ms} ms")


@app.command("test-webhook")
def test_webhook(
    url: Annotated[str, typer.Argument(help="The receiver's URL.")],
    secret: Annotated[
        str | None,
        typer.Option(help="Sign with this whsec_ secret (default: a new one, printed)."),
    ] = None,
) -> None:
    """Send a signed ``webhook.test`` event (Standard Webhooks) and show the answer.

    The same rules as real deliveries apply: https unless QDECK_WEBHOOK_ALLOW_HTTP,
    no private addresses unless QDECK_WEBHOOK_ALLOW_PRIVATE, no redirects, 15 s.

    Example: qdeck notify test-webhook https://example.org/hooks/qdeck
    """
    settings = Settings()
    try:
        parse_url(url, allow_http=settings.webhook_allow_http)
        if secret is not None:
            webhooks.secret_key(secret)
    except (UrlRefused, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if secret is None:
        secret = webhooks.new_secret()
        typer.echo(f"secret   {secret}")
    message_id = webhooks.new_message_id()
    payload = webhooks.envelope(
        webhooks.TEST_EVENT,
        {"message": "A test event from qdeck notify test-webhook."},
        utcnow(),
    )
    body = webhooks.encode(payload)
    headers = webhooks.headers([secret], message_id, int(time.time()), body)

    async def send():
        sender = WebhookSender(settings)
        try:
            return await sender.send(url, headers, body)
        finally:
            await sender.close()

    result = asyncio.run(send())
    typer.echo(f"id       {message_id}")
    typer.echo(f"status   {result.status_code if result.status_code is not None else '-'}")
    typer.echo(f"latency  {result.latency_ms} ms")
    if result.excerpt:
        typer.echo(f"answer   {json.dumps(result.excerpt[:300])}")
    if not result.ok:
        typer.echo(f"error: {result.error}", err=True)
        raise typer.Exit(1)
