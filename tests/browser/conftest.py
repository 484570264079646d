"""Browser tests: Playwright driving Debian's Chromium against the app served on loopback."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from werkzeug.serving import make_server

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium (Playwright cannot download its own browser here)."""
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": [
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


#: The two screens every page is tried on: a small phone and a tablet.
SIZES = {"tablet": {"width": 768, "height": 1024}, "phone": {"width": 360, "height": 640}}


@pytest.fixture(params=list(SIZES))
def size(request, page):
    """Run the test on a tablet and on a phone; the value names the screen."""
    page.set_viewport_size(SIZES[request.param])
    return request.param


@pytest.fixture(scope="session")
def base_url():
    """Replaces pytest-playwright's fallback fixture, whose form warns under pytest 9."""
    return None


@pytest.fixture(scope="session")
def live_server(app):
    """The app on http://127.0.0.1:<free port>, in a thread, for the whole run."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def server(live_server, db):
    """The live server's URL; data the test commits is visible to it and wiped afterwards."""
    return live_server


@pytest.fixture
def screenshot(page):
    """``screenshot("name")`` saves a full-page PNG under screenshots/ to look at.

    A picture is for people, not an assertion: headless Chromium sometimes refuses to capture a
    very tall page on a loaded machine, so it is tried three times, then taken of the viewport.
    """

    def _shot(name: str, *, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        for _attempt in range(3):
            try:
                page.screenshot(path=str(path), full_page=full_page)
                return path
            except PlaywrightError:
                page.wait_for_timeout(300)
        page.screenshot(path=str(path))
        return path

    return _shot


def sign_in(page, base_url: str, username: str, password: str) -> None:
    """Sign in through the real form."""
    page.goto(f"{base_url}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
