"""A small load test of the served app (issue 14; the full one is ``make bench-load``).

Eight clients, each a volunteer signed in through the sign-in page with CSRF protection on, send
activities for a few seconds to the app served on a real socket (werkzeug's threaded server),
mixing the page (GET the form, POST it with its token and record UUID, as a browser does) and the
JSON API (PUT), and resending: the same form or body again afterwards, and the same one twice at
the same moment. It checks records, not timings: every accepted submission is stored exactly
once, with one audit event, nothing else is stored, and every resend answers with the entry
already stored.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import date

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from app.models import Activity, AuditEvent, Community
from tests import factories

CLIENTS = 8
SECONDS = 3.0
HIDDEN = re.compile(r'name="(csrf_token|record_uuid)" type="hidden" value="([^"]*)"')
ENTRY = re.compile(r"/activities/([0-9a-f-]{36})$")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # the 303 itself is the answer looked at


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def entry(self) -> str | None:
        """The UUID of the entry a 303 leads to."""
        found = ENTRY.search(self.headers.get("Location", ""))
        return found.group(1) if found else None


class Client:
    """One browser: its own cookies, no redirects followed."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirects()
        )

    def send(
        self, method: str, path: str, *, form: dict | None = None, body: object = None, **headers
    ) -> Answer:
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)  # noqa: S310
        try:
            with self.opener.open(request, timeout=60) as response:
                return Answer(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, dict(error.headers), error.read())

    def hidden(self, path: str) -> dict[str, str]:
        answer = self.send("GET", path)
        assert answer.status == 200, (path, answer.status)
        return dict(HIDDEN.findall(answer.text))


@dataclass
class Tally:
    """What the clients saw: accepted UUIDs, and anything that was not the expected answer."""

    accepted: set[str] = field(default_factory=set)
    resends: int = 0
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def accept(self, record_uuid: str) -> None:
        with self.lock:
            assert record_uuid not in self.accepted
            self.accepted.add(record_uuid)

    def problem(self, what: str, answer: Answer) -> None:
        with self.lock:
            self.problems.append(
                f"{what}: {answer.status} {answer.headers.get('Location', '')} {answer.text[:300]}"
            )


def _values(communities: list[int], number: int) -> dict:
    return {
        "date": date.today().isoformat(),
        "community": str(communities[number % len(communities)]),
        "activity_type_code": ("dialogue", "training", "awareness")[number % 3],
        "target_groups": ["youth", "women"][: 1 + number % 2],
        **{cell: str(number % 5) for cell in ("f_u18", "f_18_29", "m_18_29", "m_30_59")},
        "drivers": ["unemployment"],
        "recommendations": ["R3"],
        "outcome": f"Met again, meeting {number}.",
    }


def _json_body(values: dict) -> dict:
    body = {key: value for key, value in values.items()}
    for cell in ("f_u18", "f_18_29", "m_18_29", "m_30_59"):
        body[cell] = int(body[cell])
    return {**body, "status": "submitted"}


