"""From lexicon matches to an Analysis: idioms, negation scope, scores, crisis, speaker,
age band and district."""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Mapping, Sequence

from intents import learned
from intents.engine import Engine
from intents.lexicon import Match, Pattern
from intents.result import CATEGORIES, CRISIS, Analysis
from intents.speaker import detect_speaker, self_introduction
from intents.tokens import BREAK, CONJ, NOUN, PRON, PUNCT, VERB, Tokens

THRESHOLD = 1.0  # a category needs this much summed weight
NEG_WINDOW = 8  # words after a term in which a negation can still cancel it
_NOT_A_NEGATION_AFTER = frozenset({"か", "かな", "かしら", "だろう", "でしょう", "よね"})
_ORDER = {c: i for i, c in enumerate(CATEGORIES)}

_engine: Engine | None = None
_lock = threading.Lock()


def get_engine() -> Engine:
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                _engine = Engine()
    return _engine


def warm_up() -> None:
    """Build/load the dictionaries and compile the lexicons now, not on the first message."""
    classify("家賃が払えなくて死にたい。息子がひきこもっとる")


# Words that put a crisis in the present: a past or "now settled" marker elsewhere in the
# sentence or message cannot silence it (昔は…けど今また死にたい).
_NOW = frozenset({"今", "今日", "今夜", "今晩", "今朝", "今すぐ", "現在", "さっき", "先程",
                  "又", "まだ", "今度こそ", "助ける", "最後"})  # 最後: おとといの…が最後


def _blocked(m: Match, label: str, idioms: list[Match], sent: list[int]) -> bool:
    for idm in idioms:
        p = idm.pattern
        if label not in p.blocks and "*" not in p.blocks:
            continue
        if p.weight >= 2:  # covers the whole message (今は落ち着いています)
            return True
        if p.weight >= 1:  # covers its whole sentence (昔は, 先月)
            if sent[idm.start] == sent[m.start]:
                return True
        elif idm.start < m.end and m.start < idm.end:
            return True
    return False


_CLAUSE_END = frozenset({"が", "けど", "けれど", "けれども", "のに", "ても", "でも"})


def _present(m: Match, toks: Tokens, idioms: list[Match]) -> bool:
    """A present-time word in the crisis match's own clause, outside every idiom/past marker
    (昔は落ち着いてたけど今また死にたい: yes; 昔殴られていたが今は平和: no)."""
    keys, cls = toks.keys, toks.cls
    covered = set()
    for idm in idioms:
        covered.update(range(idm.start, idm.end))
    lo = m.start
    while lo > 0 and cls[lo - 1] != BREAK and not (cls[lo - 1] == CONJ and keys[lo - 1] in _CLAUSE_END) \
            and not (cls[lo - 1] == PUNCT and not keys[lo - 1].strip()):
        lo -= 1
    hi, n = m.end, len(keys)
    while hi < n and cls[hi] != BREAK and not (cls[hi] == CONJ and keys[hi] in _CLAUSE_END) \
            and not (cls[hi] == PUNCT and not keys[hi].strip()):
        hi += 1
    return any(keys[j] in _NOW and j not in covered for j in range(lo, hi))


def _consumed(toks: Tokens, live: list[Match], crisis: list[Match]) -> set[int] | None:
    """The negations rows take for themselves, or None when no other negation is left."""
    # A negation inside a row is that row's own only when the row counts (a 緊急@認知症 row
    # without dementia in the message must not take 手はあげられていません's ない).
    ctx = {m.label for m in crisis if m.pattern.is_context} if crisis else ()
    neg_matches = [m for m in live if m.pattern.has_neg] + [
        m for m in crisis if m.pattern.has_neg and (not m.pattern.need or m.pattern.need in ctx)]
    keys = toks.keys
    consumed = {j for m in neg_matches for j in range(m.start, m.end) if keys[j] == Tokens.NEG}
    if len(consumed) == keys.count(Tokens.NEG):  # every negation is a row's own
        return None
    return consumed


