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
_POLITE_AFTER = frozenset({"ます", "ござる", "御座る", "おる", "居る", "致す", "て"})
# After a neighbour/friend word: they are only the writer's company or the one acting on the
# writer (友達もいない, 近所の人に無視される, 友達の家に泊まる) -> the writer's own situation.
_NOT_THEIR_SITUATION = frozenset({"に", "から", "と", "より", "も", "家", "所", "宅"})


def self_introduction(toks: Tokens) -> str | None:
    keys, cls = toks.keys, toks.cls
    head = cls[:10]  # the first sentence, up to ten words
    end = head.index(BREAK) if BREAK in head else len(head)
    # the copula closing the first sentence (polite endings after it are fine)
    j = end - 1
    while j > 0 and keys[j] in _POLITE_AFTER:
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
    # 知り合いが一人もいません, 友達がほしい: company the writer lacks
    if any(keys[t] in ("ない", "欲しい", "ほしい") for t in range(j, min(n, j + 5))):
        return False
    steps = 0
    while j < n and steps < 4 and (keys[j] == "の" or cls[j] == NOUN):
        if keys[j] in ("家", "宅", "所") and j + 1 < n and keys[j + 1] in ("に", "で", "へ"):
            return False  # 友達の家に泊まる: a place the writer stays, not 隣の家、ゴミだらけ
        j += 1
        steps += 1
    s = sent[m.start]
    if any(keys[t] == "呉れる" or keys[t] == "くれる" for t in range(j, min(n, j + 12))
           if sent[t] == s):
        return False
    if j < n and keys[j] in ("に", "から") and steps:
        s = sent[m.start]
        return not any(keys[t] in ("れる", "られる") and sent[t] == s for t in range(j, n))
    return True


# Categories that describe the writer's own household or relations even when a relative is
# named (夫の給料だけでは赤字, 嫁と姑の関係, 娘は東京で寂しい): the relative is not "the one
# with the problem" through them.
_HOUSEHOLD = frozenset({"生活費", "住まい", "税金・公共料金", "食べ物", "孤立・人間関係", "その他",
                        "仕事"})
_CHILDREN = frozenset({"息子", "娘", "長男", "次男", "長女", "次女", "子", "子供", "子ども", "孫",
                       "うち"})
_TOPIC_AFTER = frozenset({"が", "は", "も", "って", "ったら", "、", ",", "，"})
_SELF_WORDS = frozenset({"私", "自分", "僕", "俺", "あたし", "わし", "わたし", "うち", "わたくし"})
_GONE = frozenset({"亡くなる", "無くなる", "死ぬ", "他界", "逝去"})
# after a relative: company, a place or the one acting on the writer (母と二人, 夫に言われる)
_NOT_SUBJECT = frozenset({"と", "に", "から", "より", "を", "で", "へ", "や", "とか", "など"})
# the writer's own household: money, home and relations with them are the writer's own
_SAME_HOUSEHOLD = frozenset({"夫", "主人", "旦那", "妻", "嫁", "家内", "パートナー", "彼氏", "彼女",
                             "息子", "娘", "子", "子供", "子ども", "長男", "長女", "次男", "次女",
                             "家族", "うち"})
_NOT_ABOUT = frozenset({"前", "ため", "為", "分", "代わり", "手前", "声"})
_PARTNERS = frozenset({"夫", "主人", "旦那", "妻", "嫁", "家内", "パートナー", "彼氏", "彼女", "元夫",
                       "元妻", "元彼", "配偶者"})
_ABOUT = frozenset({"電話", "連絡", "相談", "聞く", "ライン", "LINE", "メール"})


def _kin_subjects(toks: Tokens, kin: list[Match]) -> list[tuple[int, Match]]:
    """Relatives the message is about: 息子が / 母は / うちのじいちゃん、 / 娘のことで /
    娘から電話があって. Not a relative who is absent (頼れる家族もいない) or deceased
    (父が亡くなって, 亡くなった父), nor one only named as company (嫁と姑, 母と二人)."""
    keys, n = toks.keys, len(toks.keys)
    out = []
    for k in kin:
        after = keys[k.end] if k.end < n else ""
        nxt = keys[k.end + 1] if k.end + 1 < n else ""
        if k.start and keys[k.start - 1] in _GONE or nxt in _GONE or after in _GONE:
            continue
        if any(keys[j] == "ない" for j in range(k.end, min(n, k.end + 4))) and \
                any(keys[j] == "居る" for j in range(k.end, min(n, k.end + 3))):
            continue
        if after == "に":  # 息子に障害がある (not 夫に殴られる, 母に言われる)
            s = toks.sentences[k.start]
            if any(keys[j] in ("れる", "られる", "言う", "相談") for j in range(k.end, n)
                   if toks.sentences[j] == s):
                continue
        elif after in _NOT_SUBJECT and not (after == "から" and nxt in _ABOUT):
            continue
        if after == "の" and nxt in _NOT_ABOUT:  # 子どもの前でも怒鳴る
            continue
        out.append((k.start, k))
    return out


_SAY = frozenset({"言う", "口", "話す", "書く", "呟く", "漏らす", "叫ぶ", "」"})


