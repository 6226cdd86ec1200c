"""Jobs: a filtered, sorted, cursor-paginated table that updates live."""

from __future__ import annotations

import asyncio
import uuid

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import background_tasks, ui

from qdeck.db.keyset import PageRequest
from qdeck.events.bus import Event
from qdeck.jobs.export import jobs_csv, jobs_json
from qdeck.jobs.models import Job
from qdeck.jobs.repository import JobFilter
from qdeck.ui.components.badges import empty_state
from qdeck.ui.components.jobs_filters import FilterBar
from qdeck.ui.components.jobs_query import PAGE_SIZES, JobsQuery
from qdeck.ui.components.jobs_table import JobsTable, job_row
from qdeck.ui.components.live import LiveUpdates
from qdeck.ui.errors import attempt
from qdeck.ui.layout import frame, page_heading
from qdeck.ui.session import Viewer, current_viewer, to_log_in

EXPORT_LIMIT = 10_000
# However many events arrive, the table is reloaded at most this often (seconds).
RELOAD_EVERY = 0.3


def register() -> None:
    @ui.page("/jobs", title="Jobs · qdeck")
    async def jobs_page(request: Request) -> RedirectResponse | None:
        viewer = await current_viewer(request)
        if viewer is None:
            return to_log_in(request)
        query = JobsQuery.from_params(dict(request.query_params))
        view = JobsView(viewer, query)
        rows, cursor, filters = await view.fetch_first(), view.next_cursor, await view.options()
        with frame(viewer, "Jobs", active="jobs") as live:
            view.build(live, rows, cursor, filters)
        return None


