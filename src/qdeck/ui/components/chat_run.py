"""``/run <sample> on <backend> [<n> shots]`` in the chat composer: a draft job the author
confirms; once submitted, the message ``/job <id>`` shows its live card to everyone."""

from __future__ import annotations

import re
from dataclasses import dataclass

from qdeck.ui.components.samples import SAMPLES, Sample, sample

_RUN = re.compile(
    r"^/run\s+(?P<sample>[\w-]+)(?:\s+on\s+(?P<backend>[\w.-]+))?(?:\s+(?P<shots>\d{1,7})\s*shots?)?\s*$",
    re.IGNORECASE,
)
DEFAULT_BACKEND = "aer_simulator"
DEFAULT_SHOTS = 1024


@dataclass(frozen=True)
class RunDraft:
    sample: Sample
    backend: str
    shots: int


def is_run_command(text: str) -> bool:
    return text.strip().lower().startswith("/run")


def parse_run(text: str) -> RunDraft:
    """The draft ``text`` asks for; ValueError with what to write instead."""
    keys = ", ".join(s.key for s in SAMPLES if s.primitive == "sampler")
    match = _RUN.match(text.strip())
    if match is None:
        raise ValueError(f"Write /run <sample> on <backend> [<n> shots]; samples: {keys}.")
    key = match["sample"].lower()
    found = next((s for s in SAMPLES if s.key == key and s.primitive == "sampler"), None)
    if found is None:
        raise ValueError(f"No sample called {key!r}; try one of: {keys}.")
    shots = int(match["shots"] or DEFAULT_SHOTS)
    return RunDraft(sample(found.key), match["backend"] or DEFAULT_BACKEND, shots)
