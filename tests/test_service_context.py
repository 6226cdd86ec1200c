"""Edges (API endpoints, pages, CLI commands, the scheduler) get services from their unit
of work (``qdeck.services.Services``); none builds one by hand."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).parents[1] / "src" / "qdeck"
EDGES = [
    *sorted((SRC / "api").rglob("*.py")),
    *sorted((SRC / "ui").rglob("*.py")),
    *sorted((SRC / "cli").rglob("*.py")),
    *sorted(SRC.glob("*/endpoints.py")),
    SRC / "jobs" / "scheduler.py",
]


def _built_services(path: Path, root: Path = SRC) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
        if name.endswith("Service") and name[0].isupper():
            found.append(f"{path.relative_to(root)}:{node.lineno} builds {name}")
    return found


def test_no_edge_builds_a_service_itself() -> None:
    built = [hit for path in EDGES for hit in _built_services(path)]
    assert built == [], "use the unit of work's Services instead:\n" + "\n".join(built)


def test_the_scan_finds_a_service_built_by_hand(tmp_path: Path) -> None:
    sample = tmp_path / "page.py"
    sample.write_text("async def page(session, settings):\n    JobService(session, settings)\n")
    assert _built_services(sample, tmp_path) == ["page.py:2 builds JobService"]
