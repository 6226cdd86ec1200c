from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from qdeck.api.schemas import InputModel, OutputModel


class SecretName(StrEnum):
    IBM_QUANTUM_TOKEN = "ibm_quantum_token"
    OPENAI_API_KEY = "openai_api_key"


class SecretPut(InputModel):
    value: str = Field(min_length=1, max_length=4096)


class SecretRead(OutputModel):
    name: SecretName
    hint: str
    updated_at: datetime
