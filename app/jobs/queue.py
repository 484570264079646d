"""The app's Huey instance, made from its configuration, and its tasks."""

from __future__ import annotations

import threading
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey

#: The queue's name in its storage (Redis keys, SQLite rows).
QUEUE_NAME = "yntymak"


def make_huey(url: str) -> Huey:
    """A Huey for ``HUEY_URL`` (already checked by ``Config.validate``)."""
    scheme = urlsplit(url).scheme
    if scheme == "memory":
        return MemoryHuey(QUEUE_NAME, immediate=True, results=False)
    if scheme == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(QUEUE_NAME, filename=str(path), results=False)
    return RedisHuey(QUEUE_NAME, url=url, results=False)


class JobQueue:
    """The app's queue: its Huey made on first use (so that a forked gunicorn worker opens its
    own connection), with the app's tasks registered on it."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._huey: Huey | None = None
        self._lock = threading.Lock()
        self.tasks: dict[str, object] = {}

    @property
    def huey(self) -> Huey:
        with self._lock:
            if self._huey is None:
                from .exports import register_tasks

                huey = make_huey(self.app.config["HUEY_URL"])
                self.tasks = register_tasks(huey, self.app)
                self._huey = huey
            return self._huey

    def reset(self) -> None:
        """Forget the Huey (the next use makes one from ``HUEY_URL`` again): tests that switch."""
        with self._lock:
            self._huey = None
            self.tasks = {}

    def enqueue(self, name: str, *args: object) -> None:
        """Put task ``name`` on the queue (run at once in immediate mode)."""
        self.huey  # noqa: B018  (makes it, and the tasks, on first use)
        self.tasks[name](*args)  # type: ignore[operator]


def init_jobs(app: Flask) -> None:
    """Give the app its queue (nothing is opened until a job is put on it)."""
    app.extensions["jobs"] = JobQueue(app)


def job_queue(app: Flask | None = None) -> JobQueue:
    """The queue of ``app`` (the current one by default)."""
    return (app or current_app).extensions["jobs"]
