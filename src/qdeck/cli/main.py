"""qdeck's command line: the root Typer app and its sub-commands."""

from __future__ import annotations

import typer

from qdeck import __version__
from qdeck.cli import db, serve, users

app = typer.Typer(
    name="qdeck",
    help="qdeck: submit, watch and study quantum jobs.\n\nExample: qdeck serve",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
app.command("serve")(serve.serve)
app.add_typer(db.app, name="db")
app.add_typer(users.app, name="user")


@app.command("version")
def version() -> None:
    """Print qdeck's version.

    Example: qdeck version
    """
    typer.echo(__version__)


if __name__ == "__main__":
    app()
