"""The level curve: level ``n`` needs ``50 * n * (n - 1)`` XP in total.

Each level costs 100 XP more than the one before (level 2 at 100 XP, 3 at 300, 4 at 600,
10 at 4,500, 20 at 19,000), so early levels come within a first session and later ones
reward months of steady work rather than a weekend of grinding.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


def xp_for_level(level: int) -> int:
    return 50 * level * (level - 1)


def level_for(xp: int) -> int:
    if xp <= 0:
        return 1
    # Solve 50 n (n - 1) <= xp for the largest n, then correct any float rounding.
    level = int((1 + math.sqrt(1 + 8 * xp / 100)) / 2)
    while xp_for_level(level + 1) <= xp:
        level += 1
    while level > 1 and xp_for_level(level) > xp:
        level -= 1
    return level


@dataclass(frozen=True)
class LevelProgress:
    level: int
    xp: int
    level_floor: int
    next_level_xp: int

    @property
    def into_level(self) -> int:
        return self.xp - self.level_floor

    @property
    def level_span(self) -> int:
        return self.next_level_xp - self.level_floor


def progress_of(xp: int) -> LevelProgress:
    level = level_for(xp)
    return LevelProgress(level, xp, xp_for_level(level), xp_for_level(level + 1))
