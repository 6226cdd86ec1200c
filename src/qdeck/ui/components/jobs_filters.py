"""The Jobs page's filter bar: status, backend, project, tag, text and dates."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from nicegui import ui

from qdeck.backends.service import BackendService
from qdeck.db.keyset import PageRequest
from qdeck.jobs.status import JobStatus
from qdeck.ui.components.jobs_query import JobsQuery
from qdeck.ui.session import Viewer
from qdeck.workspaces.projects import ProjectService

TEXT_DEBOUNCE = 0.35


async def filter_options(viewer: Viewer) -> dict[str, Any]:
    async with viewer.qdeck.reading() as session:
        projects, _ = await ProjectService(session).list(
            viewer.user, viewer.workspace.id, PageRequest(limit=200)
        )
    return {"projects": {str(p.id): p.name for p in projects}}


async def backend_names(viewer: Viewer) -> list[str]:
    """Every backend (the catalog may still be loading after a start: not on the page's path)."""
    async with viewer.qdeck.reading() as session:
        backends = await BackendService(session, viewer.qdeck.settings).list(viewer.user.id)
    return sorted(b.name for b in backends)


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
        with ui.row().classes("qd-filters w-full items-center gap-2 flex-wrap").mark("filters"):
            self.search = self._field(
                ui.input("Search name or notes", value=query.text, on_change=self._typed)
                .props("dense outlined clearable debounce=0")
                .classes("qd-filter-wide sm:w-64"),
                "search",
            )
            with self.search.add_slot("prepend"):
                ui.icon("search")
            self.status = self._field(
                ui.select(
                    statuses,
                    multiple=True,
                    value=list(query.statuses),
                    label="Status",
                    on_change=lambda e: self._set(statuses=tuple(e.value or ())),
                )
                .props("dense outlined use-chips clearable options-dense")
                .classes("sm:w-56"),
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
                )
                .props("dense outlined options-dense")
                .classes("sm:w-52"),
                "backend",
            )
            projects = {"": "Any project", **options["projects"]}
            self._field(
                ui.select(
                    projects,
                    value=query.project if query.project in projects else "",
                    label="Project",
                    on_change=lambda e: self._set(project=e.value or ""),
                )
                .props("dense outlined options-dense")
                .classes("sm:w-44"),
                "project",
            )
            self._field(
                ui.input("Tag", value=query.tag)
                .props("dense outlined clearable")
                .classes("sm:w-32")
                .on("keydown.enter", lambda e: self._set(tag=(e.sender.value or "").strip()))
                .on("blur", lambda e: self._set(tag=(e.sender.value or "").strip()))
                .on("clear", lambda: self._set(tag="")),
                "tag",
            )
            for key, label in (("since", "From"), ("until", "To")):
                self._field(
                    ui.input(
                        label,
                        value=getattr(query, key),
                        on_change=lambda e, k=key: self._set(**{k: e.value or ""}),
                    )
                    .props("dense outlined type=date stack-label")
                    .classes("sm:w-40"),
                    key,
                )
            ui.button(
                "Clear", icon="filter_alt_off", on_click=lambda: ui.navigate.to("/jobs")
            ).props("flat no-caps").mark("clear-filters")
            ui.button(icon="link", on_click=self._copy_link).props(
                'flat round aria-label="Copy a link to this view"'
            ).tooltip("Copy a link to this view")

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
        await ui.clipboard.write(str(await ui.run_javascript("window.location.href")))
        ui.notify("Link to this view copied")
