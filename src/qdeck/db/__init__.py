"""Database layer: engine, session scope, base model, migrations."""
