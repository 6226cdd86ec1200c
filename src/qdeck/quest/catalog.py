"""The learning path as data: lessons, levels and challenges read from ``quest/content``.

A lesson is a folder ``content/lessons/<NN>-<key>/`` holding ``lesson.yaml`` (title,
starting circuit, levels, quiz) and ``lesson.md`` (the explanation, Markdown with LaTeX).
A challenge is ``content/challenges/<key>.yaml`` beside ``<key>.md``. A teacher adds a
lesson by adding files; ``load_catalog`` validates them all against the models below and
raises ``CatalogError`` naming the file and field that is wrong.
"""

from __future__ import annotations

import functools
from datetime import datetime
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from qdeck.quest.schemas import GoalKind

KEY = r"^[a-z0-9][a-z0-9-]{0,63}$"
QASM2_HEADER = 'OPENQASM 2.0;\ninclude "qelib1.inc";\n'


class CatalogError(ValueError):
    pass


def full_qasm(body: str, num_qubits: int) -> str:
    """A level's circuit as the composer loads it: gate lines become a whole OpenQASM 2
    program on ``q[num_qubits]``; a text with its own header is kept as it is."""
    if body.lstrip().startswith("OPENQASM"):
        return body
    return f"{QASM2_HEADER}qreg q[{num_qubits}];\n{body.strip()}\n".replace("\n\n", "\n")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Level(_Strict):
    key: str = Field(pattern=KEY)
    title: str = Field(min_length=1, max_length=200)
    goal_kind: GoalKind
    goal: str = Field(min_length=1)
    num_qubits: int = Field(ge=1, le=16)
    allowed_gates: tuple[str, ...] | None = None
    max_gates: int | None = Field(default=None, ge=1)
    # Distribution goals: the qubits whose joint outcome is compared (default: all).
    measured_qubits: tuple[int, ...] | None = None
    starting_qasm: str = ""
    reference: str = Field(min_length=1)
    hints: tuple[str, str, str]
    lesson_key: str = ""  # filled in from the lesson

    @property
    def starting_circuit(self) -> str:
        return full_qasm(self.starting_qasm, self.num_qubits)

    @property
    def reference_qasm(self) -> str:
        return full_qasm(self.reference, self.num_qubits)


class QuizQuestion(_Strict):
    question: str = Field(min_length=1)
    choices: tuple[str, ...] = Field(min_length=2, max_length=6)
    answer: int = Field(ge=0)
    explanation: str = ""

    @model_validator(mode="after")
    def _answer_is_a_choice(self) -> QuizQuestion:
        if self.answer >= len(self.choices):
            raise ValueError(f"answer {self.answer} is not one of the {len(self.choices)} choices")
        return self


class Lesson(_Strict):
    key: str = Field(pattern=KEY)
    order: int = Field(ge=1)
    title: str = Field(min_length=1, max_length=200)
    summary: str = Field(min_length=1, max_length=500)
    num_qubits: int = Field(ge=1, le=16)
    starting_qasm: str = Field(min_length=1)
    levels: tuple[Level, ...] = ()
    quiz: tuple[QuizQuestion, ...] = ()
    markdown: str = ""

    @property
    def starting_circuit(self) -> str:
        return full_qasm(self.starting_qasm, self.num_qubits)

    @model_validator(mode="after")
    def _something_to_do(self) -> Lesson:
        if not self.levels and not self.quiz:
            raise ValueError("a lesson needs at least one level or quiz question")
        return self


