"""Shared documents: the workspace's list (/documents) and one document (/documents/<id>)
co-edited live (Yjs over /api/v1/documents/<id>/sync), with who is here, the rendered
Markdown beside it, its circuits runnable as jobs, named versions with restore, and
export. Through ``DocumentService``, like the API."""

from __future__ import annotations

import uuid

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from qdeck.auth.credentials import token_hash
from qdeck.collab import sync_tickets
from qdeck.collab.document_schemas import DocumentCreate, DocumentRead, VersionRead
from qdeck.collab.documents import circuits_in
from qdeck.collab.markdown import render_message
from qdeck.errors import QdeckError
from qdeck.jobs.schemas import JobCreate
from qdeck.ui.components.badges import empty_state
from qdeck.ui.components.document_editor import DocumentEditor, colour_for, serve_bundle
from qdeck.ui.errors import attempt
from qdeck.ui.layout import PAGE_WAIT, frame, page_heading
from qdeck.ui.pages.chat import CSS
from qdeck.ui.session import Viewer, choose_workspace, current_viewer, to_log_in
from qdeck.workspaces.access import Action, allows


def _can_edit(viewer: Viewer) -> bool:
    return not viewer.workspace_lost and allows(viewer.workspace.role, Action.EDIT_DOCUMENTS)


async def _list_page(viewer: Viewer) -> None:
    async with viewer.qdeck.reading() as services:
        documents = await services.documents.list(viewer.user, viewer.workspace.id)
    with frame(viewer, "Documents", active="documents"):
        with page_heading(
            "Documents", f"Notes and circuits {viewer.workspace.name} writes together"
        ):
            if _can_edit(viewer):
                ui.button("New document", icon="note_add", on_click=lambda: _new(viewer)).props(
                    "unelevated no-caps color=primary"
                ).mark("new-document")
        with ui.card().classes("qd-card w-full p-0"):
            if not documents:
                empty_state(
                    "description",
                    "No documents yet",
                    "Write up an experiment with its circuits; everyone in the workspace "
                    "edits it at the same time.",
                )
            with ui.list().classes("w-full"):
                for document in documents:
                    with (
                        ui.item(on_click=lambda d=document: ui.navigate.to(f"/documents/{d.id}"))
                        .classes("w-full")
                        .mark("document-row")
                    ):
                        with ui.item_section().props("avatar"):
                            ui.icon("description", color="primary")
                        with ui.item_section():
                            ui.item_label(document.title).classes("font-medium")
                            ui.item_label(f"changed {document.updated_at:%b %d, %H:%M} UTC").props(
                                "caption"
                            )


def _new(viewer: Viewer) -> None:
    with ui.dialog() as dialog, ui.card().classes("w-full max-w-md").mark("new-document-dialog"):
        ui.label("New document").classes("text-lg font-bold")
        title = ui.input("Title").props("outlined dense autofocus").classes("w-full")

        async def create() -> None:
            try:
                body = DocumentCreate(title=title.value or "", text="")
            except ValueError as exc:
                title.error = str(exc).splitlines()[-1]
                return
            async with viewer.qdeck.writing() as services:
                made = await attempt(
                    services.documents.create(viewer.user, viewer.workspace.id, body)
                )
            if made is not None:
                dialog.close()
                ui.navigate.to(f"/documents/{made.id}")

        with ui.row().classes("w-full justify-end gap-2"):
            ui.button("Cancel", on_click=dialog.close).props("flat no-caps")
            ui.button("Create", on_click=create).props("unelevated no-caps color=primary").mark(
                "create-document"
            )
    dialog.open()


