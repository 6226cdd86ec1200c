"""The achievements data file against its schema, and the documented level curve."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from qdeck.gamification.achievements import load_achievements, parse_catalog, target_of
from qdeck.gamification.levels import level_for, progress_of, xp_for_level


def test_the_shipped_file_holds_at_least_25_valid_achievements() -> None:
    catalog = load_achievements()
    assert len(catalog.achievements) >= 25
    keys = [a.key for a in catalog.achievements]
    assert len(keys) == len(set(keys))
    assert {a.tier for a in catalog.achievements} == {"bronze", "silver", "gold"}
    assert any(a.hidden for a in catalog.achievements)
    # The brief's examples are there: first job, 100 jobs, all lessons, a 7-day streak,
    # a GHZ-10 on a fake device with Hellinger >= 0.8.
    for key in ("first-job", "hundred-jobs", "all-lessons", "streak-7", "ghz10-noisy"):
        assert catalog.get(key) is not None
    assert target_of(catalog.get("all-lessons")) == 12
    ghz = catalog.get("ghz10-noisy").rule
    assert (ghz.min_qubits, ghz.min_hellinger, ghz.backend_kind) == (10, 0.8, "fake_device")


@pytest.mark.parametrize(
    "entry",
    [
        "{key: x1, title: T, description: D, icon: star, tier: bronze, rule: {kind: count, "
        "metric: not_a_metric, target: 1}}",
        "{key: x1, title: T, description: D, icon: star, tier: platinum, rule: {kind: weekend}}",
        "{key: x1, title: T, description: D, icon: star, tier: gold, rule: {kind: scan_all}}",
        "{key: x1, title: T, description: D, icon: star, tier: gold, rule: {kind: count, "
        "metric: jobs_completed, target: 0}}",
        "{key: x1, title: T, description: D, icon: star, tier: gold, colour: red, "
        "rule: {kind: weekend}}",
    ],
)
def test_a_broken_definition_is_refused(entry: str) -> None:
    with pytest.raises(ValidationError):
        parse_catalog(f"- {entry}\n")


def test_duplicate_keys_are_refused() -> None:
    one = "{key: x1, title: T, description: D, icon: star, tier: gold, rule: {kind: weekend}}"
    with pytest.raises(ValueError, match="duplicate"):
        parse_catalog(f"- {one}\n- {one}\n")


def test_the_level_curve_matches_its_documentation() -> None:
    assert [xp_for_level(n) for n in (1, 2, 3, 5, 10, 20)] == [0, 100, 300, 1000, 4500, 19000]
    assert [level_for(xp) for xp in (0, 99, 100, 299, 300, 4499, 4500)] == [1, 1, 2, 2, 3, 9, 10]
    for xp in range(0, 30_000, 37):
        level = level_for(xp)
        assert xp_for_level(level) <= xp < xp_for_level(level + 1)
    assert progress_of(350).level_floor == 300 and progress_of(350).next_level_xp == 600
