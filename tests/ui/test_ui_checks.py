"""Every page, both themes, laptop and phone width, in a real Chromium against a real
``qdeck serve``: no text clipped by accident, no console errors, no serious or critical
WCAG 2.2 AA violation (axe-core, vendored in tests/ui/vendor/), and a screenshot of each
in test-artifacts/ui/. Then the defects of issue 19, each checked the way a user sees it.

One server, one browser and one signed-in context per theme serve the whole module.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from qdeck.ui.components.badges import seconds
from qdeck.ui.components.samples import BELL
from tests.live_server import LiveServer
from tests.ui.browser import launch, screenshot

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WIDTHS = {"laptop": 1366, "phone": 390}
PUBLIC = ["/", "/login", "/signup"]
SIGNED_IN = [
    "/dashboard",
    "/jobs",
    "/jobs/{job}",
    "/jobs/{device_job}",
    "/submit",
    "/backends",
    "/backends/fake_sherbrooke",
    "/sessions",
    "/sessions/{session}",
    "/no-such-page",
]
# Pages other engineers add in this issue; checked when they exist.
OPTIONAL = ["/account", "/workspace/settings", "/account/security", "/notifications/webhooks"]
# Quantum Quest's pages (lesson and level: the entanglement lesson and its Bell level).
OPTIONAL += ["/quest", "/quest/lessons/entanglement", "/quest/levels/bell", "/quest/progress"]
OPTIONAL += ["/quest/challenges", "/quest/composer"]

# Text cut off on purpose, with the whole text one tap away: the header's workspace
# switcher at phone width (its menu lists the full names).
CLIPPED = r"""() => {
  const selector = 'button, .q-btn, .q-chip, .q-badge, .q-tab, .q-field__native, .q-field__input, '
    + '.q-field__label, .q-item__label, .nicegui-label, label, a';
  const found = [];
  for (const el of document.querySelectorAll(selector)) {
    if (el.closest('.q-menu, .q-tooltip, .nicegui-echart, .cm-editor, .qd-pre, .q-notification'))
      continue;
    if (el.closest('.qd-header .q-select')) continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 2 || box.height <= 2) continue;  // hidden, or visually hidden (skip link)
    const style = getComputedStyle(el);
    if (['auto', 'scroll'].includes(style.overflowX)) continue;
    // A field's value can also be cut by the field's box rather than by itself (a
    // select's text is wider than the control that clips it): measure the text.
    let textWidth = 0;
    const field = el.closest('.q-field__control-container');
    if (field && el.matches('.q-field__native')) {
      const range = document.createRange();
      range.selectNodeContents(el);
      textWidth = range.getBoundingClientRect().width;
    }
    if (field && textWidth > field.clientWidth + 1) {
      found.push(`field "${(el.innerText || el.value || '').trim().slice(0, 50)}" `
        + `(${Math.round(textWidth)}px in ${field.clientWidth}px)`);
    } else if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
      found.push(`${el.tagName.toLowerCase()}.${String(el.className).split(' ')[0]} `
        + `"${(el.innerText || el.value || '').trim().slice(0, 50)}" `
        + `(${el.scrollWidth}px in ${el.clientWidth}px)`);
    }
  }
  return found;
}"""
AXE_RUN = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']},
    resultTypes: ['violations'],
  });
  // Each node with its markup and, for contrast, the colours axe measured: enough to
  // find the element and its cause from the failure message alone.
  const describe = n => {
    const d = (n.any[0] || {}).data || {};
    const colours = d.fgColor ? ` [${d.fgColor} on ${d.bgColor} = ${d.contrastRatio}]` : '';
    return `${n.target.join(' ')}${colours} ${n.html.slice(0, 140)}`;
  };
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id} (${v.impact}): ${v.help} at\n  ` + v.nodes.slice(0, 6)
      .map(describe).join('\\n  '));
}"""