class DocumentPage:
    def __init__(self, viewer: Viewer, document: DocumentRead) -> None:
        self.viewer = viewer
        self.document = document
        self.text = document.text
        self.editable = _can_edit(viewer)

    def build(self) -> None:
        ui.add_css(CSS)
        with page_heading(self.document.title, self.viewer.workspace.name):
            self.presence = ui.row().classes("items-center gap-1").mark("presence")
            self.status = (
                ui.chip("connecting", icon="sync").props("dense outline").mark("sync-status")
            )
            if self.editable:
                ui.button("Save version", icon="bookmark_add", on_click=self._save_version).props(
                    "outline no-caps"
                ).mark("save-version")
            ui.button("Versions", icon="history", on_click=self._versions).props(
                "flat no-caps"
            ).mark("versions")
            with ui.button("Export", icon="download").props("flat no-caps"), ui.menu():
                base = f"/api/v1/documents/{self.document.id}/export"
                ui.menu_item("Markdown", on_click=lambda: ui.navigate.to(base))
                ui.menu_item(
                    "Circuits as QASM", on_click=lambda: ui.navigate.to(f"{base}?format=qasm")
                )
        if not self.editable:
            ui.label("You can read this document live; your role cannot edit it.").classes(
                "text-sm qd-muted"
            ).mark("document-read-only")
        with ui.row().classes("w-full gap-4 items-start flex-wrap lg:flex-nowrap"):
            with ui.card().classes("qd-card w-full lg:w-1/2 p-2 min-w-0"):
                editor = (
                    DocumentEditor(
                        self.document.id,
                        read_only=not self.editable,
                        name=self.viewer.user.display_name,
                        colour=colour_for(self.viewer.user.id),
                        ticket=sync_tickets.issue(
                            self.viewer.qdeck.settings.instance_secret,
                            self.viewer.user.id,
                            self.document.id,
                            token_hash(self.viewer.token),
                        ),
                    )
                    .classes("w-full min-h-[50vh]")
                    .mark("document-editor")
                )
                editor.on("peers", self._peers)
                editor.on("status", self._status)
                editor.on("text", self._text)
            with ui.card().classes("qd-card w-full lg:w-1/2 p-4 min-w-0 gap-2"):
                ui.label("Preview").classes("text-xs font-semibold uppercase qd-muted")
                self.preview = (
                    ui.html("", sanitize=False)
                    .classes("qd-chat-body w-full")
                    .mark("document-preview")
                )
                self.circuits = ui.column().classes("w-full gap-2")
        self._render()

    def _peers(self, event) -> None:
        # Awareness travels on the socket: a status event lost on the page's own
        # connect is made good by the first presence news.
        self._show_status("connected")
        self.presence.clear()
        with self.presence:
            for peer in event.args or []:
                name = str(peer.get("name", "?"))
                ui.avatar(name[:1].upper(), text_color="white").style(
                    f"background: {peer.get('color', '#64748b')}"
                ).props(f'size="28px" font-size="12px" aria-label="{name} is here"').tooltip(
                    f"{name} is here"
                ).mark("peer")

    def _status(self, event) -> None:
        self._show_status(str(event.args))

    def _show_status(self, status: str) -> None:
        self.status.set_text(status)
        self.status.props(f"icon={'cloud_done' if status == 'connected' else 'sync'}")

    def _text(self, event) -> None:
        self.text = str(event.args or "")
        self._render()

    def _render(self) -> None:
        self.preview.content = render_message(self.text) if self.text.strip() else ""
        self.circuits.clear()
        with self.circuits:
            for index, source in enumerate(circuits_in(self.text)):
                with ui.row().classes("w-full items-center gap-2"):
                    ui.label(f"Circuit {index + 1}").classes("text-sm font-medium")
                    if self.viewer.can_write:
                        ui.button(
                            "Run on aer_simulator",
                            icon="play_arrow",
                            on_click=lambda s=source: self._run(s),
                        ).props("outline dense no-caps").mark("run-circuit")

    async def _run(self, source: str) -> None:
        try:
            body = JobCreate(
                workspace_id=self.viewer.workspace.id,
                backend="aer_simulator",
                circuits=[{"source": source}],  # type: ignore[list-item]
                shots=1024,
                name=f"{self.document.title} circuit",
            )
        except ValueError as exc:
            ui.notify(str(exc).splitlines()[-1], type="negative")
            return
        async with self.viewer.qdeck.writing() as services:
            job = await attempt(services.jobs.submit(self.viewer.user, body))
        if job is not None:
            ui.notify("Submitted", type="positive")
            ui.navigate.to(f"/jobs/{job.id}")

    async def _save_version(self) -> None:
        with ui.dialog() as dialog, ui.card().classes("w-full max-w-md"):
            ui.label("Save a version").classes("text-lg font-bold")
            name = ui.input("Name", placeholder="before the review").props("outlined dense")

            async def save() -> None:
                async with self.viewer.qdeck.writing() as services:
                    await self.viewer.qdeck.app.state.document_rooms.flush(
                        self.document.id, services.session
                    )
                    saved = await attempt(
                        services.documents.save_version(
                            self.viewer.user,
                            self.document.id,
                            (name.value or "").strip() or "Saved",
                        )
                    )
                if saved is not None:
                    dialog.close()
                    ui.notify(f"Saved “{saved.name}”", type="positive")

            with ui.row().classes("w-full justify-end gap-2"):
                ui.button("Cancel", on_click=dialog.close).props("flat no-caps")
                ui.button("Save", on_click=save).props("unelevated no-caps color=primary").mark(
                    "save-version-confirm"
                )
        dialog.open()

    async def _versions(self) -> None:
        async with self.viewer.qdeck.reading() as services:
            versions = await services.documents.versions(self.viewer.user, self.document.id)
        with ui.dialog() as dialog, ui.card().classes("w-full max-w-lg").mark("versions-dialog"):
            ui.label("Versions").classes("text-lg font-bold")
            if not versions:
                ui.label("No saved versions yet.").classes("qd-muted")
            for version in versions:
                self._version_row(version, dialog)
            ui.button("Close", on_click=dialog.close).props("flat no-caps").classes("self-end")
        dialog.open()

    def _version_row(self, version: VersionRead, dialog) -> None:
        with ui.row().classes("w-full items-center gap-2 no-wrap").mark("version"):
            with ui.column().classes("gap-0 flex-1 min-w-0"):
                ui.label(version.name).classes("font-medium truncate")
                ui.label(f"{version.created_at:%b %d, %H:%M} UTC").classes("text-xs qd-muted")
            if self.editable:

                async def restore() -> None:
                    live = self.viewer.qdeck.app.state.document_rooms.open_doc(self.document.id)
                    async with self.viewer.qdeck.writing() as services:
                        done = await attempt(
                            services.documents.restore(
                                self.viewer.user, self.document.id, version.id, live
                            )
                        )
                    if done is not None:
                        dialog.close()
                        ui.notify(f"Restored “{version.name}”", type="positive")

                ui.button("Restore", on_click=restore).props("flat dense no-caps").mark("restore")


