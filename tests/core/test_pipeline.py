"""The durable pipeline: redelivery, a worker killed mid-event, and several workers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bots.engine import handle_event
from tsunagu import pipeline
from tsunagu.models import InboundEvent, Message, OutboundMessage

ROOT = Path(__file__).resolve().parents[2]


def _incoming(event_id: str, user: str = "u1", text: str = "家賃が払えません"):  # type: ignore[no-untyped-def]
    return pipeline.Incoming(channel="web", platform_event_id=event_id,
                             platform_user_id=user, kind="text", text=text)


def _drain(factory) -> None:  # type: ignore[no-untyped-def]
    while pipeline.process_next(factory, handle_event):
        pass


def _replies(factory, event_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    with factory() as session:
        return list(session.scalars(select(OutboundMessage.text).where(
            OutboundMessage.inbound_event_id == event_id).order_by(OutboundMessage.id)))


def test_same_event_twice_is_stored_and_answered_once(factory):
    with factory.begin() as session:
        first = pipeline.ingest(session, _incoming("evt-1"))
        assert first is not None
        first_id = first.id
    with factory.begin() as session:
        assert pipeline.ingest(session, _incoming("evt-1")) is None
    _drain(factory)
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(InboundEvent)) == 1
        assert session.scalar(select(func.count()).select_from(Message).where(
            Message.direction == "in")) == 1
    assert len(_replies(factory, first_id)) == 3  # welcome, crisis lines, the answer


def test_events_of_one_resident_are_processed_in_order(factory):
    with factory.begin() as session:
        for i in range(5):
            pipeline.ingest(session, _incoming(f"evt-{i}", text=f"メッセージ{i}"))
    _drain(factory)
    with factory() as session:
        texts = session.scalars(select(Message.text).where(Message.direction == "in")
                                .order_by(Message.id)).all()
    assert texts == [f"メッセージ{i}" for i in range(5)]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    return env


def test_worker_killed_mid_event_answers_exactly_once_after_restart(factory, tmp_path):
    with factory.begin() as session:
        event_id = pipeline.ingest(session, _incoming("evt-kill")).id
    marker = tmp_path / "inside-event"
    proc = subprocess.Popen([sys.executable, "-m", "tests.core.slow_worker", str(marker)],
                            cwd=tmp_path, env=_env())
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, "the slow worker died before reaching the event"
            assert time.monotonic() < deadline, "the slow worker never reached the event"
            time.sleep(0.05)
        # The engine's replies are written but not committed when the worker dies.
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert _replies(factory, event_id) == []
    with factory() as session:
        assert session.get(InboundEvent, event_id).status == "pending"
    _drain(factory)  # the restarted worker
    replies = _replies(factory, event_id)
    assert len(replies) == 3 and len(set(replies)) == 3
    _drain(factory)  # nothing left: never answered twice
    assert len(_replies(factory, event_id)) == 3


def test_two_worker_processes_share_the_work_without_doubles(factory, settings, tmp_path):
    residents, per_resident = 20, 15
    with factory.begin() as session:
        for n in range(per_resident):
            for r in range(residents):
                pipeline.ingest(session, _incoming(f"evt-{r}-{n}", user=f"resident-{r}",
                                                   text=f"{r}番の{n}通目"))
    total = residents * per_resident
    procs = [subprocess.Popen([sys.executable, "-m", "tsunagu.cli", "worker", "--threads", "2"],
                              cwd=tmp_path, env=_env(), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
             for _ in range(2)]
    try:
        deadline = time.monotonic() + 180
        while True:
            with factory() as session:
                left = session.scalar(select(func.count()).select_from(InboundEvent).where(
                    InboundEvent.status != "done"))
            if left == 0:
                break
            for proc in procs:
                assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
            assert time.monotonic() < deadline, f"{left} events still not done"
            time.sleep(0.2)
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
    with factory() as session:
        inbound = session.execute(select(Message.conversation_id, Message.text)
                                  .where(Message.direction == "in").order_by(Message.id)).all()
        answered = session.scalar(select(func.count(func.distinct(
            OutboundMessage.inbound_event_id))))
    assert len(inbound) == total          # each event processed exactly once
    assert answered == total              # and each one answered
    seen: dict[int, list[int]] = {}
    for conversation_id, text in inbound:
        seen.setdefault(conversation_id, []).append(int(text.split("の")[1].rstrip("通目")))
    assert len(seen) == residents
    for order in seen.values():
        assert order == list(range(per_resident))  # per-conversation order kept


@pytest.mark.parametrize("status", ["sent"])
def test_outbox_is_delivered_and_marked(factory, status):
    from bots.channels import Channels

    with factory.begin() as session:
        pipeline.ingest(session, _incoming("evt-send"))
    _drain(factory)
    channels = Channels(None)
    while pipeline.deliver_next(factory, channels.send, channels.max_batch):
        pass
    with factory() as session:
        statuses = set(session.scalars(select(OutboundMessage.status)))
        recipients = set(session.scalars(select(OutboundMessage.recipient_enc)))
    assert statuses == {status}
    assert recipients == {None}  # the encrypted recipient is dropped once sent