# Settled means: NiceGUI's socket did its handshake, every chart has drawn, and the DOM
# has been still for a moment (late updates, such as the catalog or a chart's data, land
# within a few frames of the handshake). A concrete condition instead of a fixed sleep.
SETTLED = """async () => {
  const deadline = performance.now() + 8000;
  const ready = () => window.did_handshake === true
    && [...document.querySelectorAll('.nicegui-echart')].every(c => c.querySelector('canvas, svg'));
  while (!ready() && performance.now() < deadline) await new Promise(r => setTimeout(r, 25));
  let last = performance.now();
  const observer = new MutationObserver(() => { last = performance.now(); });
  observer.observe(document.body, {subtree: true, childList: true, attributes: true,
    characterData: true});
  while (performance.now() - last < 200 && performance.now() < deadline)
    await new Promise(r => setTimeout(r, 50));
  observer.disconnect();
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return ready();
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    yield from launch()


@pytest.fixture(scope="module")
def server(browser: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path_factory.mktemp("ui-checks") / "data").start()
    try:
        yield live
    finally:
        live.stop()


class Site:
    """One account with a finished ideal job, a finished fake-device job and a session."""

    def __init__(self, server: LiveServer) -> None:
        self.server = server
        self.email = "nina.newcomer@example.org"
        anonymous = httpx.Client(base_url=server.url, timeout=60)
        response = anonymous.post(
            "/api/v1/auth/signup",
            json={"email": self.email, "password": PASSWORD, "display_name": "Nina Newcomer"},
        )
        assert response.status_code == 201, response.text
        self.api = httpx.Client(
            base_url=server.url,
            timeout=60,
            cookies=dict(response.cookies),
            headers={"X-CSRF-Token": response.json()["csrf_token"]},
        )
        jobs = {"job": self._submit("aer_simulator"), "device_job": self._submit("fake_manila")}
        self.ids = {key: self._finished(job_id) for key, job_id in jobs.items()}
        self.ids["session"] = self._session()

    def _submit(self, backend: str) -> str:
        response = self.api.post(
            "/api/v1/jobs",
            json={"name": f"Bell on {backend}", "backend": backend, "circuits": [{"source": BELL}]},
        )
        assert response.status_code in (200, 201, 202), response.text
        return response.json()["id"]

    def _finished(self, job_id: str) -> str:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.api.get(f"/api/v1/jobs/{job_id}").json()["status"] == "completed":
                return job_id
            time.sleep(0.2)
        raise AssertionError(f"job {job_id} did not complete")

    def _session(self) -> str:
        response = self.api.post(
            "/api/v1/sessions", json={"backend": "fake_manila", "name": "Calibration sweep"}
        )
        assert response.status_code == 201, response.text
        return response.json()["id"]

    def set_theme(self, theme: str) -> None:
        response = self.api.patch("/api/v1/auth/me", json={"preferences": {"theme": theme}})
        assert response.status_code == 200, response.text

    def path(self, template: str) -> str:
        return template.format(**self.ids)


@pytest.fixture(scope="module")
def site(server: LiveServer) -> Site:
    return Site(server)


@pytest.fixture(scope="module", params=["light", "dark"])
def theme(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module", params=list(WIDTHS))
def width(request: pytest.FixtureRequest) -> str:
    return request.param


def new_context(browser, theme: str):
    context = browser.new_context(color_scheme=theme)
    # An init script runs outside the page's Content-Security-Policy, which (rightly)
    # blocks a <script> tag injected by the test.
    context.add_init_script(path=str(AXE))
    return context


@pytest.fixture(scope="module")
def signed_in(browser, site: Site, theme: str) -> Iterator[object]:
    """A browser context logged in through the log-in page, with the account's theme set."""
    site.set_theme(theme)
    context = new_context(browser, theme)
    page = context.new_page()
    page.goto(f"{site.server.url}/login")
    page.get_by_label("E-mail").fill(site.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/dashboard")
    page.close()
    yield context
    context.close()


@pytest.fixture(scope="module")
def signed_out(browser, theme: str) -> Iterator[object]:
    context = new_context(browser, theme)
    yield context
    context.close()


class Tab:
    """One page object reused for every visit at one width; console errors per visit."""

    def __init__(self, context, width: int) -> None:
        self.page = context.new_page()
        self.page.set_viewport_size({"width": width, "height": 900})
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def visit(self, url: str) -> int:
        self.errors.clear()
        response = self.page.goto(url)
        assert self.page.evaluate(SETTLED), f"{url} did not settle (socket or a chart)"
        return response.status if response else 0


@pytest.fixture(scope="module")
def signed_in_tab(signed_in, width: str) -> Iterator[Tab]:
    tab = Tab(signed_in, WIDTHS[width])
    yield tab
    tab.page.close()


@pytest.fixture(scope="module")
def signed_out_tab(signed_out, width: str) -> Iterator[Tab]:
    tab = Tab(signed_out, WIDTHS[width])
    yield tab
    tab.page.close()


def visit(context, url: str, width: int) -> tuple[object, list[str], int]:
    """A fresh page for the defect checks below, settled like the page checks."""
    tab = Tab(context, width)
    status = tab.visit(url)
    return tab.page, tab.errors, status


def check_page(tab: Tab, status: int, name: str) -> None:
    page, errors = tab.page, list(tab.errors)
    screenshot(page, name)
    if status == 404:  # Chromium logs the document's own 404 as a console error
        errors = [e for e in errors if "404 (Not Found)" not in e]
    assert errors == [], f"console errors on {name}: {errors}"
    clipped = page.evaluate(CLIPPED)
    assert clipped == [], f"text cut off on {name}: {clipped}"
    violations = page.evaluate(AXE_RUN)
    assert violations == [], f"WCAG 2.2 AA on {name}: " + "\n".join(violations)


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages(signed_out_tab: Tab, server: LiveServer, theme: str, width: str, path: str):
    status = signed_out_tab.visit(server.url + path)
    check_page(signed_out_tab, status, f"check-{theme}-{width}-{path.strip('/') or 'landing'}")


@pytest.mark.parametrize("path", SIGNED_IN + OPTIONAL)
def test_signed_in_pages(signed_in_tab: Tab, site: Site, theme: str, width: str, path: str):
    status = signed_in_tab.visit(site.server.url + site.path(path))
    page = signed_in_tab.page
    slug = path.strip("/").replace("/", "-").replace("{", "").replace("}", "")
    if path in OPTIONAL and status == 404:
        pytest.skip(f"{path} does not exist yet")
    assert page.get_by_role("button", name="Toggle dark mode").count() == 1, "no app frame"
    dark = page.evaluate("document.body.classList.contains('body--dark')")
    assert dark == (theme == "dark"), f"{path} ignores the {theme} theme"
    check_page(signed_in_tab, status, f"check-{theme}-{width}-{slug}")


# The defects of issue 19, each the way a user notices it.


def test_copy_link_says_so_and_the_jobs_filters_fit_one_row(signed_in, site: Site) -> None:
    signed_in.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.server.url)
    page, errors, _ = visit(signed_in, site.server.url + site.path("/jobs/{job}"), 1366)
    page.get_by_role("button", name="Copy link").click()
    page.get_by_text("Link copied", exact=True).wait_for(timeout=5_000)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith(site.path("/jobs/{job}"))

    page.goto(site.server.url + "/jobs")
    page.get_by_text("Any status").wait_for()
    tops = page.evaluate(
        "[...document.querySelector('.qd-filters').children]"
        ".map(el => Math.round(el.getBoundingClientRect().top))"
    )
    assert max(tops) - min(tops) < 8, f"the filters wrap onto a second row: {tops}"
    page.get_by_role("button", name="Copy a link to this view").click()
    page.get_by_text("Link copied: this view with its filters").wait_for(timeout=5_000)
    assert errors == []
    page.close()


