"""The Jobs page's filter bar: status, backend, project, tag, text and dates."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from nicegui import ui

from qdeck.db.keyset import PageRequest
from qdeck.jobs.status import JobStatus
from qdeck.ui.components.jobs_query import JobsQuery
from qdeck.ui.session import Viewer

TEXT_DEBOUNCE = 0.35


async def filter_options(viewer: Viewer) -> dict[str, Any]:
    async with viewer.qdeck.reading() as services:
        projects, _ = await services.projects.list(
            viewer.user, viewer.workspace.id, PageRequest(limit=200)
        )
    return {"projects": {str(p.id): p.name for p in projects}}


async def backend_names(viewer: Viewer) -> list[str]:
    """Every backend (the catalog may still be loading after a start: not on the page's path)."""
    async with viewer.qdeck.reading() as services:
        backends = await services.backends.list(viewer.user.id)
    return sorted(b.name for b in backends)


def _status_text(statuses) -> str:
    values = [getattr(s, "value", s) for s in statuses]
    return ", ".join(values) if values else "Any status"


def _dates_text(since: str, until: str) -> str:
    if since and until:
        return f"{since} to {until}"
    if since:
        return f"From {since}"
    if until:
        return f"Until {until}"
    return "Any date"


class FilterBar:
    def __init__(
        self,
        current: Callable[[], JobsQuery],
        options: dict[str, Any],
        apply: Callable[[JobsQuery], Awaitable[None]],
    ) -> None:
        self.current = current
        self.apply = apply
        query = current()
        self._typing: asyncio.Task[None] | None = None
        statuses = {s.value: s.value for s in JobStatus}
        with ui.row().classes("qd-filters w-full items-center gap-2").mark("filters"):
            self.search = self._field(
                ui.input("Search jobs", value=query.text, on_change=self._typed)
                .props('dense outlined clearable debounce=0 placeholder="name or notes"')
                .classes("qd-filter-wide"),
                "search",
            )
            with self.search.add_slot("prepend"):
                ui.icon("search")
            # Chips would hide the "Any status" text: the chosen statuses are listed instead.
            self.status = self._field(
                ui.select(
                    statuses,
                    multiple=True,
                    value=list(query.statuses),
                    label="Status",
                    on_change=self._statuses_changed,
                )
                .props("dense outlined clearable options-dense stack-label")
                .props(f'display-value="{_status_text(query.statuses)}"'),
                "status",
            )
            backends = {"": "Any backend"}
            if query.backend:
                backends[query.backend] = query.backend
            self.backend = self._field(
                ui.select(
                    backends,
                    value=query.backend,
                    label="Backend",
                    with_input=True,
                    on_change=lambda e: self._set(backend=e.value or ""),
                ).props("dense outlined options-dense"),
                "backend",
            )
            projects = {"": "Any project", **options["projects"]}
            self._field(
                ui.select(
                    projects,
                    value=query.project if query.project in projects else "",
                    label="Project",
                    on_change=lambda e: self._set(project=e.value or ""),
                ).props("dense outlined options-dense"),
                "project",
            )
            self._field(
                ui.input("Tag", value=query.tag)
                .props("dense outlined clearable")
                .classes("qd-filter-narrow")
                .on("keydown.enter", lambda e: self._set(tag=(e.sender.value or "").strip()))
                .on("blur", lambda e: self._set(tag=(e.sender.value or "").strip()))
                .on("clear", lambda: self._set(tag="")),
                "tag",
            )
            self._dates(query)
            with ui.row().classes("qd-filter-actions items-center gap-0 no-wrap"):
                ui.button(
                    "Clear", icon="filter_alt_off", on_click=lambda: ui.navigate.to("/jobs")
                ).props("flat no-caps").mark("clear-filters")
                ui.button(icon="link", on_click=self._copy_link).props(
                    'flat round aria-label="Copy a link to this view"'
                ).tooltip("Copy a link to this view").mark("copy-view-link")

    def _dates(self, query: JobsQuery) -> None:
        """One "Created" button with the range in a menu: two date boxes side by side would
        push the other filters onto a second row."""
        with (
            ui.button(_dates_text(query.since, query.until), icon="event")
            .props("outline no-caps")
            .classes("qd-filter-dates")
            .mark("filter-dates") as button,
            ui.menu().props("anchor='bottom left' self='top left'"),
            ui.column().classes("p-3 gap-2"),
        ):
            for key, label in (("since", "From"), ("until", "To")):
                self._field(
                    ui.input(
                        label,
                        value=getattr(query, key),
                        on_change=lambda e, k=key: self._set(**{k: e.value or ""}),
                    )
                    .props("dense outlined type=date stack-label")
                    .classes("w-44"),
                    key,
                )
        self.dates_button = button

    async def _statuses_changed(self, event) -> None:
        chosen = tuple(event.value or ())
        self.status.props(f'display-value="{_status_text(chosen)}"')
        await self._set(statuses=chosen)

    async def load_backends(self, viewer: Viewer) -> None:
        names = await backend_names(viewer)
        current = self.backend.value
        options = {"": "Any backend", **{n: n for n in names}}
        if current and current not in options:
            options[current] = current
        self.backend.set_options(options, value=current)

    @staticmethod
    def _field(element: ui.element, key: str) -> ui.element:
        return element.mark(f"filter-{key}")

    async def _set(self, **changes: object) -> None:
        query = self.current().with_(**changes)
        if query != self.current():
            if "since" in changes or "until" in changes:
                self.dates_button.set_text(_dates_text(query.since, query.until))
            await self.apply(query)

    async def _typed(self, event) -> None:
        """Search as the user types, once they pause."""
        if self._typing is not None:
            self._typing.cancel()
        self._typing = asyncio.current_task()
        try:
            await asyncio.sleep(TEXT_DEBOUNCE)
        except asyncio.CancelledError:
            return
        await self._set(text=(event.value or "").strip())

    async def _copy_link(self) -> None:
        # ui.clipboard.write only queues the browser call (awaiting it raised a TypeError).
        ui.clipboard.write(str(await ui.run_javascript("window.location.href")))
        ui.notify("Link copied: this view with its filters", type="positive")