def _negated(m: Match, toks: Tokens, consumed: set[int]) -> bool:
    keys, brk = toks.keys, toks.scope_break
    n = len(keys)
    cls = toks.cls
    for j in range(m.end, min(n, m.end + NEG_WINDOW)):
        if brk[j] or cls[j] == PUNCT and not keys[j].strip():  # a space ends the scope too
            return False
        if keys[j] == Tokens.NEG and j not in consumed:
            prev = keys[j - 1] if j else ""
            nxt = keys[j + 1] if j + 1 < n else ""
            return not (prev == "しか" or nxt in _NOT_A_NEGATION_AFTER)
    return False


def classify(text: str, districts: Mapping[str, Sequence[str]] | None = None) -> Analysis:
    """The lexicons' answer, plus what the learned layer is confident they missed."""
    engine = get_engine()
    toks, by_kind = engine.analyse_by_kind(text)
    return learned.extend(_from_rules(toks, by_kind, text, districts), toks, by_kind,
                          engine.model)


def classify_rules(text: str, districts: Mapping[str, Sequence[str]] | None = None) -> Analysis:
    """The lexicons alone (for comparing with the learned layer)."""
    toks, by_kind = get_engine().analyse_by_kind(text)
    return _from_rules(toks, by_kind, text, districts)


def _from_rules(toks: Tokens, by_kind, text: str,
                districts: Mapping[str, Sequence[str]] | None) -> Analysis:
    cat, crisis, idioms, roles, ages = by_kind
    if not cat and not crisis and not roles and not ages and "錠" not in toks.keys:
        return Analysis(categories=[], crisis=False, speaker=self_introduction(toks) or "本人",
                        scores={}, evidence={},
                        age_band=_age_band(text, ()),
                        district=_district(text, districts) if districts else None)
    sent = toks.sentences
    if idioms:  # 死のうかと思った is not the idiom 死ぬかと思った (read through its plain verb)
        idioms = [i for i in idioms if toks.keys[i.start] == i.pattern.elements[0][0]
                  or toks.alts[i.start] != i.pattern.elements[0][0]]

    live = [m for m in cat if not _blocked(m, m.label, idioms, sent)] if idioms else cat
    any_neg = Tokens.NEG in toks.keys
    consumed = _consumed(toks, live, crisis) if any_neg else None
    if consumed is not None:
        kept = [m for m in live if m.pattern.has_neg or not _negated(m, toks, consumed)]
    else:  # no negation left for a word to take: nothing is negated
        kept = live
    kept = _drop_contained(_drop_lighter_phrases(kept))
    # Rows "X@Y" count for X only when a context row "@Y" matched too (ケアラー@介護).
    contexts = {m.label for m in kept if m.pattern.is_context}
    kept = [m if not m.pattern.need else Match(_relabel(m.pattern), m.start, m.end)
            for m in kept
            if not m.pattern.is_context and (not m.pattern.need or m.pattern.need in contexts)]
    csent = toks.clauses if crisis else sent  # a space ends a clause too
    signals = _signals(crisis, roles, toks, csent) if crisis else []
    # A clear act of violence with a relative or the writer as victim is DV・虐待 as well.
    if signals:
        kept += [Match(_DV_SIGNAL, m.start, m.end) for m in signals
                 if m.pattern is _VIOLENCE
                 and (consumed is None or not _negated(m, toks, consumed))
                 and not (idioms and _blocked(m, "DV・虐待", idioms, sent))]
    scores: dict[str, float] = {}
    evidence: dict[str, list[str]] = {}
    for m in kept:
        scores[m.label] = scores.get(m.label, 0.0) + m.pattern.weight
    categories = sorted(
        (c for c, s in scores.items() if s >= THRESHOLD - 1e-9),
        key=lambda c: (-scores[c], _ORDER[c]),
    )
    chosen = set(categories)
    for m in kept:
        if m.label in chosen:
            _add(evidence, m.label, toks.surface(m.start, m.end))
    scores = {c: round(scores[c], 2) for c in categories}

    cidioms = idioms
    if idioms and any_neg:  # 今は大丈夫じゃない, 泊まれなくなった: not safe
        cidioms = [m for m in idioms if m.pattern.weight < 1 or not _negated_idiom(m, toks)]
    crisis_hits = _crisis(crisis + signals, cidioms, csent, toks)
    if consumed is not None:
        crisis_hits = [m for m in crisis_hits
                       if m.pattern.has_neg or not _negated(m, toks, consumed)]
    if crisis_hits:
        crisis_hits = [m for m in crisis_hits if not _hypothetical(m, toks, csent)]
    if "錠" in toks.keys:
        crisis_hits += _many_pills(toks)
    if crisis_hits:
        # Ideation, self-harm and overdose are こころ as well; violence, threats and stalking
        # are DV・虐待 as well (test data README: labelling choices).
        implied = {_category_of(m.pattern) for m in crisis_hits} - {"", *categories}
        for extra in sorted(implied, key=_ORDER.__getitem__):  # same order in every process
            categories.append(extra)
            scores[extra] = 1.0
            _add(evidence, extra, next(toks.surface(m.start, m.end) for m in crisis_hits
                                       if _CRISIS_CATEGORY.get(m.pattern.pid) == extra))
    for m in _drop_contained(crisis_hits):
        _add(evidence, CRISIS, toks.surface(m.start, m.end))

    speaker = detect_speaker(toks, kept, roles, categories, sent, crisis_hits)
    return Analysis(
        categories=categories,
        crisis=bool(crisis_hits),
        speaker=speaker,
        scores=scores,
        evidence=evidence,
        age_band=_age_band(text, ages),
        district=_district(text, districts) if districts else None,
        crisis_kinds=frozenset(map(_kind_of, crisis_hits)) if crisis_hits else frozenset(),
    )


