"""Exports that never time out (issue 14): a big export is a background job with a page of its
own (progress, then a download), registered and audited once, readable by its owner only, deleted
when it expires; a failed one says so and leaves nothing behind. Huey runs in immediate mode here
(``TestingConfig``): the job is built inside the request that asks for it."""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

import app.jobs.exports as job_module
from app import create_app
from app.models import AuditEvent, ExportJob, IssuedReport, JobStatus
from app.models.base import utcnow
from config import ProductionConfig, TestingConfig
from reports.progress import RowCounter

from . import report_data

PERIOD = "from=2025-01-01&to=2025-06-30"
QUERY = f"/reports/export.xlsx?{PERIOD}&audience=coordinator"


@pytest.fixture
def exports_dir(app, tmp_path, monkeypatch):
    """Every export in the background, into a folder of this test's own."""
    folder = tmp_path / "exports"
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(folder))
    monkeypatch.setitem(app.config, "EXPORT_INLINE_ROWS", 0)
    return folder


def _jobs(db) -> list[ExportJob]:
    db.session.expire_all()
    return list(db.session.scalars(select(ExportJob).order_by(ExportJob.id)))


def _count(db, model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _exports_audited(db) -> int:
    return _count(db, AuditEvent, AuditEvent.action == "export")


def _job_url(response) -> str:
    assert response.status_code == 303, response.status_code
    location = response.headers["Location"]
    assert location.startswith("/reports/exports/")
    return location


def test_a_big_export_is_built_in_the_background_registered_and_audited_once(
    coordinator, login_as, db, exports_dir, app, monkeypatch
):
    client = login_as(coordinator)
    url = _job_url(client.get(QUERY))
    [job] = _jobs(db)
    assert job.status == JobStatus.DONE and job.user_id == coordinator.id and job.kind == "xlsx"
    assert job.progress == 100 and job.rows_total > 0 and job.rows_done == job.rows_total
    assert job.filters == {"from": "2025-01-01", "to": "2025-06-30", "audience": "coordinator"}
    assert job.expires_at - job.finished_at == timedelta(hours=app.config["EXPORT_TTL_HOURS"])

    page = client.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Your export is ready." in html
    assert f'href="{url}/download"' in html and "<progress" not in html
    assert "Coordinator" in html and "January 1, 2025 – June 30, 2025" in html

    download = client.get(f"{url}/download")
    assert download.status_code == 200
    assert download.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert download.headers["Cache-Control"] == "no-store"
    assert download.headers["Content-Disposition"] == (
        "attachment; filename=yntymak-coordinator-2025-01-01_2025-06-30.xlsx"
    )
    content = download.get_data()
    sheets = load_workbook(io.BytesIO(content), read_only=True).sheetnames
    assert client.get(f"{url}/download").get_data() == content  # the same file, not built again

    [issued] = db.session.scalars(select(IssuedReport)).all()
    assert issued.via == "job" and issued.user_id == coordinator.id and job.issued_report_id == issued.id
    assert issued.sha256 == hashlib.sha256(content).hexdigest()
    assert _exports_audited(db) == 1
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert event.details["via"] == "job" and event.object_uuid == issued.uuid
    assert [p.name for p in exports_dir.iterdir()] == [f"{job.uuid}.xlsx"]  # no part file left

    monkeypatch.setitem(app.config, "EXPORT_INLINE_ROWS", 20000)
    inline = client.get(QUERY)
    assert inline.status_code == 200  # small enough: answered at once, as before
    assert load_workbook(io.BytesIO(inline.get_data()), read_only=True).sheetnames == sheets
    assert {"Overview", "Activities", "Incident records"} <= set(sheets)


def test_a_small_export_is_answered_at_once_below_the_limit(
    coordinator, login_as, db, exports_dir, app, monkeypatch
):
    monkeypatch.setitem(app.config, "EXPORT_INLINE_ROWS", 1)  # the selection holds more than one record
    assert login_as(coordinator).get(QUERY).status_code == 303
    monkeypatch.setitem(app.config, "EXPORT_INLINE_ROWS", 10_000)
    assert login_as(coordinator).get(QUERY).status_code == 200
    assert len(_jobs(db)) == 1


def test_the_programme_of_an_export_goes_with_its_job(make, db, login_as, exports_dir):
    from tests.pages import programme_code

    report_data.build(make, db)
    admin = make.user("admin")
    db.session.commit()
    code = programme_code()
    client = login_as(admin)
    url = _job_url(client.get(f"{QUERY}&programme={code}"))
    [job] = _jobs(db)
    assert job.programme_code == code and job.status == JobStatus.DONE
    content = client.get(f"{url}/download").get_data()
    assert "Results framework" in load_workbook(io.BytesIO(content), read_only=True).sheetnames


def test_the_status_as_json(coordinator, login_as, db, exports_dir):
    client = login_as(coordinator)
    url = _job_url(client.get(QUERY))
    state = client.get(f"{url}.json")
    assert state.status_code == 200 and state.headers["Cache-Control"] == "no-store"
    body = state.get_json()
    assert body["status"] == "done" and body["active"] is False and body["progress"] == 100
    assert body["download_url"] == f"{url}/download" and body["label"] == "Ready"
    job = _jobs(db)[0]
    assert body["rows_text"] == f"{job.rows_total} of {job.rows_total} rows written"


def test_a_job_under_way_shows_a_bar_and_refreshes_itself(coordinator, login_as, db, exports_dir):
    client = login_as(coordinator)
    url = _job_url(client.get(QUERY))
    job = _jobs(db)[0]
    job.status, job.progress, job.rows_done = JobStatus.RUNNING, 40, 2
    job.rows_total = 5
    db.session.commit()
    html = client.get(url).get_data(as_text=True)
    assert '<progress id="export-bar" max="100" value="40"' in html
    assert "2 of 5 rows written" in html and "40%" in html
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in html
    assert "js/export-progress.js" in html
    body = client.get(f"{url}.json").get_json()
    assert body == {
        "status": "running",
        "label": "Being prepared",
        "active": True,
        "progress": 40,
        "percent_text": "40%",
        "rows_text": "2 of 5 rows written",
        "download_url": None,
    }
    assert client.get(f"{url}/download").status_code == 303  # not yet: back to its page


def test_the_progress_is_written_as_the_rows_are(coordinator, login_as, db, exports_dir, monkeypatch):
    """Every few rows (lowered here), in a transaction of its own; never 100 before the end."""
    monkeypatch.setattr(RowCounter, "EVERY", 1)
    monkeypatch.setattr(job_module, "PROGRESS_INTERVAL", 0)
    seen = []
    write = job_module.ProgressWriter.__call__

    def watched(self, rows):
        write(self, rows)
        with db.engine.connect() as conn:
            table = ExportJob.__table__
            seen.append(
                tuple(conn.execute(select(table.c.status, table.c.rows_done, table.c.progress)).one())
            )

    monkeypatch.setattr(job_module.ProgressWriter, "__call__", watched)
    login_as(coordinator).get(QUERY)
    [job] = _jobs(db)
    assert len(seen) >= job.rows_total > 1
    assert all(status == "running" for status, _rows, _progress in seen)
    percents = [progress for _status, _rows, progress in seen]
    assert percents == sorted(percents) and 0 < percents[0] < 99 and max(percents) == 99
    assert [rows for _s, rows, _p in seen] == sorted(rows for _s, rows, _p in seen)


@pytest.mark.parametrize("other", ["coordinator", "donor", "admin"])
def test_only_the_owner_sees_a_job(coordinator, login_as, make, db, exports_dir, client, other):
    url = _job_url(login_as(coordinator).get(QUERY))
    client.post("/logout")
    someone = make.user(other, region="KG-O") if other == "coordinator" else make.user(other)
    db.session.commit()
    login_as(someone)
    for address in (url, f"{url}.json", f"{url}/download"):
        assert client.get(address).status_code == 404, address
    listing = client.get("/reports/exports").get_data(as_text=True)
    assert url not in listing and "No export prepared in the background yet." in listing


def test_a_volunteer_reaches_no_export_page(coordinator, login_as, make, db, exports_dir, client):
    url = _job_url(login_as(coordinator).get(QUERY))
    client.post("/logout")
    login_as(make.user("volunteer"))
    for address in ("/reports/exports", url, f"{url}.json", f"{url}/download", "/reports/export.csv.zip"):
        assert client.get(address).status_code == 403, address


def test_the_list_shows_the_users_own_jobs(coordinator, login_as, db, exports_dir):
    client = login_as(coordinator)
    first = _job_url(client.get(QUERY))
    second = _job_url(client.get(f"{QUERY.replace('coordinator', 'donor')}"))
    html = client.get("/reports/exports").get_data(as_text=True)
    assert html.index(second) < html.index(first)  # newest first
    assert "Excel workbook · Donor (aggregates)" in html and "Excel workbook · Coordinator" in html
    assert html.count("Ready") == 2


def test_an_expired_export_is_deleted_and_gone(coordinator, login_as, db, exports_dir):
    client = login_as(coordinator)
    url = _job_url(client.get(QUERY))
    [job] = _jobs(db)
    path = exports_dir / job.file_path
    assert path.is_file()
    job.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    gone = client.get(f"{url}/download")
    assert gone.status_code == 410 and "This export has expired" in gone.get_data(as_text=True)
    assert not path.exists()
    assert _jobs(db)[0].status == JobStatus.EXPIRED and _jobs(db)[0].file_path is None
    assert "This export has expired" in client.get(url).get_data(as_text=True)
    assert client.get(f"{url}.json").get_json()["status"] == "expired"


def test_the_purge_command_deletes_expired_files_only(coordinator, login_as, db, exports_dir, runner):
    client = login_as(coordinator)
    _job_url(client.get(QUERY))
    _job_url(client.get(QUERY))
    old, new = _jobs(db)
    old_path, new_path = exports_dir / old.file_path, exports_dir / new.file_path
    old.expires_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    result = runner.invoke(args=["purge-exports"])
    assert result.exit_code == 0, result.output
    assert "Expired 1 export(s)." in result.output
    assert not old_path.exists() and new_path.is_file()
    assert [job.status for job in _jobs(db)] == [JobStatus.EXPIRED, JobStatus.DONE]


def test_asking_for_an_export_purges_the_expired(coordinator, login_as, db, exports_dir):
    client = login_as(coordinator)
    _job_url(client.get(QUERY))
    [old] = _jobs(db)
    old_path = exports_dir / old.file_path
    old.expires_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    _job_url(client.get(QUERY))
    assert not old_path.exists() and _jobs(db)[0].status == JobStatus.EXPIRED


def test_a_failed_build_says_so_and_leaves_nothing(
    coordinator, login_as, db, exports_dir, monkeypatch, caplog
):
    import app.services.exports as exports_service

    def broken(*args, **kwargs):
        out = args[2]
        out.write(b"half a workbook")
        raise RuntimeError("disk full")

    monkeypatch.setattr(exports_service, "build_workbook", broken)
    monkeypatch.setattr(job_module.log, "disabled", False)  # Alembic's fileConfig turned it off
    client = login_as(coordinator)
    url = _job_url(client.get(QUERY))
    [job] = _jobs(db)
    assert job.status == JobStatus.FAILED and job.file_path is None and job.finished_at is not None
    assert job.error == job_module.FAILED and "disk full" not in job.error
    assert "Export job" in caplog.text and "disk full" in caplog.text  # the reason is in the log only
    html = client.get(url).get_data(as_text=True)
    assert "The export could not be built. Ask for it again" in html and "<progress" not in html
    assert client.get(f"{url}.json").get_json()["status"] == "failed"
    assert client.get(f"{url}/download").status_code == 303
    assert list(exports_dir.iterdir()) == []
    assert _count(db, IssuedReport) == 0 and _exports_audited(db) == 0


def test_filters_that_no_longer_fit_fail_with_their_own_message(
    coordinator, login_as, db, exports_dir, monkeypatch
):
    from reports.filters import FilterError

    def refused(*args, **kwargs):
        raise FilterError("region", "outside")

    monkeypatch.setattr(job_module, "job_filters", refused)
    url = _job_url(login_as(coordinator).get(QUERY))
    assert _jobs(db)[0].error == job_module.FILTERS_GONE
    assert "These filters no longer fit your area" in login_as(coordinator).get(url).get_data(as_text=True)


def test_a_queue_that_does_not_answer_fails_the_job(coordinator, login_as, db, exports_dir, monkeypatch):
    from app.jobs.queue import JobQueue

    def down(self, name, *args):
        raise ConnectionError("redis: connection refused")

    monkeypatch.setattr(JobQueue, "enqueue", down)
    client = login_as(coordinator)
    url = _job_url(client.get(QUERY))
    [job] = _jobs(db)
    assert job.status == JobStatus.FAILED and job.error == job_module.QUEUE_DOWN
    assert "the queue of background exports does not answer" in client.get(url).get_data(as_text=True)


def test_a_job_runs_once(coordinator, login_as, db, exports_dir):
    login_as(coordinator).get(QUERY)
    [job] = _jobs(db)
    job_module.run_export(job.id)  # delivered again: nothing built twice
    assert _count(db, IssuedReport) == 1 and _exports_audited(db) == 1


# -- the zipped CSV ------------------------------------------------------------------------------
CSV = f"/reports/export.csv.zip?{PERIOD}&audience=coordinator"


def test_the_csv_zip_is_answered_at_once_and_audited(coordinator, login_as, db, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(tmp_path))
    response = login_as(coordinator).get(CSV)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "no-store"
    assert "yntymak-records-2025-01-01_2025-06-30.zip" in response.headers["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(response.get_data())).namelist()
    assert names == ["activities.csv", "incident-records.csv"]
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert event.details["format"] == "csv.zip" and event.details["via"] == "web"
    assert _count(db, IssuedReport) == 0  # the register is of workbooks


def test_a_big_csv_zip_is_a_job_too(coordinator, login_as, db, exports_dir):
    client = login_as(coordinator)
    url = _job_url(client.get(CSV))
    [job] = _jobs(db)
    assert job.kind == "csv.zip" and job.status == JobStatus.DONE and job.filename.endswith(".zip")
    download = client.get(f"{url}/download")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.get_data()))
    activities = archive.read("activities.csv").decode("utf-8-sig").splitlines()
    incidents = archive.read("incident-records.csv").decode("utf-8-sig").splitlines()
    assert len(activities) - 1 + len(incidents) - 1 == job.rows_total == job.rows_done
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert event.details["via"] == "job" and event.details["format"] == "csv.zip"
    assert "Record rows, CSV (zipped)" in client.get(url).get_data(as_text=True)


