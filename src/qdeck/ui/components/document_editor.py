"""The co-editing element of a shared document (document_editor.js): CodeMirror with Yjs,
named cursors, presence. The server enforces who may write; ``read_only`` only spares a
viewer a cursor that cannot type."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

from nicegui import app, ui

BUNDLE = Path(__file__).parents[1] / "static" / "collab" / "qdeck-collab-1.0.0.js"
BUNDLE_URL = f"/static/collab/{BUNDLE.name}"
# Cursor colours that read on both themes (Tailwind 600s).
COLOURS = ("#2563eb", "#16a34a", "#db2777", "#d97706", "#7c3aed", "#0891b2", "#dc2626")


def colour_for(user_id: uuid.UUID) -> str:
    return COLOURS[int(hashlib.sha256(user_id.bytes).hexdigest(), 16) % len(COLOURS)]


def serve_bundle() -> None:
    # The file name carries the version, so it may be cached for a long time.
    app.add_static_file(local_file=BUNDLE, url_path=BUNDLE_URL, max_cache_age=31_536_000)


class DocumentEditor(ui.element, component="document_editor.js"):
    def __init__(
        self, document_id: uuid.UUID, *, read_only: bool, name: str, colour: str, ticket: str
    ):
        super().__init__()
        ui.add_head_html(f'<script src="{BUNDLE_URL}"></script>')
        self._props["documentId"] = str(document_id)
        self._props["readOnly"] = read_only
        self._props["userName"] = name
        self._props["userColor"] = colour
        # The browser holds no API credential of its own (collab/sync_tickets.py).
        self._props["ticket"] = ticket
