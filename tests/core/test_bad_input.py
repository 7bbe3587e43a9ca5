"""Bad input to the web chat: a clear JSON error, and nothing stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tsunagu.models import InboundEvent, Resident


def _count(factory, model) -> int:  # type: ignore[no-untyped-def]
    with factory() as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        '["a list"]',
        '{"text": "no user"}',
        '{"user": "u1"}',
        '{"user": "u1", "text": "a", "postback": "cmd:staff"}',
        '{"user": "", "text": "a"}',
        '{"user": "u1", "text": 5}',
        '{"user": "u1", "text": "   "}',
        '{"user": "u1", "text": "' + "あ" * 5001 + '"}',
    ],
)
def test_rejected_with_json_error_and_nothing_stored(client, factory, body):
    response = client.post("/simulator/api/messages", data=body,
                           content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]
    assert _count(factory, InboundEvent) == 0
    assert _count(factory, Resident) == 0


def test_text_of_exactly_5000_characters_is_accepted(client, factory):
    response = client.post("/simulator/api/messages",
                           json={"user": "u1", "text": "あ" * 5000})
    assert response.status_code in (200, 202)
    assert _count(factory, InboundEvent) == 1


def test_fetch_requires_user_and_numeric_after(client):
    assert client.get("/simulator/api/messages").status_code == 400
    assert client.get("/simulator/api/messages?user=u1&after=x").status_code == 400
    assert client.get("/simulator/api/messages?user=nobody").get_json() == {"replies": []}


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["database"] is True


def test_simulator_page_is_japanese_and_phone_sized(client):
    page = client.get("/simulator").get_data(as_text=True)
    assert 'lang="ja"' in page and "width=device-width" in page
    assert "送信" in page
