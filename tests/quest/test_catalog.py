"""The content files: every one validates, mistakes are named by file and field, a teacher
adds a lesson with files alone, and the files ship inside the wheel."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from importlib import resources
from pathlib import Path

import pytest

from qdeck.quest.catalog import CatalogError, load_catalog, load_from

ROOT = Path(str(resources.files("qdeck.quest") / "content"))
REPO = Path(__file__).resolve().parents[2]


def test_every_content_file_validates() -> None:
    catalog = load_catalog()
    lesson_dirs = [p for p in (ROOT / "lessons").iterdir() if p.is_dir()]
    assert len(catalog.lessons) == len(lesson_dirs)
    assert len(catalog.challenges) == len(list((ROOT / "challenges").glob("*.yaml")))
    for lesson in catalog.lessons:
        assert lesson.markdown.startswith("# "), lesson.key
        assert "$" in lesson.markdown, f"{lesson.key} has no formula"
        for level in lesson.levels:
            assert level.lesson_key == lesson.key
            assert len(set(level.hints)) == 3, level.key
    for challenge in catalog.challenges:
        assert challenge.markdown, challenge.key
    # In the order of the learning path the issue describes.
    keys = [lesson.key for lesson in catalog.lessons]
    assert keys.index("qubit") < keys.index("entanglement") < keys.index("bit-flip-code")


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(ROOT, target)
    return target


def test_a_teacher_adds_a_lesson_with_files_only(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    folder = root / "lessons" / "13-swap-test"
    folder.mkdir()
    (folder / "lesson.md").write_text(
        "# The swap test\n\n$P(0) = (1 + |\\langle a|b\\rangle|^2)/2$\n"
    )
    (folder / "lesson.yaml").write_text(
        "key: swap-test\norder: 13\ntitle: The swap test\nsummary: Comparing two states.\n"
        "num_qubits: 3\nstarting_qasm: |\n  h q[0];\nlevels:\n"
        "  - key: controlled-swap\n    title: Controlled swap\n    goal_kind: unitary\n"
        "    goal: Swap q[1] and q[2] when q[0] is 1.\n    num_qubits: 3\n"
        "    reference: |\n      cswap q[0],q[1],q[2];\n"
        "    hints: [One gate does it., It is a Fredkin gate., CSWAP.]\n"
    )
    catalog = load_from(root)
    assert catalog.lessons[-1].key == "swap-test"
    assert catalog.level("controlled-swap").lesson_key == "swap-test"
    assert catalog.next_level(catalog.lessons[-2].levels[-1].key).key == "controlled-swap"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda text: text.replace("goal_kind: state", "goal_kind: vibes", 1), "goal_kind"),
        (
            lambda text: text.replace("    hints:\n", "    hints: [only one]\n    old_hints:\n", 1),
            "hints",
        ),
        (lambda text: text + "colour: blue\n", "colour"),
        (lambda text: text.replace("key: qubit", "key: Not A Key", 1), "key"),
    ],
)
def test_a_mistake_names_the_file_and_the_field(tmp_path: Path, edit, message: str) -> None:
    root = _copy(tmp_path)
    path = root / "lessons" / "01-qubit" / "lesson.yaml"
    path.write_text(edit(path.read_text()))
    with pytest.raises(CatalogError) as raised:
        load_from(root)
    assert "lessons/01-qubit/lesson.yaml" in str(raised.value)
    assert message in str(raised.value)


def test_two_levels_with_one_key_are_refused(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / "lessons" / "02-superposition" / "lesson.yaml"
    path.write_text(path.read_text().replace("key: plus\n", "key: flip\n", 1))
    with pytest.raises(CatalogError, match="level 'flip' appears twice"):
        load_from(root)


def test_the_wheel_carries_the_content(tmp_path: Path) -> None:
    pytest.importorskip("hatchling", reason="building the wheel needs hatchling (test extra)")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(REPO)],
        check=True,
        timeout=300,
    )  # fmt: skip
    wheel = next(tmp_path.glob("qdeck-*.whl"))
    installed = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(installed)
    script = (
        "import qdeck, sys; from qdeck.quest.catalog import load_catalog; "
        f"assert qdeck.__file__.startswith({str(installed)!r}), qdeck.__file__; "
        "c = load_catalog(); print(len(c.lessons), len(c.levels), len(c.challenges))"
    )
    # -S: no site-packages .pth, so the editable checkout cannot stand in for the wheel;
    # the dependencies come from site-packages added behind the unpacked wheel.
    site_packages = [p for p in sys.path if p.endswith("site-packages")]
    env = {"PYTHONPATH": ":".join([str(installed), *site_packages])}
    out = subprocess.run(
        [sys.executable, "-S", "-c", script],
        check=True, capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    lessons, levels, challenges = map(int, out.stdout.split())
    assert (lessons, levels, challenges) == (
        len(load_catalog().lessons), len(load_catalog().levels), len(load_catalog().challenges)
    )  # fmt: skip


def test_no_starting_circuit_hands_out_an_answer() -> None:
    """The composer preloads lesson and level circuits: none may already solve a level,
    or the answer would reach the browser before the level is solved."""
    from qdeck.quest.grading import grade_circuit, read_attempt

    catalog = load_catalog()
    starts = {f"lesson {lesson.key}": lesson.starting_circuit for lesson in catalog.lessons}
    starts |= {f"level {level.key}": level.starting_circuit for level in catalog.levels}
    for name, qasm in starts.items():
        attempt = read_attempt(qasm)
        solved = [level.key for level in catalog.levels if grade_circuit(level, attempt).passed]
        assert solved == [], f"the {name} starting circuit solves {solved}"
