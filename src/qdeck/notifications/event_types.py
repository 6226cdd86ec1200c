"""The names of the events the notifications domain emits, all on the ``notifications``
live topic of the person concerned (``user_id`` set, no workspace, so nobody else's
page or socket hears them). Each carries ``unread_count``."""

NOTIFICATION_CREATED = "notification.created"
# A grouped notification took in another event (its title and counts changed); not
# routed again, so a burst is one message.
NOTIFICATION_UPDATED = "notification.updated"
# Read, all read, archived: the bell follows on every open page.
NOTIFICATION_READ = "notification.read"

LIVE = frozenset({NOTIFICATION_CREATED, NOTIFICATION_UPDATED, NOTIFICATION_READ})
