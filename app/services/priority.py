"""Reports built at a lower CPU priority than the requests around them.

Why: a coordinator's workbook costs a few hundred milliseconds of CPU, a volunteer's submission a
few. On a two-core office server the workbooks of four coordinators took turns with fifty
submissions a second, and the submissions waited behind them (``bench/RESULTS.md``, served app).
Run at a higher nice value, the workbook still uses every idle cycle, but the scheduler hands the
core to a submission first.

Linux keeps a nice value per thread (setpriority(2)), and an unprivileged process may raise its
nice value but never lower it again. So the work runs in a short-lived thread of its own that
raises only its own value; the request's thread waits for it, keeps its priority, and the next
request of the same worker runs at the normal one. The thread runs in a copy of the caller's
context (the same application and request context, the same database session), which the caller
does not touch until the work is done.
"""

from __future__ import annotations

import contextvars
import os
import sys
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def _applies(niceness: int) -> bool:
    # Linux only: elsewhere a thread's id given to setpriority() would name a process.
    return niceness > 0 and sys.platform == "linux"


def lower_this_thread(niceness: int) -> bool:
    """Raise the calling thread's nice value by ``niceness`` (Linux only: elsewhere the call would
    change the whole process); whether it did."""
    if not _applies(niceness):
        return False
    thread = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, thread, min(19, os.getpriority(os.PRIO_PROCESS, thread) + niceness))
    except OSError:
        return False
    return True


def at_lower_priority(work: Callable[[], T], niceness: int) -> T:
    """``work()``, run in a thread of its own whose nice value is raised by ``niceness``; its
    result, or its exception raised here. ``niceness`` 0 runs it in the calling thread."""
    if not _applies(niceness):
        return work()
    context = contextvars.copy_context()
    outcome: dict[str, object] = {}

    def run() -> None:
        lower_this_thread(niceness)
        try:
            outcome["result"] = context.run(work)
        except BaseException as error:  # raised again in the caller's thread
            outcome["error"] = error

    worker = threading.Thread(target=run, name="lower-priority report", daemon=True)
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["result"]  # type: ignore[return-value]
