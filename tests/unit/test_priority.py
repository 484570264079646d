"""Exports built at a lower CPU priority (app/services/priority.py): the work runs, at a higher nice
value, in a thread of its own, and the caller's thread keeps its priority."""

from __future__ import annotations

import os
import sys
import threading
from contextvars import ContextVar

import pytest

from app.services.priority import at_lower_priority, lower_this_thread

linux = pytest.mark.skipif(sys.platform != "linux", reason="nice values per thread are Linux's")
SEEN: ContextVar[str] = ContextVar("seen", default="unset")


def _nice() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@linux
def test_the_work_runs_nicer_and_the_caller_keeps_its_priority():
    before = _nice()
    seen = at_lower_priority(lambda: (_nice(), threading.get_native_id()), 10)
    assert seen[0] == min(19, before + 10)
    assert seen[1] != threading.get_native_id()  # not the caller's thread
    assert _nice() == before


@linux
def test_the_nice_value_stops_at_19():
    assert at_lower_priority(_nice, 19) == 19


def test_niceness_zero_runs_in_the_callers_thread():
    before = _nice()
    assert at_lower_priority(threading.get_native_id, 0) == threading.get_native_id()
    assert _nice() == before
    assert lower_this_thread(0) is False


def test_the_work_sees_the_callers_context_and_its_exception_is_raised_here():
    token = SEEN.set("the request's")
    try:
        assert at_lower_priority(SEEN.get, 5) == "the request's"
    finally:
        SEEN.reset(token)

    def fails() -> None:
        raise LookupError("no such filter")

    with pytest.raises(LookupError, match="no such filter"):
        at_lower_priority(fails, 5)
