"""Who is writing, relative to the person whose situation is described.

speaker.tsv gives role evidence: 関係機関 (a professional introducing themselves or their
client), 地域 (neighbour, friend, 民生委員), 家族 (kinship words), and 本人 cues (first person,
a neighbour dispute of one's own). Kinship alone is not enough: the relative must be the one
with the problem (息子がひきこもって → 家族), while one's own parenting or one's own burden as
a carer stays 本人 (taxonomy.md, Speaker).
"""

from __future__ import annotations

from intents.lexicon import Match
from intents.tokens import Tokens

# Categories that describe the writer's own situation even when a relative is named.
_SELF_CATEGORIES = frozenset({"子育て", "ケアラー"})
_SUBJECT_REACH = 12
# After a kinship word: the relative is the one in the situation (息子が, 母は, 父の) or
# only the one acting on the writer (夫に殴られる, 母から言われる).
_SUBJECT_PARTICLES = frozenset({"が", "は", "も", "の", "って", "ったら", "と"})
_AGENT_PARTICLES = frozenset({"に", "から", "より"})
# Categories where a named relative is usually the one causing it, not suffering it.
_AGENT_CATEGORIES = frozenset({"DV・虐待"})  # words from a kinship word to the problem it is the subject of


def detect_speaker(toks: Tokens, kept: list[Match], roles: list[Match],
                   categories: list[str], sent: list[int]) -> str:
    score: dict[str, float] = {}
    for m in roles:
        score[m.label] = score.get(m.label, 0.0) + m.pattern.weight
    if score.get("関係機関", 0.0) >= 1.0:
        return "関係機関"
    if score.get("地域", 0.0) >= 1.0:
        # A neighbour dispute of one's own is 本人.
        if score.get("本人", 0.0) >= 1.0 and set(categories) <= {"孤立・人間関係"}:
            return "本人"
        return "地域"
    kin = [m for m in roles if m.label == "家族"]
    if not kin:
        return "本人"
    if "ケアラー" in categories:
        return "本人"
    cats = set(categories)
    if not cats:
        return "家族" if score.get("家族", 0.0) >= 1.0 else "本人"
    if cats <= _SELF_CATEGORIES:
        return "本人"
    # Is a relative the subject of a problem in the same sentence?
    keys = toks.keys
    for k in kin:
        after = keys[k.end] if k.end < len(keys) else ""
        if after in _AGENT_PARTICLES:
            continue
        for m in kept:
            if m.label in _SELF_CATEGORIES or m.label not in cats:
                continue
            if m.label in _AGENT_CATEGORIES and not _passive(toks, m):
                continue
            if sent[m.start] == sent[k.start] and -2 <= m.start - k.end <= _SUBJECT_REACH:
                return "家族"
            if m.start <= k.start < m.end:
                return "家族"
    # The relative is named but every problem is the writer's own (household money, a
    # violent husband, ...).
    return "本人"


def _passive(toks: Tokens, m) -> bool:
    """殴られている, 暴力を受けている: the relative before it is the victim."""
    end = min(len(toks.keys), m.end + 3)
    return any(k in ("れる", "られる", "受ける") for k in toks.keys[m.start:end])
