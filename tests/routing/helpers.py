"""Shared helpers for routing tests: build intents.Analysis directly (no classifier)."""

from __future__ import annotations

from datetime import datetime

from intents.result import Analysis
from tsunagu.clock import JST

# A plain Monday morning, when city offices are open.
MONDAY_10 = datetime(2025, 1, 20, 10, 0, tzinfo=JST)


def analysis(*categories: str, crisis: bool = False, speaker: str = "本人",
             age_band: str | None = None, district: str | None = None) -> Analysis:
    return Analysis(categories=list(categories), crisis=crisis, speaker=speaker,
                    age_band=age_band, district=district)
