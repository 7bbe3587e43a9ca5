"""Who is writing, relative to the person whose situation is described.

speaker.tsv gives role evidence: 関係機関 (a professional introducing themselves or their
client), 地域 (neighbour, friend, 民生委員), 家族 (kinship words), and 本人 cues (first person,
a neighbour dispute of one's own). Kinship alone is not enough: the relative must be the one
with the problem (息子がひきこもって → 家族), while one's own parenting or one's own burden as
a carer stays 本人 (taxonomy.md, Speaker).
"""

from __future__ import annotations

import re

from intents.lexicon import Match
from intents.tokens import AUX, BREAK, CONJ, NOUN, VERB, Tokens

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
_COMMUNITY_PLACES = ("食堂", "サロン", "スーパー", "コンビニ", "商店", "店", "自治会", "町内会", "老人クラブ",
                     "見守り", "生協", "コーチ", "少年", "野球", "サッカー", "クラブ", "教室", "習い事",
                     "ドラッグストア", "レジ", "配達", "ホームセンター", "ショッピングセンター")
_COMMUNITY = re.compile("|".join(map(re.escape, _COMMUNITY_ROLES + _COMMUNITY_PLACES)))  # any of
_PRO_ENDINGS = ("士", "師", "員", "医", "官", "者", "頭", "長", "諭", "ナー", "カー", "ャー",
                "センター", "所", "課", "室", "院", "校", "園", "局", "協", "担当", "ケアマネ")
# Resident identities that end like a job title (会社員です, 高齢者です, 漁師をしています).
_RESIDENT = ("会社員", "社員", "従業員", "公務員", "作業員", "会員", "組合員", "高齢者", "障害者",
             "障がい者", "受給者", "生活者", "若者", "当事者", "被害者", "患者", "利用者", "漁師",
             "猟師", "美容師", "理容師", "調理師", "庭師", "大工", "長男", "長女", "世帯主")
# Institutions a professional introduces themselves from (不動産会社の者です, サポートデスクです).
_PRO_PLACES = ("保護司", "ナビゲーター", "社", "デスク", "窓口", "ステーション", "事務所", "クリニック", "病院", "薬局", "法人",
               "協会", "機構", "警察", "署", "スタッフ", "職員", "部門", "係", "班", "カウンセラー",
               "協議会", "連携室")
_PRO_NAMES = ("ハローワーク", "包括", "社協", "保健所", "役所", "役場", "センター", "病院", "学校",
              "事業所", "施設")
_COPULA = frozenset({"です", "だ", "でござる", "で御座る"})
# 自治会長しとります, 民生委員やってます, スーパーで働いてます, コンビニでバイトしてます
_DOING = frozenset({"為る", "遣る", "やる", "働く", "勤める", "勤務", "バイト", "パート"})
_POLITE_AFTER = frozenset({"ます", "ござる", "御座る", "おる", "居る", "致す", "て", "ん", "の",
                           "けれど", "が", "けど", "よる", "ちょる", "とる", "てる", "ちょ", "り"})
# 自治会長しとります, 大家しちょります (without を): only a title, not 入院しています
_ROLE_ENDINGS = ("長", "員", "士", "師", "ケアマネ", "大家", "管理人", "コーチ", "役員", "司")
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
    if j <= 0 or keys[j] not in _COPULA and keys[j] not in _DOING:
        return None
    k = j - 1
    if keys[j] in _DOING and keys[k] in ("を", "で"):  # 保育士をしています, スーパーで働いてます
        k = j - 2
    elif keys[j] in _DOING and (k < 0 or cls[k] != NOUN or not toks.surface(k, k + 1).endswith(
            _ROLE_ENDINGS) and not _COMMUNITY.search(toks.surface(k, k + 1))):
        return None  # 入院しています, 心配しています: an activity, not a role
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
    # 子ども食堂のスタッフです / スーパーの者です: whose staff the writer is
    owner = ""
    if first >= 2 and keys[first - 1] == "の" and cls[first - 2] == NOUN:
        o = first - 2
        while o > 0 and cls[o - 1] == NOUN:
            o -= 1
        owner = toks.surface(o, first - 1)
    if _COMMUNITY.search(word) or _COMMUNITY.search(owner):
        return "地域"
    if word.endswith(_RESIDENT):
        return None
    if owner.endswith(_PRO_NAMES):  # ハローワークの就職支援ナビゲーター
        return "関係機関"
    if word.endswith(_PRO_ENDINGS + _PRO_PLACES) or \
            keys[k] != word and keys[k].endswith(_PRO_ENDINGS):
        return "関係機関"
    return None


