"""A real headless browser for tests of what filmcrawl shows people (the run report,
Datasette): Chromium from the distribution's packages, driven by Playwright's Python
API. Tests skip where it is absent, except in CI (``CI=true``), where they fail:
``.ci/run`` installs it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is absent (apt-get install -y chromium)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message}: .ci/run should have installed it")
    pytest.skip(message)


@dataclass
class BrowserLog:
    """What a page did besides rendering: console errors, and every request it made."""

    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@contextmanager
def browser_page(width: int = 1280, height: int = 900) -> Iterator[tuple[Any, BrowserLog]]:
    """A fresh page in headless Chromium, with its console errors and requests logged."""
    require_chromium()
    # The browser tests' own dependency: imported only where Chromium is there.
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    log = BrowserLog()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.on(
                "console",
                lambda m: log.console_errors.append(m.text) if m.type == "error" else None,
            )
            page.on("pageerror", lambda error: log.console_errors.append(str(error)))
            page.on("request", lambda request: log.requests.append(request.url))
            yield page, log
        finally:
            browser.close()
