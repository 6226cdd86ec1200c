"""The HTTP edge: conventions every endpoint shares (errors, pagination, auth, middleware)."""
