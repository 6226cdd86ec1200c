"""A job's statuses and phases are spelled once, in ``qdeck/jobs/status.py``: everywhere else
in ``src/`` names them through ``JobStatus`` / ``JobPhase``, so renaming or adding one is a
change in one place and a typo is an AttributeError instead of a silent mismatch.

The scan reads every module's syntax tree and flags a string constant equal to a status or
phase name (docstrings aside). Migrations are exempt: they freeze the schema as it was.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from qdeck.jobs.status import JobPhase, JobStatus

SRC = Path(__file__).resolve().parent.parent / "src" / "qdeck"
VOCABULARY = {s.value for s in JobStatus} | {p.value for p in JobPhase}
EXEMPT = ("jobs/status.py", "db/migrations/")

# (module under src/qdeck, literal): why that literal is not a job status there.
ALLOWED = {
    ("jobs/lifecycle.py", "cancelled"): "the verb of a sentence: 'A completed job cannot be "
    "cancelled.'",
    ("jobs/outcomes.py", "failed"): "the fallback error code when a runner reports none",
    ("client/errors.py", "failed"): "the fallback error code printed in the SDK's exception",
    ("backends/service.py", "running"): "a field of a backend's queue figures: a count",
    ("ui/pages/dashboard.py", "running"): "the key of the dashboard's 'Running now' card",
    ("assistant/failure_catalog.py", "failed"): "the fallback error code when a job has none",
    ("assistant/failure_explanations.py", "failed"): "the fallback error code, as above",
    ("assistant/team_insights.py", "failed"): "the fallback error code, as above",
    ("assistant/team_insights.py", "completed"): "a key of the weekly figures: a count",
    ("cli/quest.py", "completed"): "a lesson's state in the CLI's table, not a job's",
    ("notifications/delivery_models.py", "failed"): "a delivery's state: every retry used up",
    ("notifications/webhook_docs.py", "failed"): "a substring of event kinds (job.failed)",
    ("quest/consumers.py", "failed"): "a challenge attempt's state, not its job's",
    ("quest/schemas.py", "failed"): "a challenge attempt's state, not its job's",
}


def _docstrings(tree: ast.AST) -> set[int]:
    owners = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, owners)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def literals_in(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, value) of every string constant naming a status or phase, docstrings aside."""
    docstrings = _docstrings(tree)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value in VOCABULARY
            and id(node) not in docstrings
        ):
            yield node.lineno, node.value


def status_literals() -> Iterator[tuple[str, int, str]]:
    for path in sorted(SRC.rglob("*.py")):
        module = path.relative_to(SRC).as_posix()
        if module.startswith(EXEMPT):
            continue
        for line, value in literals_in(ast.parse(path.read_text(encoding="utf-8"))):
            yield module, line, value


def test_job_statuses_are_spelled_only_in_the_status_module() -> None:
    found = [
        f"src/qdeck/{module}:{line}: {value!r}"
        for module, line, value in status_literals()
        if (module, value) not in ALLOWED
    ]
    assert not found, "use JobStatus / JobPhase from qdeck.jobs.status instead of:\n" + "\n".join(
        found
    )


def test_every_allowance_is_still_needed() -> None:
    used = {(module, value) for module, _, value in status_literals()}
    stale = sorted(set(ALLOWED) - used)
    assert not stale, f"remove these from ALLOWED, the literal is gone: {stale}"


def test_the_scan_finds_a_status_but_not_a_docstring_or_the_enum() -> None:
    source = '''"""Jobs end "completed"."""
from qdeck.jobs.status import JobStatus

def done(job):
    """completed"""
    return job.status in ("completed", JobStatus.FAILED) or job.phase == "executing"
'''
    assert sorted(literals_in(ast.parse(source))) == [(6, "completed"), (6, "executing")]
