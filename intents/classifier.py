"""From lexicon matches to an Analysis: idioms, negation scope, scores, crisis, speaker,
age band and district."""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Mapping, Sequence

from intents.engine import Engine
from intents.lexicon import Match
from intents.result import CATEGORIES, CRISIS, Analysis
from intents.speaker import detect_speaker
from intents.tokens import BREAK, Tokens

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


def _sentences(toks: Tokens) -> list[int]:
    out, s = [], 0
    for c in toks.cls:
        out.append(s)
        if c == BREAK:
            s += 1
    return out


def _blocked(m: Match, label: str, idioms: list[Match], sent: list[int]) -> bool:
    for idm in idioms:
        labels = idm.label.split(",")
        if label not in labels and "*" not in labels:
            continue
        if idm.pattern.weight >= 2:  # covers the whole message (今は落ち着いています)
            return True
        if idm.pattern.weight >= 1:  # covers its whole sentence (昔は, 先月)
            if sent[idm.start] == sent[m.start]:
                return True
        elif idm.start < m.end and m.start < idm.end:
            return True
    return False


def _negated(m: Match, toks: Tokens, consumed: set[int]) -> bool:
    keys, brk = toks.keys, toks.scope_break
    n = len(keys)
    for j in range(m.end, min(n, m.end + NEG_WINDOW)):
        if brk[j]:
            return False
        if keys[j] == Tokens.NEG and j not in consumed:
            prev = keys[j - 1] if j else ""
            nxt = keys[j + 1] if j + 1 < n else ""
            if prev == "しか" or nxt in _NOT_A_NEGATION_AFTER:
                return False
            return True
    return False


def classify(text: str, districts: Mapping[str, Sequence[str]] | None = None) -> Analysis:
    engine = get_engine()
    toks, matches = engine.analyse(text)
    sent = _sentences(toks)

    groups: dict[str, list[Match]] = {"": [], "crisis": [], "idiom": [], "speaker": [], "age": []}
    for m in matches:
        kind, _, _label = m.label.partition(":") if ":" in m.label else ("", "", m.label)
        groups[kind].append(m)
    for g in ("idiom", "crisis", "speaker", "age"):
        groups[g] = [_strip(m) for m in groups[g]]
    idioms = groups["idiom"]

    live = [m for m in groups[""] if not _blocked(m, m.label, idioms, sent)]
    consumed = {
        j for m in live + groups["crisis"] if m.pattern.has_neg
        for j in range(m.start, m.end) if toks.keys[j] == Tokens.NEG
    }
    scores: dict[str, float] = {}
    evidence: dict[str, list[str]] = {}
    kept = [m for m in live if m.pattern.has_neg or not _negated(m, toks, consumed)]
    kept = _drop_contained(kept)
    # Rows "X@Y" count for X only when a context row "@Y" matched too (ケアラー@介護).
    contexts = {m.label for m in kept if m.label[0] == "@"}
    kept = [_as_label(m, m.label.split("@")[0]) if "@" in m.label else m for m in kept
            if m.label[0] != "@" and ("@" not in m.label or "@" + m.label.split("@")[1] in contexts)]
    for m in kept:
        scores[m.label] = scores.get(m.label, 0.0) + m.pattern.weight
        _add(evidence, m.label, toks.surface(m.start, m.end))
    categories = sorted(
        (c for c, s in scores.items() if s >= THRESHOLD - 1e-9),
        key=lambda c: (-scores[c], _ORDER[c]),
    )
    evidence = {c: evidence[c] for c in categories}
    scores = {c: round(scores[c], 2) for c in categories}

    crisis_hits = [m for m in _crisis(groups["crisis"], idioms, sent)
                   if m.pattern.has_neg or not _negated(m, toks, consumed)]
    for m in _drop_contained(crisis_hits):
        _add(evidence, CRISIS, toks.surface(m.start, m.end))

    speaker = detect_speaker(toks, kept, groups["speaker"], categories, sent)
    return Analysis(
        categories=categories,
        crisis=bool(crisis_hits),
        speaker=speaker,
        scores=scores,
        evidence=evidence,
        age_band=_age_band(text, groups["age"]),
        district=_district(text, districts) if districts else None,
    )


