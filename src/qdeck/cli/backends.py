"""``qdeck backends ...``: where jobs can run, and how good each device is."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from qdeck.cli.remote import EXIT_CODES_HELP, connect, friendly, out
from qdeck.cli.render import backend_view, backends_table

app = typer.Typer(
    help=f"Backends: the ideal simulator and IBM's fake devices.\n\n{EXIT_CODES_HELP}\n\n"
    "Example: qdeck backends list --kind fake_device",
    no_args_is_help=True,
)


class Kind(StrEnum):
    simulator = "simulator"
    fake_device = "fake_device"
    hardware = "hardware"


@app.command("list")
@friendly
def list_backends(
    kind: Annotated[Kind | None, typer.Option(help="Only this kind.")] = None,
    min_qubits: Annotated[int, typer.Option(min=0, help="At least this many qubits.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """List backends with status, queue and median error rates.

    Example: qdeck backends list --min-qubits 100
    """
    with connect() as client:
        backends = client.backends.list(kind=kind.value if kind else None, min_qubits=min_qubits)
    if as_json:
        print(json.dumps([b.model_dump(mode="json") for b in backends], indent=2))
    else:
        out.print(backends_table(backends))


@app.command("show")
@friendly
def show(
    name: Annotated[str, typer.Argument(help="Backend name, e.g. fake_sherbrooke.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Show one backend: qubits, gates, couplings, calibration medians, limits.

    Example: qdeck backends show fake_sherbrooke
    """
    with connect() as client:
        backend = client.backends.get(name)
    if as_json:
        print(json.dumps(backend.model_dump(mode="json"), indent=2))
    else:
        out.print(backend_view(backend))
