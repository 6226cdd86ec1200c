"""/api/v1/notifications/preferences: the matrix with its defaults, and bad input that is
refused by name with nothing changed."""

from __future__ import annotations

import pytest

URL = "/api/v1/notifications/preferences"


@pytest.fixture
async def people(quiet_app, accounts_factory):
    accounts = accounts_factory(quiet_app)
    ada = await accounts.sign_up("Ada")
    grace = await accounts.sign_up("Grace")
    yield ada, grace
    await accounts.close()


async def test_the_matrix_shows_defaults_and_follows_changes(people) -> None:
    ada, _ = people
    prefs = (await ada.client.get(URL)).json()
    assert prefs["channels"] == ["in_app", "email", "webhook"]
    failed = next(t for t in prefs["event_types"] if t["key"] == "job.failed")
    assert failed["defaults"] == {"in_app": True, "email": True, "webhook": True}
    completed = next(t for t in prefs["event_types"] if t["key"] == "job.completed")
    assert completed["channels"] == {"in_app": True, "email": False, "webhook": False}
    assert prefs["time_zone"] == "UTC" and prefs["quiet_hours"] is None
    assert prefs["digests"] == {"email": "immediate", "webhook": "immediate"}
    # No SMTP host in the test settings: the page must say e-mail is off.
    assert prefs["email_configured"] is False

    changed = await ada.client.put(
        URL,
        json={
            "channels": {"job.completed": {"email": True}},
            "time_zone": "Europe/Berlin",
            "quiet_hours": {"start": "22:00", "end": "07:00"},
            "digests": {"email": "daily"},
            "daily_digest_hour": 9,
            "workspaces": {ada.personal_workspace_id: {"job.failed": {"webhook": False}}},
        },
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    completed = next(t for t in body["event_types"] if t["key"] == "job.completed")
    assert completed["channels"]["email"] is True
    assert body["quiet_hours"] == {"start": "22:00", "end": "07:00"}
    assert body["digests"]["email"] == "daily" and body["daily_digest_hour"] == 9
    assert body["workspaces"][0]["overrides"] == {"job.failed": {"webhook": False}}
    # Only the fields sent change; null quiet hours turns them off; null removes an override.
    again = await ada.client.put(
        URL,
        json={
            "quiet_hours": None,
            "workspaces": {ada.personal_workspace_id: {"job.failed": {"webhook": None}}},
        },
    )
    body = again.json()
    assert body["quiet_hours"] is None and body["time_zone"] == "Europe/Berlin"
    assert body["workspaces"] == []


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"channels": {"job.exploded": {"email": True}}}, "channels.job.exploded", "job.exploded"),
        ({"channels": {"job.failed": {"pigeon": True}}}, "channels.job.failed.pigeon", "pigeon"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "Mars/Olympus_Mons"),
        ({"time_zone": "../../etc/passwd"}, "time_zone", "unknown time zone"),
        ({"digests": {"in_app": "daily"}}, "digests.in_app", "in_app"),
    ],
)
async def test_unknown_names_are_a_422_naming_them_and_nothing_changes(
    people, body, field, words
) -> None:
    ada, _ = people
    before = (await ada.client.get(URL)).json()
    # A valid part in the same request is not applied either.
    response = await ada.client.put(URL, json={**body, "daily_digest_hour": 5})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert words in problem["detail"]
    assert [e["field"] for e in problem["errors"]] == [field]
    assert (await ada.client.get(URL)).json() == before


@pytest.mark.parametrize(
    "body",
    [
        {"quiet_hours": {"start": "25:00", "end": "07:00"}},
        {"quiet_hours": {"start": "22:00"}},
        {"digests": {"email": "weekly"}},
        {"daily_digest_hour": "8"},
        {"channels": {"job.failed": {"email": "yes"}}},
        {"colour": "blue"},
    ],
)
async def test_malformed_values_are_a_422_and_nothing_changes(people, body) -> None:
    ada, _ = people
    before = (await ada.client.get(URL)).json()
    response = await ada.client.put(URL, json=body)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "validation_failed"
    assert (await ada.client.get(URL)).json() == before


async def test_overrides_only_for_workspaces_you_are_in(people) -> None:
    ada, grace = people
    before = (await ada.client.get(URL)).json()
    response = await ada.client.put(
        URL,
        json={
            "channels": {"job.completed": {"email": True}},
            "workspaces": {grace.personal_workspace_id: {"job.failed": {"email": False}}},
        },
    )
    assert response.status_code == 404
    assert response.json()["code"] == "workspace_not_found"
    assert (await ada.client.get(URL)).json() == before


async def test_signed_out_callers_get_401(quiet_app, accounts_factory) -> None:
    accounts = accounts_factory(quiet_app)
    anonymous = accounts.new_client()
    assert (await anonymous.get(URL)).status_code == 401
    assert (await anonymous.put(URL, json={})).status_code == 401
    await accounts.close()
