"""Headless Chromium (Debian's) driven by Playwright, against a real ``qdeck serve``."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("QDECK_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts" / "ui"
LAPTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


def require_chromium() -> str:
    """The browser's path; in CI a missing browser fails the run instead of skipping it."""
    found = CHROMIUM if Path(CHROMIUM).exists() else shutil.which(CHROMIUM)
    if found:
        return str(found)
    message = (
        f"Chromium not found at {CHROMIUM} (install Debian's chromium or set QDECK_TEST_CHROMIUM)"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def launch() -> Iterator[object]:
    path = require_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        if os.environ.get("CI"):
            pytest.fail("playwright is not installed")
        pytest.skip("playwright is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
