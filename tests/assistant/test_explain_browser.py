"""In a real browser: "Explain" on a failed job shows the assistant's cause and fix."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from tests.live_server import LiveServer
from tests.ui.browser import LAPTOP, launch, screenshot

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"


def slow_circuit(qubits: int = 22, layers: int = 40) -> str:
    lines = ["OPENQASM 2.0;", 'include "qelib1.inc";', f"qreg q[{qubits}];", f"creg c[{qubits}];"]
    for layer in range(layers):
        lines += [f"rx({0.1 + 0.01 * (q + layer):.3f}) q[{q}]; t q[{q}];" for q in range(qubits)]
        lines += [f"cx q[{q}],q[{q + 1}];" for q in range(layer % 2, qubits - 1, 2)]
    return "\n".join([*lines, "measure q -> c;"])


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    yield from launch()


@pytest.fixture(scope="module")
def server(browser: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    # A generous start-up limit: the shared machine is often heavily loaded.
    live = LiveServer(tmp_path_factory.mktemp("explain") / "data").start(limit_seconds=300)
    try:
        yield live
    finally:
        live.stop()


def _failed_job(server: LiveServer, email: str) -> str:
    """Ada's job that runs past its 1 s limit: it fails with the code ``timeout``."""
    api = httpx.Client(base_url=server.url, timeout=60)
    signed = api.post(
        "/api/v1/auth/signup", json={"email": email, "password": PASSWORD, "display_name": "Ada"}
    ).json()
    api.headers["X-CSRF-Token"] = signed["csrf_token"]
    body = {"circuits": [{"source": slow_circuit()}], "timeout_seconds": 1, "shots": 100}
    job = api.post("/api/v1/jobs", json=body).json()
    deadline = time.monotonic() + 120
    while api.get(f"/api/v1/jobs/{job['id']}").json()["status"] != "failed":
        assert time.monotonic() < deadline, "the job never failed"
        time.sleep(0.2)
    return job["id"]


def test_explain_a_failed_job(browser, server: LiveServer) -> None:
    job_id = _failed_job(server, "ada-explain@example.org")
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.goto(f"{server.url}/login")
    page.get_by_label("E-mail").fill("ada-explain@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/dashboard", timeout=90_000)
    page.goto(f"{server.url}/jobs/{job_id}")
    page.get_by_text("This job failed").wait_for(timeout=90_000)
    page.get_by_role("button", name="Explain").click()
    page.get_by_role("heading", name="The job ran longer than its time limit").wait_for(
        timeout=90_000
    )
    page.get_by_text("Fix: It was stopped after 1 s.").wait_for()
    screenshot(page, "assistant-explain-failed-job")
    context.close()
