"""Teams: a person creates a workspace and a project, invites a colleague, manages roles."""

from __future__ import annotations

from tests.accounts import Accounts


async def _team(accounts: Accounts):
    ada = await accounts.sign_up("Ada")
    bob = await accounts.sign_up("Bob")
    response = await ada.client.post(
        "/api/v1/workspaces", json={"name": "Quantum Lab", "description": "VQE studies"}
    )
    assert response.status_code == 201
    return ada, bob, response.json()


async def test_create_invite_and_see_the_member_list(accounts: Accounts) -> None:
    ada, bob, lab = await _team(accounts)
    assert lab["role"] == "owner"
    assert lab["slug"] == "quantum-lab"

    project = await ada.client.post(
        f"/api/v1/workspaces/{lab['id']}/projects", json={"name": "Chemistry"}
    )
    assert project.status_code == 201

    invite = await ada.client.post(
        f"/api/v1/workspaces/{lab['id']}/members", json={"email": bob.email, "role": "member"}
    )
    assert invite.status_code == 201
    members = (await ada.client.get(f"/api/v1/workspaces/{lab['id']}/members")).json()["items"]
    assert [(m["email"], m["role"]) for m in members] == [
        (ada.email, "owner"),
        (bob.email, "member"),
    ]

    # Bob now sees the workspace and its project.
    bobs = (await bob.client.get("/api/v1/workspaces")).json()["items"]
    assert {w["name"] for w in bobs} == {"Bob's workspace", "Quantum Lab"}
    projects = (await bob.client.get(f"/api/v1/workspaces/{lab['id']}/projects")).json()["items"]
    assert [p["name"] for p in projects] == ["Chemistry"]


async def test_inviting_an_unknown_or_existing_member(accounts: Accounts) -> None:
    ada, bob, lab = await _team(accounts)
    unknown = await ada.client.post(
        f"/api/v1/workspaces/{lab['id']}/members", json={"email": "nobody@example.org"}
    )
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "user_not_found"
    await ada.client.post(f"/api/v1/workspaces/{lab['id']}/members", json={"email": bob.email})
    again = await ada.client.post(
        f"/api/v1/workspaces/{lab['id']}/members", json={"email": bob.email}
    )
    assert again.status_code == 409


async def test_personal_workspace_stays_personal(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    bob = await accounts.sign_up("Bob")
    ws = ada.personal_workspace_id
    invite = await ada.client.post(f"/api/v1/workspaces/{ws}/members", json={"email": bob.email})
    assert invite.status_code == 409
    assert (await ada.client.delete(f"/api/v1/workspaces/{ws}")).status_code == 409
    assert (await ada.client.post(f"/api/v1/workspaces/{ws}/leave")).status_code == 409


async def test_roles_change_and_the_last_owner_is_protected(accounts: Accounts) -> None:
    ada, bob, lab = await _team(accounts)
    base = f"/api/v1/workspaces/{lab['id']}"
    await ada.client.post(f"{base}/members", json={"email": bob.email, "role": "admin"})

    # An admin cannot make owners nor touch the owner.
    assert (
        await bob.client.patch(f"{base}/members/{ada.id}", json={"role": "member"})
    ).status_code == 403
    assert (
        await bob.client.patch(f"{base}/members/{bob.id}", json={"role": "owner"})
    ).status_code == 403

    # The only owner cannot step down or leave.
    demote = await ada.client.patch(f"{base}/members/{ada.id}", json={"role": "admin"})
    assert demote.status_code == 409
    assert demote.json()["code"] == "last_owner"
    assert (await ada.client.post(f"{base}/leave")).status_code == 409

    # With a second owner, the first may go.
    promote = await ada.client.patch(f"{base}/members/{bob.id}", json={"role": "owner"})
    assert promote.json()["role"] == "owner"
    assert (await ada.client.post(f"{base}/leave")).status_code == 204
    assert (await ada.client.get(base)).status_code == 404
    members = (await bob.client.get(f"{base}/members")).json()["items"]
    assert [m["email"] for m in members] == [bob.email]


async def test_removed_member_loses_access(accounts: Accounts) -> None:
    ada, bob, lab = await _team(accounts)
    base = f"/api/v1/workspaces/{lab['id']}"
    await ada.client.post(f"{base}/members", json={"email": bob.email, "role": "viewer"})
    assert (await bob.client.get(base)).status_code == 200
    assert (await ada.client.delete(f"{base}/members/{bob.id}")).status_code == 204
    gone = await bob.client.get(base)
    assert gone.status_code == 404
    assert gone.json()["code"] == "workspace_not_found"


async def test_outsiders_get_404_and_no_data(accounts: Accounts) -> None:
    ada, bob, lab = await _team(accounts)
    project = (
        await ada.client.post(f"/api/v1/workspaces/{lab['id']}/projects", json={"name": "Secret"})
    ).json()
    for url in (
        f"/api/v1/workspaces/{lab['id']}",
        f"/api/v1/workspaces/{lab['id']}/members",
        f"/api/v1/workspaces/{lab['id']}/projects",
        f"/api/v1/projects/{project['id']}",
    ):
        response = await bob.client.get(url)
        assert response.status_code == 404, url
        assert "Secret" not in response.text and lab["name"] not in response.text


async def test_project_names_are_unique_per_workspace(accounts: Accounts) -> None:
    ada, _, lab = await _team(accounts)
    url = f"/api/v1/workspaces/{lab['id']}/projects"
    assert (await ada.client.post(url, json={"name": "Grover"})).status_code == 201
    duplicate = await ada.client.post(url, json={"name": "Grover"})
    assert duplicate.status_code == 409
    assert duplicate.json()["code"] == "project_name_taken"
    # Another workspace may reuse the name.
    other = f"/api/v1/workspaces/{ada.personal_workspace_id}/projects"
    assert (await ada.client.post(other, json={"name": "Grover"})).status_code == 201


async def test_viewer_reads_but_cannot_write(accounts: Accounts) -> None:
    ada, bob, lab = await _team(accounts)
    base = f"/api/v1/workspaces/{lab['id']}"
    await ada.client.post(f"{base}/members", json={"email": bob.email, "role": "viewer"})
    refused = await bob.client.post(f"{base}/projects", json={"name": "Nope"})
    assert refused.status_code == 403
    assert "member" in refused.json()["detail"]
    assert (await bob.client.get(f"{base}/projects")).status_code == 200
