"""Shared documents: Markdown with embedded circuits that a workspace edits together.
The CRDT is the truth (``document_store``); this service creates, lists, renames and
deletes documents, reads their current text, keeps named versions, restores one (as an
edit every open editor receives) and exports Markdown or the circuits as QASM.

Reading needs a role that may view the workspace; writing ``EDIT_DOCUMENTS`` (members and
above); deleting someone else's document ``MANAGE_DOCUMENTS`` (admins).
"""

from __future__ import annotations

import re
import uuid

from pycrdt import Doc
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.auth.models import User
from qdeck.collab import document_store
from qdeck.collab.document_schemas import DocumentCreate, DocumentRead, VersionRead
from qdeck.collab.models import SharedDocument, SharedDocumentUpdate, SharedDocumentVersion
from qdeck.errors import InvalidInput, NotFound
from qdeck.workspaces import access
from qdeck.workspaces.access import Action
from qdeck.workspaces.projects import ProjectService

_QASM_BLOCK = re.compile(r"^```(?:qasm|openqasm|qasm2|qasm3)[^\n]*\n(.*?)^```", re.M | re.S)


def circuits_in(markdown: str) -> list[str]:
    """The OpenQASM of every ```qasm block, in order."""
    return [block.strip() + "\n" for block in _QASM_BLOCK.findall(markdown)]


def replace_text(doc: Doc, text: str) -> None:
    """Make the document read ``text``, as one edit (open editors merge it like any other)."""
    content = document_store.content(doc)
    with doc.transaction():
        if len(content):
            del content[0 : len(content)]
        if text:
            content.insert(0, text)


