"""/api/v1/me/secrets: store, list (never the values) and delete your secrets."""

from __future__ import annotations

from fastapi import APIRouter, status

from qdeck.api.deps import CurrentUser, ServicesDep
from qdeck.vault.schemas import SecretName, SecretPut, SecretRead

router = APIRouter(tags=["secrets"])


@router.get("/me/secrets", response_model=list[SecretRead])
async def list_secrets(user: CurrentUser, services: ServicesDep) -> list[SecretRead]:
    secrets = await services.vault.list(user.id)
    return [SecretRead.model_validate(s) for s in secrets]


@router.put("/me/secrets/{name}", response_model=SecretRead)
async def put_secret(
    name: SecretName, body: SecretPut, user: CurrentUser, services: ServicesDep
) -> SecretRead:
    """Store (or replace) a secret. It is encrypted at rest and never shown again."""
    secret = await services.vault.put(user.id, name, body.value)
    return SecretRead.model_validate(secret)


@router.delete("/me/secrets/{name}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_secret(name: SecretName, user: CurrentUser, services: ServicesDep) -> None:
    await services.vault.delete(user.id, name)
