# ruff: noqa: F811 - the fixtures come from channel_fixtures (conftest.py is the core's)
"""``qdeck notify test-webhook`` and ``test-email`` against real receivers on loopback."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from qdeck.cli.main import app
from qdeck.notifications import webhooks
from tests.notifications.channel_fixtures import receiver, smtp  # noqa: F401 - fixtures
from tests.notifications.receivers import SmtpSink, WebhookReceiver

LOOPBACK = {"QDECK_WEBHOOK_ALLOW_HTTP": "true", "QDECK_WEBHOOK_ALLOW_PRIVATE": "true"}


def test_test_webhook_signs_with_the_given_secret(tmp_path: Path, receiver: WebhookReceiver):
    secret = webhooks.new_secret()
    url = receiver.script("cli", secrets=[secret])
    env = {"QDECK_DATA_DIR": str(tmp_path), **LOOPBACK}
    result = CliRunner().invoke(app, ["notify", "test-webhook", url, "--secret", secret], env=env)
    assert result.exit_code == 0, result.output
    [request] = receiver.at("cli")
    assert request.verified == {secret: True}
    assert f"id       {request.id}" in result.output
    assert "status   200" in result.output and "latency" in result.output


def test_test_webhook_refuses_loopback_without_the_setting(
    tmp_path: Path, receiver: WebhookReceiver
):
    url = receiver.script("cli-refused")
    env = {"QDECK_DATA_DIR": str(tmp_path), "QDECK_WEBHOOK_ALLOW_HTTP": "true"}
    result = CliRunner().invoke(app, ["notify", "test-webhook", url], env=env)
    assert result.exit_code == 1
    assert "may not be sent there" in result.output
    assert receiver.at("cli-refused") == []
    # A bad URL is a usage error.
    result = CliRunner().invoke(app, ["notify", "test-webhook", "http://x y/"], env=env)
    assert result.exit_code == 2


def test_test_email_goes_through_the_smtp_settings(tmp_path: Path, smtp: SmtpSink):
    env = {
        "QDECK_DATA_DIR": str(tmp_path),
        "QDECK_SMTP_HOST": "127.0.0.1",
        "QDECK_SMTP_PORT": str(smtp.port),
        "QDECK_SMTP_TLS_MODE": "none",
    }
    result = CliRunner().invoke(app, ["notify", "test-email", "ada@example.org"], env=env)
    assert result.exit_code == 0, result.output
    [message] = smtp.messages
    assert message["To"] == "ada@example.org"
    assert message["Subject"] == "[qdeck] Test e-mail"
    assert message.get_body(("html",)) is not None
    no_smtp = CliRunner().invoke(
        app, ["notify", "test-email", "ada@example.org"], env={"QDECK_DATA_DIR": str(tmp_path)}
    )
    assert no_smtp.exit_code == 2 and "QDECK_SMTP_HOST" in no_smtp.output
