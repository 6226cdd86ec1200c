"""The jobs table: rows shaped from jobs, status chips, links, server-side sorting."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from nicegui import ui

from qdeck.jobs.models import Job
from qdeck.ui.components.badges import seconds
from qdeck.ui.components.tables import keyboard_scrollable
from qdeck.ui.theme import STATUS_ICONS, status_color

COLUMNS = [
    {"name": "name", "label": "Job", "field": "name", "align": "left", "sortable": True},
    {"name": "status", "label": "Status", "field": "status", "align": "left", "sortable": True},
    {
        "name": "backend",
        "label": "Backend",
        "field": "backend",
        "align": "left",
        "sortable": True,
        "classes": "gt-xs",
        "headerClasses": "gt-xs",
    },
    {
        "name": "qubits",
        "label": "Qubits",
        "field": "qubits",
        "align": "right",
        "classes": "gt-sm",
        "headerClasses": "gt-sm",
    },
    {
        "name": "shots",
        "label": "Shots",
        "field": "shots",
        "align": "right",
        "classes": "gt-sm",
        "headerClasses": "gt-sm",
    },
    {
        "name": "created_at",
        "label": "Created (UTC)",
        "field": "created",
        "align": "left",
        "sortable": True,
        "classes": "gt-xs",
        "headerClasses": "gt-xs",
    },
    {
        "name": "duration",
        "label": "Run time",
        "field": "duration",
        "align": "right",
        "classes": "gt-md",
        "headerClasses": "gt-md",
    },
]

NAME_CELL = r"""
<q-td :props="props">
  <a :href="'/jobs/' + props.row.id" class="qd-link">{{ props.row.name }}</a>
  <div v-if="props.row.tags" class="text-xs qd-muted">{{ props.row.tags }}</div>
</q-td>
"""
STATUS_CELL = r"""
<q-td :props="props">
  <q-chip dense square text-color="white" :color="props.row.color" :icon="props.row.icon"
          class="text-xs m-0">{{ props.row.status }}</q-chip>
  <span v-if="props.row.detail" class="text-xs qd-muted q-ml-sm">{{ props.row.detail }}</span>
</q-td>
"""


def job_row(job: Job, queue_position: int | None = None) -> dict[str, Any]:
    status = job.status.value
    if job.phase is not None:
        detail = job.phase.value.replace("_", " ")
    elif queue_position is not None:
        detail = f"#{queue_position} in queue"
    else:
        detail = ""
    run = (
        (job.finished_at - job.started_at).total_seconds()
        if job.started_at and job.finished_at
        else None
    )
    return {
        "id": str(job.id),
        "name": job.name,
        "status": status,
        "color": status_color(status),
        "icon": STATUS_ICONS.get(status, ""),
        "detail": detail,
        "backend": job.backend,
        "qubits": job.num_qubits,
        "shots": job.shots if job.shots is not None else "—",
        "tags": " · ".join(t.tag for t in job.tags),
        "created": job.created_at.strftime("%b %d, %H:%M:%S"),
        "duration": seconds(run) if run is not None else "",
    }


HEADER_SELECTION = """
<q-checkbox v-model="props.selected" aria-label="Select all jobs shown" />
"""
BODY_SELECTION = """
<q-checkbox v-model="props.selected" :aria-label="'Select ' + props.row.name" />
"""


class JobsTable:
    def __init__(
        self,
        *,
        sort: str,
        descending: bool,
        on_sort: Callable[[str, bool], Any],
        on_select: Callable[[list[str]], Any],
    ) -> None:
        self.table = (
            ui.table(
                columns=COLUMNS,
                rows=[],
                row_key="id",
                selection="multiple",
                pagination={
                    "rowsPerPage": 0,
                    "sortBy": sort,
                    "descending": descending,
                    "page": 1,
                    "rowsNumber": 0,
                },
                on_select=lambda e: on_select([r["id"] for r in e.selection]),
            )
            .classes("qd-table w-full")
            .props('flat hide-bottom binary-state-sort aria-label="Jobs" no-data-label="No jobs"')
            .mark("jobs-table")
        )
        self.table.add_slot("body-cell-name", NAME_CELL)
        # Quasar's own selection boxes have no name; a screen reader would say "checkbox".
        self.table.add_slot("header-selection", HEADER_SELECTION)
        self.table.add_slot("body-selection", BODY_SELECTION)
        self.table.add_slot("body-cell-status", STATUS_CELL)

        def request(event) -> Any:
            pagination = event.args.get("pagination", {})
            sort_by = pagination.get("sortBy") or "created_at"
            return on_sort(sort_by, bool(pagination.get("descending", True)))

        self.table.on("request", request)
        keyboard_scrollable(self.table, "Jobs")

    @property
    def ids(self) -> list[uuid.UUID]:
        return [uuid.UUID(r["id"]) for r in self.table.rows]

    def show(self, rows: list[dict[str, Any]], sort: str, descending: bool) -> None:
        keep = {r["id"] for r in self.table.selected}
        self.table.rows = rows
        self.table.selected = [r for r in rows if r["id"] in keep]
        self.table.pagination = {
            **self.table.pagination,
            "sortBy": sort,
            "descending": descending,
            "rowsNumber": len(rows),
        }
        self.table.update()