def register() -> None:
    serve_bundle()

    @ui.page("/documents", title="Documents · qdeck", response_timeout=PAGE_WAIT)
    async def documents_page(request: Request) -> RedirectResponse | None:
        viewer = await current_viewer(request)
        if viewer is None:
            return to_log_in(request)
        await _list_page(viewer)
        return None

    @ui.page("/documents/{document_id}", title="Document · qdeck", response_timeout=PAGE_WAIT)
    async def document_page(request: Request, document_id: str) -> RedirectResponse | None:
        viewer = await current_viewer(request)
        if viewer is None:
            return to_log_in(request)
        document = await _document(viewer, document_id)
        if document is None:
            with frame(viewer, "Document", active="documents"):
                empty_state("search_off", "Document not found", "It may have been deleted.")
            return None
        if document.workspace_id != viewer.workspace.id:
            choose_workspace(viewer, document.workspace_id)
            return RedirectResponse(viewer.path, status_code=303)
        page = DocumentPage(viewer, document)
        with frame(viewer, document.title, active="documents"):
            page.build()
        return None


async def _document(viewer: Viewer, raw: str) -> DocumentRead | None:
    try:
        document_id = uuid.UUID(raw)
    except ValueError:
        return None
    async with viewer.qdeck.reading() as services:
        try:
            return await services.documents.get(viewer.user, document_id)
        except QdeckError:
            return None
