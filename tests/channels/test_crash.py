"""A worker killed (SIGKILL) between accepting a LINE message and sending the reply: after a
restart the resident gets the answer exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from tests.channels.conftest import post_line
from tests.fakes.line_api import Answer, payload, text_event, user_id
from tsunagu import clock
from tsunagu.models import InboundEvent, OutboundMessage

ROOT = Path(__file__).resolve().parents[2]


def _start(mode: str, flag: Path) -> subprocess.Popen:  # type: ignore[type-arg]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "tests.channels.worker_proc", mode, str(flag)],
                            env=env, cwd=os.getcwd())


def _wait(condition, proc, what: str, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if proc.poll() is not None:
            raise AssertionError(f"worker exited ({proc.returncode}) before {what}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.mark.parametrize("moment", ["engine", "send"])
def test_killed_worker_delivers_once_after_restart(moment, web, factory, drain, fake_line,
                                                   tmp_path):
    user = user_id()
    assert post_line(web, payload(text_event(user, "家賃が払えなくて困っています"))).status_code == 200
    flag = tmp_path / "flag"
    if moment == "send":
        # The answer comes too late for the reply token (a busy worker): it is pushed.
        # LINE takes the push but the worker dies before it hears the answer.
        with factory.begin() as session:
            session.execute(update(InboundEvent).values(
                received_at=clock.now() - timedelta(minutes=2)))
        fake_line.script("/message/push", [Answer(200, {"sentMessages": []}, delay=30)])
        proc = _start("send", flag)
        _wait(lambda: fake_line.calls("/message/push"), proc, "the push reached LINE")
    else:
        proc = _start("engine", flag)
        _wait(flag.exists, proc, "the engine wrote its answer")
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)

    with factory() as session:
        rows = session.scalars(select(OutboundMessage)).all()
        event = session.scalars(select(InboundEvent)).one()
    if moment == "engine":
        assert rows == [] and event.status == "pending"  # rolled back with the process
    else:
        assert rows and {r.status for r in rows} == {"sending"}

    clock.set_now(clock.now() + timedelta(minutes=2))  # past the dead worker's lease
    drain()

    with factory() as session:
        rows = session.scalars(select(OutboundMessage)).all()
    assert rows and all(r.status == "sent" for r in rows)
    delivered = fake_line.texts()
    assert len(delivered) == len(rows), delivered  # each answer reached LINE exactly once
    if moment == "send":
        assert [c.status for c in fake_line.calls("/message/push")] == [200, 409]
