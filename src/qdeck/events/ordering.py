"""Each chain of events (one job's timeline) in stored order, per topic, even when they
arrive out of order.

An event that belongs to a chain names its predecessor (``prev_seq``) and its chain is
its ``job_id``. An event is sent when its
predecessor was sent, or when the predecessor lies before where the subscription started
(its ``floor``); otherwise it waits for the predecessor. A chain that stays broken for
long (a publisher died between commit and publish) is mended from the database.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from qdeck.events.bus import Event


@dataclass
class JobOrder:
    floor: int
    last: dict[str, int] = field(default_factory=dict)
    held: dict[str, dict[int, Event]] = field(default_factory=dict)
    waiting_since: dict[str, float] = field(default_factory=dict)

    def accept(self, event: Event) -> list[Event]:
        """The events that may be sent now, in order: none, this one, or this one and the
        ones that were waiting for it."""
        if "prev_seq" not in event.data or event.seq is None or event.job_id is None:
            return [event]
        job = str(event.job_id)
        last = self.last.get(job)
        if event.seq <= (last if last is not None else self.floor):
            return []  # already sent, or from before the subscription started
        prev = event.data.get("prev_seq")
        if prev is not None and prev != last and not (last is None and prev <= self.floor):
            self.held.setdefault(job, {})[prev] = event
            self.waiting_since.setdefault(job, time.monotonic())
            return []
        ready = [event]
        self.last[job] = event.seq
        chain = self.held.get(job, {})
        while self.last[job] in chain:
            follower = chain.pop(self.last[job])
            ready.append(follower)
            self.last[job] = follower.seq or self.last[job]
        if not chain:
            self.held.pop(job, None)
            self.waiting_since.pop(job, None)
        return ready

    def stalled(self, patience_seconds: float) -> list[tuple[str, int]]:
        """Jobs whose chain has been broken for too long: (job id, last seq sent)."""
        now = time.monotonic()
        return [
            (job, self.last.get(job, self.floor))
            for job, since in self.waiting_since.items()
            if now - since > patience_seconds
        ]
