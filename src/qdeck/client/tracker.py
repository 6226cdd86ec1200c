"""What a follower knows about one job, from socket frames or REST reads, and its clocks.

Shared by the sync and asyncio followers in :mod:`qdeck.client.follow`.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from qdeck.client.errors import WaitTimeout
from qdeck.jobs.status import FINAL_STATUSES

# While the socket is quiet about the job, its state is still read over REST this often:
# a safety net, so an event lost anywhere between the database and this socket can delay
# the end of a wait but never stall it.
SAFETY_CHECK = 30.0
SETTLE = 1.0


@dataclass(frozen=True)
class Progress:
    """One observed change of a followed job, handed to ``on_progress``."""

    job_id: str
    status: str
    phase: str | None
    queue_position: int | None
    reason: str
    via: str  # "websocket" | "polling"


ProgressCallback = Callable[[Progress], None]


class SocketUnavailable(Exception):
    """The socket cannot serve this follow; poll instead."""


class Silent(Exception):
    """Nothing arrived, not even a heartbeat, for longer than the server promised."""


class Tracker:
    """What is known about one job, from socket frames or polled states."""

    def __init__(self, job_id: str, on_progress: ProgressCallback | None) -> None:
        self.job_id = job_id
        self.topic = f"job:{job_id}"
        self.on_progress = on_progress
        self.status: str | None = None
        self.phase: str | None = None
        self.queue_position: int | None = None
        self.last_seq: int | None = None
        self.replay_left = 0  # replayed events still to come after a subscription

    @property
    def final(self) -> bool:
        return self.status in FINAL_STATUSES

    def subscribe(self) -> dict[str, Any]:
        # since=0 replays the job's whole history, so nothing is missed between the
        # caller's last look and this subscription; a resumed one continues after last_seq.
        since = 0 if self.last_seq is None else self.last_seq
        return {"type": "subscribe", "topic": self.topic, "since": since, "ref": "follow"}

    def resubscribe(self) -> dict[str, Any]:
        """After ``reload``: only new events; the current state is then read over REST."""
        return {"type": "subscribe", "topic": self.topic, "ref": "reload"}

    def frame(self, frame: dict[str, Any]) -> str:
        """Apply one server frame; answer what to do next:

        "final" (the job finished), "event" (it moved), "refresh" (subscribed: read the
        state over REST), "reload" (resubscribe), or "continue" (nothing to do).
        """
        kind = frame.get("type")
        if kind == "error" and frame.get("ref") in ("follow", "reload"):
            raise SocketUnavailable(f"{frame.get('code')}: {frame.get('message')}")
        if frame.get("topic") != self.topic:
            return "continue"
        if kind == "reload":
            return "reload"
        if kind == "subscribed":
            # The replayed events follow the acknowledgement; read the state over REST
            # once they are through, to catch anything neither replayed nor sent live.
            self.replay_left = max(0, int(frame.get("replayed") or 0))
            return "continue" if self.replay_left else "refresh"
        if kind != "event":
            return "continue"
        replay_done = self.replay_left == 1
        self.replay_left = max(0, self.replay_left - 1)
        seq = frame.get("seq")
        if isinstance(seq, int) and self.last_seq is not None and seq <= self.last_seq:
            # Already known, from REST or from before a reconnection.
            return "refresh" if replay_done else "continue"
        if isinstance(seq, int):
            self.last_seq = seq
        data = frame.get("data") or {}
        status = data.get("status") or self.status
        # Events do not carry the queue position; keep the last one while still queued.
        position = self.queue_position if status == self.status else None
        self._see(status, data.get("phase"), position, data, "websocket")
        if self.final:
            return "final"
        return "refresh" if replay_done else "event"

    def job(self, job: Any, via: str) -> bool:
        """Apply a state read over REST; True once the job is finished."""
        seqs = [event.id for event in getattr(job, "events", ())]
        if seqs:
            # Replayed events up to here are already reflected in this state.
            self.last_seq = max(self.last_seq or 0, *seqs)
        status = str(job.status)
        phase = str(job.phase) if job.phase else None
        self._see(status, phase, job.queue_position, {}, via)
        return self.final

    def _see(self, status, phase, position, data: dict[str, Any], via: str) -> None:
        if (status, phase, position) == (self.status, self.phase, self.queue_position):
            return
        self.status, self.phase, self.queue_position = status, phase, position
        if self.on_progress is not None and status is not None:
            reason = str(data.get("reason") or "")
            self.on_progress(Progress(self.job_id, status, phase, position, reason, via))


class Deadline:
    def __init__(self, job_id: str, seconds: float | None) -> None:
        self.job_id = job_id
        self.seconds = seconds
        self.end = math.inf if seconds is None else time.monotonic() + seconds

    def left(self) -> float:
        return self.end - time.monotonic()

    def expired(self, status: str | None) -> WaitTimeout:
        return WaitTimeout(self.job_id, self.seconds or 0.0, status)


def decode(message: str | bytes) -> dict[str, Any]:
    try:
        frame = json.loads(message)
    except ValueError:
        return {}
    return frame if isinstance(frame, dict) else {}


def limit(clock: Deadline, tracker: Tracker, silence: float) -> float:
    left = clock.left()
    if left <= 0:
        raise clock.expired(tracker.status)
    return min(silence, left)


class Talk:
    """Timing of one socket conversation: when it is silent, when to look over REST.

    After a subscription's replay, the state is read over REST once, a moment later
    (``SETTLE``): events that were neither replayed nor sent live (a gap between the
    server's replay and its live feed) are caught there, while the usual live events get
    the chance to arrive first and show every phase. Then ``SAFETY_CHECK`` applies.
    """

    def __init__(self, welcome: dict[str, Any]) -> None:
        self.silence = 2 * float(welcome.get("heartbeat_seconds") or 20) + 5
        now = time.monotonic()
        self.last_frame = now
        self.settle_at: float | None = None
        self.safety_at = now + SAFETY_CHECK

    def should_check(self) -> bool:
        now = time.monotonic()
        if now - self.last_frame > self.silence:
            raise Silent
        if now >= (self.settle_at or math.inf) or now >= self.safety_at:
            self.settle_at, self.safety_at = None, now + SAFETY_CHECK
            return True
        return False

    def wait(self) -> float:
        now = time.monotonic()
        due = [self.last_frame + self.silence, self.safety_at, self.settle_at or math.inf]
        return max(min(due) - now, 0.01)

    def heard(self, frame: dict[str, Any] | None, tracker: Tracker) -> str:
        """The action for the follower: "final", "reload" or "continue"."""
        if frame is None:
            return "continue"
        now = self.last_frame = time.monotonic()
        action = tracker.frame(frame)
        if action == "refresh":
            self.settle_at = now + SETTLE
            return "continue"
        if action == "event":
            self.safety_at = now + SAFETY_CHECK  # the topic is demonstrably live
        return action