class DocumentService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list(self, user: User, workspace_id: uuid.UUID) -> list[DocumentRead]:
        await access.authorize(self.session, user.id, workspace_id, Action.VIEW)
        rows = await self.session.scalars(
            select(SharedDocument)
            .where(SharedDocument.workspace_id == workspace_id)
            .order_by(SharedDocument.updated_at.desc(), SharedDocument.id)
            .limit(500)
        )
        return [_read(d, d.text) for d in rows]

    async def create(
        self, user: User, workspace_id: uuid.UUID, body: DocumentCreate
    ) -> DocumentRead:
        await access.authorize(self.session, user.id, workspace_id, Action.EDIT_DOCUMENTS)
        if body.project_id is not None:
            project = await ProjectService(self.session).get(user, body.project_id)
            if project.workspace_id != workspace_id:
                raise InvalidInput(
                    "The project belongs to another workspace.",
                    errors=[{"field": "project_id", "message": "not in this workspace"}],
                )
        doc = Doc()
        if body.text:
            document_store.content(doc).insert(0, body.text)
        document = SharedDocument(
            workspace_id=workspace_id,
            project_id=body.project_id,
            created_by=user.id,
            title=body.title,
            crdt_state=doc.get_update(),
            text=body.text,
        )
        self.session.add(document)
        await self.session.flush()
        return _read(document, body.text)

    async def get(self, user: User, document_id: uuid.UUID) -> DocumentRead:
        document = await self._document(user, document_id, Action.VIEW)
        return _read(document, await self.current_text(document_id))

    async def rename(self, user: User, document_id: uuid.UUID, title: str) -> DocumentRead:
        document = await self._document(user, document_id, Action.EDIT_DOCUMENTS)
        document.title = title
        await self.session.flush()
        return _read(document, await self.current_text(document_id))

    async def delete(self, user: User, document_id: uuid.UUID) -> None:
        document = await self._document(user, document_id, Action.VIEW)
        action = (
            Action.EDIT_DOCUMENTS if document.created_by == user.id else Action.MANAGE_DOCUMENTS
        )
        await access.authorize(self.session, user.id, document.workspace_id, action)
        await self.session.delete(document)
        await self.session.flush()

    async def authorize_sync(self, user_id: uuid.UUID, document_id: uuid.UUID):
        """(workspace id, may write) for a live connection; NotFound for outsiders."""
        document = await self.session.get(SharedDocument, document_id)
        if document is None:
            raise NotFound("Document not found.", code="document_not_found")
        membership = await access.authorize(
            self.session, user_id, document.workspace_id, Action.VIEW, resource="document"
        )
        return document.workspace_id, access.allows(membership.role, Action.EDIT_DOCUMENTS)

    async def current_text(self, document_id: uuid.UUID) -> str:
        doc, _ = await document_store.load(self.session, document_id)
        return str(document_store.content(doc))

    async def export(self, user: User, document_id: uuid.UUID, fmt: str) -> tuple[str, str]:
        """(file name, text): the Markdown, or its circuits as one QASM file each
        separated by a comment line."""
        document = await self._document(user, document_id, Action.VIEW)
        text = await self.current_text(document_id)
        slug = re.sub(r"[^a-z0-9]+", "-", document.title.lower()).strip("-") or "document"
        if fmt == "markdown":
            return f"{slug}.md", text
        circuits = circuits_in(text)
        if not circuits:
            raise InvalidInput("This document has no ```qasm blocks to export.", code="no_circuits")
        parts = [f"// circuit {i + 1} of {len(circuits)}\n{c}" for i, c in enumerate(circuits)]
        return f"{slug}.qasm", "\n".join(parts)

    # -- named versions ----------------------------------------------------------------------

    async def versions(self, user: User, document_id: uuid.UUID) -> list[VersionRead]:
        await self._document(user, document_id, Action.VIEW)
        rows = await self.session.scalars(
            select(SharedDocumentVersion)
            .where(SharedDocumentVersion.document_id == document_id)
            .order_by(SharedDocumentVersion.created_at.desc())
        )
        return [VersionRead.model_validate(v) for v in rows]

    async def save_version(self, user: User, document_id: uuid.UUID, name: str) -> VersionRead:
        await self._document(user, document_id, Action.EDIT_DOCUMENTS)
        doc, _ = await document_store.load(self.session, document_id)
        version = SharedDocumentVersion(
            document_id=document_id,
            name=name,
            text=str(document_store.content(doc)),
            crdt_state=doc.get_update(),
            created_by=user.id,
        )
        self.session.add(version)
        await self.session.flush()
        return VersionRead.model_validate(version)

    async def restore(
        self, user: User, document_id: uuid.UUID, version_id: uuid.UUID, live: Doc | None
    ) -> DocumentRead:
        """Bring the version's text back. With the document open (``live``), the edit goes
        through its room to every editor; otherwise it is stored as an update."""
        document = await self._document(user, document_id, Action.EDIT_DOCUMENTS)
        version = await self.session.get(SharedDocumentVersion, version_id)
        if version is None or version.document_id != document_id:
            raise NotFound("Version not found.", code="version_not_found")
        if live is not None:
            replace_text(live, version.text)
            return _read(document, version.text)
        doc, _ = await document_store.load(self.session, document_id)
        before = doc.get_state()
        replace_text(doc, version.text)
        self.session.add(SharedDocumentUpdate(document_id=document_id, data=doc.get_update(before)))
        await self.session.flush()
        return _read(document, version.text)

    async def _document(self, user: User, document_id: uuid.UUID, action: Action) -> SharedDocument:
        document = await self.session.get(SharedDocument, document_id)
        if document is None:
            raise NotFound("Document not found.", code="document_not_found")
        await access.authorize(
            self.session, user.id, document.workspace_id, action, resource="document"
        )
        return document


def _read(document: SharedDocument, text: str) -> DocumentRead:
    return DocumentRead(
        id=document.id,
        workspace_id=document.workspace_id,
        project_id=document.project_id,
        title=document.title,
        created_by=document.created_by,
        created_at=document.created_at,
        updated_at=document.updated_at,
        text=text,
    )
