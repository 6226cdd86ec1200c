from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from qdeck.api.schemas import OutputModel


class ActivityRead(OutputModel):
    id: int
    workspace_id: uuid.UUID
    actor_id: uuid.UUID | None
    verb: str
    subject_type: str
    subject_id: str
    summary: str
    data: dict[str, Any]
    created_at: datetime