def _drop_contained(matches: list[Match]) -> list[Match]:
    """家賃が払えない also contains 家賃: count and show the longer phrase only (and one row
    matching twice at one place counts once)."""
    out, seen = [], set()
    for m in matches:
        if (m.pattern.source, m.start) in seen:
            continue
        seen.add((m.pattern.source, m.start))
        if not any(
            o is not m and o.label == m.label and o.start <= m.start and m.end <= o.end
            and (o.end - o.start) > (m.end - m.start)
            for o in matches
        ):
            out.append(m)
    return out


def _as_label(m: Match, label: str) -> Match:
    from dataclasses import replace

    return Match(replace(m.pattern, label=label), m.start, m.end)


def _strip(m: Match) -> Match:
    """crisis:緊急@今 -> a Match whose label is 緊急@今 (same pattern otherwise)."""
    from dataclasses import replace

    label = m.label.split(":", 1)[1]
    return Match(replace(m.pattern, label=label), m.start, m.end)


def _add(evidence: dict[str, list[str]], label: str, words: str) -> None:
    lst = evidence.setdefault(label, [])
    if words not in lst:
        lst.append(words)


def _crisis(matches: list[Match], idioms: list[Match], sent: list[int]) -> list[Match]:
    """緊急 rows fire alone; 緊急@X rows need a context row @X in the same message."""
    contexts = {m.label for m in matches if m.label.startswith("@")}
    hits = []
    for m in matches:
        label = m.label
        if label.startswith("@"):
            continue
        base, _, need = label.partition("@")
        if need and "@" + need not in contexts:
            continue
        if _blocked(m, CRISIS, idioms, sent):
            continue
        hits.append(m)
    return hits


_BANDS = ("child", "youth", "adult", "senior")


def _band_of_age(age: int) -> str:
    return "child" if age < 18 else "youth" if age < 40 else "adult" if age < 65 else "senior"


def _age_band(text: str, matches: list[Match]) -> str | None:
    import re

    t = unicodedata.normalize("NFKC", text)
    m = re.search(r"(\d{1,3})\s*(?:歳|才)", t)
    if m:
        return _band_of_age(int(m.group(1)))
    m = re.search(r"(\d)0\s*代", t)
    if m:
        decade = int(m.group(1)) * 10
        return "child" if decade == 10 else _band_of_age(decade)
    if matches:
        best = max(matches, key=lambda x: (x.pattern.weight, -x.start))
        return best.label if best.label in _BANDS else None
    return None


_HIRA_TO_KATA = {i: i + 0x60 for i in range(0x3041, 0x3097)}


def _district(text: str, districts: Mapping[str, Sequence[str]]) -> str | None:
    """The district named in the message (longest spelling wins); kana compared as katakana."""
    t = unicodedata.normalize("NFKC", text).translate(_HIRA_TO_KATA)
    best, best_len = None, 0
    for district_id, names in districts.items():
        for name in names:
            if not name:
                continue
            n = unicodedata.normalize("NFKC", name).translate(_HIRA_TO_KATA)
            kana_only = all("\u30a0" <= ch <= "\u30ff" for ch in n)
            if kana_only and len(n) < 3:  # too short to trust in running text
                continue
            if len(n) > best_len and n in t:
                best, best_len = district_id, len(n)
    return best


def explain(text: str) -> list[tuple[str, str, str, str]]:
    """Every lexicon row that matched: (label, words as written, file:line, row pattern).
    For staff and developers who want to see why a label was or was not given."""
    toks, matches = get_engine().analyse(text)
    return [(m.label, toks.surface(m.start, m.end), m.pattern.source, m.pattern.text)
            for m in matches]
