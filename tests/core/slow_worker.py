"""A worker that stops in the middle of an event: it runs the real engine (so the
replies are written inside the open transaction), touches a marker file, then waits to
be killed. Used by test_pipeline.py to kill -9 a worker mid-event."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from bots.engine import handle_event, warm_up
from tsunagu import db, pipeline
from tsunagu.config import get_settings


def main(marker: str) -> None:
    settings = get_settings()
    warm_up(settings)

    def stuck(session, event):  # type: ignore[no-untyped-def]
        handle_event(session, event)
        session.flush()
        Path(marker).write_text(str(event.id))
        time.sleep(600)

    pipeline.process_next(db.session_factory(settings.sqlalchemy_url), stuck)


if __name__ == "__main__":
    main(sys.argv[1])
