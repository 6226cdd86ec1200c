"""Backends: every device with status, qubits, queue and errors; one device in detail."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from qdeck.backends.calibration import calibration_csv
from qdeck.backends.schemas import BackendRead
from qdeck.errors import NotFound
from qdeck.ui.components.badges import section_card, status_badge
from qdeck.ui.components.coupling_map import coupling_map
from qdeck.ui.components.tables import keyboard_scrollable
from qdeck.ui.errors import error_content
from qdeck.ui.layout import CATALOG_WAIT, frame, page_heading
from qdeck.ui.session import current_viewer, to_log_in

PERCENT = "value => value == null ? '—' : (value * 100).toFixed(2) + '%'"
# Error columns hold numbers (so they sort as numbers) and are shown as percentages.
LIST_COLUMNS = [
    {"name": "name", "label": "Backend", "field": "name", "align": "left", "sortable": True},
    {"name": "status", "label": "Status", "field": "status", "align": "left", "sortable": True},
    {"name": "qubits", "label": "Qubits", "field": "qubits", "sortable": True},
    {"name": "queue", "label": "Queue", "field": "queue", "sortable": True},
    {
        "name": "readout",
        "label": "Readout error",
        "field": "readout",
        "sortable": True,
        ":format": PERCENT,
        "classes": "gt-xs",
        "headerClasses": "gt-xs",
    },
    {
        "name": "cx",
        "label": "2-qubit error",
        "field": "cx",
        "sortable": True,
        ":format": PERCENT,
        "classes": "gt-sm",
        "headerClasses": "gt-sm",
    },
    {"name": "t1", "label": "T1 (µs)", "field": "t1", "classes": "gt-sm", "headerClasses": "gt-sm"},
]
NAME_CELL = r"""<q-td :props="props"><a :href="'/backends/' + props.row.name" class="qd-link">
{{ props.row.name }}</a><div class="text-xs qd-muted">{{ props.row.kind }}</div></q-td>"""
STATUS_CELL = r"""<q-td :props="props"><q-chip dense square text-color="white" class="text-xs m-0"
:color="props.row.status === 'online' ? 'positive' : (props.row.status === 'paused' ? 'warning'
: 'negative')">{{ props.row.status }}</q-chip></q-td>"""


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.2%}"


def backend_row(backend: BackendRead) -> dict:
    errors = backend.median_errors
    return {
        "name": backend.name,
        "kind": backend.kind.replace("_", " "),
        "status": backend.status,
        "qubits": backend.num_qubits,
        "queue": backend.queue_length + backend.running,
        "readout": errors.readout_error if errors else None,
        "cx": errors.two_qubit_gate_error if errors else None,
        "t1": f"{errors.t1_us:.0f}" if errors and errors.t1_us else "—",
    }