def _kind_of(m: Match) -> str:
    """こころ for ideation, self-harm and overdose (counted tablets too), DV・虐待 for violence,
    else the context the row needed (@子, @認知症, @今 …) or ""."""
    return "こころ" if m.pattern is _PILLS else _category_of(m.pattern) or m.pattern.need


_WORRY = frozenset({"どう", "如何", "心配", "不安", "困る", "怖い", "こわい", "大変", "考える"})


def _hypothetical(m: Match, toks: Tokens, sent: list[int]) -> bool:
    """A situation feared, not happening: 迷子になったらどうしよう, 親がおらんようになったら
    心配, もし倒れたら. Not for ideation (もし私が死んだら保険金で…: a wish)."""
    if _category_of(m.pattern) == "こころ":
        return False
    keys, cls, n = toks.keys, toks.cls, len(toks.keys)
    s = sent[m.start]
    for j in range(m.end - 1, min(n, m.end + 4)):
        if sent[j] != s or cls[j] == PUNCT:
            return False
        k = keys[j]
        if k in ("時", "とき", "場合", "際") and j >= m.end:
            return True  # 迷子になった時の連絡先: a case planned for
        if k in ("ば", "なら") or k == "た" and toks.surface(j, j + 1) in ("たら", "だら"):
            if any(keys[q] in _WORRY for q in range(j + 1, min(n, j + 6)) if sent[q] == s):
                return True
            return any(keys[q] in ("もし", "若し", "もしも") for q in range(max(0, m.start - 8), m.start)
                       if sent[q] == s)
    return False


def _negated_idiom(m: Match, toks: Tokens) -> bool:
    """今は大丈夫じゃない, 泊まれなくなった: the idiom itself negated. A negation after another
    noun or verb is that word's own (この前は道わからんようになって: still the past)."""
    keys, cls = toks.keys, toks.cls
    for j in range(m.end, min(len(keys), m.end + 3)):
        k = keys[j]
        if k == Tokens.NEG:
            return True
        if cls[j] in (NOUN, PRON) or cls[j] == VERB and k not in _LACK_VERBS:
            return False
    return False


def _drop_contained(matches: list[Match]) -> list[Match]:
    """家賃が払えない also contains 家賃: count and show the longer phrase only (and one row
    matching twice at one place counts once)."""
    if len(matches) < 2:
        return matches
    out, seen = [], set()
    # only a match of two words or more can contain another one (of its own label)
    longer: dict[str, list[Match]] = {}
    for o in matches:
        if o.end - o.start > 1:
            longer.setdefault(o.label, []).append(o)
    for m in matches:
        key = (m.pattern.source, m.start)
        if key in seen:
            continue
        seen.add(key)
        s, e = m.start, m.end
        for o in longer.get(m.label, ()):
            if o is not m and o.start <= s and e <= o.end and (o.end - o.start) > (e - s):
                break
        else:
            out.append(m)
    return out