def _their_situation(toks: Tokens, m: Match, sent: list[int]) -> bool:
    """近所のおばあさんが / 隣の部屋から声が: the neighbour or friend is the one reported on;
    not the writer's missing company (友達もいない, 近所の人と話したい), a place the writer
    stays (友達の家に泊まる, 友達んち), something borrowed (友達の携帯から), the one the writer
    tells or is acted on by (友達に言えない, 近所の人に無視される, うちのドアを叩いてくる),
    a comparison (友達はみんな) or a description (相手も同級生です)."""
    keys, cls, n = toks.keys, toks.cls, len(toks.keys)
    j = m.end
    if j < n and (keys[j] in ("も", "と", "に") or keys[j] in ("です", "だ")
                  and toks.surface(j, j + 1) != "な"):
        return False
    # 知り合いが一人もいません, 友達がほしい: company the writer lacks
    if any(keys[t] in ("ない", "欲しい", "ほしい", "みんな", "皆", "ゼロ", "少ない")
           for t in range(j, min(n, j + 5))):
        return False
    if j + 1 < n and keys[j] == "ん" and keys[j + 1] in ("ち", "とこ", "所", "ところ"):
        return False  # 友達んち, ツレんとこ
    steps = 0
    while j < n and steps < 4 and (keys[j] == "の" or cls[j] == NOUN):
        if keys[j] in ("家", "宅", "所", "とこ", "ところ") and j + 1 < n and \
                keys[j + 1] in ("に", "で", "へ"):
            return False  # 友達の家に泊まる: a place the writer stays, not 隣の家、ゴミだらけ
        if keys[j] in _BORROWED or keys[j] in ("こと", "空き家", "保証人"):
            return False
        j += 1
        steps += 1
    if j < n and (keys[j] == "と" or keys[j] in ("です", "だ") and toks.surface(j, j + 1) != "な"):
        return False
    s = sent[m.start]
    for t in range(j, min(n, j + 12)):
        if sent[t] != s:
            break
        if keys[t] in ("呉れる", "くれる"):
            return False
        if t + 1 < n and (keys[t] == "うち" and keys[t + 1] in ("の", "に", "を")
                          or keys[t] in _SELF_WORDS and keys[t + 1] in ("に", "を")):
            return False  # うちのドアを叩いてくる: the neighbour acts on the writer
    if j < n and keys[j] in ("に", "から") and steps:
        return not any(keys[t] in ("れる", "られる") and sent[t] == s for t in range(j, n))
    return True


def _next(toks: Tokens, i: int) -> str:
    """The word at i, skipping a parenthesis (後輩(20代)が)."""
    keys, n = toks.keys, len(toks.keys)
    if i < n and keys[i] == "(":
        while i < n and keys[i] != ")":
            i += 1
        i += 1
    return keys[i] if i < n else ""


def _suffers(toks: Tokens, m: Match) -> bool:
    """同僚が上司から毎日ひどいこと言われてて: the coworker named as subject suffers."""
    keys, n, sent = toks.keys, len(toks.keys), toks.sentences
    if _next(toks, m.end) not in ("が", "は", "、"):
        return False
    return any(keys[t] in ("れる", "られる") for t in range(m.end, n) if sent[t] == sent[m.start])


_BORROWED = frozenset({"携帯", "スマホ", "電話", "パソコン", "車"})
# Coworkers: in one's own work trouble (先輩が怖い, 上司に怒鳴られる) they are the writer's own.
_COWORKERS = frozenset({"先輩", "後輩", "同僚", "上司", "仲間"})


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
_PASSED = frozenset({"亡くなる", "他界", "逝去"})  # 父はもう亡くなりました
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
_KIN_AFTER = frozenset({"の", "母", "父", "両親", "親"})
_EX = frozenset({"元夫", "元妻", "元彼", "元カレ", "元嫁", "元カノ"})
# 親に内緒で, 夫に隠れて, 息子に怒鳴ってしまう: the relative is who the writer hides from or acts on
_TO_KIN = frozenset({"れる", "られる", "言う", "相談", "内緒", "隠れる", "隠す", "黙る", "話す",
                     "頼る", "頼む", "迷惑", "怒鳴る", "怒鳴り散らす", "叩く", "殴る", "当たる",
                     "仕舞う", "手", "バレる", "ばれる", "知られる"})
