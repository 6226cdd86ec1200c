"""Read-only statistics over jobs for the dashboard (and, later, the analytics pages)."""
