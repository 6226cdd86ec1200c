"""Throttling of credential guessing that an attacker cannot turn against the owner.

Every attempt is a row in ``login_attempts``, so the limits hold across server processes.
A log-in is checked against three counters over ``login_window_seconds`` (ASVS 4.0.3
V2.2.1):

- the (account, address) pair: ``login_max_failures``; a success from that pair resets
  it. This is what an attacker guessing one account from one address meets first, and
  it never touches the owner's log-ins from anywhere else;
- the address, across every account and API-token attempt: ``login_address_max_failures``,
  never reset by a success (an attacker's own account must not launder the count);
- the account from addresses it has never logged in from successfully (in the last
  30 days): ``login_account_max_failures``, which slows a guessing botnet while the
  owner's familiar addresses stay open.

Past a limit the wait doubles with each further failure, from ``login_delay_seconds`` up
to ``login_max_delay_seconds``, counted from the newest failure, and the answer is 429
with ``Retry-After``. Refused (429) attempts are not counted, so waiting is enough.
Sign-ups are limited to ``signup_max_per_address`` per hour per address, whatever
their outcome (a 409 "e-mail taken" tells whether an account exists).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.auth.repository import LoginAttemptRepository
from qdeck.config import Settings
from qdeck.db.types import utcnow
from qdeck.errors import RateLimited

FAMILIAR_FOR = timedelta(days=30)
SIGNUP_WINDOW = timedelta(hours=1)
TOKEN_KIND = "token"
# Token attempts carry no account; the column is not null, so they store this.
NO_ACCOUNT = ""


class CredentialThrottle:
    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.settings = settings
        self.attempts = LoginAttemptRepository(session)

    async def check_login(self, email: str, ip: str | None) -> None:
        """Raise RateLimited when this log-in must wait; otherwise return at once."""
        now = utcnow()
        since = now - timedelta(seconds=self.settings.login_window_seconds)
        pair = await self.attempts.failures(since, email=email, ip=ip, reset_by_success=True)
        self._enforce(pair, self.settings.login_max_failures, now, "for this account")
        await self._check_address(ip, since, now)
        familiar = await self.attempts.familiar_addresses(email, now - FAMILIAR_FOR)
        if ip in familiar:
            return
        account = await self.attempts.failures(since, email=email, exclude_ips=familiar)
        self._enforce(account, self.settings.login_account_max_failures, now, "for this account")

    async def record_login(self, email: str, ip: str | None, *, succeeded: bool) -> None:
        await self.attempts.add(email, succeeded=succeeded, ip=ip)

    async def check_token(self, ip: str | None) -> None:
        """API-token attempts (WebSocket authentication) share the per-address limit."""
        now = utcnow()
        since = now - timedelta(seconds=self.settings.login_window_seconds)
        await self._check_address(ip, since, now)

    async def record_token_failure(self, ip: str | None) -> None:
        await self.attempts.add(NO_ACCOUNT, succeeded=False, ip=ip, kind=TOKEN_KIND)

    async def check_signup(self, ip: str | None) -> None:
        now = utcnow()
        count, oldest = await self.attempts.attempts("signup", ip, now - SIGNUP_WINDOW)
        if count >= self.settings.signup_max_per_address and oldest is not None:
            retry_after = _seconds_until(oldest + SIGNUP_WINDOW, now)
            raise RateLimited(
                f"Too many sign-ups from your address; try again in {retry_after} seconds.",
                retry_after=retry_after,
                code="too_many_signups",
            )

    async def record_signup(self, email: str, ip: str | None) -> None:
        await self.attempts.add(email, succeeded=True, ip=ip, kind="signup")

    async def _check_address(self, ip: str | None, since: datetime, now: datetime) -> None:
        found = await self.attempts.failures(since, kinds=("login", TOKEN_KIND), ip=ip)
        self._enforce(found, self.settings.login_address_max_failures, now, "from your address")

    def _enforce(
        self, found: tuple[int, datetime | None], limit: int, now: datetime, scope: str
    ) -> None:
        failures, newest = found
        if failures < limit or newest is None:
            return
        wait = min(
            self.settings.login_max_delay_seconds,
            self.settings.login_delay_seconds * 2 ** min(failures - limit, 30),
        )
        if newest + timedelta(seconds=wait) <= now:
            return
        retry_after = _seconds_until(newest + timedelta(seconds=wait), now)
        raise RateLimited(
            f"Too many failed log-ins {scope}; try again in {retry_after} seconds.",
            retry_after=retry_after,
            code="too_many_login_attempts",
        )


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds()))
