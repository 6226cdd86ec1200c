"""What makes a password acceptable (OWASP ASVS 4.0.3 V2.1), and how strong it looks.

- At least 10 and at most 256 characters (the schemas check the length); every
  character allowed, spaces included; no composition rules (V2.1.9).
- Not one of the 30,000 most common passwords bundled with zxcvbn, nor anything zxcvbn
  estimates to fall within 10^8 guesses: repeats, keyboard walks, sequences, a common
  word with a year (V2.1.7).
- Not containing the account's e-mail local part or the person's name (V2.1.7's
  "context-specific words").

zxcvbn runs on the first 72 characters: its matching grows quickly with length, and a
password whose first 72 characters are strong is strong.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from functools import lru_cache

from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

# zxcvbn scores 0-4; 3 means at least 10^8 guesses ("safely unguessable" against online
# attacks, and slow to crack offline against a 64 MiB Argon2id hash).
MIN_SCORE = 3
ASSESSED_CHARACTERS = 72
# Shorter parts of a name or e-mail ("Al", "jo") occur in too many good passwords.
MIN_PERSONAL_PART = 3
STRENGTH_LABELS = ["Very weak", "Weak", "Fair", "Strong", "Very strong"]


@dataclass
class Assessment:
    score: int
    # Why the password is refused; empty when it is acceptable.
    problems: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)

    @property
    def acceptable(self) -> bool:
        return not self.problems

    @property
    def label(self) -> str:
        return STRENGTH_LABELS[self.score]


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def personal_parts(email: str | None, display_name: str | None) -> list[str]:
    """The e-mail's local part and the name (whole, and each word) in lower case."""
    parts: list[str] = []
    if email:
        local = email.split("@", 1)[0].lower()
        parts.append(local)
        parts.extend(re.split(r"[._+\-]+", local))
    if display_name:
        name = display_name.lower().strip()
        parts.extend([name, name.replace(" ", ""), *name.split()])
    unique = dict.fromkeys(p for p in parts if len(p) >= MIN_PERSONAL_PART)
    return list(unique)


def assess(
    password: str, *, email: str | None = None, display_name: str | None = None
) -> Assessment:
    """The strength of ``password`` for this person, and why it is refused if it is."""
    personal = personal_parts(email, display_name)
    result = zxcvbn(password[:ASSESSED_CHARACTERS], user_inputs=personal)
    score = int(result["score"])
    feedback = result.get("feedback") or {}
    suggestions = [s for s in feedback.get("suggestions", []) if s]
    problems: list[str] = []
    lowered = password.lower()
    if lowered in _common_passwords() or lowered.strip() in _common_passwords():
        problems.append("is one of the most common passwords")
    contained = next((p for p in personal if p in lowered), None)
    if contained is not None:
        what = "e-mail address" if email and contained in email.lower() else "name"
        problems.append(f"contains your {what}")
    if not problems and score < MIN_SCORE:
        warning = feedback.get("warning") or "it would be guessed quickly"
        problems.append(f"is too easy to guess: {warning.rstrip('.').lower()}")
    if problems:
        score = min(score, MIN_SCORE - 1)
    return Assessment(score=score, problems=problems, suggestions=suggestions)


async def assess_off_loop(
    password: str, *, email: str | None = None, display_name: str | None = None
) -> Assessment:
    """``assess`` in a thread: it can take tens of milliseconds of CPU."""
    return await asyncio.to_thread(assess, password, email=email, display_name=display_name)