_HONORED = frozenset({"息子", "娘", "孫", "親", "子", "奥", "お子", "兄弟", "姉妹"})
_HONORED_PREFIX = frozenset({"主人", "家族", "両親", "子", "子供", "子ども", "孫", "兄弟", "姉妹",
                             "夫婦", "親族"})


def _kin_subjects(toks: Tokens, kin: list[Match]) -> list[tuple[int, Match]]:
    """Relatives the message is about: 息子が / 母は / うちのじいちゃん、 / 娘のことで /
    娘から電話があって. Not a relative who is absent (頼れる家族もいない) or deceased
    (父が亡くなって, 亡くなった父), nor one only named as company (嫁と姑, 母と二人), a place
    (姉の家に泊まる, 実家を出たい) or the one the writer hides from (親に内緒で, 夫に隠れて)."""
    keys, n = toks.keys, len(toks.keys)
    out = []
    for k in kin:
        after = keys[k.end] if k.end < n else ""
        nxt = keys[k.end + 1] if k.end + 1 < n else ""
        nxt2 = keys[k.end + 2] if k.end + 2 < n else ""
        if k.start and keys[k.start - 1] in _GONE or nxt in _GONE or after in _GONE or \
                nxt2 in _PASSED or k.end + 3 < n and keys[k.end + 3] in _PASSED or \
                k.start > 1 and keys[k.start - 1] == "た" and keys[k.start - 2] in _GONE:
            continue
        if keys[k.start] in _EX or k.start and keys[k.start - 1] == "元":
            continue  # an ex-partner: what they do to the writer is the writer's own matter
        if keys[k.start] == "実家" and (after not in ("が", "は", "も") or nxt in _KIN_AFTER):
            continue  # 実家を出たい, 実家の母に (the mother decides), not 実家がゴミ屋敷
        if _in_quote(toks, k.start):
            continue  # 「子ども連れて行く」ってLINEが来る: someone else's words
        if after in ("が", "も") and (nxt == "居る" or nxt2 == "居る" and nxt.endswith("人")):
            continue  # 孫もおるし, 子どもが2人いる: having them, not their trouble
        if any(keys[j] == "ない" for j in range(k.end, min(n, k.end + 4))) and \
                any(keys[j] == "居る" for j in range(k.end, min(n, k.end + 3))):
            continue
        if after == "に":  # 息子に障害がある (not 夫に殴られる, 母に言われる, 親に内緒で)
            s = toks.sentences[k.start]
            if any(keys[j] in _TO_KIN for j in range(k.end, n) if toks.sentences[j] == s):
                continue
        elif after in _NOT_SUBJECT and not (after == "から" and nxt in _ABOUT):
            continue
        if after == "の" and nxt in _NOT_ABOUT:  # 子どもの前でも怒鳴る
            continue
        if after == "の" and nxt in ("家", "宅", "所", "ところ") and nxt2 in ("に", "で", "へ") \
                or after == "ん" and nxt == "ち":  # 姉の家に泊めてもらう, 兄んちにいる
            continue
        out.append((k.start, k))
    return out


def _in_quote(toks: Tokens, i: int) -> bool:
    """Word i lies inside 「…」 or 『…』."""
    return toks.quoted[i]


_YOU = frozenset({"お前", "御前", "お前ら", "あんた", "てめえ", "貴様", "おまえ"})


def _quote_at_writer(toks: Tokens, i: int) -> bool:
    """「お前ら全員道連れにする」: a quote addressed to the writer (a threat), not a relative's
    own trouble in their words."""
    keys = toks.keys
    lo = i
    while lo > 0 and keys[lo - 1] not in ("「", "『"):
        lo -= 1
    hi = i
    while hi < len(keys) and keys[hi] not in ("」", "』"):
        hi += 1
    return any(keys[t] in _YOU for t in range(lo, hi))


