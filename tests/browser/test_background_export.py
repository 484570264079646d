"""A big export on a 360 px phone (issue 14): the coordinator taps "Download Excel", lands on the
job's page, watches a real progress bar move while a real Huey consumer (a worker thread on an
SQLite queue file) builds the workbook, then taps the download button and gets the file."""

from __future__ import annotations

import re
import time
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

import app.jobs.exports as job_module
from app.jobs.queue import job_queue
from app.vocabulary import Status
from reports.progress import RowCounter
from tests import factories
from tests.functional import report_data

from .axe import axe_violations
from .conftest import sign_in

PERIOD = "from=2025-01-01&to=2025-06-30&audience=coordinator"
#: Seconds each reported row waits: the build takes a few seconds, so the bar is seen moving.
ROW_DELAY = 0.35


@pytest.fixture
def browser_context_args(browser_context_args):
    """A touch screen: the phone's taps are taps."""
    return {**browser_context_args, "has_touch": True}


@pytest.fixture
def consumer(app, tmp_path, monkeypatch):
    """The live server's app on an SQLite queue file, with a consumer thread; every export in the
    background, its record rows reported one by one and slowed down (the test's only hook)."""
    monkeypatch.setitem(app.config, "HUEY_URL", f"sqlite:///{tmp_path / 'huey.sqlite'}")
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(tmp_path / "exports"))
    monkeypatch.setitem(app.config, "EXPORT_INLINE_ROWS", 0)
    monkeypatch.setattr(RowCounter, "EVERY", 1)
    monkeypatch.setattr(job_module, "PROGRESS_INTERVAL", 0.2)
    write = job_module.ProgressWriter.__call__

    def slowly(self, rows):
        time.sleep(ROW_DELAY)
        write(self, rows)

    monkeypatch.setattr(job_module.ProgressWriter, "__call__", slowly)
    queue = job_queue(app)
    queue.reset()
    worker = queue.huey.create_consumer(
        workers=1, worker_type="thread", periodic=False, initial_delay=0.05, max_delay=0.25
    )
    worker._set_signal_handlers = lambda: None  # pytest keeps its own Ctrl-C
    worker.start()
    yield tmp_path / "exports"
    worker.stop(graceful=True)
    queue.reset()


def test_a_big_export_shows_its_progress_then_downloads(page, server, make, db, consumer, screenshot):
    known = report_data.build(make, db)
    for day in range(1, 13):  # more rows: a bar with steps to see
        make.activity(
            known.osh_volunteer, community=report_data.OSH, date=date(2025, 3, day), status=Status.SUBMITTED
        )
    coordinator = make.user("coordinator", region="KG-O")
    db.session.commit()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 360, "height": 640})
    sign_in(page, server, coordinator.username, factories.PASSWORD)
    page.goto(f"{server}/dashboard?{PERIOD}")
    page.get_by_role("link", name="Download Excel").tap()
    page.wait_for_url(re.compile(r"/reports/exports/[0-9a-f-]{36}$"))
    expect(page.get_by_role("heading", name="Your export", level=1)).to_be_visible()

    bar = page.locator("progress#export-bar")
    expect(bar).to_be_visible()
    # The script moves the bar as the consumer writes rows: a value between the two ends.
    page.wait_for_function(
        "() => { const p = document.getElementById('export-bar');"
        " return p && p.hasAttribute('value') && p.value > 0 && p.value < 100; }",
        timeout=30_000,
    )
    figures = page.locator(".export-figures")
    expect(figures).to_contain_text("rows written")
    expect(figures).to_contain_text("%")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(page) == []
    screenshot("background-export-progress-360")

    download = page.get_by_role("link", name="Download the file")
    expect(download).to_be_visible(timeout=60_000)  # the page loads again once the job is done
    box = download.bounding_box()
    assert box is not None and box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert page.locator("progress").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("background-export-ready-360")
    with page.expect_download() as waiting:
        download.tap()
    saved = waiting.value
    assert saved.suggested_filename == "yntymak-coordinator-2025-01-01_2025-06-30.xlsx"
    sheets = load_workbook(BytesIO(Path(saved.path()).read_bytes()), read_only=True).sheetnames
    assert {"Overview", "Activities", "Incident records"} <= set(sheets)

    page.get_by_role("link", name="Your exports").tap()
    item = page.locator(".export-list li")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Ready")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert item.locator("a").bounding_box()["height"] >= 44
    screenshot("background-export-list-360")
    assert errors == []
