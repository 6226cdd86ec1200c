"""Secrets a user gives qdeck are encrypted at rest and never come back out of the API."""

from __future__ import annotations

from sqlalchemy import select

from qdeck.vault.cipher import SecretCipher, SecretUnreadable
from qdeck.vault.models import UserSecret
from qdeck.vault.schemas import SecretName
from qdeck.vault.service import VaultService
from tests.accounts import Accounts

IBM_TOKEN = "ibmq-0123456789abcdef0123456789abcdef"


async def test_a_stored_secret_is_encrypted_and_never_returned(accounts: Accounts, app) -> None:
    ada = await accounts.sign_up("Ada")
    response = await ada.client.put(
        "/api/v1/me/secrets/ibm_quantum_token", json={"value": IBM_TOKEN}
    )
    assert response.status_code == 200
    assert response.json()["hint"] == IBM_TOKEN[-4:]
    listed = await ada.client.get("/api/v1/me/secrets")
    assert IBM_TOKEN not in listed.text
    assert [s["name"] for s in listed.json()] == ["ibm_quantum_token"]

    async with app.state.database.session(write=False) as session:
        row = (await session.scalars(select(UserSecret))).one()
        assert IBM_TOKEN.encode() not in row.ciphertext
        plain = await VaultService(session, app.state.settings).get(
            row.user_id, SecretName.IBM_QUANTUM_TOKEN
        )
    assert plain == IBM_TOKEN


async def test_secrets_are_private_and_deletable(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    eve = await accounts.sign_up("Eve")
    await ada.client.put("/api/v1/me/secrets/openai_api_key", json={"value": "sk-test-1234567890"})
    assert (await eve.client.get("/api/v1/me/secrets")).json() == []
    assert (await eve.client.delete("/api/v1/me/secrets/openai_api_key")).status_code == 404
    assert (await ada.client.delete("/api/v1/me/secrets/openai_api_key")).status_code == 204
    assert (await ada.client.get("/api/v1/me/secrets")).json() == []


async def test_unknown_secret_names_are_refused(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    response = await ada.client.put("/api/v1/me/secrets/aws_key", json={"value": "x"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"


def test_ciphertext_is_bound_to_its_owner_and_to_the_instance_secret() -> None:
    cipher = SecretCipher(b"instance one")
    blob = cipher.encrypt(IBM_TOKEN, "user-a:ibm_quantum_token")
    assert cipher.decrypt(blob, "user-a:ibm_quantum_token") == IBM_TOKEN
    for context, other in (
        ("user-b:ibm_quantum_token", cipher),
        ("user-a:openai_api_key", cipher),
        ("user-a:ibm_quantum_token", SecretCipher(b"instance two")),
    ):
        try:
            other.decrypt(blob, context)
        except SecretUnreadable:
            continue
        raise AssertionError(f"decrypted under {context}")