def _honorific(toks: Tokens, k: Match) -> bool:
    """息子さん, ご主人, お孫さん, 親御さん: someone else's family, never the writer's."""
    keys = toks.keys
    head = keys[k.start]
    if k.end < len(keys) and keys[k.end] in ("さん", "様", "御") and head in _HONORED:
        return True
    if k.start > 0 and keys[k.start - 1] == "御" and head in ("爺", "婆") and \
            keys[k.end - 1] == "さん":
        return True  # 近所のおじいさん (one's own is おじいちゃん, 祖父)
    return k.start > 0 and keys[k.start - 1] == "御" and head in _HONORED_PREFIX


_SAY = frozenset({"言う", "口", "話す", "書く", "呟く", "漏らす", "叫ぶ", "」", "』", "繰り返す",
                  "口癖"})


def _reported(toks: Tokens, m: Match) -> bool:
    """「いなくなりたい」と口にしていました: someone else's words, quoted."""
    keys = toks.keys
    return _in_quote(toks, m.start) or \
        any(keys[j] in _SAY for j in range(m.end, min(len(keys), m.end + 3)))


def detect_speaker(toks: Tokens, kept: list[Match], roles: list[Match],
                   categories: list[str], sent: list[int], crisis: list[Match] = ()) -> str:
    intro = self_introduction(toks)
    if intro == "関係機関" and _own_work(toks, categories):
        return "本人"
    if intro:
        return intro
    if not roles:  # nothing below can then say anything but 本人
        return "本人"
    cats = set(categories)
    keys = toks.keys
    # 息子さん, ご主人: someone else's family; counted by their 地域 rows, not as kin
    roles = [m for m in roles if m.label != "家族" or not _honorific(toks, m)]
    score: dict[str, float] = {}
    strong_community = subject_community = False
    for m in roles:
        if m.label == "地域" and m.pattern.weight < 2 and len(m.pattern.elements) <= 3 \
                and not _their_situation(toks, m, sent):
            continue
        if m.label == "地域" and (keys[m.end - 1] in _COWORKERS or keys[m.start] == "職場") \
                and "仕事" in cats and not _suffers(toks, m):
            continue  # 先輩が怖い, 上司に怒鳴られる: the writer's own work trouble
        if m.label == "地域" and m.pattern.weight >= 2:
            strong_community = True
        if m.label == "地域" and _next(toks, m.end) in ("が", "は", "って", "、") \
                and any(keys[t] in _CARING for t in range(m.end, len(keys))
                        if sent[t] == sent[m.start]):
            subject_community = True  # 同僚が親の介護で休みがち: the neighbour is the carer
        if m.label in _SPEAKERS:
            score[m.label] = score.get(m.label, 0.0) + m.pattern.weight
    if score.get("関係機関", 0.0) >= 1.0:
        return "関係機関"
    if score.get("地域", 0.0) >= 1.0:
        # A role (民生委員, 店員, 見守り活動) reports on someone else; a neighbour or friend merely
        # named in one's own neighbour trouble, loneliness or caring is the writer's own.
        dispute = any(m.label == "本人" and keys[m.start] not in _SELF_WORDS for m in roles)
        own = "ケアラー" in cats and not subject_community or score.get("本人", 0.0) >= 1.0 and (
            cats <= {"孤立・人間関係", "その他"} or dispute and cats <= _DISPUTE)
        if strong_community or not own:
            return "地域"
    kin = [m for m in roles if m.label == "家族"]
    if not kin:
        return "本人"
    if not cats and not crisis:  # no concern: 本人 unless a role is given (taxonomy)
        # ... or a relative is plainly the one in trouble (じいちゃんが夜中に出ていこうとする)
        subjects = _kin_subjects(toks, kin)
        states = [m.start for m in roles if m.label == "状態"]
        return "家族" if any(p < st and sent[st] == sent[p] for p, _ in subjects
                              for st in states) else "本人"
    if "ケアラー" in cats:  # the writer's own caring, unless their child is the carer
        return "家族" if _child_carer(toks, kin) else "本人"
    if any(m.label == "緊急" and _first_person_ideation(m) and not _reported(toks, m)
           for m in crisis):
        return "本人"
    if _own_quarrel(toks, kin):
        return "本人"  # 兄と父の介護のことでもめて: the writer's own quarrel
    subjects = _kin_subjects(toks, kin)
    selves = [m.start for m in roles if m.label == "本人" and keys[m.start] in _SELF_WORDS
              and not _in_quote(toks, m.start)
              and (keys[m.end - 1] in ("が", "は", "も")
                   or m.end < len(keys) and keys[m.end] in ("が", "は", "も"))]
    if "DV・虐待" in cats:
        dv = _dv_speaker(toks, kin, subjects, selves)
        if dv:
            return dv
        # a violent partner is not "the one with the problem"
        subjects = [(p, k) for p, k in subjects if keys[k.start] not in _PARTNERS
                    and toks.surface(k.start, k.end) not in _PARTNERS]
    if cats & _MONEY and "借金" not in cats:
        # a partner's illness, job loss, gambling or stinginess that strains the household
        subjects = [(p, k) for p, k in subjects if keys[k.start] not in _PARTNERS]
    subjects = [(p, k) for p, k in subjects if not _fails_writer(toks, k)]
    if not cats:  # a crisis about someone: 息子が帰ってこない
        named = [(p, k) for p, k in subjects if keys[k.end] in _TOPIC_AFTER]  # not 弟ないてる
        return "家族" if named or subjects and _about_relative(
            toks, roles, crisis, subjects, selves, kept) else "本人"
    own = _SELF_CATEGORIES if not any(keys[k.start] in ("孫", "孫娘", "孫息子") for _, k in subjects) \
        else frozenset({"ケアラー"})  # a grandchild's trouble is not the writer's own parenting
    if subjects and (cats - own - {"DV・虐待", "孤立・人間関係"} or crisis) \
            and _about_relative(toks, roles, crisis, subjects, selves, kept):
        return "家族"
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
        if who is not None and keys[who.end] == "が" and _conditional(toks, who.end, m.end):
            who = None  # 赤ちゃんが泣くとイライラする: the relative only sets off the writer's
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


