"""Notifications: in-app alerts, digests, e-mail and signed webhooks, per-user preferences."""
