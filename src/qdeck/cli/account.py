"""``qdeck login``, ``logout`` and ``whoami``: which server, as whom."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from qdeck.cli.remote import USAGE, connect, fail, friendly, out
from qdeck.client import QDeckClient, QDeckClientError, token_from_password
from qdeck.client import config as client_config


def _line(prompt: str, from_stdin: bool, hide: bool = True) -> str:
    if from_stdin:
        return sys.stdin.readline().strip()
    return typer.prompt(prompt, hide_input=hide, default="", show_default=False).strip()


@friendly
def login(
    url: Annotated[str, typer.Argument(help="The qdeck server, e.g. http://127.0.0.1:8000")],
    email: Annotated[
        str | None, typer.Option(help="Log in with this e-mail and a password to create a token.")
    ] = None,
    token_stdin: Annotated[
        bool, typer.Option("--token-stdin", help="Read the API token from standard input.")
    ] = False,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="With --email: read the password from stdin.")
    ] = False,
    token_name: Annotated[
        str | None, typer.Option(help="Name of the token created from a password.")
    ] = None,
) -> None:
    """Log in to a qdeck server and remember it for every other command.

    Paste an API token (from the dashboard), or leave it empty to give your e-mail and
    password: qdeck then creates a token named after this machine. The URL and token are
    stored in your config directory, readable only by you (QDECK_CONFIG_DIR moves it).

    Example: qdeck login http://127.0.0.1:8000
    """
    url = url.rstrip("/")
    if not url.startswith(("http://", "https://")):
        fail(USAGE, f"the URL must start with http:// or https://, got {url!r}")
    token, token_id = "", None
    if email is None:
        token = _line("API token (leave empty to use e-mail and password)", token_stdin)
        if not token:
            if token_stdin:
                fail(USAGE, "no token on standard input")
            email = typer.prompt("E-mail").strip()
    if not token:
        password = _line("Password", password_stdin)
        created = token_from_password(url, email or "", password, token_name)
        token, token_id = created.token, str(created.id)
    with QDeckClient(url, token, retries=1) as client:
        me = client.me().user
    path = client_config.save_login(client_config.StoredLogin(url, token, me.email, token_id))
    out.print(f"Logged in to {url} as {me.display_name} <{me.email}>.")
    out.print(f"Login stored in {path} (readable only by you).", style="dim")


@friendly
def logout(
    everywhere: Annotated[
        bool,
        typer.Option(
            "--everywhere",
            help="Also end every browser session of the account and revoke all its API tokens.",
        ),
    ] = False,
) -> None:
    """Forget the stored login; a token that `qdeck login` created is revoked too.

    Example: qdeck logout --everywhere
    """
    stored = client_config.read_login()
    if stored is None:
        out.print("Not logged in; nothing to forget.")
        return
    revoked = ""
    if everywhere:
        try:
            with QDeckClient(stored.url, stored.token, retries=1) as client:
                client.tokens.log_out_everywhere(revoke_tokens=True)
            revoked = ", ended every browser session and revoked every API token"
        except QDeckClientError as exc:
            out.print(f"Could not log out everywhere: {exc}")
            raise typer.Exit(3) from None
    elif stored.token_id:
        try:
            with QDeckClient(stored.url, stored.token, retries=1) as client:
                client.tokens.revoke(stored.token_id)
            revoked = " and revoked its token"
        except QDeckClientError as exc:  # forgetting the login locally must still happen
            revoked = f" (could not revoke its token: {exc})"
    client_config.forget_login()
    out.print(f"Logged out of {stored.url}{revoked}.")


@friendly
def whoami(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Show the server and the account the other commands use, checking both.

    Example: qdeck whoami
    """
    found = client_config.load()
    with connect(retries=1) as client:
        me = client.me().user
    if as_json:
        user = me.model_dump(mode="json")
        print(json.dumps({"url": client.url, "user": user, "token_from": found.token_from}))
        return
    out.print(f"{me.display_name} <{me.email}> at {client.url}")
    out.print(f"credentials: {found.token_from or 'none'}", style="dim")