class Challenge(_Strict):
    key: str = Field(pattern=KEY)
    order: int = Field(ge=1)
    title: str = Field(min_length=1, max_length=200)
    backend: str = Field(min_length=1)
    num_qubits: int = Field(ge=1, le=16)
    shots: int = Field(ge=100, le=20_000)
    # hellinger: Hellinger fidelity of the measured counts to ``target``'s ideal
    # distribution. success_probability: the share of shots whose ``measured_qubits``
    # read one of ``marked``.
    metric: Literal["hellinger", "success_probability"]
    target: str = ""
    marked: tuple[str, ...] = ()
    measured_qubits: tuple[int, ...] | None = None
    max_two_qubit_gates: int | None = Field(default=None, ge=0)
    ends_at: datetime | None = None
    starting_qasm: str = ""
    markdown: str = ""

    @property
    def starting_circuit(self) -> str:
        return full_qasm(self.starting_qasm, self.num_qubits)

    @property
    def target_qasm(self) -> str:
        return full_qasm(self.target, self.num_qubits)

    @field_validator("ends_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("ends_at needs a time zone, e.g. 2027-01-31T23:59:00Z")
        return value

    @model_validator(mode="after")
    def _metric_inputs(self) -> Challenge:
        if self.metric == "hellinger" and not self.target.strip():
            raise ValueError("a hellinger challenge needs a target circuit")
        if self.metric == "success_probability" and not self.marked:
            raise ValueError("a success_probability challenge needs marked outcomes")
        width = len(self.measured_qubits or range(self.num_qubits))
        for outcome in self.marked:
            if len(outcome) != width or set(outcome) - {"0", "1"}:
                raise ValueError(f"marked outcome {outcome!r} must be {width} bits")
        return self


class Catalog(_Strict):
    lessons: tuple[Lesson, ...]
    challenges: tuple[Challenge, ...]

    @functools.cached_property
    def levels(self) -> tuple[Level, ...]:
        """Every level, in learning-path order."""
        return tuple(level for lesson in self.lessons for level in lesson.levels)

    @functools.cached_property
    def _level_index(self) -> dict[str, int]:
        return {level.key: i for i, level in enumerate(self.levels)}

    def lesson(self, key: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.key == key), None)

    def level(self, key: str) -> Level | None:
        index = self._level_index.get(key)
        return None if index is None else self.levels[index]

    def next_level(self, key: str) -> Level | None:
        index = self._level_index.get(key)
        if index is None or index + 1 >= len(self.levels):
            return None
        return self.levels[index + 1]

    def challenge(self, key: str) -> Challenge | None:
        return next((c for c in self.challenges if c.key == key), None)

    @model_validator(mode="after")
    def _unique(self) -> Catalog:
        for what, keys in (
            ("lesson", [lesson.key for lesson in self.lessons]),
            ("lesson order", [lesson.order for lesson in self.lessons]),
            ("level", [level.key for lesson in self.lessons for level in lesson.levels]),
            ("challenge", [c.key for c in self.challenges]),
        ):
            seen: set[object] = set()
            for key in keys:
                if key in seen:
                    raise ValueError(f"{what} {key!r} appears twice")
                seen.add(key)
        return self


def _read_yaml(file: Traversable, where: str) -> dict:
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CatalogError(f"{where}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise CatalogError(f"{where}: expected a mapping at the top")
    return data


def _validate(model: type[BaseModel], data: dict, where: str):
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in exc.errors()
        )
        raise CatalogError(f"{where}: {problems}") from None


def _markdown(folder: Traversable, name: str) -> str:
    file = folder / name
    return file.read_text(encoding="utf-8") if file.is_file() else ""


def load_from(root: Traversable) -> Catalog:
    """Read and validate every lesson and challenge below ``root``."""
    lessons = []
    lessons_dir = root / "lessons"
    for folder in sorted(lessons_dir.iterdir(), key=lambda f: f.name):
        if not folder.is_dir() or folder.name.startswith(("_", ".")):
            continue
        where = f"lessons/{folder.name}/lesson.yaml"
        data = _read_yaml(folder / "lesson.yaml", where)
        data["markdown"] = _markdown(folder, "lesson.md")
        key = data.get("key")
        data["levels"] = [{**level, "lesson_key": key} for level in data.get("levels") or []]
        lessons.append(_validate(Lesson, data, where))
    challenges = []
    for file in sorted((root / "challenges").iterdir(), key=lambda f: f.name):
        if not file.name.endswith(".yaml"):
            continue
        where = f"challenges/{file.name}"
        data = _read_yaml(file, where)
        data["markdown"] = _markdown(root / "challenges", file.name.removesuffix(".yaml") + ".md")
        challenges.append(_validate(Challenge, data, where))
    lessons.sort(key=lambda lesson: lesson.order)
    challenges.sort(key=lambda c: c.order)
    return _validate(Catalog, {"lessons": lessons, "challenges": challenges}, "catalog")


@functools.cache
def load_catalog() -> Catalog:
    """The catalog shipped inside the package, read once per process."""
    return load_from(resources.files("qdeck.quest") / "content")
