"""``qdeck notifications list|read|read-all``: your notifications from a terminal,
through the SDK against a running server (``qdeck login`` first)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from qdeck.cli.remote import EXIT_CODES_HELP, connect, friendly, out
from qdeck.cli.render import when
from qdeck.notifications.schemas import NotificationRead

app = typer.Typer(
    help="Your notifications: list, mark read, mark all read.\n\n"
    f"{EXIT_CODES_HELP}\n\nExample: qdeck notifications list --unread",
    no_args_is_help=True,
)
SEVERITY_STYLE = {"info": "cyan", "warning": "yellow", "error": "bold red"}


def _table(items: list[NotificationRead], unread: int) -> Table:
    table = Table(title=f"{len(items)} shown, {unread} unread", title_justify="left")
    for name in ("id", "", "severity", "what", "why", "when"):
        table.add_column(name, no_wrap=name in ("id", "when"))
    for n in items:
        severity = n.severity.value
        table.add_row(
            str(n.id),
            "●" if n.read_at is None else "",
            Text(severity, style=SEVERITY_STYLE.get(severity, "")),
            n.title,
            n.body,
            when(n.updated_at),
        )
    return table


@app.command("list")
@friendly
def list_notifications(
    unread: Annotated[bool, typer.Option("--unread", help="Only unread ones.")] = False,
    kind: Annotated[str | None, typer.Option(help="An event type, e.g. job.failed.")] = None,
    severity: Annotated[str | None, typer.Option(help="info, warning or error.")] = None,
    workspace: Annotated[str | None, typer.Option(help="Workspace id.")] = None,
    archived: Annotated[bool, typer.Option("--archived", help="The archive instead.")] = False,
    limit: Annotated[int, typer.Option(min=1, help="At most this many (newest first).")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """List your notifications, newest first.

    Example: qdeck notifications list --unread --severity error --json
    """
    with connect() as client:
        items = []
        for item in client.notifications.iter(
            unread=True if unread else None,
            kind=kind,
            severity=severity,
            workspace_id=workspace,
            archived=archived,
        ):
            if len(items) >= limit:
                break
            items.append(item)
        count = client.notifications.unread_count()
    if as_json:
        print(json.dumps([i.model_dump(mode="json") for i in items], indent=2))
    else:
        out.print(_table(items, count))


@app.command("read")
@friendly
def read(
    notification_ids: Annotated[list[str], typer.Argument(help="One or more notification ids.")],
) -> None:
    """Mark notifications read.

    Example: qdeck notifications read 5f0c...
    """
    with connect() as client:
        for notification_id in notification_ids:
            item = client.notifications.read(notification_id)
            out.print(f"read: {item.title}")
        out.print(f"{client.notifications.unread_count()} unread")


@app.command("read-all")
@friendly
def read_all(
    workspace: Annotated[str | None, typer.Option(help="Only this workspace's.")] = None,
) -> None:
    """Mark every unread notification read.

    Example: qdeck notifications read-all
    """
    with connect() as client:
        marked = client.notifications.read_all(workspace)
    out.print(f"{marked.marked} marked read, {marked.unread} unread")