def test_the_csv_zip_is_for_coordinators_only(coordinator, login_as, make, db, client):
    assert login_as(coordinator).get(CSV.replace("coordinator", "donor")).status_code == 403
    client.post("/logout")
    login_as(make.user("donor"))
    assert client.get(CSV).status_code == 403
    assert client.get(f"/reports/export.csv.zip?{PERIOD}").status_code == 403
    assert _exports_audited(db) == 0


def test_the_dashboard_offers_the_csv_to_coordinators_only(coordinator, login_as, make, db, client):
    html = login_as(coordinator).get(f"/dashboard?{PERIOD}").get_data(as_text=True)
    assert "/reports/export.csv.zip?" in html and "Download record rows (CSV, zipped)" in html
    assert "/reports/exports" in html and " download>" not in html
    client.post("/logout")
    login_as(make.user("donor"))
    assert "/reports/export.csv.zip" not in client.get(f"/dashboard?{PERIOD}").get_data(as_text=True)


def test_the_consumer_is_not_run_on_an_immediate_queue(runner):
    result = runner.invoke(args=["run-jobs"])
    assert result.exit_code != 0
    assert "HUEY_URL=memory:// runs each job inside its request: nothing to consume" in result.output


# -- configuration -------------------------------------------------------------------------------
def test_the_queue_settings_and_their_defaults(tmp_path):
    app = create_app(
        TestingConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/q.sqlite", "HUEY_URL": None}
    )
    assert app.config["HUEY_URL"] == "sqlite:///" + str(Path(app.instance_path) / "huey.sqlite")
    assert app.config["EXPORT_TTL_HOURS"] == 24 and app.config["EXPORT_INLINE_ROWS"] == 20000
    assert app.config["EXPORT_NICENESS"] == 10
    assert TestingConfig.HUEY_URL == "memory://"
    app = create_app(
        TestingConfig,
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/q.sqlite", "EXPORT_DIR": None, "HUEY_URL": None},
    )
    assert app.config["EXPORT_DIR"] == str(Path(app.instance_path) / "exports")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"HUEY_URL": "amqp://127.0.0.1/"}, "HUEY_URL must be a Redis URL such as redis://"),
        ({"HUEY_URL": "sqlite://relative"}, "HUEY_URL must be a Redis URL"),
        ({"EXPORT_TTL_HOURS": 0}, "EXPORT_TTL_HOURS must be 1 or more"),
        ({"EXPORT_INLINE_ROWS": -1}, "EXPORT_INLINE_ROWS must be 0 (always in the background) or more"),
        ({"EXPORT_NICENESS": -1}, "EXPORT_NICENESS must be from 0 (the same priority as requests) to 19"),
        ({"EXPORT_NICENESS": 20}, "EXPORT_NICENESS must be from 0"),
    ],
)
def test_bad_queue_settings_are_one_line(tmp_path, capsys, overrides, message):
    with pytest.raises(SystemExit):
        create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/b.sqlite", **overrides})
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("Configuration error: " + message), err


