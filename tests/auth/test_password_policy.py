"""Passwords people actually guess are refused with a message naming the field (ASVS V2.1)."""

from __future__ import annotations

import pytest
from httpx import AsyncClient

from qdeck.auth.password_policy import assess
from tests.accounts import PASSWORD, Accounts


@pytest.mark.parametrize(
    "password",
    ["password12", "aaaaaaaaaa", "1234567890", "qwertyuiop", "iloveyou123", "letmein2024!"],
)
async def test_common_and_guessable_passwords_are_refused_at_sign_up(
    client: AsyncClient, password: str
) -> None:
    response = await client.post(
        "/api/v1/auth/signup",
        json={"email": "weak@example.org", "password": password, "display_name": "Wendy"},
    )
    assert response.status_code == 422, response.text
    body = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert body["code"] == "weak_password"
    assert [e["field"] for e in body["errors"]] == ["password"]
    # Nothing was created: the same e-mail can sign up with a good password.
    retry = await client.post(
        "/api/v1/auth/signup",
        json={"email": "weak@example.org", "password": PASSWORD, "display_name": "Wendy"},
    )
    assert retry.status_code == 201


@pytest.mark.parametrize(
    ("password", "what"),
    [("grace.hopper rocks!", "e-mail"), ("cobol by amazing 1959", "name")],
)
async def test_a_password_containing_your_email_or_name_is_refused(
    client: AsyncClient, password: str, what: str
) -> None:
    response = await client.post(
        "/api/v1/auth/signup",
        json={
            "email": "grace.hopper@example.org",
            "password": password,
            "display_name": "Amazing Hopper",
        },
    )
    assert response.status_code == 422
    assert f"contains your {what}" in response.json()["detail"]


async def test_no_composition_rules_a_long_passphrase_is_fine(client: AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/signup",
        json={
            "email": "pat@example.org",
            "password": "purple tractors dream of fjords",
            "display_name": "Pat",
        },
    )
    assert response.status_code == 201


async def test_a_weak_new_password_is_refused_and_the_old_one_still_works(
    accounts: Accounts,
) -> None:
    ada = await accounts.sign_up("Ada")
    refused = await ada.client.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "1234567890"},
    )
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["new_password"]
    fresh = accounts.new_client()
    login = await fresh.post("/api/v1/auth/login", json={"email": ada.email, "password": PASSWORD})
    assert login.status_code == 200


def test_the_strength_grows_with_what_an_attacker_must_try() -> None:
    scores = [assess(p).score for p in ["aaaaaaaaaa", "letmein2024!", PASSWORD]]
    assert scores == sorted(scores) and scores[0] < scores[-1] == 4
    assert assess(PASSWORD).acceptable
