"""/api/v1/me/secrets: store, list (never the values) and delete your secrets."""

from __future__ import annotations

from fastapi import APIRouter, status

from qdeck.api.deps import CurrentUser, SessionDep, SettingsDep
from qdeck.vault.schemas import SecretName, SecretPut, SecretRead
from qdeck.vault.service import VaultService

router = APIRouter(tags=["secrets"])


@router.get("/me/secrets", response_model=list[SecretRead])
async def list_secrets(
    user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> list[SecretRead]:
    secrets = await VaultService(session, settings).list(user.id)
    return [SecretRead.model_validate(s) for s in secrets]


@router.put("/me/secrets/{name}", response_model=SecretRead)
async def put_secret(
    name: SecretName, body: SecretPut, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> SecretRead:
    """Store (or replace) a secret. It is encrypted at rest and never shown again."""
    secret = await VaultService(session, settings).put(user.id, name, body.value)
    return SecretRead.model_validate(secret)


@router.delete("/me/secrets/{name}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_secret(
    name: SecretName, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> None:
    await VaultService(session, settings).delete(user.id, name)
