"""Where a shared document's CRDT lives in qdeck's own database (SQLite or PostgreSQL):
a snapshot (``shared_documents.crdt_state``, with the plain text beside it) plus the
updates clients sent since (``shared_document_updates``). Compaction folds the updates
into a new snapshot; the content is the same, because applying a CRDT's updates in any
order and any grouping gives one state.

``DatabaseYStore`` is pycrdt-store's interface over those tables, so a pycrdt-websocket
room persists through it; it writes a burst of updates in one transaction.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

from pycrdt import Doc, Text
from pycrdt.store.base import BaseYStore
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.collab.models import SharedDocument, SharedDocumentUpdate
from qdeck.db.engine import Database
from qdeck.db.types import utcnow

CONTENT = "content"
# Updates arriving within this window are stored together (a burst of typing is one
# transaction). A crash inside it loses nothing: the editors still hold those edits and
# send them again when they reconnect (that is what the sync step does).
FLUSH_SECONDS = 0.05
COMPACT_AFTER = 500


def content(doc: Doc) -> Text:
    return doc.get(CONTENT, type=Text)


async def load(session: AsyncSession, document_id: uuid.UUID) -> tuple[Doc, int]:
    """The document as stored, and the id of the last update folded into it."""
    doc = Doc()
    content(doc)
    snapshot = await session.scalar(
        select(SharedDocument.crdt_state).where(SharedDocument.id == document_id)
    )
    if snapshot:
        doc.apply_update(snapshot)
    last = 0
    rows = await session.execute(
        select(SharedDocumentUpdate.id, SharedDocumentUpdate.data)
        .where(SharedDocumentUpdate.document_id == document_id)
        .order_by(SharedDocumentUpdate.id)
    )
    for update_id, data in rows:
        doc.apply_update(data)
        last = update_id
    return doc, last


async def append(session: AsyncSession, document_id: uuid.UUID, updates: list[bytes]) -> None:
    now = utcnow()
    session.add_all(
        SharedDocumentUpdate(document_id=document_id, data=u, created_at=now) for u in updates
    )
    await session.execute(
        SharedDocument.__table__.update()
        .where(SharedDocument.id == document_id)
        .values(updated_at=now)
    )


async def compact(
    session: AsyncSession, document_id: uuid.UUID, doc: Doc, up_to: int | None = None
) -> int:
    """Store ``doc`` as the snapshot and delete the updates it holds (all of them, or
    those up to id ``up_to``); the number deleted."""
    document = await session.get(SharedDocument, document_id)
    if document is None:
        return 0
    stmt = delete(SharedDocumentUpdate).where(SharedDocumentUpdate.document_id == document_id)
    if up_to is not None:
        stmt = stmt.where(SharedDocumentUpdate.id <= up_to)
    document.crdt_state = doc.get_update()
    document.text = str(content(doc))
    document.version += 1
    result = await session.execute(stmt)
    return result.rowcount or 0


async def pending_count(session: AsyncSession, document_id: uuid.UUID) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(SharedDocumentUpdate)
            .where(SharedDocumentUpdate.document_id == document_id)
        )
        or 0
    )


class DatabaseYStore(BaseYStore):
    def __init__(self, database: Database, document_id: uuid.UUID) -> None:
        self.database = database
        self.document_id = document_id
        self.path = str(document_id)
        self.metadata_callback = None
        self.log = None
        self._pending: list[bytes] = []
        self._flushing: asyncio.Task[None] | None = None
        self.written = 0
        self._since_compaction = 0
        # The room's document: compaction stores it whole.
        self.doc: Doc | None = None

    async def write(self, data: bytes) -> None:
        self._pending.append(data)
        if self._flushing is None or self._flushing.done():
            self._flushing = asyncio.create_task(self._flush_soon())

    async def _flush_soon(self) -> None:
        await asyncio.sleep(FLUSH_SECONDS)
        await self.flush()

    async def flush(self, session: AsyncSession | None = None) -> None:
        """Store the pending updates: in ``session`` when given (a request already holding
        SQLite's one writer must not wait for a second), else in a unit of work of its own."""
        while self._pending:
            batch, self._pending = self._pending, []
            if session is not None:
                await append(session, self.document_id, batch)
                self.written += len(batch)
                continue
            async with self.database.session() as own:
                await append(own, self.document_id, batch)
                self._since_compaction += len(batch)
                # Every stored update came from this room's document, so it holds them all.
                if self.doc is not None and self._since_compaction >= COMPACT_AFTER:
                    await own.flush()
                    await compact(own, self.document_id, self.doc)
                    self._since_compaction = 0
            self.written += len(batch)

    async def close(self) -> None:
        """Store what is pending and leave one snapshot behind. The flush under way is
        awaited, never cancelled: a cancelled commit could leave the writer mid-transaction."""
        if self._flushing is not None and not self._flushing.done():
            await self._flushing
        await self.flush()
        if self.doc is not None and self.written:
            async with self.database.session() as session:
                await compact(session, self.document_id, self.doc)

    async def read(self) -> AsyncIterator[tuple[bytes, bytes, float]]:  # type: ignore[override]
        async with self.database.session(write=False) as session:
            doc, _ = await load(session, self.document_id)
        yield doc.get_update(), b"", 0.0
