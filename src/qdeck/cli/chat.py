"""``qdeck chat channels|read|post|search``: a workspace's chat from a terminal, through
the SDK against a running server (``qdeck login`` first). A channel is its id, or
``#name`` with ``--workspace``."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from qdeck.cli.remote import EXIT_CODES_HELP, USAGE, connect, fail, friendly, out
from qdeck.cli.render import when
from qdeck.client import QDeckClient
from qdeck.collab.chat_schemas import MessageRead

app = typer.Typer(
    help="Workspace chat: list channels, read and post messages, search.\n\n"
    f"{EXIT_CODES_HELP}\n\nExample: qdeck chat post '#general' 'GHZ run is done' -w <id>",
    no_args_is_help=True,
)
Workspace = Annotated[
    str | None, typer.Option("--workspace", "-w", help="Workspace id (for #name channels).")
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def _channel(client: QDeckClient, channel: str, workspace: str | None) -> str:
    if not channel.startswith("#"):
        return channel
    if not workspace:
        fail(USAGE, f"{channel} is a name: say which workspace with --workspace <id>.")
    name = channel[1:].lower()
    for found in client.chat.channels(workspace):
        if found.name == name:
            return str(found.id)
    fail(USAGE, f"No channel {channel} you can see in that workspace.")


def _line(message: MessageRead) -> str:
    edited = " (edited)" if message.edited_at else ""
    body = "(deleted)" if message.deleted else message.body
    replies = f"  [{message.reply_count} replies]" if message.reply_count else ""
    return f"{when(message.created_at)}  {message.author.name}: {body}{edited}{replies}"


@app.command("channels")
@friendly
def channels(
    workspace: Annotated[str, typer.Option("--workspace", "-w", help="Workspace id.")],
    as_json: AsJson = False,
) -> None:
    """The channels you can see, with your unread counts.

    Example: qdeck chat channels -w <workspace id>
    """
    with connect() as client:
        found = client.chat.channels(workspace)
    if as_json:
        print(json.dumps([c.model_dump(mode="json") for c in found], indent=2))
        return
    table = Table(title=f"{len(found)} channels", title_justify="left")
    for name in ("id", "channel", "kind", "unread", "topic"):
        table.add_column(name, no_wrap=name in ("id", "unread"))
    for c in found:
        table.add_row(str(c.id), c.title, c.kind.value, str(c.unread or ""), c.topic)
    out.print(table)


@app.command("read")
@friendly
def read(
    channel: Annotated[str, typer.Argument(help="Channel id, or #name with --workspace.")],
    workspace: Workspace = None,
    limit: Annotated[int, typer.Option(min=1, max=200, help="The newest this many.")] = 20,
    mark: Annotated[bool, typer.Option("--mark-read", help="Mark the channel read.")] = False,
    as_json: AsJson = False,
) -> None:
    """The newest messages of a channel, oldest first.

    Example: qdeck chat read '#general' -w <workspace id> --limit 50
    """
    with connect() as client:
        channel_id = _channel(client, channel, workspace)
        page = client.chat.messages(channel_id, limit=limit)
        if mark:
            client.chat.read(channel_id)
    items = list(reversed(page.items))
    if as_json:
        print(json.dumps([m.model_dump(mode="json") for m in items], indent=2))
        return
    for message in items:
        out.print(_line(message), soft_wrap=True)


@app.command("post")
@friendly
def post(
    channel: Annotated[str, typer.Argument(help="Channel id, or #name with --workspace.")],
    text: Annotated[str, typer.Argument(help="The message (Markdown; @name mentions).")],
    workspace: Workspace = None,
    thread: Annotated[str | None, typer.Option(help="Reply in this message's thread.")] = None,
    as_json: AsJson = False,
) -> None:
    """Post a message (or a reply with --thread).

    Example: qdeck chat post '#general' '/job 1f0c...' -w <workspace id>
    """
    with connect() as client:
        posted = client.chat.post(_channel(client, channel, workspace), text, thread_root_id=thread)
    if as_json:
        print(json.dumps(posted.model_dump(mode="json"), indent=2))
    else:
        out.print(f"posted {posted.id}")


@app.command("search")
@friendly
def search(
    query: Annotated[str, typer.Argument(help="Words to find (each also as a prefix).")],
    workspace: Annotated[str, typer.Option("--workspace", "-w", help="Workspace id.")],
    as_json: AsJson = False,
) -> None:
    """The newest 50 messages holding every word, in channels you can read.

    Example: qdeck chat search 'ghz fidelity' -w <workspace id>
    """
    with connect() as client:
        found = client.chat.search(workspace, query)
    if as_json:
        print(json.dumps([m.model_dump(mode="json") for m in found], indent=2))
        return
    for message in found:
        out.print(_line(message), soft_wrap=True)
