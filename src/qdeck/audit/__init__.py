"""The audit log: security-relevant actions, who did them and from where."""