def _drop_lighter_phrases(matches: list[Match]) -> list[Match]:
    """A 0.5 phrase around a 1.0 term of its own label would hide the term in
    _drop_contained and lower the score: keep the heavier reading (drop the phrase). A phrase
    of weight 0 or less is there to cancel, and still wins."""
    if len(matches) < 2:
        return matches
    drop = None
    for o in matches:
        w = o.pattern.weight
        if o.end - o.start > 1 and 0 < w < 1 and any(
                m is not o and m.label == o.label and o.start <= m.start and m.end <= o.end
                and m.end - m.start < o.end - o.start and m.pattern.weight > w for m in matches):
            drop = drop or set()
            drop.add(id(o))
    return [m for m in matches if id(m) not in drop] if drop else matches


_RELABELLED: dict[int, Pattern] = {}


def _relabel(p: Pattern) -> Pattern:
    """ケアラー@介護 counted as ケアラー (one relabelled copy per row, made once)."""
    q = _RELABELLED.get(p.pid)
    if q is None:
        q = Pattern(p.pid, p.kind, p.base, p.weight, p.source, p.text, p.elements)
        _RELABELLED[p.pid] = q
    return q


def _add(evidence: dict[str, list[str]], label: str, words: str) -> None:
    lst = evidence.setdefault(label, [])
    if words not in lst:
        lst.append(words)


def _crisis(matches: list[Match], idioms: list[Match], sent: list[int],
            toks: Tokens) -> list[Match]:
    """緊急 rows fire alone; 緊急@X rows need a context row @X in the same message. An idiom
    or past marker silences a row, unless the row's sentence speaks of now."""
    if not matches:
        return []
    contexts = {m.label for m in matches if m.pattern.is_context}
    hits = []
    for m in matches:
        p = m.pattern
        if p.is_context or (p.need and p.need not in contexts):
            continue
        if idioms and _blocked(m, CRISIS, idioms, sent):
            if not _blocked_for_good(m, idioms, sent, toks.keys) and _present(m, toks, idioms):
                hits.append(m)
            continue
        hits.append(m)
    return hits


# ------------------------------------------------------------------ crisis signals
# crisis.tsv rows @死 (a death / disappearing / self-harm lemma) and @暴 (an act of violence)
# are signals, not flags: they raise 緊急 only combined with a second signal near them, so a
# new wording of "I want to die" or "he hits me again" is caught without a row of its own.
# Weight 1 on @死: any wish/intent/"better off"; weight 0.5: only a plain wish or intent.
_WISH = frozenset({"たい", "欲しい", "ほしい", "積もり", "つもり", "覚悟", "しか", "予定", "準備", "決める", "決心",
                   "方法", "場所", "いっそ", "思い切る", "考える", "かな", "かしら"})
_STRONG_WISH = frozenset({"たい", "欲しい", "ほしい", "積もり", "つもり", "覚悟", "しか", "決める", "決心", "いっそ"})
_BETTER_OFF = frozenset({"楽", "良い", "まし", "増し", "幸せ", "すっきり", "上手い", "うまく", "上手く", "旨い",
                         "解決", "済む", "喜ぶ", "保険", "保険金", "何とか", "なんとか", "助かる", "早い",
                         "手っ取り早い", "ため", "為", "同じ"})