_MONEY = frozenset({"生活費", "住まい", "税金・公共料金", "食べ物"})
_SPEAKERS = frozenset({"本人", "家族", "地域", "関係機関"})
# Categories a neighbour dispute of one's own comes with (隣がうるさくて眠れない).
_DISPUTE = frozenset({"孤立・人間関係", "その他", "こころ", "住まい"})
# Someone other than the writer is the one a professional writes about.
_CLIENT_WORDS = frozenset({"方", "利用者", "患者", "子", "児童", "生徒", "男性", "女性", "世帯",
                           "家庭", "宅", "ケース", "本人", "高齢", "母親", "父親", "保護者",
                           "入居者", "相談者", "クライアント", "住民", "お年寄り", "男の子",
                           "女の子", "園児", "家族", "親御", "お子さん", "対象者", "相手"})
_OWN_WORK = frozenset({"仕事", "こころ", "病気・健康", "生活費", "借金"})


def _own_work(toks: Tokens, categories: list[str]) -> bool:
    """看護師です。夜勤がつらくて辞めたい: a professional about their own job, no client named."""
    cats = set(categories)
    return bool(cats) and cats <= _OWN_WORK and not _CLIENT_WORDS.intersection(toks.keys)


_CARING = frozenset({"世話", "家事", "介護", "送り迎え", "付き添い", "看病", "代わり", "部活",
                     "進学", "面倒", "身の回り"})
_ILL = frozenset({"障害", "障がい", "病気", "難病", "病", "認知症", "癌", "がん", "発達障害"})


def _child_carer(toks: Tokens, kin: list[Match]) -> bool:
    """娘が私の病気のせいで部活を辞めた / 孫が祖母の世話をしていて: the writer's child or
    grandchild is the young carer (家族), not the writer."""
    keys, n, sent = toks.keys, len(toks.keys), toks.sentences
    for i, k in enumerate(keys[:-1]):
        if k in _SELF_WORDS and keys[i + 1] in ("が", "は") and k != "うち":
            return False  # わしが介護して: the writer cares
        if k == "うち" and keys[i + 1] == "が":
            return False
    for k in kin:
        if keys[k.start] not in _CHILDREN and toks.surface(k.start, k.end) not in _CHILDREN:
            continue
        j = k.end
        if j < n and keys[j] == "(":  # うちの子（高2）が
            while j < n and keys[j] != ")":
                j += 1
            j += 1
        if j >= n or keys[j] not in ("が", "は", "も", "、"):
            continue
        if any(keys[t] in _ILL for t in range(j, min(n, j + 4))):
            continue  # 娘が難病で: the child is the one cared for
        if any(keys[t] in _CARING or keys[t] in _SELF_WORDS and keys[t + 1] == "の"
               for t in range(j, n - 1) if sent[t] == sent[k.start]):
            return True
    return False


