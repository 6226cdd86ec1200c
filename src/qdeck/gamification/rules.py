"""How much XP a piece of real work earns, and the anti-farming rules that refuse it.

The amounts and refusals are data (``XP``, ``Refusal``) so the "how XP works" page, the
docs and the awarding code read one table.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from enum import StrEnum
from typing import Any

# XP per completed job by where it ran: the ideal simulator is cheap, fake devices
# teach about noise, hardware costs real queue time.
JOB_XP = {"simulator": 5, "fake_device": 10, "hardware": 25}
FIRST_BACKEND_XP = 20
# Quest: per star of a level's first solve (QLogic-style 3 stars), and per lesson.
LEVEL_STAR_XP = 10
LESSON_XP = 50
# A scored Quest challenge attempt: a base plus its score (0..100) scaled down.
CHALLENGE_BASE_XP = 20
# Achievements by tier.
TIER_XP = {"bronze": 10, "silver": 25, "gold": 50}

RESUBMIT_WINDOW = timedelta(minutes=10)
QUICK_CANCEL = timedelta(seconds=5)


class Refusal(StrEnum):
    """Why a job earned nothing (stored on its ledger row, shown in "how XP works")."""

    NOT_COMPLETED = "not_completed"
    CANCELLED_QUICKLY = "cancelled_within_5s"
    ONE_SHOT = "one_shot"
    RESUBMITTED = "identical_circuit_within_10_min"
    VIEWER = "viewer_only_workspace"
    WORKSPACE_OFF = "gamification_off_in_workspace"
    DAILY_CAP = "daily_job_cap"


EXPLANATIONS = {
    Refusal.NOT_COMPLETED: "Failed and cancelled jobs earn no XP.",
    Refusal.CANCELLED_QUICKLY: "A job cancelled within 5 seconds of submission earns nothing "
    "and does not keep a streak alive.",
    Refusal.ONE_SHOT: "A 1-shot job earns nothing.",
    Refusal.RESUBMITTED: "Resubmitting an identical circuit within 10 minutes earns nothing.",
    Refusal.VIEWER: "Jobs in a workspace where you are only a viewer earn nothing.",
    Refusal.WORKSPACE_OFF: "The workspace's admins switched gamification off.",
    Refusal.DAILY_CAP: "Job XP stops at the daily cap (200 by default) in your time zone; "
    "Quest XP is not capped.",
}


def backend_kind(backend: str) -> str:
    if backend == "aer_simulator":
        return "simulator"
    if backend.startswith("fake_"):
        return "fake_device"
    return "hardware"


def circuit_fingerprint(spec: dict[str, Any]) -> str:
    """Same circuits, same primitive, same backend: the same fingerprint. Whitespace
    inside the source is ignored, so reformatting is not a new circuit."""
    circuits = [
        {k: ("".join(str(v).split()) if k in ("qasm", "source") else v) for k, v in c.items()}
        for c in spec.get("circuits", [])
    ]
    canonical = json.dumps(
        {"p": spec.get("primitive"), "b": spec.get("backend"), "c": circuits},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def challenge_xp(score: float | None) -> int:
    return CHALLENGE_BASE_XP + round(max(0.0, min(100.0, score or 0.0)) / 5)
