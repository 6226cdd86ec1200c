"""Quest's domain errors: unknown keys are 404s with codes of their own."""

from __future__ import annotations

from qdeck.errors import NotFound


class LessonNotFound(NotFound):
    code = "lesson_not_found"

    def __init__(self, key: str) -> None:
        super().__init__(f"There is no lesson {key!r}; GET /api/v1/quest/lessons lists them.")


class LevelNotFound(NotFound):
    code = "level_not_found"

    def __init__(self, key: str) -> None:
        super().__init__(f"There is no level {key!r}; a lesson lists its levels.")


class ChallengeNotFound(NotFound):
    code = "challenge_not_found"

    def __init__(self, key: str) -> None:
        super().__init__(f"There is no challenge {key!r}; GET /api/v1/quest/challenges lists them.")
