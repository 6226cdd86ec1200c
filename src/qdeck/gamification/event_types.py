"""The events gamification emits to the outbox, each for one person (``user_id``) and
delivered live on the ``gamification:<user id>`` topic:

* ``gamification.xp``: XP credited; ``xp``, ``total``, ``level``.
* ``gamification.level_up``: a new level; ``level``, ``total``.
* ``gamification.achievement``: an achievement unlocked; ``key``, ``title``,
  ``description``, ``icon``, ``tier``, ``award_id``, ``xp``.
"""

XP_EARNED = "gamification.xp"
LEVEL_UP = "gamification.level_up"
ACHIEVEMENT_EARNED = "gamification.achievement"

ALL = frozenset({XP_EARNED, LEVEL_UP, ACHIEVEMENT_EARNED})