_BODY = frozenset({"腕", "顔", "体", "身体", "足", "頭", "背中", "あざ", "痣", "傷", "怪我"})
_RELAYED = frozenset({"電話", "連絡", "LINE", "ライン", "メール", "メッセージ"})


def _dv_speaker(toks: Tokens, kin: list[Match], subjects, selves) -> str | None:
    """Who the harm is done to. A relative harmed by another relative or by staff (義父が義母を
    怒鳴る, 兄が母に金をせびる, 施設の母の腕にあざ, 母から「父が殴る」と連絡) -> 家族; the writer
    or their partner harmed by the writer's child (息子が私を叩く, 息子が暴れて主人が殴られた) -> 本人."""
    keys, n, sent = toks.keys, len(toks.keys), toks.sentences
    for t in range(n - 2):  # 私も蹴られた, 私を叩く: the writer is harmed as well
        if keys[t] in _SELF_WORDS and keys[t + 1] in ("も", "が", "は", "を") and any(
                keys[u] in ("れる", "られる") for u in range(t + 2, min(n, t + 6))) or \
                keys[t] in _SELF_WORDS and keys[t + 1] == "を":
            return "本人"
    for k in kin:
        after = keys[k.end] if k.end < n else ""
        nxt = keys[k.end + 1] if k.end + 1 < n else ""
        if after == "から" and nxt in _RELAYED:
            return "家族"
        if after == "の" and nxt in _BODY:
            return "家族"
    agents = [k for _, k in subjects if keys[k.end] in ("が", "は")]
    for a in agents:
        child = keys[a.start] in _CHILDREN or toks.surface(a.start, a.end) in _CHILDREN
        s = sent[a.start]
        if child:
            for t in range(a.end, n - 1):
                if sent[t] != s and keys[t - 1] != "、":
                    break
                if keys[t] in _SELF_WORDS and keys[t + 1] in ("を", "に", "の") or \
                        keys[t] in ("呉れる", "くれる") and keys[t + 1] == "ない" or \
                        keys[t] == "親" and keys[t + 1] == "を" or \
                        keys[t] in _PARTNERS and keys[t + 1] in ("が", "は") and any(
                            keys[u] in ("れる", "られる") for u in range(t + 2, min(n, t + 6))):
                    return "本人"
            continue
        if keys[a.start] in _PARTNERS:
            continue
        for b in kin:
            if b.start > a.end and sent[b.start] == s and b.end < n and \
                    keys[b.end] in ("を", "に") and keys[b.start] not in _PARTNERS:
                return "家族"
        for b in kin:  # 父が暴れとる　母殴られてる: another relative is harmed
            if b.start > a.end and b.end < n and keys[b.end] != "に" and any(
                    keys[u] in ("れる", "られる") for u in range(b.end, min(n, b.end + 4))):
                return "家族"
    return None


def _fails_writer(toks: Tokens, k: Match) -> bool:
    """夫がお金を渡してくれない: a partner failing the writer, not a partner with a problem."""
    keys, n, sent = toks.keys, len(toks.keys), toks.sentences
    if keys[k.start] not in _PARTNERS:
        return False
    return any(keys[t] in ("呉れる", "くれる") and keys[t + 1] == "ない"
               or keys[t] in _SELF_WORDS and keys[t + 1] == "の"  # 夫が私の年金を使う
               for t in range(k.end, n - 1) if sent[t] == sent[k.start])


_HEARSAY_BEFORE = frozenset({"た", "居る", "ない", "だ", "です", "いる", "てる", "為る", "ます"})


_HEARSAY_WORDS = frozenset({"そう", "らしい", "みたい", "よう", "こと", "本人"})  # _hearsay's words


