"""Achievement definitions: the data file ``achievements.yaml`` and its schema.

A definition is data (key, title, description, icon, tier, hidden, rule); the rule is
one of a closed set of kinds, so a new achievement is a line in the file, not code.
"""

from __future__ import annotations

import functools
from datetime import datetime
from importlib import resources
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

METRICS = frozenset(
    {
        "jobs_completed",
        "fake_device_jobs",
        "hardware_jobs",
        "estimator_jobs",
        "backends_used",
        "max_qubits",
        "levels_solved",
        "three_star_levels",
        "lessons_completed",
        "challenges_scored",
        "challenges_completed",
        "streak",
        "level",
        "league_promotions",
    }
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CountRule(_Strict):
    kind: Literal["count"]
    metric: Literal[tuple(sorted(METRICS))]  # type: ignore[valid-type]
    target: int = Field(ge=1)


class QuestAllRule(_Strict):
    kind: Literal["quest_all"]
    what: Literal["lessons", "levels"]


class GhzRule(_Strict):
    kind: Literal["ghz"]
    min_qubits: int = Field(ge=2, le=127)
    min_hellinger: float = Field(gt=0, le=1)
    backend_kind: Literal["simulator", "fake_device", "hardware"]


class LocalHourRule(_Strict):
    kind: Literal["local_hour"]
    start: int = Field(ge=0, le=23)
    end: int = Field(ge=1, le=24)


class WeekendRule(_Strict):
    kind: Literal["weekend"]


Rule = Annotated[
    CountRule | QuestAllRule | GhzRule | LocalHourRule | WeekendRule,
    Field(discriminator="kind"),
]


class Achievement(_Strict):
    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")
    title: str = Field(min_length=1, max_length=100)
    description: str = Field(min_length=1, max_length=300)
    icon: str = Field(pattern=r"^[a-z0-9_]{1,64}$")
    tier: Literal["bronze", "silver", "gold"]
    hidden: bool = False
    rule: Rule


class AchievementCatalog(_Strict):
    achievements: tuple[Achievement, ...]

    def get(self, key: str) -> Achievement | None:
        return self._by_key.get(key)

    @functools.cached_property
    def _by_key(self) -> dict[str, Achievement]:
        return {a.key: a for a in self.achievements}

    def counting(self, metric: str) -> list[Achievement]:
        return [
            a
            for a in self.achievements
            if isinstance(a.rule, CountRule) and a.rule.metric == metric
        ]

    def of_kind(self, kind: str) -> list[Achievement]:
        return [a for a in self.achievements if a.rule.kind == kind]


def parse_catalog(text: str) -> AchievementCatalog:
    """Raises pydantic's ValidationError (or ValueError for duplicate keys)."""
    catalog = AchievementCatalog(achievements=tuple(yaml.safe_load(text)))
    keys = [a.key for a in catalog.achievements]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate achievement keys")
    return catalog


@functools.cache
def load_achievements() -> AchievementCatalog:
    text = (resources.files("qdeck.gamification") / "achievements.yaml").read_text("utf-8")
    return parse_catalog(text)


def quest_totals() -> dict[str, int]:
    """Lessons and levels in the shipped Quest catalog (the ``quest_all`` targets)."""
    from qdeck.quest.catalog import load_catalog

    catalog = load_catalog()
    return {"lessons": len(catalog.lessons), "levels": len(catalog.levels)}


def target_of(achievement: Achievement) -> int | None:
    """The count a counted achievement needs (for "73 / 100"), None for one-off ones."""
    rule = achievement.rule
    if isinstance(rule, CountRule):
        return rule.target
    if isinstance(rule, QuestAllRule):
        return quest_totals()[rule.what]
    return None


def metric_of(achievement: Achievement) -> str | None:
    rule = achievement.rule
    if isinstance(rule, CountRule):
        return rule.metric
    if isinstance(rule, QuestAllRule):
        return "lessons_completed" if rule.what == "lessons" else "levels_solved"
    return None


def moment_matches(rule: LocalHourRule | WeekendRule, local: datetime) -> bool:
    if isinstance(rule, WeekendRule):
        return local.weekday() >= 5
    return rule.start <= local.hour < rule.end