_AFTER_DEATH = frozenset({"時", "とき", "後", "あと", "場合", "際", "前"})
# a wish about "you" is said to the writer, not by them (「あんたなんか消えればいい」って言われる)
_YOU = frozenset({"あんた", "お前", "おまえ", "てめえ", "手前", "貴様", "あなた", "貴方"})
_IF = frozenset({"ば", "たら", "た", "て", "方", "ほう", "なら", "と", "一番"})
_BEFORE = frozenset({"いっそ", "もう", "早く", "はやい", "いつ", "今から", "今夜", "今日"})
# a time it is planned for, earlier in the clause (今夜、終わらせます; 明日の朝には消える)
_PLAN_TIME = frozenset({"今夜", "今晩", "今日", "今から", "これから", "明日", "明朝", "今すぐ", "今度こそ"})
_TIME_NOUNS = frozenset({"朝", "夜", "晩", "夜中", "深夜", "明け方", "中", "内", "うち", "時", "頃"})
# who may be the subject of a planned 消える/終わる (電気が消える, 仕事が終わる are not)
_SELF_OR_ALL = frozenset({"私", "僕", "俺", "自分", "うち", "わたし", "あたし", "わし", "ワイ", "全部",
                          "全て", "何もかも", "人生", "命", "この世", "此の世"})
# @生 (living, being here, waking up) + lack or weariness: 生きていく自信がない, 生きるのに飽きた,
# この世にいたくない, 存在する価値がない
_LIFE_LACK = frozenset({"自信", "意味", "価値", "理由", "気力", "希望", "目的", "楽しみ", "甲斐", "資格",
                        "元気", "力", "必要", "良い", "いい"})
_NEG_WISH = frozenset({"欲しい", "ほしい", "良い", "いい", "願う", "祈る"})
_LACK_VERBS = frozenset({"無い", "居る", "有る", "ある", "持つ", "持てる", "湧く", "出る", "見つかる",
                         "見出す", "見いだす", "感じる", "見える", "分かる", "わかる", "こと", "事"})
_LIFE_HARD = frozenset({"疲れる", "辛い", "つらい", "しんどい", "苦しい", "嫌", "いや", "面倒", "めんどい",
                        "面倒臭い", "無理", "飽きる", "嫌気", "うんざり", "限界"})
# violence: ongoing, present or about to happen, or with a victim
_ONGOING = frozenset({"今", "今日", "今夜", "今朝", "さっき", "又", "また", "毎日", "毎晩", "いつも",
                      "最近", "昨日", "昨夜", "何度", "ずっと", "怖い", "助ける", "逃げる", "帰る",
                      "見つかる", "隠れる", "閉じこもる", "震える", "痛い", "怪我", "血", "あざ",
                      "アザ", "腫れる", "毎回", "たび", "度"})
_VICTIM = frozenset({"れる", "られる", "受ける", "私", "僕", "俺", "自分", "あたし", "うち"})
_SIGNAL_REACH = 6


# (the たい element marks the writer's own wish for the speaker rules)
_IDEATION = Pattern(-2, "crisis", CRISIS, 1.0, "intents/classifier.py",
                    "<death/self-harm word> + <wish, intent, better off>", (("たい", None, False),))
_VIOLENCE = Pattern(-4, "crisis", CRISIS, 1.0, "intents/classifier.py",
                    "<violence> + <now, again, a victim, a relative>", (("暴", None, False),))
_DV_SIGNAL = Pattern(-3, "", "DV・虐待", 1.0, "intents/classifier.py",
                     "<violence> + <now, again, a victim, a relative>", ())


