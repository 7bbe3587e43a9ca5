"""Worker loops: the event worker (engine) and the sender (outbox). `tsunagu worker` runs
both in a process; `tsunagu serve` runs them in threads beside the web app.
`wake()` lets the web app nudge the loops so a reply does not wait for the next poll."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from tsunagu import pipeline

log = logging.getLogger(__name__)
_wake = threading.Event()
POLL_SECONDS = 0.5


def wake() -> None:
    _wake.set()


def _loop(name: str, step: Callable[[], bool], stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            busy = step()
        except Exception:  # a database hiccup: log, breathe, go on
            log.exception("%s loop error", name)
            busy = False
        if not busy:
            _wake.wait(POLL_SECONDS)
            _wake.clear()


def start(factory: sessionmaker[Session], settings: object, stop: threading.Event,
          threads: int = 1) -> list[threading.Thread]:
    """Start the event worker(s), the sender and any scheduled jobs as daemon threads."""
    from bots.channels import Channels
    from bots.engine import handle_event, warm_up

    warm_up(settings)
    channels = Channels(settings)
    steps: list[tuple[str, Callable[[], bool]]] = []
    for i in range(threads):
        steps.append((f"events-{i}", lambda: pipeline.process_next(factory, handle_event)))
    steps.append(("sender", lambda: pipeline.deliver_next(factory, channels.send,
                                                           channels.max_batch)))
    for name, job in scheduled_jobs(factory, settings):
        steps.append((name, job))
    started = []
    for name, step in steps:
        thread = threading.Thread(target=_loop, args=(name, step, stop), name=name, daemon=True)
        thread.start()
        started.append(thread)
    return started


# Periodic jobs (retention, reminders, …): a factory returning (name, step); step() does
# a little work if any is due and returns whether it did.
SCHEDULED: list[Callable[[sessionmaker[Session], object], tuple[str, Callable[[], bool]]]] = []


def _builtin_jobs() -> None:
    from tsunagu import retention

    if retention.job not in SCHEDULED:
        SCHEDULED.append(retention.job)


def scheduled_jobs(factory: sessionmaker[Session], settings: object):  # type: ignore[no-untyped-def]
    _builtin_jobs()
    return [make(factory, settings) for make in SCHEDULED]
