"""Finding jobs again: filters, sorting, pages; and taking results away as CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from sqlalchemy import update

from qdeck.db.types import utcnow
from qdeck.jobs.models import Job
from tests.accounts import Accounts
from tests.jobs.conftest import BELL, GHZ3, submit, wait_for


async def test_filters_sorting_and_pages(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    project = (
        await ada.client.post(
            f"/api/v1/workspaces/{ada.personal_workspace_id}/projects", json={"name": "VQE"}
        )
    ).json()
    a = await submit(ada.client, BELL, shots=10, name="alpha bell", tags=["x"])
    b = await submit(ada.client, GHZ3, shots=10, name="beta ghz", notes="needle here")
    c = await submit(
        ada.client, BELL, shots=10, name="gamma", backend="fake_manila", project_id=project["id"]
    )
    for job in (a, b, c):
        await wait_for(ada.client, job["id"])

    async def names(**params) -> list[str]:
        response = await ada.client.get("/api/v1/jobs", params=params)
        assert response.status_code == 200, response.text
        return [j["name"] for j in response.json()["items"]]

    assert await names() == ["gamma", "beta ghz", "alpha bell"]
    assert await names(order="asc") == ["alpha bell", "beta ghz", "gamma"]
    assert await names(sort="name", order="asc") == ["alpha bell", "beta ghz", "gamma"]
    assert await names(backend="fake_manila") == ["gamma"]
    assert await names(project_id=project["id"]) == ["gamma"]
    assert await names(tag="x") == ["alpha bell"]
    assert await names(q="NEEDLE") == ["beta ghz"]
    assert await names(q="100%_") == []
    assert await names(status="completed") == ["gamma", "beta ghz", "alpha bell"]
    assert await names(status="failed") == []
    assert await names(submitted_by=ada.id, limit=1) == ["gamma"]

    first = (await ada.client.get("/api/v1/jobs", params={"limit": 2, "sort": "name"})).json()
    rest = (
        await ada.client.get(
            "/api/v1/jobs", params={"limit": 2, "sort": "name", "cursor": first["next_cursor"]}
        )
    ).json()
    assert [j["name"] for j in first["items"] + rest["items"]] == [
        "gamma",
        "beta ghz",
        "alpha bell",
    ]
    assert rest["next_cursor"] is None

    bad = await ada.client.get("/api/v1/jobs", params={"status": "exploded"})
    assert bad.status_code == 422
    assert (await ada.client.get("/api/v1/jobs", params={"sort": "secret"})).status_code == 422


async def test_created_range(accounts: Accounts, app) -> None:
    ada = await accounts.sign_up("Ada")
    old = await submit(ada.client, BELL, shots=10, name="old")
    await submit(ada.client, BELL, shots=10, name="new")
    async with app.state.database.session() as session:
        await session.execute(
            update(Job).where(Job.name == "old").values(created_at=utcnow() - timedelta(days=3))
        )
    since = (utcnow() - timedelta(days=1)).isoformat()
    recent = (await ada.client.get("/api/v1/jobs", params={"created_after": since})).json()
    assert [j["name"] for j in recent["items"]] == ["new"]
    older = (await ada.client.get("/api/v1/jobs", params={"created_before": since})).json()
    assert [j["id"] for j in older["items"]] == [old["id"]]


async def test_jobs_of_other_workspaces_are_invisible(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    eve = await accounts.sign_up("Eve")
    job = await submit(ada.client, BELL, shots=10)
    assert (await eve.client.get("/api/v1/jobs")).json()["items"] == []
    for url in (f"/api/v1/jobs/{job['id']}", f"/api/v1/jobs/{job['id']}/events"):
        assert (await eve.client.get(url)).status_code == 404
    listed = await eve.client.get(
        "/api/v1/jobs", params={"workspace_id": ada.personal_workspace_id}
    )
    assert listed.status_code == 404


async def test_edit_name_notes_and_tags(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    job = await submit(ada.client, BELL, shots=10)
    response = await ada.client.patch(
        f"/api/v1/jobs/{job['id']}", json={"name": "renamed", "notes": "n", "tags": ["b", "a"]}
    )
    assert response.status_code == 200
    assert response.json()["tags"] == ["a", "b"]
    detail = (await ada.client.get(f"/api/v1/jobs/{job['id']}")).json()
    assert (detail["name"], detail["notes"]) == ("renamed", "n")


async def test_export_one_job_as_csv_and_json(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    job = await submit(ada.client, BELL, shots=1000, name="export me")
    await wait_for(ada.client, job["id"])
    response = await ada.client.get(f"/api/v1/jobs/{job['id']}/export", params={"format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {r["bitstring"] for r in rows} == {"00", "11"}
    assert sum(int(r["count"]) for r in rows) == 1000
    assert abs(sum(float(r["probability"]) for r in rows) - 1) < 1e-6

    as_json = json.loads((await ada.client.get(f"/api/v1/jobs/{job['id']}/export")).text)
    assert as_json["name"] == "export me"
    assert as_json["result"]["pubs"][0]["data"][0]["counts"].keys() == {"00", "11"}


async def test_export_a_filtered_list(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    keep = await submit(ada.client, BELL, shots=10, tags=["keep"], name="kept")
    await submit(ada.client, BELL, shots=10, name="other")
    await wait_for(ada.client, keep["id"])
    response = await ada.client.get("/api/v1/jobs/export", params={"tag": "keep"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["name"], r["tags"], r["status"]) for r in rows] == [("kept", "keep", "completed")]
    listed = json.loads(
        (await ada.client.get("/api/v1/jobs/export", params={"format": "json"})).text
    )
    assert {j["name"] for j in listed} == {"kept", "other"}