class JobsView:
    def __init__(self, viewer: Viewer, query: JobsQuery) -> None:
        self.viewer = viewer
        self.query = query
        self.cursors: list[str | None] = [None]  # the cursor of each page seen so far
        self.next_cursor: str | None = None
        self.selected: list[str] = []
        self._reload_pending = False

    @property
    def job_filter(self) -> JobFilter:
        return self.query.job_filter(self.viewer.workspace.id)

    async def fetch(self, cursor: str | None) -> list[dict]:
        async with self.viewer.qdeck.reading() as services:
            jobs, self.next_cursor, positions = await services.jobs.list(
                self.viewer.user,
                self.job_filter,
                PageRequest(cursor=cursor, limit=self.query.limit),
                sort=self.query.sort,
                descending=self.query.descending,
            )
        return [job_row(job, positions.get(job.id)) for job in jobs]

    async def fetch_first(self) -> list[dict]:
        return await self.fetch(None)

    async def options(self) -> dict:
        from qdeck.ui.components.jobs_filters import filter_options

        return await filter_options(self.viewer)

    def build(self, live: LiveUpdates, rows: list[dict], cursor: str | None, options: dict) -> None:
        heading = page_heading("Jobs", f"Every job in {self.viewer.workspace.name}, live")
        with heading, ui.row().classes("gap-2"):
            with (
                ui.dropdown_button("Export", icon="download")
                .props("outline no-caps")
                .mark("export")
            ):
                ui.item("Filtered list as CSV", on_click=lambda: self.export("csv")).mark(
                    "export-csv"
                )
                ui.item("Filtered list as JSON", on_click=lambda: self.export("json")).mark(
                    "export-json"
                )
            ui.button("New job", icon="add", on_click=lambda: ui.navigate.to("/submit")).props(
                "unelevated no-caps"
            ).bind_visibility_from(self.viewer, "can_write")
        for problem in self.query.problems:
            ui.notify(f"Ignored part of the link: {problem}", type="warning")
        self.filters = FilterBar(lambda: self.query, options, self.apply)
        background_tasks.create(self.filters.load_backends(self.viewer), name="backend names")
        with ui.card().classes("qd-card w-full p-0 gap-0 overflow-hidden"):
            with ui.row().classes("w-full items-center gap-2 px-4 py-2 min-h-12") as self.bulk:
                self.selection_label = ui.label().classes("text-sm font-medium")
                ui.button("Cancel selected", icon="cancel", on_click=self.cancel_selected).props(
                    "flat dense no-caps color=negative"
                ).mark("bulk-cancel").bind_visibility_from(self.viewer, "can_write")
                ui.button(
                    "Export selected (CSV)",
                    icon="download",
                    on_click=lambda: self.export("csv", selected=True),
                ).props("flat dense no-caps")
                ui.button("JSON", on_click=lambda: self.export("json", selected=True)).props(
                    "flat dense no-caps"
                )
            self.bulk.set_visibility(False)
            self.table = JobsTable(
                sort=self.query.sort,
                descending=self.query.descending,
                on_sort=self.resort,
                on_select=self.on_select,
            )
            with ui.column().classes("w-full") as self.empty:
                self._empty_state()
            with (
                ui.row()
                .classes("w-full items-center justify-between px-4 py-2 border-t")
                .style("border-color: var(--qd-border)")
            ):
                ui.select(
                    {n: f"{n} per page" for n in PAGE_SIZES},
                    value=self.query.limit,
                    on_change=lambda e: self.apply(self.query.with_(limit=e.value)),
                ).props('dense borderless options-dense aria-label="Rows per page"')
                with ui.row().classes("gap-1 items-center"):
                    self.page_label = ui.label().classes("text-sm qd-muted")
                    self.newer = ui.button(icon="chevron_left", on_click=self.previous_page).props(
                        'flat round dense aria-label="Newer page"'
                    )
                    self.older = (
                        ui.button(icon="chevron_right", on_click=self.next_page)
                        .props('flat round dense aria-label="Older page"')
                        .mark("next-page")
                    )
        self.next_cursor = cursor
        self.show(rows)
        live.on_events(self.on_events)
        live.on_resync(self.reload)

    def _empty_state(self) -> None:
        if self.query.is_filtered:
            empty_state(
                "filter_alt_off",
                "No jobs match these filters",
                "Try fewer filters, or clear them to see every job.",
                "Clear filters",
                lambda: ui.navigate.to("/jobs"),
            )
        else:
            empty_state(
                "science",
                "No jobs yet",
                "Submit a circuit, or run a Bell state from the dashboard. Jobs sent "
                "from the API or the command line appear here as they arrive.",
                "Submit your first circuit",
                lambda: ui.navigate.to("/submit"),
            )

    def show(self, rows: list[dict]) -> None:
        self.table.show(rows, self.query.sort, self.query.descending)
        self.table.table.set_visibility(bool(rows))
        self.empty.set_visibility(not rows)
        page = len(self.cursors)
        count = f"{len(rows)} job{'s' if len(rows) != 1 else ''}"
        self.page_label.set_text(f"Page {page} · {count}" if rows else "")
        self.newer.set_enabled(page > 1)
        self.older.set_enabled(self.next_cursor is not None)
        self.on_select([r["id"] for r in self.table.table.selected])

    def on_select(self, ids: list[str]) -> None:
        self.selected = ids
        self.bulk.set_visibility(bool(ids))
        self.selection_label.set_text(f"{len(ids)} selected")

    async def apply(self, query: JobsQuery) -> None:
        """A new view: back to the first page, and the URL says what is shown."""
        self.query = query
        self.cursors = [None]
        ui.navigate.history.replace(query.url())
        self.empty.clear()
        with self.empty:
            self._empty_state()
        self.show(await self.fetch(None))

    async def resort(self, sort: str, descending: bool) -> None:
        await self.apply(self.query.with_(sort=sort, descending=descending))

    async def next_page(self) -> None:
        if self.next_cursor is None:
            return
        self.cursors.append(self.next_cursor)
        self.show(await self.fetch(self.next_cursor))

    async def previous_page(self) -> None:
        if len(self.cursors) > 1:
            self.cursors.pop()
        self.show(await self.fetch(self.cursors[-1]))

    async def reload(self) -> None:
        self.show(await self.fetch(self.cursors[-1]))

    def on_events(self, events: list[Event]) -> None:
        """Reload when a shown job changed, or (on the first page) when any job did."""
        ids = {str(i) for i in self.table.ids}
        relevant = [e for e in events if e.job_id and e.workspace_id == self.viewer.workspace.id]
        first_page = len(self.cursors) == 1
        if any(first_page or str(e.job_id) in ids for e in relevant) and not self._reload_pending:
            self._reload_pending = True
            background_tasks.create(self._reload_soon(), name="jobs live reload")

    async def _reload_soon(self) -> None:
        await asyncio.sleep(RELOAD_EVERY)
        self._reload_pending = False
        with self.table.table:
            await self.reload()

    async def cancel_selected(self) -> None:
        ids = tuple(uuid.UUID(i) for i in self.selected)

        async def cancel():
            async with self.viewer.qdeck.writing() as services:
                return await services.jobs.cancel_many(self.viewer.user, JobFilter(ids=ids))

        outcome = await attempt(cancel())
        if outcome is None:
            return
        done = len(outcome.cancelled) + len(outcome.cancelling)
        message = f"Cancelled {done} job{'s' if done != 1 else ''}"
        if outcome.skipped:
            message += f"; {len(outcome.skipped)} skipped ({outcome.skipped[0]['reason']})"
        ui.notify(message, type="positive" if done else "warning")
        self.table.table.selected = []
        await self.reload()

    async def export(self, fmt: str, *, selected: bool = False) -> None:
        flt = (
            JobFilter(ids=tuple(uuid.UUID(i) for i in self.selected))
            if selected
            else self.job_filter
        )
        async with self.viewer.qdeck.reading() as services:
            jobs: list[Job] = await services.jobs.jobs.list_all(
                self.viewer.user.id, flt, EXPORT_LIMIT
            )
        body = jobs_csv(jobs) if fmt == "csv" else jobs_json(jobs)
        media = "text/csv" if fmt == "csv" else "application/json"
        ui.download.content(body.encode(), f"qdeck-jobs.{fmt}", media)
        ui.notify(f"Exported {len(jobs)} job{'s' if len(jobs) != 1 else ''}")
