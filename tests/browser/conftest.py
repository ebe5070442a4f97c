"""Headless Chromium against Django's live server, for EDN_BROWSER=1 runs.

Playwright drives Debian's Chromium at /usr/bin/chromium; it never downloads
a browser. Screenshots go to the folder named by SCREENSHOTS.
"""

import os
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("EDN_CHROMIUM", "/usr/bin/chromium")
# The machine has no network but loopback: keep Chromium from calling home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    """Start headless Chromium for the tests of one module."""
    # Playwright's sync API keeps an event loop running in this thread. While
    # it runs, Django refuses ORM calls unless DJANGO_ALLOW_ASYNC_UNSAFE is
    # set, and looks its database connections up in a separate store. Handing
    # it the thread's own connections keeps the test database's state (and
    # serialized_rollback) intact; the module scope keeps all this to the
    # browser tests.
    async_unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    own = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        for alias, connection in own.items():
            connections[alias] = connection
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
    if async_unsafe is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = async_unsafe


@pytest.fixture
def page(browser, live_server):
    """Open a fresh page, with its own cookies, on the live server."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def screenshot(page, request):
    """Return a function that saves the page as SCREENSHOTS/<test>-<name>.png."""
    folder = Path(os.environ.get("SCREENSHOTS", "/tmp/edn-screenshots"))
    folder.mkdir(parents=True, exist_ok=True)

    def save(name):
        path = folder / f"{request.node.name}-{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return save