def _signals(crisis: list[Match], roles: list[Match], toks: Tokens,
             sent: list[int]) -> list[Match]:
    """@死 + a wish or intent within a few words of the same sentence (死んだほうがまし,
    消えればいい, 逝こうかな, いっそ飛び降りる); @暴 + a victim, a relative, or a present/ongoing
    word in its sentence (夫にまた叩かれた, 父が包丁を持っている, 殴ってくる)."""
    keys, alts, cls = toks.keys, toks.alts, toks.cls
    n = len(keys)
    out: list[Match] = []
    kin_sents = None
    for m in crisis:
        label = m.pattern.label
        if label == "@死":
            s = sent[m.start]
            if any(keys[j] in _YOU for j in range(max(0, m.start - 8), m.start) if sent[j] == s):
                continue
            strong_only = m.pattern.weight < 1
            hi = min(n, m.end + _SIGNAL_REACH)
            end = 0
            seen_if = False
            for j in range(m.start, hi):
                k = keys[j]
                if cls[j] == BREAK or k in _AFTER_DEATH and j >= m.end:
                    break  # 死んだ後のために, 死んだ時のために保険: planning, not a wish
                a = alts[j]
                if a is not None and k == a + "う" and keys[j - 1] not in ("どう", "如何") \
                        or k in _STRONG_WISH:  # volitional 死のう (not どうしよう)
                    end = j + 1
                    break
                if strong_only:
                    continue
                if k in _WISH:
                    end = j + 1
                    break
                if k in _IF:
                    seen_if = True
                elif seen_if and k in _BETTER_OFF or k == "誰" and j > m.end and "も" in keys[m.end:j]:
                    end = j + 1
                    break
            if not end and not strong_only and m.start and (
                    keys[m.start - 1] in _BEFORE and cls[m.start - 1] != BREAK
                    or m.start > 1 and keys[m.start - 1] == "から" and keys[m.start - 2] == "今"):
                end = m.end
            if not end and _planned(m, keys, cls, sent):
                end = m.end
            if end:
                out.append(Match(_IDEATION, m.start, max(end, m.end)))
        elif label == "@生":
            if m.start and keys[m.start - 1] == "で":
                continue  # 年金で生きていくのは無理, 一人で生きていく: living on, living by
            end = _life_lack(m, keys, cls, sent)
            if end and not any(keys[j] in _YOU for j in range(max(0, m.start - 8), m.start)
                               if sent[j] == sent[m.start]):
                out.append(Match(_IDEATION, m.start, end))
        elif label == "@暴":
            s = sent[m.start]
            hi = min(n, m.end + 4)
            ok = any(keys[j] in _VICTIM or keys[j] == "居る" and (keys[j - 1] == "て" or j == m.end)
                     for j in range(m.end, hi) if sent[j] == s)  # 暴れている, 暴れとる
            if not ok and m.pattern.weight < 1:  # 暴れる: only going on now (暴れている, 今)
                ok = any(keys[j] in _NOW for j in range(max(0, m.start - 8), hi) if sent[j] == s)
            elif not ok:
                lo = m.start
                while lo > 0 and sent[lo - 1] == s:
                    lo -= 1
                hi = m.end
                while hi < n and sent[hi] == s:
                    hi += 1
                ok = any(keys[j] in _ONGOING or keys[j] in _VICTIM for j in range(lo, hi))
            if not ok and m.pattern.weight >= 1:
                if kin_sents is None:
                    kin_sents = {sent[r.start] for r in roles if r.label == "家族"}
                ok = s in kin_sents
            if ok:
                out.append(Match(_VIOLENCE, m.start, m.end))
    return out


def _planned(m: Match, keys, cls, sent) -> bool:
    """A death/disappearing word in plain present form with a time for it earlier in its
    clause: 今夜、終わらせます / 明日消える / 今日で全部おしまいにする (not 明日電気が消える,
    今日で仕事が終わる, 今日死ぬかと思った)."""
    s, n = sent[m.start], len(keys)
    lo = m.start
    while lo > 0 and m.start - lo < 7 and sent[lo - 1] == s and cls[lo - 1] not in (BREAK, CONJ) \
            and keys[lo - 1] not in ("た", "ば"):
        lo -= 1  # a condition ends it (明日の面接落ちたら死ぬ)
    if not any(keys[j] in _PLAN_TIME for j in range(lo, m.start)):
        return False
    j = m.start - 1
    while j >= lo and cls[j] == PUNCT:
        j -= 1
    if j >= lo and keys[j] in ("を", "が", "は", "も") and not (j > lo and keys[j - 1] in _SELF_OR_ALL):
        return False  # something else ends or goes out
    if j >= lo and cls[j] == NOUN and keys[j] not in _SELF_OR_ALL and keys[j] not in _PLAN_TIME \
            and keys[j] not in _TIME_NOUNS:
        return False  # 今日でバイト終わる
    if m.pattern.weight < 1 and j >= lo and keys[j] not in _SELF_OR_ALL \
            and keys[j] not in ("もう", "いっそ") and keys[j] not in _PLAN_TIME:
        return False  # 終わる/終わらせる: only alone or of everything (今夜、終わらせます)
    nxt = keys[m.end] if m.end < n else ""
    return nxt not in ("た", "たら", "ば", "なら", "か", "かも", "そう", "ほど", "と", "て")


