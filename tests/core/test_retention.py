"""Content is deleted a year after the last exchange, as the welcome message promises."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from tsunagu import clock
from tsunagu.models import Conversation, Message
from tsunagu.retention import do_purge_expired


def test_content_goes_a_year_after_the_last_message(chat, factory):
    old, recent = chat(), chat()
    clock.set_now(clock.now() - timedelta(days=400))
    old.say("借金の返済がきつくて眠れません")
    clock.set_now(None)
    recent.say("借金の返済がきつくて眠れません")
    with factory.begin() as session:
        assert do_purge_expired(session) == 1
    with factory() as session:
        conversations = session.scalars(select(Conversation).order_by(Conversation.id)).all()
        assert conversations[0].analysis is None and conversations[1].analysis is not None
        assert conversations[0].categories  # counts stay for statistics
        left = session.scalar(select(func.count()).select_from(Message).where(
            Message.conversation_id == conversations[0].id))
        assert left == 0
        assert session.scalar(select(func.count()).select_from(Message).where(
            Message.conversation_id == conversations[1].id)) > 0
