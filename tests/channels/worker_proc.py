"""A worker process for the crash test (test_crash.py), configured from the environment.

    python -m tests.channels.worker_proc engine <flag>   run the engine on the next event,
        write <flag> once its outbox rows are written, then hang before committing
    python -m tests.channels.worker_proc send <flag>     run the engine, then the sender;
        writes <flag> before sending (the fake LINE server delays its answer)
The test kills the process with SIGKILL while it hangs.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from bots.channels import Channels
from bots.engine import handle_event
from tsunagu import db, pipeline
from tsunagu.config import get_settings


def main(mode: str, flag: Path) -> None:
    settings = get_settings()
    factory = db.session_factory(settings.sqlalchemy_url)
    if mode == "engine":
        def hang_after(session, event):  # type: ignore[no-untyped-def]
            handle_event(session, event)
            session.flush()
            flag.write_text("engine done, not committed")
            time.sleep(600)

        pipeline.process_next(factory, hang_after)
        return
    while pipeline.process_next(factory, handle_event):
        pass
    channels = Channels(settings)
    flag.write_text("sending")
    while pipeline.deliver_next(factory, channels.send, channels.max_batch):
        pass


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