def test_device_map_is_the_heavy_hex_lattice_and_the_same_every_time(signed_in, site: Site) -> None:
    def qubits() -> list[tuple[float, float]]:
        page, _, _ = visit(signed_in, site.server.url + "/backends/fake_sherbrooke", 1366)
        chart = page.locator(".nicegui-echart").first
        box = chart.bounding_box()
        points = page.evaluate(
            """el => { const chart = getElement(el.id.slice(1)).chart;
              const data = chart.getModel().getSeriesByIndex(0).getData();
              return data.mapArray(i => data.getItemLayout(i)); }""",
            chart.element_handle(),
        )
        page.close()
        inside = [p for p in points if 0 <= p[0] <= box["width"] and 0 <= p[1] <= box["height"]]
        assert len(inside) == 127, "a qubit is drawn outside the chart"
        return points

    first = qubits()
    assert first == qubits()
    rows = {round(y) for _, y in first}
    assert len(rows) == 13, f"the Eagle lattice has 13 rows (7 long, 6 of bridges), not {rows}"


def test_backend_picker_is_grouped_and_says_what_fits(signed_in, site: Site) -> None:
    page, _, _ = visit(signed_in, site.server.url + "/submit", 1366)
    page.get_by_text("Parsed:").wait_for(timeout=30_000)
    page.get_by_role("combobox", name="Backend").click()
    page.get_by_text("Ideal simulators").wait_for()
    page.get_by_text("Fake devices (real IBM calibrations, simulated)").wait_for()
    armonk = page.get_by_role("option").filter(has_text="fake_armonk")
    assert "1 qubit ·" in armonk.inner_text() and "needs 2 qubits" in armonk.inner_text()
    page.keyboard.type("127 qubits")
    names = page.get_by_role("option").all_inner_texts()
    assert names and all("127 qubits" in n for n in names)
    page.close()
    page, _, _ = visit(signed_in, site.server.url + "/backends", 1366)
    page.get_by_label("Search by name or qubit count").fill("sherbrooke")
    page.get_by_role("link", name="fake_sherbrooke").wait_for()
    page.close()