def test_production_refuses_jobs_run_inside_the_request(tmp_path, capsys):
    with pytest.raises(SystemExit):
        create_app(
            ProductionConfig,
            {
                "SECRET_KEY": secrets.token_hex(32),
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.sqlite",
                "HUEY_URL": "memory://",
            },
        )
    assert "HUEY_URL=memory:// builds exports inside the web request" in capsys.readouterr().err


def test_the_queue_is_made_from_the_setting(tmp_path):
    from huey import MemoryHuey, RedisHuey, SqliteHuey

    from app.jobs.queue import make_huey

    assert isinstance(make_huey("memory://"), MemoryHuey) and make_huey("memory://").immediate
    sqlite = make_huey(f"sqlite:///{tmp_path}/jobs/huey.sqlite")
    assert isinstance(sqlite, SqliteHuey) and (tmp_path / "jobs" / "huey.sqlite").is_file()
    redis = make_huey("redis://127.0.0.1:6379/1")  # connects on first use only
    assert isinstance(redis, RedisHuey) and not redis.immediate


def _as_if_running(db, job: ExportJob, exports_dir: Path, silent_minutes: int) -> Path:
    """The job as a builder leaves it when its consumer is killed mid-way: running, a part file."""
    job.status, job.file_path, job.progress = JobStatus.RUNNING, None, 40
    job.heartbeat_at = utcnow() - timedelta(minutes=silent_minutes)
    db.session.commit()
    part = exports_dir / f".{job.uuid}.part"
    part.write_bytes(b"PK half a workbook")
    return part


