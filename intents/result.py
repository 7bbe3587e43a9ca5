"""What the classifier says about one message. The conversation engine, routing and the
console read this; `tsunagu classify` prints it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CATEGORIES: tuple[str, ...] = (
    "住まい", "生活費", "借金", "税金・公共料金", "食べ物", "仕事", "介護", "障がい",
    "病気・健康", "こころ", "子育て", "ひきこもり", "DV・虐待", "ケアラー",
    "孤立・人間関係", "その他",
)
CRISIS = "緊急"
SPEAKERS: tuple[str, ...] = ("本人", "家族", "地域", "関係機関")


@dataclass(frozen=True)
class Analysis:
    """One message, understood.

    categories: taxonomy keys, highest score first (empty when there is no concern).
    evidence: "<category or 緊急>" -> the words as the resident wrote them.
    age_band: a coarse band for routing ("child", "youth", "adult", "senior") or None.
    district: a district id of the municipality whose districts were passed in, or None.
    crisis_kinds: what the lexicons' 緊急 rests on ("こころ" for ideation, self-harm or an
        overdose, "DV・虐待", else the context its row needed, such as "@子"); for the
        learned layer, not printed.
    """

    categories: list[str]
    crisis: bool
    speaker: str
    scores: dict[str, float] = field(default_factory=dict)
    evidence: dict[str, list[str]] = field(default_factory=dict)
    age_band: str | None = None
    district: str | None = None
    crisis_kinds: frozenset[str] = field(default=frozenset(), compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "categories": list(self.categories),
            "crisis": self.crisis,
            "speaker": self.speaker,
            "scores": dict(self.scores),
            "evidence": {k: list(v) for k, v in self.evidence.items()},
            "age_band": self.age_band,
            "district": self.district,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Analysis:
        return cls(
            categories=list(data.get("categories", [])),
            crisis=bool(data.get("crisis", False)),
            speaker=data.get("speaker", "本人"),
            scores=dict(data.get("scores", {})),
            evidence={k: list(v) for k, v in data.get("evidence", {}).items()},
            age_band=data.get("age_band"),
            district=data.get("district"),
        )