def register() -> None:
    @ui.page("/backends", title="Backends · qdeck", response_timeout=CATALOG_WAIT)
    async def backends_page(request: Request) -> RedirectResponse | None:
        viewer = await current_viewer(request)
        if viewer is None:
            return to_log_in(request)
        async with viewer.qdeck.reading() as services:
            backends = await services.backends.list(viewer.user.id)
        with frame(viewer, "Backends", active="backends"):
            page_heading("Backends", "Simulators and devices, with live queues and median errors")
            with ui.card().classes("qd-card w-full p-0 overflow-hidden"):
                with ui.row().classes("w-full items-center gap-3 px-4 pt-4 pb-2"):
                    search = (
                        ui.input("Search by name or qubit count")
                        .props("dense outlined clearable")
                        .classes("w-full sm:w-96")
                        .mark("backend-search")
                    )
                    with search.add_slot("prepend"):
                        ui.icon("search")
                    ui.label(f"{len(backends)} backends · click a heading to sort").classes(
                        "text-sm qd-muted"
                    )
                # Every backend on one page: a search finds any of them, sorting sees all.
                table = (
                    ui.table(
                        columns=LIST_COLUMNS,
                        rows=[backend_row(b) for b in backends],
                        row_key="name",
                        pagination={"rowsPerPage": 0, "sortBy": "name"},
                    )
                    .props('flat aria-label="Backends"')
                    .classes("qd-table w-full")
                    .mark("backends-table")
                )
                table.add_slot("body-cell-name", NAME_CELL)
                table.add_slot("body-cell-status", STATUS_CELL)
                table.bind_filter_from(search, "value")
                keyboard_scrollable(table, "Backends")
        return None

    @ui.page("/backends/{name}", title="Backend · qdeck", response_timeout=CATALOG_WAIT)
    async def backend_page(request: Request, name: str) -> RedirectResponse | None:
        viewer = await current_viewer(request)
        if viewer is None:
            return to_log_in(request)
        async with viewer.qdeck.reading() as services:
            service = services.backends
            try:
                device = await service.get(viewer.user.id, name)
                table = await service.calibration(name)
            except NotFound:
                device = None
        with frame(viewer, name, active="backends"):
            if device is None:
                ui.context.client.status_code = 404
                error_content(404, f"There is no backend named {name!r}.")
                return None
            with page_heading(device.name, device.description):
                status_badge(device.status)
            with ui.grid().classes("w-full gap-4 grid-cols-2 md:grid-cols-4"):
                for label, value in (
                    ("Qubits", f"{device.num_qubits}"),
                    ("Queue", f"{device.queue_length} waiting · {device.running} running"),
                    (
                        "Median readout error",
                        _pct(device.median_errors.readout_error if device.median_errors else None),
                    ),
                    (
                        "Median 2-qubit error",
                        _pct(
                            device.median_errors.two_qubit_gate_error
                            if device.median_errors
                            else None
                        ),
                    ),
                ):
                    with ui.card().classes("qd-card p-4 gap-1"):
                        ui.label(label).classes("text-sm qd-muted")
                        ui.label(value).classes("text-xl font-bold")
            readout = {
                q["qubit"]: q["readout_error"]
                for q in table["qubits"]
                if q.get("readout_error") is not None
            }
            with section_card("Coupling map", "qubits coloured by readout error: green is better"):
                if device.coupling_map:
                    coupling_map(
                        device.name,
                        device.num_qubits,
                        device.coupling_map,
                        errors=readout,
                        dark=viewer.theme == "dark",
                    ).mark("coupling-map")
                else:
                    ui.label("Every qubit is connected to every other (ideal simulator).").classes(
                        "qd-muted"
                    )
            _calibration(device.name, table)
        return None


def _calibration(name: str, table: dict) -> None:
    with section_card("Calibration", "T1, T2, readout and gate errors per qubit") as card:
        if not table["qubits"]:
            ui.label("The ideal simulator has no calibration: it makes no errors.").classes(
                "qd-muted"
            )
            return
        gates: dict[int, list[str]] = {}
        for gate in table["gates"]:
            if len(gate["qubits"]) == 1 and gate.get("error") is not None and gate["gate"] != "id":
                gates.setdefault(gate["qubits"][0], []).append(
                    f"{gate['gate']} {gate['error']:.1e}"
                )
        rows = [
            {
                "qubit": q["qubit"],
                "t1": f"{q.get('t1_us') or 0:.1f}",
                "t2": f"{q.get('t2_us') or 0:.1f}",
                "readout": _pct(q.get("readout_error")),
                "gates": ", ".join(gates.get(q["qubit"], [])),
            }
            for q in table["qubits"]
        ]
        ui.button(
            "Download CSV",
            icon="download",
            on_click=lambda: ui.download.content(
                calibration_csv({"backend": name, **table}).encode(),
                f"{name}-calibration.csv",
                "text/csv",
            ),
        ).props("outline no-caps").mark("calibration-csv")
        calibration = (
            ui.table(
                columns=[
                    {"name": "qubit", "label": "Qubit", "field": "qubit", "sortable": True},
                    {"name": "t1", "label": "T1 (µs)", "field": "t1", "sortable": True},
                    {"name": "t2", "label": "T2 (µs)", "field": "t2", "sortable": True},
                    {"name": "readout", "label": "Readout error", "field": "readout"},
                    {
                        "name": "gates",
                        "label": "1-qubit gate errors",
                        "field": "gates",
                        "align": "left",
                        "classes": "gt-sm",
                        "headerClasses": "gt-sm",
                    },
                ],
                rows=rows,
                row_key="qubit",
                pagination=20,
            )
            .props("flat dense")
            .classes("qd-table w-full")
            .mark("calibration")
        )
        keyboard_scrollable(calibration, "Calibration per qubit")
    return card
