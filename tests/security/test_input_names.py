"""Names others will see are one line of visible text: control characters, bidi
overrides and invisible format characters are refused (422 naming the field), nothing is
stored, and names are trimmed. Before: a workspace named "\\u202egnp.exe" was accepted."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.accounts import Accounts
from tests.jobs.conftest import BELL

DISGUISES = {
    "NUL": "team\x00",
    "C0 escape": "team\x1b[31m",
    "newline": "team\nadmin",
    "C1": "team\x85",
    "right-to-left override": "invoice\u202egnp.exe",
    "left-to-right embedding": "\u202ateam",
    "first strong isolate": "te\u2068am",
    "pop directional isolate": "team\u2069",
    "right-to-left mark": "team\u200f",
    "zero-width space": "ad\u200bmin",
    "byte order mark": "\ufeffteam",
    "word joiner": "te\u2060am",
    "Hangul filler (blank name)": "\u3164",
    "lone surrogate": "team\ud800",
}


async def _send(client: Any, method: str, path: str, body: dict[str, Any]) -> Any:
    # As JSON escapes, the way a client sends a lone surrogate (it cannot be UTF-8).
    headers = {"Content-Type": "application/json"}
    return await client.request(method, path, content=json.dumps(body), headers=headers)


def _routes(person: Any) -> list[tuple[str, str, str, dict[str, Any]]]:
    """Every way a client names something: (method, path, field, extra body)."""
    ws = person.personal_workspace_id
    return [
        ("POST", "/api/v1/workspaces", "name", {}),
        ("POST", f"/api/v1/workspaces/{ws}/projects", "name", {}),
        ("POST", "/api/v1/tokens", "name", {}),
        ("PATCH", "/api/v1/auth/me", "display_name", {}),
        ("POST", "/api/v1/sessions", "name", {"backend": "aer_simulator"}),
        ("POST", "/api/v1/jobs", "name", {"circuits": [{"source": BELL}], "shots": 10}),
    ]


async def test_every_name_refuses_characters_that_disguise_it(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    before = (await ada.client.get("/api/v1/workspaces")).json()["items"]
    for method, path, field, extra in _routes(ada):
        for what, value in DISGUISES.items():
            response = await _send(ada.client, method, path, {**extra, field: value})
            assert response.status_code == 422, (path, what, response.text)
            problem = response.json()
            assert problem["code"] == "validation_failed"
            assert [e["field"] for e in problem["errors"]] == [field], (path, what)
    assert (await ada.client.get("/api/v1/workspaces")).json()["items"] == before
    assert (await ada.client.get("/api/v1/jobs")).json()["items"] == []
    me = (await ada.client.get("/api/v1/auth/me")).json()["user"]
    assert me["display_name"] == "Ada"


async def test_the_message_says_which_character(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    response = await ada.client.post("/api/v1/workspaces", json={"name": "invoice\u202egnp.exe"})
    message = response.json()["errors"][0]["message"]
    assert "U+202E" in message and "RIGHT-TO-LEFT OVERRIDE" in message


async def test_sign_up_refuses_a_disguised_display_name(accounts: Accounts) -> None:
    client = accounts.new_client()
    response = await client.post(
        "/api/v1/auth/signup",
        json={
            "email": "mallory@example.org",
            "password": "correct horse battery staple",
            "display_name": "Admin\u202e",
        },
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "display_name"


@pytest.mark.parametrize("tag", ["ok\x00", "ok\u202e", "o\nk"])
async def test_tags_follow_the_same_rule(accounts: Accounts, tag: str) -> None:
    ada = await accounts.sign_up("Ada")
    response = await ada.client.post(
        "/api/v1/jobs", json={"circuits": [{"source": BELL}], "shots": 10, "tags": [tag]}
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"].startswith("tags")


async def test_real_names_in_any_script_are_kept_trimmed(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    for name in ("  Ωmega lab  ", "مختبر الكم", "क्वांटम", "👩‍🔬 team", "Zoë & Jürgen"):
        response = await ada.client.post("/api/v1/workspaces", json={"name": name})
        assert response.status_code == 201, (name, response.text)
        assert response.json()["name"] == name.strip()


async def test_nul_anywhere_in_a_body_is_a_422_not_a_500(accounts: Accounts) -> None:
    """PostgreSQL cannot store NUL: descriptions, notes and filters refuse it up front."""
    ada = await accounts.sign_up("Ada")
    ws = ada.personal_workspace_id
    for method, path, body, field in (
        ("POST", "/api/v1/workspaces", {"name": "lab", "description": "a\x00b"}, "description"),
        (
            "POST",
            f"/api/v1/workspaces/{ws}/projects",
            {"name": "p", "description": "\x00"},
            "description",
        ),
        ("POST", "/api/v1/jobs", {"circuits": [{"source": BELL}], "notes": "\x00"}, "notes"),
        ("POST", "/api/v1/jobs/cancel", {"filter": {"q": "x\x00"}}, "filter.q"),
        ("POST", "/api/v1/jobs/cancel", {"filter": {"backend": "\x00"}}, "filter.backend"),
    ):
        response = await ada.client.request(method, path, json=body)
        assert response.status_code == 422, (path, response.text)
        assert response.json()["errors"][0]["field"] == field
    for param in ("q", "tag", "backend"):
        response = await ada.client.get("/api/v1/jobs", params={param: "x\x00y"})
        assert response.status_code == 422, (param, response.text)
        assert response.json()["errors"][0]["field"] == param
