"""``qdeck quest ...``: the Quantum Quest learning path from a terminal.

``submit`` exits 1 when the attempt does not pass (the answer is wrong), like a job that
failed; a circuit the server cannot read is a usage error (2).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Group
from rich.table import Table
from rich.text import Text

from qdeck.cli.remote import EXIT_CODES_HELP, JOB_FAILED, USAGE, connect, fail, friendly, out
from qdeck.client import NotFoundError
from qdeck.quest.schemas import GradeResult, LessonRead, LevelRead

app = typer.Typer(
    help=f"Quantum Quest: lessons, auto-graded levels and your progress.\n\n{EXIT_CODES_HELP}"
    " `submit` exits 1 when the attempt does not pass.\n\n"
    "Example: qdeck quest submit bell bell.qasm",
    no_args_is_help=True,
)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def _dump(model: Any) -> None:
    if isinstance(model, list):
        print(json.dumps([m.model_dump(mode="json") for m in model], indent=2))
    else:
        print(json.dumps(model.model_dump(mode="json"), indent=2))


def _stars(count: int) -> str:
    return "★" * count + "☆" * (3 - count)


@app.command("list")
@friendly
def list_lessons(as_json: JsonOption = False) -> None:
    """List the lessons in order with how many of their levels you have solved.

    Example: qdeck quest list
    """
    with connect() as client:
        lessons = client.quest.lessons()
        progress = client.quest.progress()
    if as_json:
        _dump(lessons)
        return
    table = Table(
        title=f"Quantum Quest · {progress.levels_solved}/{progress.levels_total} levels · "
        f"{progress.stars}/{progress.stars_possible} stars",
        title_justify="left",
    )
    for column in ("#", "lesson", "key", "solved", ""):
        table.add_column(column)
    for lesson in lessons:
        done = "completed" if lesson.completed else ""
        table.add_row(
            str(lesson.order),
            lesson.title,
            lesson.key,
            f"{lesson.levels_solved}/{lesson.levels_total}",
            done,
        )
    out.print(table)
    if progress.resume_level_key:
        out.print(f"Carry on with: qdeck quest show {progress.resume_level_key}")


def _lesson_view(lesson: LessonRead) -> Group:
    table = Table(title="levels", title_justify="left")
    for column in ("key", "title", "goal", "stars"):
        table.add_column(column)
    for level in lesson.levels:
        table.add_row(level.key, level.title, level.goal_kind, _stars(level.best_stars))
    return Group(
        Text(f"{lesson.order}. {lesson.title}", style="bold"),
        Text(lesson.summary),
        Text(""),
        Text(lesson.markdown),
        table,
    )


def _level_view(level: LevelRead) -> Group:
    rules = [f"{level.constraints.num_qubits} qubits"]
    if level.constraints.allowed_gates:
        rules.append("gates: " + ", ".join(level.constraints.allowed_gates))
    if level.constraints.max_gates:
        rules.append(f"at most {level.constraints.max_gates} gates")
    parts: list[Any] = [
        Text(f"{level.title} ({level.key}, {level.goal_kind})", style="bold"),
        Text(level.goal),
        Text(" · ".join(rules), style="dim"),
        Text(
            f"{_stars(level.best_stars)}  {level.attempts} attempts · three stars with "
            f"{level.reference_gate_count} gates at depth {level.reference_depth}"
        ),
    ]
    for number, hint in enumerate(level.hints, start=1):
        parts.append(Text(f"hint {number}: {hint}"))
    parts.append(Text("starting circuit:", style="dim"))
    parts.append(Text(level.starting_qasm))
    if level.reference_qasm:
        parts.append(Text("reference solution:", style="dim"))
        parts.append(Text(level.reference_qasm))
    return Group(*parts)


@app.command("show")
@friendly
def show(
    key: Annotated[str, typer.Argument(help="A level key (e.g. bell) or a lesson key.")],
    as_json: JsonOption = False,
) -> None:
    """Show a level (goal, constraints, hints so far, starting circuit) or a lesson.

    Example: qdeck quest show bell
    """
    with connect() as client:
        try:
            found: LevelRead | LessonRead = client.quest.level(key)
        except NotFoundError:
            try:
                found = client.quest.lesson(key)
            except NotFoundError:
                fail(
                    USAGE, f"there is no level or lesson {key!r}", "`qdeck quest list` lists them."
                )
    if as_json:
        _dump(found)
    else:
        out.print(_level_view(found) if isinstance(found, LevelRead) else _lesson_view(found))


@app.command("hint")
@friendly
def hint(
    level: Annotated[str, typer.Argument(help="The level's key.")],
    as_json: JsonOption = False,
) -> None:
    """Reveal the next of a level's three hints.

    Example: qdeck quest hint bell
    """
    with connect() as client:
        revealed = client.quest.hint(level)
    if as_json:
        _dump(revealed)
    else:
        out.print(f"hint {revealed.number}/{revealed.total}: {revealed.text}")


def _grade_view(result: GradeResult) -> Text:
    if not result.passed:
        return Text(f"✗ not yet: {result.feedback}")
    line = Text(f"✓ solved {_stars(result.stars)}  ", style="bold")
    line.append(f"{result.gate_count} gates, depth {result.depth}. {result.feedback}")
    if result.lesson_completed:
        line.append("\nLesson completed!")
    if result.next_level_key:
        line.append(f"\nNext: qdeck quest show {result.next_level_key}")
    return line


@app.command("submit")
@friendly
def submit(
    level: Annotated[str, typer.Argument(help="The level's key, e.g. bell.")],
    file: Annotated[Path, typer.Argument(help="OpenQASM 2 or 3 file, or - for stdin.")],
    seconds: Annotated[
        float | None, typer.Option(min=0, help="Time you spent on this attempt, in seconds.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Grade a circuit against a level. Exits 1 when it does not pass.

    Example: qdeck quest submit bell bell.qasm
    """
    if str(file) == "-":
        qasm = sys.stdin.read()
    elif file.is_file():
        qasm = file.read_text()
    else:
        fail(USAGE, f"no such file: {file}", "Give an OpenQASM file (.qasm).")
    with connect() as client:
        result = client.quest.grade(level, qasm, seconds)
    if as_json:
        _dump(result)
    else:
        out.print(_grade_view(result))
    if not result.passed:
        raise typer.Exit(JOB_FAILED)


@app.command("progress")
@friendly
def progress(as_json: JsonOption = False) -> None:
    """Your solved levels, stars, hints and time per level.

    Example: qdeck quest progress --json
    """
    with connect() as client:
        mine = client.quest.progress()
    if as_json:
        _dump(mine)
        return
    table = Table(
        title=f"{mine.levels_solved}/{mine.levels_total} levels solved", title_justify="left"
    )
    for column in ("level", "stars", "attempts", "hints", "time"):
        table.add_column(column)
    for row in mine.levels:
        table.add_row(
            row.level_key,
            _stars(row.best_stars),
            str(row.attempts),
            str(row.hints_used),
            f"{row.seconds_spent} s",
        )
    out.print(table)
