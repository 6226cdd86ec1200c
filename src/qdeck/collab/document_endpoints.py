"""/api/v1 shared documents: a workspace's documents (``/workspaces/{id}/documents``), one
document's text, title, export and named versions (``/documents/{id}/...``), and its live
sync socket ``/documents/{id}/sync`` (the y-websocket protocol; authenticated like
/api/v1/ws by the session cookie or ``Authorization: Bearer``, no auth frame)."""

import contextlib
import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, WebSocket, status
from fastapi.responses import PlainTextResponse

from qdeck.api.deps import CurrentUser, ServicesDep
from qdeck.api.live import authenticate_socket
from qdeck.api.ws_guards import refuse_foreign_origin
from qdeck.collab import sync_tickets
from qdeck.collab.document_rooms import DocumentRooms, Editor
from qdeck.collab.document_schemas import (
    DocumentCreate,
    DocumentRead,
    DocumentUpdate,
    VersionCreate,
    VersionRead,
)
from qdeck.collab.documents import DocumentService
from qdeck.db.types import utcnow
from qdeck.errors import QdeckError
from qdeck.services import Services

router = APIRouter(tags=["documents"])
DOC = "/documents/{document_id}"
CLOSE_NOT_FOUND = 4404


def _rooms(app) -> DocumentRooms:
    return app.state.document_rooms


@router.get("/workspaces/{workspace_id}/documents", response_model=list[DocumentRead])
async def list_documents(workspace_id: uuid.UUID, user: CurrentUser, services: ServicesDep):
    """The workspace's documents, most recently changed first (text as last compacted)."""
    return await services.documents.list(user, workspace_id)


@router.post("/workspaces/{workspace_id}/documents", response_model=DocumentRead, status_code=201)
async def create_document(
    workspace_id: uuid.UUID, body: DocumentCreate, user: CurrentUser, services: ServicesDep
) -> DocumentRead:
    return await services.documents.create(user, workspace_id, body)


@router.get(DOC, response_model=DocumentRead)
async def get_document(
    document_id: uuid.UUID, request: Request, user: CurrentUser, services: ServicesDep
) -> DocumentRead:
    """The current text, with every edit the live editors have made so far."""
    await _rooms(request.app).flush(document_id)
    return await services.documents.get(user, document_id)


@router.patch(DOC, response_model=DocumentRead)
async def rename_document(
    document_id: uuid.UUID, body: DocumentUpdate, user: CurrentUser, services: ServicesDep
) -> DocumentRead:
    return await services.documents.rename(user, document_id, body.title)


@router.delete(DOC, status_code=status.HTTP_204_NO_CONTENT)
async def delete_document(document_id: uuid.UUID, user: CurrentUser, services: ServicesDep) -> None:
    """Your own documents; admins can delete anyone's."""
    await services.documents.delete(user, document_id)


@router.get(f"{DOC}/export", response_class=PlainTextResponse)
async def export_document(
    document_id: uuid.UUID,
    request: Request,
    user: CurrentUser,
    services: ServicesDep,
    format: Annotated[Literal["markdown", "qasm"], Query()] = "markdown",
) -> PlainTextResponse:
    """The Markdown, or its ```qasm circuits as one OpenQASM file."""
    await _rooms(request.app).flush(document_id)
    name, text = await services.documents.export(user, document_id, format)
    media = "text/markdown" if format == "markdown" else "text/plain"
    return PlainTextResponse(
        text,
        media_type=f"{media}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(f"{DOC}/versions", response_model=list[VersionRead])
async def list_versions(document_id: uuid.UUID, user: CurrentUser, services: ServicesDep):
    return await services.documents.versions(user, document_id)


@router.post(f"{DOC}/versions", response_model=VersionRead, status_code=201)
async def save_version(
    document_id: uuid.UUID,
    body: VersionCreate,
    request: Request,
    user: CurrentUser,
    services: ServicesDep,
) -> VersionRead:
    """Name the document as it is now."""
    await _rooms(request.app).flush(document_id, services.session)
    return await services.documents.save_version(user, document_id, body.name)


@router.post(f"{DOC}/versions/{{version_id}}/restore", response_model=DocumentRead)
async def restore_version(
    document_id: uuid.UUID,
    version_id: uuid.UUID,
    request: Request,
    user: CurrentUser,
    services: ServicesDep,
) -> DocumentRead:
    """The version's text becomes the document's, as an edit open editors receive."""
    live = _rooms(request.app).open_doc(document_id)
    return await services.documents.restore(user, document_id, version_id, live)


@router.websocket(f"{DOC}/sync")
async def sync_document(websocket: WebSocket, document_id: uuid.UUID) -> None:
    """Live co-editing of the document (Yjs, y-websocket protocol, awareness included)."""
    app = websocket.app
    await websocket.accept()
    if await refuse_foreign_origin(websocket):
        return
    ticket = websocket.query_params.get("ticket")
    if ticket:
        found = await _by_ticket(websocket, ticket, document_id)
    else:
        found = await authenticate_socket(websocket, auth_frame=False)
    if found is None:
        return
    user_id, credential = found
    async with app.state.database.session(write=False) as session:
        try:
            workspace_id, writable = await DocumentService(session).authorize_sync(
                user_id, document_id
            )
        except QdeckError as exc:
            with contextlib.suppress(Exception):
                await websocket.close(CLOSE_NOT_FOUND, exc.detail)
            return
    editor = Editor(websocket, user_id, workspace_id, writable, credential)
    await _rooms(app).serve(editor, document_id)
    with contextlib.suppress(Exception):
        await websocket.close()


async def _by_ticket(websocket: WebSocket, ticket: str, document_id: uuid.UUID):
    """The person a page's ticket names, and a check that its browser session holds."""
    settings = websocket.app.state.settings
    found = sync_tickets.verify(settings.instance_secret, ticket, document_id)
    if found is None:
        with contextlib.suppress(Exception):
            await websocket.close(4401, "the page's ticket is invalid or expired; reload it")
        return None
    user_id, session_hash = found

    async def check(session) -> bool:
        services = Services(session, settings)
        row = await services.auth.sessions.by_token_hash(session_hash)
        return row is not None and services.browser_sessions.is_alive(row, utcnow())

    async with websocket.app.state.database.session(write=False) as session:
        if not await check(session):
            with contextlib.suppress(Exception):
                await websocket.close(4401, "your session has ended; log in again")
            return None
    return user_id, check
