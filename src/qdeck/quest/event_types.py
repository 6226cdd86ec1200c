"""The names of the events Quantum Quest emits to the outbox.

Each carries ``user_id`` (also the event's ``user_id``) so gamification and
notifications can react without reading quest tables:

* ``quest.level_solved``: a level solved for the first time; ``level_key``,
  ``lesson_key``, ``stars``.
* ``quest.lesson_completed``: every level of a lesson solved; ``lesson_key``.
* ``quest.challenge_scored``: a challenge attempt's job ended; ``challenge_key``,
  ``attempt_id``, ``job_id``, ``status`` (scored | failed), ``score``.
"""

QUEST_LEVEL_SOLVED = "quest.level_solved"
QUEST_LESSON_COMPLETED = "quest.lesson_completed"
QUEST_CHALLENGE_SCORED = "quest.challenge_scored"

# What the ``quest`` WebSocket topic carries to the person concerned.
LIVE = frozenset({QUEST_LEVEL_SOLVED, QUEST_LESSON_COMPLETED, QUEST_CHALLENGE_SCORED})