def _life_lack(m: Match, keys, cls, sent) -> int:
    """@生 + たい/ほしい + negation, a lack (意味/自信/価値 … ない) or weariness (疲れる,
    しんどい) a few words on in its clause; returns the end of the phrase or 0."""
    s, n = sent[m.start], len(keys)
    if m.end < n and keys[m.end] == Tokens.NEG:
        if _planned(m, keys, cls, sent):
            return m.end + 1  # 明日の朝、この世にいない
        for q in range(m.end + 1, min(n, m.end + 4)):  # 朝が来なければいい, 来ないでほしい
            if keys[q] in _NEG_WISH:
                return q + 1
            if cls[q] in (BREAK, NOUN, VERB, PUNCT):
                break
    wish_only = m.pattern.weight < 1  # waking, morning coming: only a negated wish
    hi = min(n, m.end + 7)
    for j in range(m.end, hi):
        k = keys[j]
        if sent[j] != s or cls[j] == BREAK or cls[j] == CONJ and k in _CLAUSE_END:
            return 0
        if wish_only and k not in ("たい", "欲しい", "ほしい"):
            continue
        if k in _LIFE_HARD:
            return j + 1
        if k in ("たい", "欲しい", "ほしい") or k in _LIFE_LACK:
            for q in range(j + 1, min(n, j + 4)):
                if keys[q] == Tokens.NEG:
                    return q + 1
                if cls[q] in (BREAK, NOUN, VERB) and keys[q] not in _LACK_VERBS:
                    break
            if k in _LIFE_LACK:
                return 0
    return 0


# Which category a 緊急 row implies, from its words (worked out once per row).
_IDEATION_WORDS = frozenset({
    "死ぬ", "死ぬう", "消える", "自殺", "自死", "希死念慮", "飛び降りる", "飛び下りる", "吊る",
    "首吊り", "遺書", "練炭", "リストカット", "リスカ", "自傷", "オーバードーズ", "過量服薬",
    "大量服薬", "睡眠薬", "眠剤", "安定剤", "市販薬", "風邪薬", "錠", "生きる", "此の世", "この世",
    "ロープ", "紐", "楽", "終わらせる", "逝く", "お迎え", "御迎え", "吸い込む", "飛び込む", "線路",
    "疲れる", "纏める", "まとめる", "まとめ飲み", "手首", "腕", "追う", "生まれる", "タヒ", "タヒる",
    "保険金", "生命保険", "死亡保険", "受取人", "形見", "身辺", "飛ぶ", "すかす"})
_VIOLENCE_WORDS = frozenset({
    "殴る", "殴られる", "蹴る", "蹴られる", "叩く", "叩かれる", "殺す", "殺される", "暴れる",
    "絞める", "締める", "暴力", "包丁", "刃物", "ナイフ", "悲鳴", "叫び声", "見つける", "閉じ込める",
    "監禁", "あざ", "アザ", "痣", "待ち伏せ", "付きまとう", "つきまとう", "締め出す", "泣き叫ぶ",
    "置き去り", "暴", "根性焼き", "押し付ける"})
# rows that need a farewell, "at the limit" or debt context are ideation (探さないで, 身辺整理)
_NEED_CATEGORY = {"@別れ": "こころ", "@限界": "こころ", "@借金": "こころ"}
_CRISIS_CATEGORY: dict[int, str] = {}


def _category_of(p: Pattern) -> str:
    cat = _CRISIS_CATEGORY.get(p.pid)
    return cat if cat is not None else _crisis_category(p)


def _crisis_category(p: Pattern) -> str:
    keys = {e[0] for e in p.elements} | {e[1] for e in p.elements if e[1]}
    if p is _IDEATION or p.need in _NEED_CATEGORY:
        cat = "こころ"
    elif keys & _VIOLENCE_WORDS:
        cat = "DV・虐待"
    elif keys & _IDEATION_WORDS or {"探す", "ない"} <= keys and "見つかる" not in keys:  # 探さないで
        cat = "こころ"
    else:
        cat = ""
    _CRISIS_CATEGORY[p.pid] = cat
    return cat


_PILLS = Pattern(-1, "crisis", CRISIS, 1.0, "intents/classifier.py", "<10 or more>錠",
                 (("錠", None, False),))


