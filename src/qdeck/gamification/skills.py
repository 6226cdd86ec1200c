"""Skills by topic: the XP a person earned, attributed to what it taught."""

from __future__ import annotations

TOPICS = ("superposition", "entanglement", "algorithms", "noise")

_LESSON_TOPICS = {
    "qubit": "superposition",
    "superposition": "superposition",
    "phase": "superposition",
    "bloch": "superposition",
    "entanglement": "entanglement",
    "teleportation": "entanglement",
    "interference": "algorithms",
    "grover": "algorithms",
    "qft": "algorithms",
    "phase-estimation": "algorithms",
    "noise": "noise",
    "bit-flip-code": "noise",
}


def skill_of_lesson(lesson_key: str) -> str:
    return _LESSON_TOPICS.get(lesson_key, "algorithms")


def skill_of_job(backend_kind: str) -> str:
    # Running where noise lives (fake devices, hardware) is practice with noise.
    return "algorithms" if backend_kind == "simulator" else "noise"
