"""Invitations: an admin invites an address, the person accepts or declines; names stay
unique per person; leaving, removal, role changes and deletion are announced live."""

from __future__ import annotations

from sqlalchemy import select

from qdeck.events.access import ACCESS_CHANGED
from qdeck.events.models import OutboxEvent
from tests.accounts import Accounts


async def _lab(accounts: Accounts, name: str = "Quantum Lab"):
    ada = await accounts.sign_up("Ada")
    response = await ada.client.post("/api/v1/workspaces", json={"name": name})
    assert response.status_code == 201, response.text
    return ada, response.json()


async def _names(person) -> set[str]:
    return {w["name"] for w in (await person.client.get("/api/v1/workspaces")).json()["items"]}


async def test_an_invited_colleague_joins_only_when_they_accept(accounts: Accounts) -> None:
    ada, lab = await _lab(accounts)
    bob = await accounts.sign_up("Bob")
    sent = await ada.client.post(
        f"/api/v1/workspaces/{lab['id']}/invitations",
        json={"email": bob.email.upper(), "role": "member"},
    )
    assert sent.status_code == 201, sent.text
    assert sent.json()["email"] == bob.email
    assert sent.json()["invited_by_name"] == "Ada"

    # Pending: Bob is not a member yet, but sees the invitation; Ada sees it pending.
    assert "Quantum Lab" not in await _names(bob)
    waiting = (await bob.client.get("/api/v1/me/invitations")).json()
    assert [(i["workspace_name"], i["role"]) for i in waiting] == [("Quantum Lab", "member")]
    pending = (await ada.client.get(f"/api/v1/workspaces/{lab['id']}/invitations")).json()
    assert [i["email"] for i in pending] == [bob.email]

    joined = await bob.client.post(f"/api/v1/invitations/{waiting[0]['id']}/accept")
    assert joined.status_code == 200, joined.text
    assert joined.json()["role"] == "member"
    assert "Quantum Lab" in await _names(bob)
    assert (await bob.client.get("/api/v1/me/invitations")).json() == []
    assert (await ada.client.get(f"/api/v1/workspaces/{lab['id']}/invitations")).json() == []
    again = await bob.client.post(f"/api/v1/invitations/{waiting[0]['id']}/accept")
    assert again.status_code == 404


async def test_someone_without_an_account_finds_the_invitation_after_signing_up(
    accounts: Accounts,
) -> None:
    ada, lab = await _lab(accounts)
    sent = await ada.client.post(
        f"/api/v1/workspaces/{lab['id']}/invitations",
        json={"email": "cleo@example.org", "role": "viewer"},
    )
    assert sent.status_code == 201, sent.text
    cleo = await accounts.sign_up("Cleo", email="cleo@example.org")
    waiting = (await cleo.client.get("/api/v1/me/invitations")).json()
    assert [(i["workspace_name"], i["role"]) for i in waiting] == [("Quantum Lab", "viewer")]
    declined = await cleo.client.post(f"/api/v1/invitations/{waiting[0]['id']}/decline")
    assert declined.status_code == 204
    assert "Quantum Lab" not in await _names(cleo)
    assert (await ada.client.get(f"/api/v1/workspaces/{lab['id']}/invitations")).json() == []


async def test_bad_invitations_are_refused_and_change_nothing(accounts: Accounts) -> None:
    ada, lab = await _lab(accounts)
    bob = await accounts.sign_up("Bob")
    url = f"/api/v1/workspaces/{lab['id']}/invitations"

    myself = await ada.client.post(url, json={"email": ada.email})
    assert myself.status_code == 409
    assert myself.json()["code"] == "already_member"
    assert myself.json()["errors"][0]["field"] == "email"

    assert (await ada.client.post(url, json={"email": bob.email})).status_code == 201
    twice = await ada.client.post(url, json={"email": bob.email, "role": "admin"})
    assert twice.status_code == 409
    assert twice.json()["code"] == "already_invited"
    assert [i["role"] for i in (await ada.client.get(url)).json()] == ["member"]

    not_an_address = await ada.client.post(url, json={"email": "not an address"})
    assert not_an_address.status_code == 422
    personal = await ada.client.post(
        f"/api/v1/workspaces/{ada.personal_workspace_id}/invitations", json={"email": bob.email}
    )
    assert personal.status_code == 409

    # Someone else's invitation cannot be accepted, declined or even found.
    eve = await accounts.sign_up("Eve")
    bobs = (await bob.client.get("/api/v1/me/invitations")).json()[0]["id"]
    for verb in ("accept", "decline"):
        stolen = await eve.client.post(f"/api/v1/invitations/{bobs}/{verb}")
        assert stolen.status_code == 404
    assert "Quantum Lab" not in await _names(eve)