def _at_once(*calls) -> list[Answer]:
    """Run the calls in threads started together; their answers in order."""
    answers: list[Answer | None] = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def run(index: int) -> None:
        start.wait()
        answers[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers  # type: ignore[return-value]


def page_submission(client: Client, values: dict, tally: Tally, resend: str | None) -> None:
    hidden = client.hidden("/activities/new")
    form = {**values, **hidden, "submit": "Submit for review"}
    post = lambda: client.send("POST", "/activities/new", form=form)  # noqa: E731
    answers = _at_once(post, post) if resend == "together" else [post()]
    if resend == "after":
        answers.append(post())
    if any(a.status != 303 or a.entry != hidden["record_uuid"] for a in answers):
        for answer in answers:
            tally.problem("page", answer)
        return
    tally.accept(hidden["record_uuid"])
    tally.resends += len(answers) - 1
    # As a browser does: the entry page, which shows (and so drops) the saved messages.
    shown = client.send("GET", answers[0].headers["Location"])
    if shown.status != 200:
        tally.problem("entry page", shown)


def api_submission(client: Client, token: str, values: dict, tally: Tally, resend: str | None) -> None:
    record_uuid = str(uuid.uuid4())
    body = _json_body(values)
    put = lambda: client.send("PUT", f"/api/v1/activities/{record_uuid}", body=body, **{"X-CSRFToken": token})  # noqa: E731
    answers = _at_once(put, put) if resend == "together" else [put()]
    if resend == "after":
        answers.append(put())
    statuses = sorted(a.status for a in answers)
    expected = [201] + [200] * (len(answers) - 1)
    if statuses != sorted(expected) or any(json.loads(a.body).get("uuid") != record_uuid for a in answers):
        for answer in answers:
            tally.problem("api", answer)
        return
    tally.accept(record_uuid)
    tally.resends += len(answers) - 1


#: One round of each client: each way of sending, once alone, once resent after, once twice at once.
ROUND = [(way, resend) for resend in (None, "after", "together") for way in ("page", "api")]


def volunteer(
    base: str, username: str, communities: list[int], start: threading.Barrier, tally: Tally
) -> None:
    """One client's run; whatever goes wrong in it is a problem the test reports."""
    try:
        _volunteer(base, username, communities, start, tally)
    except Exception as exc:  # reported by the test, not lost in the thread
        with tally.lock:
            tally.problems.append(f"{username}: {exc!r}")
        start.abort()  # the others do not wait for this one at the start


def _volunteer(
    base: str, username: str, communities: list[int], start: threading.Barrier, tally: Tally
) -> None:
    client = Client(base)
    token = client.hidden("/login")["csrf_token"]
    signed_in = client.send(
        "POST", "/login", form={"username": username, "password": factories.PASSWORD, "csrf_token": token}
    )
    assert signed_in.status in (302, 303), signed_in.status
    api_token = json.loads(client.send("GET", "/api/v1/session").body)["csrf_token"]
    start.wait(60)  # every client signed in: the load starts
    deadline = time.monotonic() + SECONDS
    number = 0
    while number < len(ROUND) or time.monotonic() < deadline:  # a round at least, then a few seconds
        way, resend = ROUND[number % len(ROUND)]
        number += 1
        values = _values(communities, number)
        if way == "page":
            page_submission(client, values, tally, resend)
        else:
            api_submission(client, api_token, values, tally, resend)


@pytest.fixture
def served(app, db):
    """The app on http://127.0.0.1:<free port>, in threads, for one test."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(10)


def test_every_accepted_submission_is_stored_once(served, make, db, csrf_enabled):
    organisations = [make.organisation("KG-O-KSU"), make.organisation("KG-O-ARV")]
    users = [make.user("volunteer", organisation=organisations[i % 2]) for i in range(CLIENTS)]
    db.session.commit()
    communities = {
        org.id: list(db.session.scalars(select(Community.id).where(Community.district_id == org.district_id)))
        for org in organisations
    }
    tally = Tally()
    start = threading.Barrier(CLIENTS)
    threads = [
        threading.Thread(
            target=volunteer, args=(served, u.username, communities[u.organisation_id], start, tally)
        )
        for u in users
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads)

    assert tally.problems == []
    assert len(tally.accepted) >= CLIENTS * len(ROUND)  # every client ran a round at least
    assert tally.resends >= CLIENTS * 4
    db.session.rollback()  # read what the server committed
    authors = [u.id for u in users]
    stored = [
        str(u) for u in db.session.scalars(select(Activity.uuid).where(Activity.author_id.in_(authors)))
    ]
    assert len(stored) == len(set(stored))  # none twice
    assert set(stored) == tally.accepted  # none lost, nothing else
    events = dict(
        db.session.execute(
            select(AuditEvent.object_uuid, func.count())
            .where(AuditEvent.object_type == "activity", AuditEvent.user_id.in_(authors))
            .group_by(AuditEvent.object_uuid)
        ).all()
    )
    assert {str(u): n for u, n in events.items()} == dict.fromkeys(tally.accepted, 1)
