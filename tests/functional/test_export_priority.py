"""Exports give way to submissions (issue 14): a workbook or zipped CSV asked for on a page is built
in a thread whose nice value is ``EXPORT_NICENESS`` higher, and the consumer of background exports
runs its workers at that value too; the request's own thread keeps its priority, and the export is
registered and audited as before."""

from __future__ import annotations

import os
import sys
import threading

import pytest
from sqlalchemy import func, select

import app.dashboard.routes as routes
from app.jobs.queue import job_queue
from app.models import AuditEvent, IssuedReport

linux = pytest.mark.skipif(sys.platform != "linux", reason="nice values per thread are Linux's")
PERIOD = "from=2025-01-01&to=2025-06-30"


def _nice() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def _spy(monkeypatch, name: str) -> list[tuple[int, int]]:
    """Record the thread and nice value ``routes.<name>`` is called in."""
    seen: list[tuple[int, int]] = []
    real = getattr(routes, name)

    def spied(*args, **kwargs):
        seen.append((threading.get_native_id(), _nice()))
        return real(*args, **kwargs)

    monkeypatch.setattr(routes, name, spied)
    return seen


@linux
@pytest.mark.parametrize(
    ("builder", "path"),
    [("export_workbook", "/reports/export.xlsx"), ("export_records_zip", "/reports/export.csv.zip")],
)
def test_a_download_is_built_nicer_and_still_registered_and_audited(
    coordinator, login_as, db, monkeypatch, builder, path
):
    seen = _spy(monkeypatch, builder)
    before = _nice()
    response = login_as(coordinator).get(f"{path}?{PERIOD}&audience=coordinator")
    assert response.status_code == 200 and response.get_data().startswith(b"PK")  # both are zips
    [(thread, nice)] = seen
    assert nice == min(19, before + 10)  # EXPORT_NICENESS's default
    assert thread != threading.get_native_id()
    assert _nice() == before  # the thread that serves the next request is as it was
    db.session.expire_all()
    exports = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "export")
    assert db.session.scalar(exports) == 1
    if builder == "export_workbook":
        assert db.session.scalar(select(func.count()).select_from(IssuedReport)) == 1


def test_niceness_zero_builds_in_the_request(coordinator, login_as, app, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_NICENESS", 0)
    seen = _spy(monkeypatch, "export_workbook")
    before = _nice()
    response = login_as(coordinator).get(f"/reports/export.xlsx?{PERIOD}")
    assert response.status_code == 200
    assert seen == [(threading.get_native_id(), before)]


def test_a_failed_build_is_the_apps_error_page_and_leaves_nothing(
    coordinator, login_as, db, app, monkeypatch
):
    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(routes, "export_workbook", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # as served: the 500 page
    response = login_as(coordinator).get(f"/reports/export.xlsx?{PERIOD}")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Something went wrong" in html and "disk full" not in html
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(IssuedReport)) == 0


@linux
def test_the_consumers_workers_run_nicer(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "HUEY_URL", f"sqlite:///{tmp_path / 'huey.sqlite'}")
    queue = job_queue(app)
    queue.reset()
    seen: dict[str, int] = {}

    class Consumer:
        def run(self) -> None:  # a worker thread started by the consumer, as huey's are
            worker = threading.Thread(target=lambda: seen.update(worker=_nice()))
            worker.start()
            worker.join()

    monkeypatch.setattr(type(queue.huey), "create_consumer", lambda _self, **_options: Consumer())
    before = _nice()
    outcome = {}
    # In a thread of its own: the command lowers the priority of the thread it runs in, for good.
    runner = app.test_cli_runner()
    command = threading.Thread(target=lambda: outcome.update(run=runner.invoke(args=["run-jobs"])))
    command.start()
    command.join()
    queue.reset()
    assert outcome["run"].exit_code == 0, outcome["run"].output
    assert seen["worker"] == min(19, before + 10)
    assert f"nice {min(19, before + 10)}" in outcome["run"].output
    assert _nice() == before
