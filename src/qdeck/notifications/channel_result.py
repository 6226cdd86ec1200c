"""What one attempt on a channel came to, for the delivery log."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SendResult:
    ok: bool
    # HTTP status, or the SMTP reply code.
    status_code: int | None
    latency_ms: int
    error: str | None = None
    excerpt: str | None = None

    @property
    def gone(self) -> bool:
        """410: the receiver asks never to be sent to again."""
        return self.status_code == 410