def _hearsay(toks: Tokens, i: int) -> bool:
    """言われたそうです, 休みがちらしい, とのこと, 本人は: words that report on someone else."""
    keys, cls, n = toks.keys, toks.cls, len(toks.keys)
    k = keys[i]
    if k == "そう":
        return i > 0 and cls[i] == NOUN and (keys[i - 1] in _HEARSAY_BEFORE or cls[i - 1] == VERB)
    if k == "らしい":
        return cls[i] == AUX
    if k in ("みたい", "よう"):  # 見つからないみたい, 食べていないようです (not 夢のよう)
        return i > 0 and keys[i - 1] in _HEARSAY_BEFORE
    if k == "こと":
        return i > 1 and keys[i - 1] == "の" and keys[i - 2] == "と"
    if k == "本人":
        return i + 1 < n and keys[i + 1] in ("は", "が", "も") and (i == 0 or keys[i - 1] != "御")
    return False


def _about_relative(toks: Tokens, roles: list[Match], crisis, subjects, selves,
                    kept: list[Match] = ()) -> bool:
    """The relative is the one in the situation: a state of their body or life follows them
    (娘が帰ってこない, 母が同じ話ばかり, 夫がいなくなった), their words are quoted (「死ぬ」と
    言って), what is told is hearsay (〜そうです, らしい), or the message is announced as about
    them (主人のことで。)."""
    keys, n, sent = toks.keys, len(toks.keys), toks.sentences
    first = min(p for p, _ in subjects)
    for p, k in subjects:
        if k.end + 1 < n and keys[k.end] == "の" and keys[k.end + 1] == "こと" and sent[p] == 0:
            return True  # 主人のことで。/ 母のことなんですけど
    states = [m.start for m in roles if m.label == "状態"]
    ends = [m.end for m in roles if m.label == "状態"]
    for p, k in subjects:
        if any(0 <= p - e <= 2 and all(keys[t] in ("た", "の", "居る", "て") for t in range(e, p))
               for e in ends):
            return True  # 倒れた母、 / いなくなった娘: the state names the relative
        # 旦那、『仕事やめたい』が口癖: a concern in the relative's quoted words
        if any(m.start > p and _in_quote(toks, m.start) and sent[m.start] == sent[p]
               and not _quote_at_writer(toks, m.start) for m in kept):
            return True
        for st in states:
            if p < st and sent[st] == sent[p] and st - p <= 20 and \
                    not any(p < q < st for q in selves):
                return True
    if any(m.label == "緊急" and _reported(toks, m) and m.start > first
           and not (_in_quote(toks, m.start) and _quote_at_writer(toks, m.start)) for m in crisis):
        return True
    return any(keys[i] in _HEARSAY_WORDS and _hearsay(toks, i)
               and not any(first < q < i for q in selves) for i in range(first + 1, n))


_QUARREL = frozenset({"言い合い", "揉める", "もめる", "喧嘩", "ケンカ", "口論", "絶縁", "押し付け合い"})


def _own_quarrel(toks: Tokens, kin: list[Match]) -> bool:
    """兄ともめて / 母と喧嘩: the writer quarrels with a relative (not 父と兄が口をきかない)."""
    keys, n, sent = toks.keys, len(toks.keys), toks.sentences
    for k in kin:
        if k.end < n and keys[k.end] == "と":
            s = sent[k.start]
            span = [t for t in range(k.end, min(n, k.end + 12)) if sent[t] == s]
            if any(keys[t] in _QUARREL for t in span) and \
                    not any(m.end < n and keys[m.end] in ("が", "は") and sent[m.start] == s
                            for m in kin):
                return True
    return False


def _conditional(toks: Tokens, a: int, b: int) -> bool:
    """A conditional clause (泣くと, 泣いたら, 泣けば) between words a and b."""
    keys, cls = toks.keys, toks.cls
    return any((cls[t] == CONJ and keys[t] in ("と", "ば")
                or keys[t] == "た" and toks.surface(t, t + 1) == "たら") and cls[t - 1] == VERB
               for t in range(a + 1, min(b, a + 5)))


def _passive(toks: Tokens, m) -> bool:
    """殴られている, 暴力を受けている: the relative before it is the victim."""
    end = min(len(toks.keys), m.end + 3)
    return any(k in ("れる", "られる", "受ける") for k in toks.keys[m.start:end])


def _first_person_ideation(m: Match) -> bool:
    """The writer's own wish to die (死にたい, 消えたい) makes them the subject."""
    return any(e[0] in ("たい", "死ぬう") for e in m.pattern.elements)
