"""Quantum Quest in a real browser against a real ``qdeck serve``: one newcomer's whole
journey, from the learning path to a Bell pair run on a noisy fake device."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.live_server import LiveServer
from tests.ui.browser import LAPTOP, PHONE, screenshot

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"

BLOCH_LENGTHS = "[...document.querySelectorAll('.qd-bloch')].map(f => Number(f.dataset.length))"
HISTOGRAM = (
    "[...document.querySelectorAll('.qd-hbar')].map(b => [b.dataset.label, Number(b.dataset.p)])"
)
BELL = [["00", 0.5], ["01", 0], ["10", 0], ["11", 0.5]]
ZERO = [["00", 1], ["01", 0], ["10", 0], ["11", 0]]
GRID = (
    "[...document.querySelectorAll('.qd-cell')].filter(c => c.querySelector('.qd-gate'))"
    ".map(c => `${c.dataset.q}:${c.dataset.c}:${c.querySelector('.qd-gate').innerText}`)"
)
# The displays have drawn the state the server computed last (their version stamp).
SETTLED = """() => new Promise(resolve => {
  const el = document.querySelector('.qd-state');
  let last = el.dataset.rendered, still = performance.now();
  const tick = () => {
    if (el.dataset.rendered !== last) { last = el.dataset.rendered; still = performance.now(); }
    if (performance.now() - still > 400) resolve(last); else setTimeout(tick, 50);
  };
  tick();
})"""


@pytest.fixture(scope="module")
def server(browser: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path_factory.mktemp("quest") / "data").start(limit_seconds=300)
    try:
        yield live
    finally:
        live.stop()


def drag(page, gate: str, qubit: int, column: int) -> None:
    """Press on a palette gate, move the mouse over a cell, let go."""
    source = page.locator(f'.qd-gate-chip[data-gate="{gate}"]').bounding_box()
    target = page.locator(f'.qd-cell[data-q="{qubit}"][data-c="{column}"]').bounding_box()
    page.mouse.move(source["x"] + source["width"] / 2, source["y"] + source["height"] / 2)
    page.mouse.down()
    page.mouse.move(target["x"] + target["width"] / 2, target["y"] + target["height"] / 2, steps=8)
    page.mouse.up()


def wait_for_state(page, expression: str, value: object) -> None:
    expected = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    try:
        page.wait_for_function(f"JSON.stringify({expression}) === {expected!r}", timeout=15_000)
    except Exception:
        screenshot(page, "quest-journey-failed")
        raise AssertionError(f"{expected} never shown; last: {page.evaluate(expression)}") from None


def test_a_newcomer_learns_builds_a_bell_pair_solves_it_and_runs_it_on_a_device(
    browser, server: LiveServer
) -> None:
    context = browser.new_context(viewport=LAPTOP, accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    context.set_default_timeout(60_000)  # a busy CI machine; every wait is for a condition
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(f"{server.url}/signup")
    page.get_by_label("Your name").fill("Quinn Learner")
    page.get_by_label("E-mail").fill("quinn@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/dashboard")

    # The learning path, then the entanglement lesson with its formulas drawn by KaTeX.
    page.get_by_role("link", name="Quantum Quest").click()
    page.wait_for_url("**/quest")
    page.get_by_text("Levels solved").wait_for()
    assert page.get_by_text("0 / 12").count() == 1, "a new user has completed no lessons"
    screenshot(page, "quest-path-light")
    page.get_by_role("link", name="Many qubits and entanglement").click()
    page.wait_for_url("**/quest/lessons/entanglement")
    page.locator(".qd-lesson .katex").first.wait_for()
    assert page.locator(".qd-lesson .katex").count() >= 3
    screenshot(page, "quest-lesson-light")

    # The Bell level: an empty two-qubit composer. Drag H and CX onto the wires.
    page.get_by_role("link", name="A Bell pair").click()
    page.wait_for_url("**/quest/levels/bell")
    page.locator(".qd-state[data-rendered]").wait_for()
    assert page.evaluate(BLOCH_LENGTHS) == [1, 1], "|00> has both vectors at full length"
    drag(page, "h", 0, 0)
    wait_for_state(page, HISTOGRAM, [["00", 0.5], ["01", 0.5], ["10", 0], ["11", 0]])
    drag(page, "cx", 1, 1)
    # Entangled: each qubit alone is maximally mixed, its vector shrunk to the centre.
    wait_for_state(page, BLOCH_LENGTHS, [0, 0])
    wait_for_state(page, HISTOGRAM, BELL)
    assert page.evaluate(GRID) == ["0:0:H", "1:1:\u2295"]
    assert page.locator('.qd-cell[data-q="0"][data-c="1"] .qd-control').count() == 1

    # Solved: three stars and the celebration.
    page.get_by_role("button", name="Grade").click()
    page.get_by_text("Solved!").wait_for(timeout=30_000)
    assert page.get_by_label("3 of 3 stars").count() >= 1
    page.wait_for_function("document.body.dataset.celebrated === '1'")
    assert page.evaluate("document.body.dataset.celebratedMotion") == "full"
    page.wait_for_timeout(300)
    screenshot(page, "quest-level-solved-light")

    # Export the QASM, clear the circuit, import the QASM again: the same circuit.
    page.get_by_role("button", name="Export").click()
    exported = page.get_by_label("Exported OpenQASM").input_value()
    assert "h q[0];" in exported and "cx q[0],q[1];" in exported
    page.get_by_role("button", name="Close").click()
    page.get_by_role("button", name="Clear the circuit").click()
    wait_for_state(page, HISTOGRAM, ZERO)
    page.get_by_role("button", name="Undo").click()  # undo brings it back ...
    wait_for_state(page, BLOCH_LENGTHS, [0, 0])
    page.get_by_role("button", name="Clear the circuit").click()  # ... and away again
    wait_for_state(page, BLOCH_LENGTHS, [1, 1])
    page.get_by_role("button", name="Import").click()
    page.get_by_label("OpenQASM to import").fill(exported)
    page.get_by_role("button", name="Import", exact=True).last.click()
    wait_for_state(page, HISTOGRAM, BELL)
    assert page.evaluate(GRID) == ["0:0:H", "1:1:\u2295"]

    # The keyboard: select a cell with the arrows, type a gate letter, undo it.
    page.locator('.qd-cell[data-q="1"][data-c="2"]').click()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("z")
    page.wait_for_function('document.querySelector(\'.qd-cell[data-q="0"][data-c="2"] .qd-gate\')')
    page.keyboard.press("Control+z")
    wait_for_state(page, GRID, ["0:0:H", "1:1:\u2295"])

    # A second solve with reduced motion asked for: stars, but no confetti.
    page.emulate_media(reduced_motion="reduce")
    page.get_by_role("button", name="Grade").click()
    page.wait_for_function("document.body.dataset.celebrated === '2'")
    assert page.evaluate("document.body.dataset.celebratedMotion") == "reduced"
    page.emulate_media(reduced_motion="no-preference")

    # Run it for real on a fake device: the noisy histogram beside the ideal one.
    page.get_by_role("button", name="Run it for real").click()
    page.locator(".qd-fidelity").wait_for(timeout=120_000)
    series = page.evaluate(
        "getElement(document.querySelector('.nicegui-echart').id.slice(1))"
        ".chart.getOption().series.map(s => [s.name, s.data])"
    )
    assert [name for name, _ in series] == ["ideal", "measured on fake_manila"]
    ideal, noisy = (dict(zip(["00", "01", "10", "11"], data, strict=True)) for _, data in series)
    assert ideal == {"00": 0.5, "01": 0, "10": 0, "11": 0.5}
    assert noisy["00"] + noisy["11"] > 0.8 and 0 < noisy["01"] + noisy["10"] < 0.2
    fidelity = float(page.locator(".qd-fidelity").inner_text().split()[-1])
    assert 0.8 < fidelity < 1.0, "a noisy device is close to, but not exactly, ideal"
    assert len(page.locator(".qd-why").inner_text()) > 20, "one sentence on why they differ"
    screenshot(page, "quest-level-run-light")

    # The share link reproduces the circuit in the free composer.
    page.get_by_role("button", name="Share").click()
    link = page.get_by_label("Share link").input_value()
    page.goto(link)
    page.locator(".qd-state[data-rendered]").wait_for()
    wait_for_state(page, HISTOGRAM, BELL)
    assert page.evaluate(GRID) == ["0:0:H", "1:1:\u2295"]
    screenshot(page, "quest-composer-light")
    # ... and "open in Submit" hands its QASM to the submit page.
    page.get_by_role("button", name="Open in Submit").click()
    page.wait_for_url("**/submit?circuit=*")
    page.get_by_text("Parsed: 2 qubits").wait_for(timeout=30_000)

    # The same pages in the dark theme, and the composer at phone width.
    page.get_by_role("button", name="Toggle dark mode").click()
    page.wait_for_function("document.body.classList.contains('body--dark')")
    page.wait_for_timeout(500)  # the preference is saved in the background
    for path, name in (
        ("/quest", "quest-path-dark"),
        ("/quest/lessons/entanglement", "quest-lesson-dark"),
        ("/quest/levels/bell", "quest-level-dark"),
        ("/quest/progress", "quest-progress-dark"),
        ("/quest/challenges", "quest-challenges-dark"),
        (link.removeprefix(server.url), "quest-composer-dark"),
    ):
        page.goto(server.url + path)
        page.wait_for_function("document.body.classList.contains('body--dark')")
        page.wait_for_timeout(800)
        screenshot(page, name)
    page.set_viewport_size(PHONE)
    page.goto(link)
    page.locator(".qd-state[data-rendered]").wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the composer page scrolls sideways at phone width ({width}px)"
    screenshot(page, "quest-composer-phone-dark")
    progress = page.goto(server.url + "/quest/progress")
    assert progress and progress.status == 200
    page.get_by_text("bell", exact=True).wait_for()
    assert errors == [], errors
    context.close()
