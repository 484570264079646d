"""Background jobs (issue 14): exports too big for a web request, on a Huey queue.

One Huey per app (:mod:`app.jobs.queue`), made from ``HUEY_URL`` the first time it is used:

- unset: :class:`huey.SqliteHuey` on ``huey.sqlite`` in the instance folder, the embedded default
  (``make run``, a one-machine office server);
- ``redis://...``: :class:`huey.RedisHuey`, for production;
- ``memory://``: immediate mode, each job run at once inside the request that asks for it (tests).

The consumer is a process of its own, ``flask --app wsgi run-jobs``, beside the web server and
with the same configuration (``make run`` starts it in the background and stops it with the dev
server; in production systemd runs it beside gunicorn, see README.md). A separate process rather
than worker threads inside the web server: the dev server's reloader and gunicorn's workers are
restarted at will, which would cut a half-built export; a job's file is in ``EXPORT_DIR``, which
the consumer and the web app must share. The tasks (:mod:`app.jobs.exports`) each run in an app
context of their own.
"""
