"""Shared documents through the REST API (both databases): create, list, read, rename,
export Markdown and QASM, named versions and restore, who may do what, bad input; and
compaction, which leaves the content identical."""

from __future__ import annotations

import uuid

from pycrdt import Doc
from sqlalchemy import func, select

from qdeck.collab import document_store
from qdeck.collab.models import SharedDocumentUpdate
from tests.collab.conftest import Team
from tests.notifications.conftest import database

NOTES = """# Bell test

```qasm
OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
creg c[2];
h q[0];
cx q[0],q[1];
measure q -> c;
```

Result: half 00, half 11."""


async def _create(team: Team, text: str = NOTES) -> dict:
    made = await team.grace.client.post(
        f"/api/v1/workspaces/{team.workspace}/documents", json={"title": "Bell notes", "text": text}
    )
    assert made.status_code == 201, made.text
    return made.json()


async def test_create_read_rename_and_export(team: Team) -> None:
    doc = await _create(team)
    listed = await team.vic.client.get(f"/api/v1/workspaces/{team.workspace}/documents")
    assert [d["title"] for d in listed.json()] == ["Bell notes"]
    path = f"/api/v1/documents/{doc['id']}"
    assert (await team.vic.client.get(path)).json()["text"] == NOTES
    renamed = await team.ada.client.patch(path, json={"title": "Bell, final"})
    assert renamed.status_code == 200 and renamed.json()["title"] == "Bell, final"
    markdown = await team.vic.client.get(f"{path}/export")
    assert markdown.text == NOTES
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert 'filename="bell-final.md"' in markdown.headers["content-disposition"]
    qasm = await team.vic.client.get(f"{path}/export", params={"format": "qasm"})
    assert qasm.status_code == 200
    assert "// circuit 1 of 1\nOPENQASM 2.0;" in qasm.text and "cx q[0],q[1];" in qasm.text


async def test_versions_restore_the_saved_text(team: Team) -> None:
    doc = await _create(team)
    path = f"/api/v1/documents/{doc['id']}"
    saved = await team.grace.client.post(f"{path}/versions", json={"name": "first draft"})
    assert saved.status_code == 201 and saved.json()["text"] == NOTES
    # Change the document as an editor would: one CRDT update stored for it.
    async with database(team.accounts.app).session() as session:
        live, _ = await document_store.load(session, uuid.UUID(doc["id"]))
        before = live.get_state()
        document_store.content(live).insert(0, "DRAFT ")
        await document_store.append(session, uuid.UUID(doc["id"]), [live.get_update(before)])
    assert (await team.ada.client.get(path)).json()["text"] == "DRAFT " + NOTES
    versions = (await team.ada.client.get(f"{path}/versions")).json()
    assert [v["name"] for v in versions] == ["first draft"]
    restored = await team.ada.client.post(f"{path}/versions/{versions[0]['id']}/restore")
    assert restored.status_code == 200
    assert (await team.ada.client.get(path)).json()["text"] == NOTES


async def test_who_may_do_what_and_bad_input(team: Team) -> None:
    doc = await _create(team)
    path = f"/api/v1/documents/{doc['id']}"
    create = f"/api/v1/workspaces/{team.workspace}/documents"
    refused = await team.vic.client.post(create, json={"title": "mine"})
    assert refused.status_code == 403
    assert (await team.vic.client.post(f"{path}/versions", json={"name": "v"})).status_code == 403
    assert (await team.olga.client.get(path)).status_code == 404
    assert (await team.olga.client.get(f"{path}/export")).status_code == 404
    # Grace made it, so she may delete it; Vic may not; the owner may delete anyone's.
    assert (await team.vic.client.delete(path)).status_code == 403
    for body in (
        {"title": ""},
        {"title": "x" * 201},
        {"title": "t", "text": "x" * 200_001},
        {"title": "t", "project_id": str(uuid.uuid4())},
        {"title": "t", "unknown": 1},
    ):
        response = await team.ada.client.post(create, json=body)
        assert response.status_code in (404, 422), (body, response.text)
    bad_format = await team.ada.client.get(f"{path}/export", params={"format": "pdf"})
    assert bad_format.status_code == 422
    plain = await _create(team, "no circuits here")
    empty = await team.ada.client.get(
        f"/api/v1/documents/{plain['id']}/export", params={"format": "qasm"}
    )
    assert empty.status_code == 422 and empty.json()["code"] == "no_circuits"
    missing = await team.ada.client.post(f"{path}/versions/{uuid.uuid4()}/restore")
    assert missing.status_code == 404 and missing.json()["code"] == "version_not_found"
    listed = await team.ada.client.get(create)
    assert sorted(d["title"] for d in listed.json()) == ["Bell notes", "Bell notes"]
    assert (await team.ada.client.delete(path)).status_code == 204
    assert (await team.ada.client.get(path)).status_code == 404


async def test_compaction_keeps_the_content_and_drops_the_updates(team: Team) -> None:
    doc = await _create(team, "")
    doc_id = uuid.UUID(doc["id"])
    editor = Doc()
    text = document_store.content(editor)
    async with database(team.accounts.app).session() as session:
        for i in range(600):
            before = editor.get_state()
            text.insert(len(text), f"{i % 10}")
            await document_store.append(session, doc_id, [editor.get_update(before)])
    async with database(team.accounts.app).session() as session:
        loaded, _ = await document_store.load(session, doc_id)
        assert str(document_store.content(loaded)) == str(text)
        assert await document_store.compact(session, doc_id, loaded) == 600
    async with database(team.accounts.app).session() as session:
        again, _ = await document_store.load(session, doc_id)
        left = await session.scalar(
            select(func.count())
            .select_from(SharedDocumentUpdate)
            .where(SharedDocumentUpdate.document_id == doc_id)
        )
    assert str(document_store.content(again)) == str(text) and left == 0
    assert (await team.ada.client.get(f"/api/v1/documents/{doc_id}")).json()["text"] == str(text)
