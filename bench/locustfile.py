"""The load benchmark's clients (``bench/load.py`` runs locust on this file; not meant to be run by hand).

- :class:`Volunteer`: signs in, then sends activities at ``LOAD_RATE / LOAD_VOLUNTEERS`` a second
  (the first at a random point of its first interval, so that the rate is steady from the start),
  half through the page as a browser does (GET the form, POST it with its CSRF token and the
  record UUID the page carries, follow the redirect to the stored entry) and half through the
  JSON API (``PUT /api/v1/activities/<new uuid>`` with the token from ``GET /api/v1/session``).
- :class:`Coordinator`: loads the dashboard and downloads this month's workbook, every few seconds.
- :class:`Burst`: JSON submissions back to back, no wait.
- :class:`Visitor`: the sign-in page back to back (the trivial page: the ceiling).

The accounts were signed in beforehand by bench/load.py (``LOAD_SESSIONS``: each one's cookies
and API token, with the same User-Agent, as Flask-Login's strong session protection wants): a
sign-in hashes the password with scrypt on purpose, and 68 of them at once would queue for
seconds on two workers. Each user makes one request to warm up, then waits until ``LOAD_START``
(a Unix time), when the statistics are emptied. The UUIDs of accepted submissions (201, or 303 to
the entry) are written to ``LOAD_OUT`` (JSON) at the end.
"""

from __future__ import annotations

import http.cookiejar
import itertools
import json
import os
import random
import re
import time
import urllib.parse
import uuid
from datetime import date
from pathlib import Path

import gevent
from locust import FastHttpUser, between, constant, constant_throughput, events, task

from bench.loadsetup import LoadSetup
from bench.submit_profile import activity_values, api_body

SETUP = LoadSetup.read(Path(os.environ["LOAD_SETUP"]))
SESSIONS: dict[str, dict] = json.loads(Path(os.environ["LOAD_SESSIONS"]).read_text())
#: The same as bench/load.py's sign-ins: the session is bound to address and browser.
USER_AGENT = "yntymak-load/1"
START = float(os.environ.get("LOAD_START", "0"))
RATE = float(os.environ.get("LOAD_RATE", "50"))
VOLUNTEERS = max(1, int(os.environ.get("LOAD_VOLUNTEERS", "64")))
#: Share of the volunteers' submissions sent through the page (the rest through the API).
PAGE_SHARE = float(os.environ.get("LOAD_PAGE_SHARE", "0.5"))
HIDDEN = re.compile(r'name="(csrf_token|record_uuid)" type="hidden" value="([^"]*)"')
ENTRY = re.compile(r"/activities/([0-9a-f-]{36})$")

_volunteers = itertools.cycle(SETUP.volunteers)
_coordinators = itertools.cycle(SETUP.coordinators)
#: UUIDs of the submissions the server accepted, by way; sent and refused ones counted too.
ACCEPTED: dict[str, list[str]] = {"page": [], "api": []}
REFUSED: dict[str, int] = {"page": 0, "api": 0}


def _hidden(html: str) -> dict[str, str]:
    return dict(HIDDEN.findall(html))


def restore_session(user: FastHttpUser, username: str) -> str:
    """Put the account's signed-in cookies in the user's jar; returns its API token."""
    for saved in SESSIONS[username]["cookies"]:
        cookie = http.cookiejar.Cookie(
            version=0,
            name=saved["name"],
            value=saved["value"],
            port=None,
            port_specified=False,
            domain=saved["domain"],
            domain_specified=False,
            domain_initial_dot=False,
            path=saved["path"],
            path_specified=True,
            secure=False,
            expires=None,
            discard=True,
            comment=None,
            comment_url=None,
            rest={},
        )
        user.client.cookiejar.set_cookie(cookie)
    return SESSIONS[username]["api_token"]


def wait_for_start() -> None:
    gevent.sleep(max(0.0, START - time.time()))


class LoadUser(FastHttpUser):
    abstract = True
    default_headers = {"User-Agent": USER_AGENT}


