"""Template filters and labels shared by the console pages."""

from __future__ import annotations

from datetime import datetime

from console import bp, directory
from console.actions import OUTCOMES
from tsunagu import clock
from tsunagu.jtext import jdatetime

CHANNELS = {"line": "LINE", "telegram": "Telegram", "web": "Webチャット"}
DELIVERY = {"pending": "送信待ち", "sending": "送信待ち", "sent": "送信済み",
            "failed": "送信失敗", "cancelled": "取り消し"}


def ago(moment: datetime | None) -> str:
    """「3分前」: how long ago, for waiting times."""
    if moment is None:
        return ""
    seconds = max(0, int((clock.now() - moment).total_seconds()))
    if seconds < 60:
        return "たった今"
    if seconds < 3600:
        return f"{seconds // 60}分前"
    if seconds < 86400:
        return f"{seconds // 3600}時間前"
    return f"{seconds // 86400}日前"


@bp.app_template_filter("jdatetime")
def _jdatetime(moment: datetime | None) -> str:
    return jdatetime(moment) if moment else ""


bp.add_app_template_filter(ago, "ago")


@bp.context_processor
def labels():  # type: ignore[no-untyped-def]
    return {"CHANNELS": CHANNELS, "OUTCOMES": OUTCOMES,
            "DELIVERY": DELIVERY, "agency_name": directory.agency_name,
            "district_name": directory.district_name}