# Every change the timeline goes through until the replay says it is done: the titles
# shown at each moment, with the time they appeared.
RECORD_REPLAY = """async () => {
  const titles = () => [...document.querySelectorAll('.q-timeline .q-timeline__title')]
    .map(t => t.innerText.trim());
  const status = () => document.querySelector('[aria-live="polite"].qd-muted')?.innerText || '';
  const seen = [];
  const note = () => {
    const now = titles();
    const last = seen[seen.length - 1];
    if (!last || JSON.stringify(last.titles) !== JSON.stringify(now))
      seen.push({titles: now, at: performance.now(), status: status()});
  };
  const observer = new MutationObserver(note);
  observer.observe(document.body, {subtree: true, childList: true, characterData: true});
  const deadline = performance.now() + 20000;
  while (!status().startsWith('Replayed') && performance.now() < deadline)
    await new Promise(r => setTimeout(r, 20));
  observer.disconnect();
  note();
  return {seen, status: status()};
}"""


def stored_steps(site: Site, job_id: str) -> list[str]:
    """The timeline titles the stored events call for: each phase and its real duration."""
    events = site.api.get(f"/api/v1/jobs/{job_id}/events").json()
    times = [datetime.fromisoformat(e["at"]) for e in events]
    names = [(e["phase"] or e["to_status"]).replace("_", " ") for e in events]
    spent = [f" · {seconds((b - a).total_seconds())}" for a, b in itertools.pairwise(times)]
    return [name + lasted for name, lasted in zip(names, [*spent, ""], strict=True)]


