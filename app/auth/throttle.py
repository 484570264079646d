"""Failed sign-ins, counted per account and per client address in Flask-Limiter's storage.

Only failures count, so a person who types their password right is never slowed down; the
account limit (``SIGNIN_LIMIT_PER_ACCOUNT``, e.g. 5 per 15 minutes) stops guessing at one
account, and the looser address limit (``SIGNIN_LIMIT_PER_ADDRESS``) guessing across many from
one place, without one colleague's typing slips locking out the rest of an office. The counts
live where ``RATELIMIT_STORAGE_URI`` says (memory of this process, or Redis shared by workers).

The limiter's strategy is used directly rather than through a route decorator: the view decides
what a failure is, audits a refused attempt, and tells the longer of the two waits.
"""

from __future__ import annotations

import hashlib
import math
import time

from flask import current_app, request
from limits import RateLimitItem, parse_many

from ..extensions import limiter


def enabled() -> bool:
    """Whether failed sign-ins are limited (``SIGNIN_LIMITS_ENABLED``; off in most tests)."""
    return bool(current_app.config["SIGNIN_LIMITS_ENABLED"])


def _account_key(username: str) -> str:
    # A digest: the storage (perhaps a shared Redis) never holds the names people typed.
    return hashlib.sha256(username.strip().lower().encode("utf-8")).hexdigest()


def _address() -> str:
    return request.remote_addr or "unknown"


def _limits(username: str, *, account_only: bool = False) -> list[tuple[RateLimitItem, tuple[str, ...]]]:
    """Each limit with the identifiers it counts under."""
    config = current_app.config
    prefix = config["RATELIMIT_KEY_PREFIX"]
    account = (prefix, "signin-account", _account_key(username))
    pairs = [(item, account) for item in parse_many(config["SIGNIN_LIMIT_PER_ACCOUNT"])]
    if not account_only:
        address = (prefix, "signin-address", _address())
        pairs += [(item, address) for item in parse_many(config["SIGNIN_LIMIT_PER_ADDRESS"])]
    return pairs


def seconds_to_wait(username: str) -> int | None:
    """None when a sign-in as ``username`` from this address may be tried now, else the wait."""
    if not enabled():
        return None
    strategy = limiter.limiter
    now = time.time()
    waits = [
        strategy.get_window_stats(item, *identifiers).reset_time - now
        for item, identifiers in _limits(username)
        if not strategy.test(item, *identifiers)
    ]
    return max(1, math.ceil(max(waits))) if waits else None


def minutes(seconds: int) -> int:
    """A wait in whole minutes, rounded up (at least 1), as the page says it."""
    return max(1, math.ceil(seconds / 60))


def record_failure(username: str) -> None:
    """Count one failed sign-in against the account and the address."""
    if not enabled():
        return
    for item, identifiers in _limits(username):
        limiter.limiter.hit(item, *identifiers)


def forget_failures(username: str) -> None:
    """After a successful sign-in the account starts afresh (the address count stays)."""
    if not enabled():
        return
    for item, identifiers in _limits(username, account_only=True):
        limiter.limiter.clear(item, *identifiers)
