# ruff: noqa: F811 - the fixtures come from channel_fixtures (conftest.py is the core's)
"""E-mail end to end against a real SMTP server (aiosmtpd on loopback): one message per
failed job with both parts, and a one-click unsubscribe that needs no log-in."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select

from qdeck.notifications.delivery_models import Delivery
from qdeck.notifications.models import NotificationPreference, Severity
from tests.notifications.channel_fixtures import (  # noqa: F401 - fixtures
    anonymous,
    channel_app,
    eventually,
    receiver,
    smtp,
    store_notification,
)
from tests.notifications.receivers import SmtpSink, free_port


def _smtp(sink: SmtpSink) -> dict:
    return {
        "smtp_host": "127.0.0.1",
        "smtp_port": sink.port,
        "smtp_tls_mode": "none",
        "smtp_from": "qdeck <alerts@qdeck.example>",
    }


async def _email_pref(app, user_id: str, kind: str) -> bool | None:
    async with app.state.database.session(write=False) as session:
        row = await session.get(NotificationPreference, (uuid.UUID(user_id), kind, "email"))
        return None if row is None else row.enabled


async def test_a_failed_job_sends_one_email_with_a_working_one_click_unsubscribe(
    channel_app, smtp: SmtpSink
):
    async with channel_app(**_smtp(smtp)) as (app, accounts):
        ada = await accounts.sign_up("Ada")
        await store_notification(app, ada.id, title="Job bell-1 failed")

        [message] = await eventually(lambda: smtp.messages, "the e-mail")
        assert message["Subject"] == "[qdeck] Job bell-1 failed"
        assert message["To"] == ada.email
        assert message["From"] == "qdeck <alerts@qdeck.example>"
        assert message.get_content_type() == "multipart/alternative"
        plain = message.get_body(("plain",)).get_content()
        rich = message.get_body(("html",)).get_content()
        assert "The circuit needs 156 qubits" in plain
        assert "The circuit needs 156 qubits" in rich and "<html" in rich
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        link = re.fullmatch(r"<(.+)>", message["List-Unsubscribe"]).group(1)
        assert link in plain

        web = anonymous(app)
        path = link.split("://", 1)[1].split("/", 1)[1]
        # Opening the link (what a mail scanner does) changes nothing.
        page = await web.get(f"/{path}")
        assert page.status_code == 200
        assert "Unsubscribe" in page.text and "<form" in page.text
        assert await _email_pref(app, ada.id, "job.failed") is None

        # RFC 8058 one-click: a POST with List-Unsubscribe=One-Click, no cookie.
        done = await web.post(
            f"/{path}",
            content="List-Unsubscribe=One-Click",
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert done.status_code == 200
        assert "no more" in done.text
        assert await _email_pref(app, ada.id, "job.failed") is False

        # The next failure stays out of the inbox.
        await store_notification(app, ada.id, title="Job bell-2 failed")
        await _consumed(app)
        assert len(smtp.messages) == 1
        await web.aclose()


async def _consumed(app) -> None:
    """Wait until the channels' consumer has passed every event so far."""
    from sqlalchemy import func

    from qdeck.events.models import EventConsumer, OutboxEvent

    async def caught_up():
        async with app.state.database.session(write=False) as session:
            newest = await session.scalar(select(func.max(OutboxEvent.id)))
            position = await session.scalar(
                select(EventConsumer.position).where(EventConsumer.name == "notification-channels")
            )
        return position is not None and position >= (newest or 0)

    await eventually(caught_up, "the channels' consumer to catch up")


async def test_a_forged_or_damaged_link_is_refused(channel_app, smtp: SmtpSink):
    async with channel_app(**_smtp(smtp)) as (app, accounts):
        ada = await accounts.sign_up("Ada")
        await store_notification(app, ada.id)
        [message] = await eventually(lambda: smtp.messages, "the e-mail")
        link = re.fullmatch(r"<(.+)>", message["List-Unsubscribe"]).group(1)
        path = "/" + link.split("://", 1)[1].split("/", 1)[1]
        _, _, signature = path.rsplit("/", 1)[1].partition(".")
        web = anonymous(app)
        forged = path.replace(signature, "A" * len(signature))
        assert (await web.post(forged)).status_code == 404
        assert (await web.post(path[:-3])).status_code == 404
        assert await _email_pref(app, ada.id, "job.failed") is None
        await web.aclose()


async def test_an_unreachable_smtp_server_is_retried_and_logged(channel_app):
    closed = free_port()
    async with channel_app(smtp_host="127.0.0.1", smtp_port=closed, smtp_tls_mode="none") as (
        app,
        accounts,
    ):
        ada = await accounts.sign_up("Ada")
        await store_notification(app, ada.id)

        async def retried():
            async with app.state.database.session(write=False) as session:
                row = await session.scalar(select(Delivery))
            return row if row is not None and row.attempts >= 2 else None

        delivery = await eventually(retried, "two failed attempts")
        assert delivery.state in ("pending", "delivering")
        assert delivery.last_error and "connect" in delivery.last_error.lower()
        # The server carries on serving.
        assert (await ada.client.get("/api/v1/auth/me")).status_code == 200


async def test_without_smtp_notifications_stay_in_the_app_and_say_so(channel_app):
    async with channel_app(smtp_host=None) as (app, accounts):
        ada = await accounts.sign_up("Ada")
        status = (await ada.client.get("/api/v1/notifications/channels")).json()
        assert status["email_configured"] is False
        assert "QDECK_SMTP_HOST" in status["email_detail"]
        await store_notification(app, ada.id, severity=Severity.ERROR)
        await _consumed(app)
        async with app.state.database.session(write=False) as session:
            assert list(await session.scalars(select(Delivery))) == []


async def test_a_failed_job_end_to_end_sends_one_email_that_unsubscribes(
    channel_app, smtp: SmtpSink
):
    """The whole pipeline: the job fails, the core's producer notifies, the channels'
    consumer stores the e-mail, the worker sends it, its one-click link turns it off."""
    from tests.jobs.conftest import slow_circuit, submit, wait_for

    async with channel_app(**_smtp(smtp), notification_group_window_seconds=0) as (
        app,
        accounts,
    ):
        ada = await accounts.sign_up("Ada")
        job = await submit(ada.client, slow_circuit(), shots=10, timeout_seconds=1, name="deep")
        done = await wait_for(ada.client, job["id"], limit_seconds=90)
        assert done["status"] == "failed"

        [message] = await eventually(lambda: smtp.messages, "the job's e-mail", limit=60)
        assert message["Subject"] == "[qdeck] deep failed on aer_simulator"
        assert message["To"] == ada.email
        plain = message.get_body(("plain",)).get_content()
        rich = message.get_body(("html",)).get_content()
        assert "1 s time limit" in plain and "1 s time limit" in rich
        assert f"/jobs/{job['id']}" in plain
        link = re.fullmatch(r"<(.+)>", message["List-Unsubscribe"]).group(1)
        web = anonymous(app)
        path = "/" + link.split("://", 1)[1].split("/", 1)[1]
        done = await web.post(path, content="List-Unsubscribe=One-Click")
        assert done.status_code == 200
        assert await _email_pref(app, ada.id, "job.failed") is False
        await web.aclose()
        assert len(smtp.messages) == 1