def test_a_just_finished_job_is_replayed_step_by_step(signed_in, site: Site) -> None:
    job_id = site._finished(site._submit("aer_simulator"))
    expected = stored_steps(site, job_id)
    assert len(expected) >= 3, expected
    page = signed_in.new_page()
    page.goto(f"{site.server.url}/jobs/{job_id}")
    record = page.evaluate(RECORD_REPLAY)
    assert record["status"].startswith("Replayed"), record
    # The replay's frames: from its first step to the one that ends it (the last step
    # and "Replayed" can arrive in one message).
    frames = [s for s in record["seen"] if s["status"]]
    done = next(i for i, s in enumerate(frames) if s["status"].startswith("Replayed"))
    shown = frames[: done + 1]
    counts = [len(s["titles"]) for s in shown]
    # Each step appeared after the one before it, every one of them, in the stored order.
    assert counts == list(range(1, len(expected) + 1)), counts
    for s in shown:
        names = [t.split(" · ")[0] for t in s["titles"]]
        assert names == [t.split(" · ")[0] for t in expected[: len(names)]], s
    assert record["seen"][-1]["titles"] == expected
    gaps = [b["at"] - a["at"] for a, b in itertools.pairwise(shown)]
    assert min(gaps) > 400, f"a step flashed by too fast to watch: {gaps} ms"

    # Who asked for reduced motion gets the whole timeline at once, and a Replay button.
    calm_job = site._finished(site._submit("aer_simulator"))
    calm = signed_in.new_page()
    calm.emulate_media(reduced_motion="reduce")
    calm.goto(f"{site.server.url}/jobs/{calm_job}")
    assert calm.evaluate(SETTLED)
    calm.wait_for_timeout(400)  # longer than the auto-replay timer's delay
    assert calm.locator(".q-timeline .q-timeline__title").all_inner_texts() == stored_steps(
        site, calm_job
    )
    assert calm.get_by_text("Replaying").count() == 0
    calm.get_by_role("button", name="Replay this job's timeline").click()
    calm.get_by_text("Replaying: queued").wait_for(timeout=5_000)
    page.close()
    calm.close()


def contrast(foreground: str, background: str) -> float:
    def luminance(colour: str) -> float:
        colour = colour.lstrip("#")
        channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


CHART_TEXT = """() => [...document.querySelectorAll('.nicegui-echart')].map(el => {
  const option = getElement(el.id.slice(1)).chart.getOption();
  const labels = option.series.filter(s => s.label && s.label.show).map(s => s.label);
  return {
    axis: [...option.xAxis, ...option.yAxis].map(a => a.axisLabel.color),
    legend: (option.legend || []).map(l => l.textStyle.color),
    labels: labels.map(l => ({color: l.color, border: l.textBorderWidth})),
  };
})"""


def test_charts_and_the_landing_preview_read_well_in_both_themes(
    signed_in, signed_out, site: Site, theme: str
) -> None:
    card = "#131a2e" if theme == "dark" else "#ffffff"
    page, errors, _ = visit(signed_in, site.server.url + "/dashboard", 1366)
    charts = page.evaluate(CHART_TEXT)
    page.close()
    assert len(charts) == 3 and any(c["labels"] for c in charts), charts
    for chart in charts:
        for colour in chart["axis"] + chart["legend"] + [lab["color"] for lab in chart["labels"]]:
            assert contrast(colour, card) >= 4.5, f"{colour} on {card}: {chart}"
        assert all(lab["border"] == 0 for lab in chart["labels"]), "haloed value labels"

    page, errors, _ = visit(signed_out, site.server.url + "/", 1366)
    preview = page.get_by_role("img", name="An illustration of the qdeck dashboard")
    assert preview.get_by_text("Illustration · sample figures").is_visible()
    title = preview.get_by_text("Bell state · 1,000 shots")
    assert title.is_visible()
    # The grid lines are the plot's background, so every bar is drawn over them.
    plot = page.locator(".qd-preview-plot")
    assert "gradient" in plot.evaluate("el => getComputedStyle(el).backgroundImage")
    assert plot.locator(".qd-preview-bar").count() == 4
    assert errors == []
    page.close()