def _many_pills(toks: Tokens) -> list[Match]:
    """睡眠薬を30錠飲んだ: ten tablets or more at once is an overdose (rows cannot count)."""
    keys, out = toks.keys, []
    for i in range(1, len(keys)):
        if keys[i] == "錠" and keys[i - 1].isdigit() and int(keys[i - 1]) >= 10:
            out.append(Match(_PILLS, i - 1, i + 1))
    return out


def _now_safe(idm: Match, keys) -> bool:
    """A "safe" idiom said of now: 今は平和, 今は実家に避難して (its first words or just before)."""
    return idm.pattern.elements[0][0] == "今" or "今" in keys[max(0, idm.start - 4):idm.start]


def _blocked_for_good(m: Match, idioms: list[Match], sent: list[int], keys=()) -> bool:
    """An idiom over the very words (死ぬほど, 殺す気), or a "safe now" statement in the same
    sentence (今日はネカフェに泊まる) or after it starting with 今, wins over a time word."""
    for idm in idioms:
        p = idm.pattern
        if CRISIS not in p.blocks and "*" not in p.blocks:
            continue
        if p.weight < 1 and idm.start < m.end and m.start < idm.end:
            return True
        if p.weight >= 2 and (sent[idm.start] == sent[m.start]
                              or idm.start >= m.end and _now_safe(idm, keys)):
            return True  # same sentence, or a later 今は… (今朝殴られた。今は実家に避難)
    return False


_BANDS = ("child", "youth", "adult", "senior")


def _band_of_age(age: int) -> str:
    return "child" if age < 18 else "youth" if age < 40 else "adult" if age < 65 else "senior"


_AGE_MARKS = re.compile(r"[歳才代]")


def _age_band(text: str, matches) -> str | None:
    if not _AGE_MARKS.search(text):  # most messages: no explicit age to normalise and read
        return _age_word(matches)
    t = unicodedata.normalize("NFKC", text)
    m = re.search(r"(\d{1,3})\s*(?:歳|才)", t)
    if m:
        return _band_of_age(int(m.group(1)))
    m = re.search(r"(\d)0\s*代", t)
    if m:
        decade = int(m.group(1)) * 10
        return "child" if decade == 10 else _band_of_age(decade)
    return _age_word(matches)


def _age_word(matches) -> str | None:
    if matches:
        best = max(matches, key=lambda x: (x.pattern.weight, -x.start))
        return best.label if best.label in _BANDS else None
    return None


_HIRA_TO_KATA = {i: i + 0x60 for i in range(0x3041, 0x3097)}


def _district(text: str, districts: Mapping[str, Sequence[str]]) -> str | None:
    """The district named in the message (longest spelling wins); kana compared as katakana."""
    t = unicodedata.normalize("NFKC", text).translate(_HIRA_TO_KATA)
    spellings = _district_spellings(tuple((d, tuple(names)) for d, names in districts.items()))
    return next((district_id for n, district_id in spellings if n in t), None)


@functools.lru_cache(maxsize=16)
def _district_spellings(
    districts: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[tuple[str, str], ...]:
    """(normalized spelling, district id), longest first; among equals the first listed.
    Depends only on the directory, so it is worked out once, not per message."""
    found = []
    for district_id, names in districts:
        for name in names:
            n = unicodedata.normalize("NFKC", name).translate(_HIRA_TO_KATA) if name else ""
            kana_only = all("\u30a0" <= ch <= "\u30ff" for ch in n)
            if n and not (kana_only and len(n) < 3):  # short kana: too easy to hit by chance
                found.append((n, district_id))
    return tuple(sorted(found, key=lambda pair: -len(pair[0])))  # sorted() is stable


def explain(text: str) -> list[tuple[str, str, str, str]]:
    """Every lexicon row that matched: (label, words as written, file:line, row pattern).
    For staff and developers who want to see why a label was or was not given."""
    toks, matches = get_engine().analyse(text)
    return [((m.pattern.kind + ":" if m.pattern.kind else "") + m.label,
             toks.surface(m.start, m.end), m.pattern.source, m.pattern.text)
            for m in matches]