class SubmittingUser(LoadUser):
    abstract = True

    def on_start(self) -> None:
        self.account = next(_volunteers)
        self.api_token = restore_session(self, self.account.username)
        self.number = random.randrange(1000)
        self.client.get("/api/v1/session", name="warm-up (setup)")
        wait_for_start()

    def submit_api(self) -> None:
        self.number += 1
        record_uuid = str(uuid.uuid4())
        body = api_body(activity_values(self.account.communities, self.number))
        with self.client.put(
            f"/api/v1/activities/{record_uuid}",
            json=body,
            headers={"X-CSRFToken": self.api_token},
            name="API: PUT activity",
            catch_response=True,
        ) as answer:
            if answer.status_code == 201 and answer.json().get("uuid") == record_uuid:
                ACCEPTED["api"].append(record_uuid)
            else:
                REFUSED["api"] += 1
                answer.failure(f"{answer.status_code}: {answer.text[:200]}")

    def submit_page(self) -> None:
        self.number += 1
        form = self.client.get("/activities/new", name="page: activity form (GET)")
        hidden = _hidden(form.text)
        record_uuid = hidden.get("record_uuid", "")
        data = {
            **activity_values(self.account.communities, self.number),
            "record_uuid": record_uuid,
            "csrf_token": hidden.get("csrf_token", ""),
            "submit": "Submit for review",
        }
        with self.client.post(
            "/activities/new",
            # Encoded here: the client would send a list as its repr, not as repeated fields.
            data=urllib.parse.urlencode(data, doseq=True),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            name="page: activity form (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            target = answer.headers.get("Location", "")
            found = ENTRY.search(target)
            if answer.status_code == 303 and found and found.group(1) == record_uuid:
                ACCEPTED["page"].append(record_uuid)
            else:
                REFUSED["page"] += 1
                answer.failure(f"{answer.status_code} {target}: {answer.text[:200]}")
                return
        # As a browser does: the entry it was sent to (the page that shows "Sent for review").
        self.client.get(target, name="page: entry after saving (GET)")


class Volunteer(SubmittingUser):
    wait_time = constant_throughput(RATE / VOLUNTEERS)

    def on_start(self) -> None:
        super().on_start()
        # Each at a random point of its first interval: 64 tablets do not submit in the same
        # instant, and a herd of them at the start would be the only queue a short run measured.
        gevent.sleep(random.uniform(0, VOLUNTEERS / RATE))

    @task
    def submit(self) -> None:
        if random.random() < PAGE_SHARE:
            self.submit_page()
        else:
            self.submit_api()


class Burst(SubmittingUser):
    wait_time = constant(0)

    @task
    def submit(self) -> None:
        self.submit_api()


class Coordinator(LoadUser):
    # Exactly this many, the rest of the users being volunteers (locust would split them evenly).
    fixed_count = int(os.environ.get("LOAD_COORDINATORS", "4"))
    wait_time = between(2, 4)

    def on_start(self) -> None:
        self.account = next(_coordinators)
        restore_session(self, self.account.username)
        wait_for_start()
        gevent.sleep(random.uniform(0, 3))  # not all four at the same instant either

    @task
    def dashboard_and_export(self) -> None:
        self.client.get("/dashboard", name="coordinator: dashboard")
        today = date.today()
        query = f"from={today.replace(day=1).isoformat()}&to={today.isoformat()}"
        with self.client.get(
            f"/reports/export.xlsx?{query}", name="coordinator: export.xlsx (this month)", catch_response=True
        ) as answer:
            if answer.status_code != 200 or not answer.content.startswith(b"PK"):
                answer.failure(f"{answer.status_code}: not a workbook")


class Visitor(LoadUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.client.get("/login", name="warm-up (setup)")
        wait_for_start()

    @task
    def sign_in_page(self) -> None:
        self.client.get("/login", name="trivial: sign-in page (GET)")


@events.test_start.add_listener
def _reset_at_start(environment, **_kwargs) -> None:
    """Empty the statistics at ``LOAD_START``: the sign-ins before it are not the load."""

    def reset() -> None:
        gevent.sleep(max(0.0, START - time.time()))
        environment.stats.reset_all()

    gevent.spawn(reset)


@events.quitting.add_listener
def _write_accepted(environment, **_kwargs) -> None:
    out = os.environ.get("LOAD_OUT")
    if out:
        Path(out).write_text(json.dumps({"accepted": ACCEPTED, "refused": REFUSED}))
