"""qdeck's command line: the root Typer app and its sub-commands."""

from __future__ import annotations

import typer

from qdeck import __version__
from qdeck.cli import (
    account,
    assistant,
    backends,
    chat,
    db,
    demo,
    events,
    gamification,
    jobs,
    notifications,
    notify,
    quest,
    serve,
    users,
)
from qdeck.cli.remote import EXIT_CODES_HELP

app = typer.Typer(
    name="qdeck",
    help="qdeck: submit, watch and study quantum jobs.\n\n"
    f"{EXIT_CODES_HELP}\n\nExample: qdeck login http://127.0.0.1:8000 && qdeck demo",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
app.command("serve")(serve.serve)
app.add_typer(db.app, name="db")
app.add_typer(users.app, name="user")
app.add_typer(events.app, name="events")
app.add_typer(notify.app, name="notify")
app.add_typer(gamification.app, name="gamification")
# Client commands: talk to a running qdeck server (see `qdeck login`).
app.command("login")(account.login)
app.command("logout")(account.logout)
app.command("whoami")(account.whoami)
app.command("me")(gamification.me)
app.command("submit")(jobs.submit)
app.add_typer(jobs.app, name="jobs")
app.add_typer(notifications.app, name="notifications")
app.add_typer(backends.app, name="backends")
app.add_typer(quest.app, name="quest")
app.add_typer(chat.app, name="chat")
app.command("demo")(demo.demo)
app.command("analyze")(assistant.analyze)
app.command("review")(assistant.review)
app.command("explain")(assistant.explain)
app.command("insights")(assistant.insights)


@app.command("version")
def version() -> None:
    """Print qdeck's version.

    Example: qdeck version
    """
    typer.echo(__version__)


if __name__ == "__main__":
    app()
