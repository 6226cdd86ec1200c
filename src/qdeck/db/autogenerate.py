"""What Alembic's autogenerate compares: the models, minus objects they cannot describe.

A domain lists database objects it makes by hand in a migration (a virtual table, a
generated column of a type one database lacks, an index of a special kind) in
``Base.metadata.info["unmodelled"]`` as ``(kind, name)`` pairs; columns and indexes are
named ``table.name``. Used by the migration environment and the migration tests.
"""

from __future__ import annotations

from typing import Any

from qdeck.db.base import Base


def include_name(name: str | None, type_: str, parent_names: dict[str, Any]) -> bool:
    unmodelled: set[tuple[str, str]] = Base.metadata.info.get("unmodelled", set())
    if type_ in ("column", "index"):
        name = f"{parent_names.get('table_name')}.{name}"
    return (type_, name or "") not in unmodelled