async def test_only_admins_invite_and_revoke(accounts: Accounts) -> None:
    ada, lab = await _lab(accounts)
    mia = await accounts.sign_up("Mia")
    await ada.client.post(
        f"/api/v1/workspaces/{lab['id']}/members", json={"email": mia.email, "role": "member"}
    )
    url = f"/api/v1/workspaces/{lab['id']}/invitations"
    refused = await mia.client.post(url, json={"email": "x@example.org"})
    assert refused.status_code == 403
    assert (await mia.client.get(url)).status_code == 403
    sent = (await ada.client.post(url, json={"email": "x@example.org"})).json()
    assert (await mia.client.delete(f"{url}/{sent['id']}")).status_code == 403
    assert (await ada.client.delete(f"{url}/{sent['id']}")).status_code == 204
    assert (await ada.client.get(url)).json() == []
    assert (await ada.client.delete(f"{url}/{sent['id']}")).status_code == 404


async def test_workspace_names_are_unique_among_your_own(accounts: Accounts) -> None:
    ada, _ = await _lab(accounts)
    duplicate = await ada.client.post("/api/v1/workspaces", json={"name": "quantum lab "})
    assert duplicate.status_code == 409
    assert duplicate.json()["code"] == "workspace_name_taken"
    assert duplicate.json()["errors"][0]["field"] == "name"
    blank = await ada.client.post("/api/v1/workspaces", json={"name": "   "})
    assert blank.status_code == 422
    other = (await ada.client.post("/api/v1/workspaces", json={"name": "Other"})).json()
    rename = await ada.client.patch(
        f"/api/v1/workspaces/{other['id']}", json={"name": "Quantum Lab"}
    )
    assert rename.status_code == 409
    assert sorted(await _names(ada)) == ["Ada's workspace", "Other", "Quantum Lab"]
    # Another person may call their own team the same.
    bob = await accounts.sign_up("Bob")
    assert (await bob.client.post("/api/v1/workspaces", json={"name": "Quantum Lab"})).is_success


async def test_archived_projects_leave_the_pickers_but_keep_their_jobs(
    accounts: Accounts,
) -> None:
    ada, lab = await _lab(accounts)
    base = f"/api/v1/workspaces/{lab['id']}/projects"
    project = (await ada.client.post(base, json={"name": "Chemistry"})).json()
    archived = await ada.client.patch(f"/api/v1/projects/{project['id']}", json={"archived": True})
    assert archived.json()["archived_at"] is not None
    assert (await ada.client.get(base)).json()["items"] == []
    everything = (await ada.client.get(base, params={"include_archived": "true"})).json()
    assert [p["name"] for p in everything["items"]] == ["Chemistry"]
    job = await ada.client.post(
        "/api/v1/jobs",
        json={"project_id": project["id"], "circuits": [{"source": "OPENQASM 2.0;"}]},
    )
    assert job.status_code == 422
    assert job.json()["code"] == "project_archived"
    restored = await ada.client.patch(f"/api/v1/projects/{project['id']}", json={"archived": False})
    assert restored.json()["archived_at"] is None


async def _access_events(database, kind: str) -> list[OutboxEvent]:
    async with database.session(write=False) as session:
        rows = await session.scalars(select(OutboxEvent).where(OutboxEvent.type == ACCESS_CHANGED))
        return [r for r in rows if r.data["kind"] == kind]


async def test_access_changes_are_announced(app, accounts: Accounts) -> None:
    ada, lab = await _lab(accounts)
    bob = await accounts.sign_up("Bob")
    members = f"/api/v1/workspaces/{lab['id']}/members"
    await ada.client.post(members, json={"email": bob.email})
    database = app.state.database

    assert (await ada.client.patch(f"{members}/{bob.id}", json={"role": "viewer"})).is_success
    [changed] = await _access_events(database, "role_changed")
    assert (str(changed.user_id), str(changed.workspace_id)) == (bob.id, lab["id"])

    assert (await ada.client.delete(f"{members}/{bob.id}")).status_code == 204
    [removed] = await _access_events(database, "member_removed")
    assert str(removed.user_id) == bob.id

    assert (await ada.client.delete(f"/api/v1/workspaces/{lab['id']}")).status_code == 204
    [deleted] = await _access_events(database, "workspace_deleted")
    assert (deleted.user_id, str(deleted.workspace_id)) == (None, lab["id"])


async def test_the_last_owner_cannot_leave_or_be_demoted(accounts: Accounts) -> None:
    ada, lab = await _lab(accounts)
    members = f"/api/v1/workspaces/{lab['id']}/members"
    leave = await ada.client.post(f"/api/v1/workspaces/{lab['id']}/leave")
    assert leave.status_code == 409
    assert leave.json()["code"] == "last_owner"
    demote = await ada.client.patch(f"{members}/{ada.id}", json={"role": "admin"})
    assert demote.status_code == 409
    listed = (await ada.client.get(members)).json()["items"]
    assert [(m["email"], m["role"]) for m in listed] == [(ada.email, "owner")]