def _reported(toks: Tokens, m: Match) -> bool:
    """「いなくなりたい」と口にしていました: someone else's words, quoted."""
    keys = toks.keys
    return any(keys[j] in _SAY for j in range(m.end, min(len(keys), m.end + 3)))


def detect_speaker(toks: Tokens, kept: list[Match], roles: list[Match],
                   categories: list[str], sent: list[int], crisis: list[Match] = ()) -> str:
    intro = self_introduction(toks)
    if intro:
        return intro
    if not roles:  # nothing below can then say anything but 本人
        return "本人"
    score: dict[str, float] = {}
    strong_community = False
    for m in roles:
        if m.label == "地域" and m.pattern.weight < 2 and len(m.pattern.elements) <= 3 \
                and not _their_situation(toks, m, sent):
            continue
        if m.label == "地域" and m.pattern.weight >= 2:
            strong_community = True
        score[m.label] = score.get(m.label, 0.0) + m.pattern.weight
    if score.get("関係機関", 0.0) >= 1.0:
        return "関係機関"
    cats = set(categories)
    if score.get("地域", 0.0) >= 1.0:
        # A role (民生委員, 店員, 見守り活動) reports on someone else; a neighbour or friend merely
        # named in one's own neighbour trouble, loneliness or caring is the writer's own.
        own = "ケアラー" in cats or (
            score.get("本人", 0.0) >= 1.0 and cats <= {"孤立・人間関係", "その他"})
        if strong_community or not own:
            return "地域"
    kin = [m for m in roles if m.label == "家族"]
    if not kin:
        return "本人"
    if not cats and not crisis:  # no concern: 本人 unless a role is given (taxonomy)
        return "本人"
    if "ケアラー" in cats:
        return "本人"
    if any(m.label == "緊急" and _first_person_ideation(m) and not _reported(toks, m)
           for m in crisis):
        return "本人"
    subjects = _kin_subjects(toks, kin)
    keys = toks.keys
    selves = [m.start for m in roles if m.label == "本人" and keys[m.start] in _SELF_WORDS
              and (keys[m.end - 1] in ("が", "は", "も")
                   or m.end < len(keys) and keys[m.end] in ("が", "は", "も"))]
    if "DV・虐待" in cats:  # a violent partner is not "the one with the problem"
        subjects = [(p, k) for p, k in subjects if keys[k.start] not in _PARTNERS
                    and toks.surface(k.start, k.end) not in _PARTNERS]
    if not cats:  # a crisis about someone: 息子が帰ってこない
        return "家族" if subjects else "本人"
    person = cats - _SELF_CATEGORIES - _HOUSEHOLD
    for m in kept:
        if m.label in _SELF_CATEGORIES or m.label not in cats:
            continue
        # 認知症の父が / 障害のある兄: the problem named right before the relative
        for k in kin:
            if 0 <= k.start - m.end <= 3 and keys[k.start - 1] in ("の", "ある", "有る") \
                    and m.label not in _HOUSEHOLD:
                return "家族"
        if m.label not in person:
            # a parent's unpaid bill, a mother's ゴミ屋敷, a father's loneliness: a relative
            # outside the writer's household, right before it in the same sentence
            for pos, k in subjects:
                if m.label == "孤立・人間関係" and keys[k.end] not in ("が", "は", "も"):
                    continue  # 姑の関係, 母との仲: the writer's own relations
                if sent[pos] == sent[m.start] and 0 <= m.start - k.end <= _SUBJECT_REACH \
                        and (keys[k.start] not in _SAME_HOUSEHOLD
                             and toks.surface(k.start, k.end) not in _SAME_HOUSEHOLD
                             or m.label == "仕事" and m.start - k.end <= 6
                             and keys[k.start] not in _PARTNERS):
                    return "家族"  # 息子が仕事を辞めて (but not 夫の給料だけでは)
            continue
        # the nearest subject before the problem: a relative (家族) or the writer (本人)
        best, who = -1, None
        for pos, k in subjects:
            if pos < m.start and pos > best or m.start <= pos < m.end:
                best, who = pos, k
        for pos in selves:
            if best < pos < m.start:
                best, who = pos, None
        if who is None:
            # a problem named right before the relative (病気の母)
            continue
        if m.label in _AGENT_CATEGORIES:
            # the relative harms: the writer is the victim (本人), unless the relative is the
            # victim (娘が殴られて) or a child of the writer is the one acting (息子が暴れる)
            if _passive(toks, m) or keys[who.start] in _CHILDREN or \
                    toks.surface(who.start, who.end) in _CHILDREN:
                return "家族"
            continue
        return "家族"
    return "本人"


def _passive(toks: Tokens, m) -> bool:
    """殴られている, 暴力を受けている: the relative before it is the victim."""
    end = min(len(toks.keys), m.end + 3)
    return any(k in ("れる", "られる", "受ける") for k in toks.keys[m.start:end])


def _first_person_ideation(m: Match) -> bool:
    """The writer's own wish to die (死にたい, 消えたい) makes them the subject."""
    return any(e[0] in ("たい", "死ぬう") for e in m.pattern.elements)
