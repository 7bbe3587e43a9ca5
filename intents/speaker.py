"""Who is writing, relative to the person whose situation is described.

speaker.tsv gives role evidence: 関係機関 (a professional introducing themselves or their
client), 地域 (neighbour, friend, 民生委員), 家族 (kinship words), and 本人 cues (first person,
a neighbour dispute of one's own). Kinship alone is not enough: the relative must be the one
with the problem (息子がひきこもって → 家族), while one's own parenting or one's own burden as
a carer stays 本人 (taxonomy.md, Speaker).
"""

from __future__ import annotations

from intents.lexicon import Match
from intents.tokens import BREAK, NOUN, Tokens

# Categories that describe the writer's own situation even when a relative is named.
_SELF_CATEGORIES = frozenset({"子育て", "ケアラー"})
_SUBJECT_REACH = 12
# After a kinship word: the relative is the one in the situation (息子が, 母は, 父の) or
# only the one acting on the writer (夫に殴られる, 母から言われる).
_SUBJECT_PARTICLES = frozenset({"が", "は", "も", "の", "って", "ったら", "と"})
_AGENT_PARTICLES = frozenset({"に", "から", "より"})
# Categories where a named relative is usually the one causing it, not suffering it.
_AGENT_CATEGORIES = frozenset({"DV・虐待"})  # words from a kinship word to the problem it is the subject of


# A first sentence "<role>です" / "<place>の者です": the writer introduces themselves by role.
_COMMUNITY_ROLES = ("店員", "店長", "民生委員", "児童委員", "自治会長", "町内会長", "区長", "大家",
                    "管理人", "配達員", "ボランティア", "近所", "隣", "友人", "友達", "住民")
_PRO_ENDINGS = ("士", "師", "員", "医", "官", "者", "頭", "長", "諭", "ナー", "カー", "ャー",
                "センター", "所", "課", "室", "院", "校", "園", "局", "協", "担当", "ケアマネ")
_COPULA = frozenset({"です", "だ", "でござる", "で御座る"})
# After a neighbour/friend word: they are only the writer's company or the one acting on the
# writer (友達もいない, 近所の人に無視される, 友達の家に泊まる) -> the writer's own situation.
_NOT_THEIR_SITUATION = frozenset({"に", "から", "と", "より", "も", "家", "所", "宅"})


def self_introduction(toks: Tokens) -> str | None:
    keys, cls = toks.keys, toks.cls
    n = len(keys)
    end = 0
    while end < n and cls[end] != BREAK and end < 10:
        end += 1
    # the copula closing the first sentence (polite endings after it are fine)
    j = end - 1
    while j > 0 and keys[j] in ("ます", "ござる", "御座る", "おる", "居る", "致す", "て"):
        j -= 1
    if j <= 0 or keys[j] not in _COPULA and not (keys[j] == "為る" and keys[j - 1] == "を"):
        return None
    k = j - 1
    if keys[j] == "為る":  # 保育士をしています
        k = j - 2
    if k >= 1 and keys[k] == "者" and keys[k - 1] == "の":  # 包括の者です
        k -= 2
    elif k >= 0 and keys[k] == "者":  # 相談した者です: a returning resident
        return None
    if k < 0 or cls[k] != NOUN:
        return None
    first = k
    while first > 0 and (cls[first - 1] == NOUN or keys[first - 1] == "・"):
        first -= 1
    word = toks.surface(first, k + 1)
    if any(r in word for r in _COMMUNITY_ROLES):
        return "地域"
    if word.endswith(_PRO_ENDINGS) or keys[k] != word and keys[k].endswith(_PRO_ENDINGS):
        return "関係機関"
    return None


def _their_situation(toks: Tokens, m: Match, sent: list[int]) -> bool:
    """近所のおばあさんが / 隣の部屋から声が: the neighbour or friend is the one reported on;
    not the writer's missing company (友達もいない, 近所とトラブル), a place the writer stays
    (友達の家に泊まる) or the one acting on the writer (近所の人に無視される)."""
    keys, cls, n = toks.keys, toks.cls, len(toks.keys)
    j = m.end
    if j < n and keys[j] in ("も", "と"):
        return False
    steps = 0
    while j < n and steps < 4 and (keys[j] == "の" or cls[j] == NOUN):
        if keys[j] in ("家", "宅", "所"):
            return False
        j += 1
        steps += 1
    if j < n and keys[j] in ("に", "から") and steps:
        s = sent[m.start]
        return not any(keys[t] in ("れる", "られる") and sent[t] == s for t in range(j, n))
    return True


def detect_speaker(toks: Tokens, kept: list[Match], roles: list[Match],
                   categories: list[str], sent: list[int], crisis: list[Match] = ()) -> str:
    intro = self_introduction(toks)
    if intro:
        return intro
    score: dict[str, float] = {}
    for m in roles:
        if m.label == "地域" and m.pattern.weight >= 1 and len(m.pattern.elements) <= 2 \
                and not _their_situation(toks, m, sent):
            continue
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
    if any(m.label == "緊急" and _first_person_ideation(m) for m in crisis):
        return "本人"
    cats = set(categories)
    if not cats:  # 夫から言われる: the relative only acts on the writer
        subject = any(toks.keys[k.end] not in _AGENT_PARTICLES for k in kin if k.end < len(toks))
        return "家族" if subject and score.get("家族", 0.0) >= 1.0 else "本人"
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
            # 認知症の父が / 障害のある兄: the problem named right before the relative
            if 0 <= k.start - m.end <= 3 and keys[k.start - 1] in ("の", "ある", "有る"):
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


def _first_person_ideation(m: Match) -> bool:
    """The writer's own wish to die (死にたい, 消えたい) makes them the subject."""
    return any(e[0] in ("たい", "死ぬう") for e in m.pattern.elements)
