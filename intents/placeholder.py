"""PLACEHOLDER classifier: plain substring matching, no morphology.

Stands behind the `intents.classify` interface until the SudachiPy classifier lands
(issue 3). It exists so the conversation engine can be built and tested end to end.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from intents.result import Analysis

_WORDS: dict[str, tuple[str, ...]] = {
    "住まい": ("家賃", "立ち退き", "住む所", "住むところ"),
    "生活費": ("生活費", "生活保護", "お金がない"),
    "借金": ("借金", "ローン", "返済"),
    "税金・公共料金": ("電気", "ガス", "水道", "税金", "国保"),
    "食べ物": ("食べ物", "食料"),
    "仕事": ("仕事", "失業", "解雇"),
    "介護": ("介護", "認知症"),
    "障がい": ("障害", "障がい"),
    "病気・健康": ("病気", "入院"),
    "こころ": ("眠れない", "うつ"),
    "子育て": ("子育て", "育児"),
    "ひきこもり": ("ひきこもり", "引きこもり", "不登校"),
    "DV・虐待": ("暴力", "虐待", "DV"),
    "ケアラー": ("ヤングケアラー", "ダブルケア"),
    "孤立・人間関係": ("孤独", "近所"),
}
_CRISIS = ("死にたい", "殺される", "今日食べるものがない")


def warm_up() -> None:
    """Nothing to load for the placeholder."""


def classify(text: str, districts: Mapping[str, Sequence[str]] | None = None) -> Analysis:
    evidence: dict[str, list[str]] = {}
    for key, words in _WORDS.items():
        hits = [w for w in words if w in text]
        if hits:
            evidence[key] = hits
    crisis_hits = [w for w in _CRISIS if w in text]
    if crisis_hits:
        evidence["緊急"] = crisis_hits
    district = None
    for district_id, names in (districts or {}).items():
        if any(n and n in text for n in names):
            district = district_id
            break
    categories = [k for k in _WORDS if k in evidence]
    return Analysis(
        categories=categories,
        crisis=bool(crisis_hits),
        speaker="本人",
        scores={k: 1.0 for k in categories},
        evidence=evidence,
        district=district,
    )