def test_a_job_whose_builder_stopped_is_given_up_and_says_so(coordinator, login_as, db, exports_dir, app):
    client = login_as(coordinator)
    url = _job_url(client.get(QUERY))
    [job] = _jobs(db)
    assert job.heartbeat_at is not None  # stamped when claimed and as it wrote its progress
    part = _as_if_running(db, job, exports_dir, app.config["EXPORT_STALLED_MINUTES"] + 1)
    state = client.get(f"{url}.json").get_json()
    assert state["status"] == "failed"
    page = client.get(url).get_data(as_text=True)
    assert "The export stopped before it was finished" in page
    assert not part.exists()
    [job] = _jobs(db)
    assert job.status == JobStatus.FAILED and job.finished_at is not None


def test_a_job_still_at_work_is_left_running(coordinator, login_as, db, exports_dir, app):
    client = login_as(coordinator)
    url = _job_url(client.get(QUERY))
    [job] = _jobs(db)
    part = _as_if_running(db, job, exports_dir, app.config["EXPORT_STALLED_MINUTES"] - 1)
    assert client.get(f"{url}.json").get_json()["status"] == "running"
    assert part.exists() and _jobs(db)[0].status == JobStatus.RUNNING


def test_the_purge_command_gives_up_stalled_jobs(coordinator, login_as, db, exports_dir, runner, app):
    client = login_as(coordinator)
    _job_url(client.get(QUERY))
    [job] = _jobs(db)
    _as_if_running(db, job, exports_dir, app.config["EXPORT_STALLED_MINUTES"] * 2)
    result = runner.invoke(args=["purge-exports"])
    assert result.exit_code == 0, result.output
    assert "Gave up 1 stalled export(s)." in result.output
    assert _jobs(db)[0].status == JobStatus.FAILED


def test_the_stalled_time_must_be_a_minute_or_more(capsys):
    with pytest.raises(SystemExit):
        create_app(TestingConfig, {"EXPORT_STALLED_MINUTES": 0})
    assert "EXPORT_STALLED_MINUTES must be 1 or more" in capsys.readouterr().err
