"""One message as parallel lists of per-word facts.

Per word we keep only what the matcher needs: a key (normalized form; every negative
auxiliary — ない, ん, へん, ぬ, ず, ねぇ — becomes the single key "ない"), an alternative key
(the reading of a noun written in kana: ゴミ / ごみ / ｺﾞﾐ; the plain verb of a volitional form:
飛び降りよう also matches 飛び降りる), a coarse part of speech, and whether the word stops a
negation's scope. All of this depends only on the dictionary entry, so it is computed once per
word id and cached (`WordCache`); a message costs one `word_id()` call per word. Character spans
are read lazily, only for words shown as evidence.
"""

from __future__ import annotations

import re
import threading
from itertools import accumulate
from sys import intern

from sudachipy import Morpheme

# Coarse classes of the part of speech, precomputed for every POS id of the dictionary.
NOUN, VERB, ADJ, AUX, CASE, CONJ, PUNCT, BREAK, OTHER, PRON = range(10)

_NEG_NORMS = frozenset({"ない", "無い", "ず", "ぬ", "へん", "ひん", "ねえ", "ねー", "ん",
                        "んす"})  # おらんしの: a dialect ん read as classical んす
# Dialect progressive auxiliaries read as いる (殴られとる = 殴られている).
_PROGRESSIVE = frozenset({"とる", "ちょる", "よる", "どる"})
# Verbs a negation passes through to reach the noun before them (DVは受けていない,
# 借金は抱えていない); any other verb takes the negation for itself (家賃を払わない).
_LIGHT_VERBS = frozenset({"有る", "ある", "居る", "為る", "成る", "思う", "受ける", "振るう",
                          "抱える", "持つ", "言う", "遭う", "られる", "れる", "御座る", "聞く"})
_KANA = re.compile(r"[\u3041-\u309f\u30a0-\u30ff\uff66-\uff9f]+")
_SCOPE_BREAK_CONJ = frozenset({"けど", "けれど", "けれども", "が", "のに", "し", "ので", "から",
                               "ば", "たら", "ても", "でも", "けん", "けえ", "き"})
_OOV = 0xF0000000
_is_break = BREAK.__eq__
_word_id = Morpheme.word_id
# A clause ends at 。！？ and, in chat, at a space (生きとってもしょうがないわ　先月仕事クビに
# なって); an ellipsis is a pause, not an end (「殺すぞ」って言われた…冗談っぽくだけど).
_ELLIPSIS = frozenset({".", "…", "‥"})


# Verb types whose 撥音便 form ending in ん is, in residents' dialect, a folded negative:
# 払えんのよ, 見えん, 来ん, 食べれん, くれん, and the auxiliary れる/られる (食べられん);
# Sudachi reads them as 払えるの, 来るの. Not 五段 verbs (死んだ, 読んで) nor てる (してんの).
_FOLDING_VERBS = ("下一段", "上一段", "カ行変格")


def pos_classes(dictionary) -> tuple[list[int], list[bool], list[bool]]:
    """Coarse class per POS id; whether it is a volitional verb form (死のう); whether its
    form may fold a negative into the verb (払えん, see _FOLDING_VERBS)."""
    classes: list[int] = []
    volitional: list[bool] = []
    folded: list[bool] = []
    i = 0
    while (pos := dictionary.pos_of(i)) is not None:
        p0, p1 = pos[0], pos[1]
        if p0 == "名詞" or p0 == "接尾辞" and p1 == "名詞的":
            c = NOUN
        elif p0 == "代名詞":
            c = PRON
        elif p0 == "動詞":
            c = VERB
        elif p0 in ("形容詞", "形状詞"):
            c = ADJ
        elif p0 == "助動詞":
            c = AUX
        elif p0 == "助詞":
            c = CONJ if p1 == "接続助詞" else CASE
        elif p0 == "補助記号" and p1 == "句点":
            c = BREAK
        elif p0 in ("補助記号", "空白"):
            c = PUNCT
        else:
            c = OTHER
        classes.append(c)
        volitional.append(c == VERB and pos[5].startswith("意志推量形"))
        folded.append(pos[5] in ("連体形-撥音便", "終止形-撥音便")
                      and (c == VERB and pos[4].startswith(_FOLDING_VERBS)
                           or c == AUX and pos[4] == "助動詞-レル"))
        i += 1
    return classes, volitional, folded


def _neg_entry(rows) -> tuple:
    """The WordCache entry of a negation split off its verb (払えん -> 払う + ない)."""
    return (intern("ない"), None, AUX, False, rows, False, False)


class WordCache:
    """word id -> (key, alt key, class, stops a negation's scope, lexicon rows starting with
    this word, a negative folded into it, ends a clause). Filled on first sight; dictionary
    words are finite, unknown words (OOV) are computed each time. `index` ((key, alt key) -> the rows starting
    with such a word, or None) is set once the lexicon is compiled."""

    def __init__(self, classes: list[int], volitional: list[bool], folded: list[bool]) -> None:
        self.classes, self.volitional, self.folded = classes, volitional, folded
        self.neg = _neg_entry(None)  # the word a folded negative becomes
        self.cache: dict[int, tuple] = {}
        self.index = None
        self._lock = threading.Lock()

    def set_index(self, index) -> None:
        with self._lock:
            self.index = index
            self.neg = _neg_entry(index("ない", None))
            self.cache.clear()

    def entry(self, m) -> tuple:
        pid = m.part_of_speech_id()
        c = self.classes[pid]
        norm = key = m.normalized_form()
        alt = None
        if self.volitional[pid]:  # 死のう is not 死ぬ (死ぬほど), but 飛び降りよう is 飛び降りる
            key, alt = norm + "う", norm
        elif c == AUX or c == ADJ:
            if norm in _NEG_NORMS:
                key = "ない"
            elif norm in _PROGRESSIVE:
                key = "居る"
        if c == NOUN and _KANA.fullmatch(m.surface()):
            # Reading only for nouns written in kana: ごみ = ゴミ = ｺﾞﾐ, but 首 is not クビ.
            alt = "R:" + m.reading_form()
        # One string object per key: dict and set hits (here, in the lexicon and the model)
        # then compare by identity, without touching a second copy.
        key = intern(key)
        brk = (c == BREAK or (c == CONJ and key in _SCOPE_BREAK_CONJ)
               or (c == VERB and key not in _LIGHT_VERBS))
        rows = self.index(key, alt) if self.index is not None else None
        surface = m.surface()
        e = (key, alt, c, brk, rows,
             self.folded[pid] and surface.endswith("ん") and surface != "いん",  # たいぎいんよ
             c == BREAK and key not in _ELLIPSIS or c == PUNCT and not key.strip())
        wid = m.word_id()
        if wid < _OOV:
            with self._lock:
                self.cache[wid] = e
        return e


class Tokens:
    """`rows[i]` is None, or the lexicon rows whose first word is word i (`Candidates`)."""

    NEG = "ない"
    __slots__ = ("_clauses", "_ends", "_ml", "_quoted", "_sent", "alts", "cls", "keys", "rows",
                 "scope_break", "text")

    def __init__(self, morphemes, text: str, words: WordCache) -> None:
        ents = list(map(words.cache.get, map(_word_id, morphemes)))
        if not all(ents):  # unknown words, words seen for the first time
            ents = [e or words.entry(m) for e, m in zip(ents, morphemes)]
        cols = tuple(zip(*ents)) or ((),) * 7
        if any(cols[5]):  # 払えんのよ: the verb, then its negative as a word of its own
            ents, morphemes = _unfold(ents, morphemes, words.neg)
            cols = tuple(zip(*ents))
        self.keys, self.alts, self.cls, self.scope_break, self.rows, _, self._ends = cols
        self.text = text
        self._ml = morphemes
        self._sent = self._quoted = self._clauses = None

    def __len__(self) -> int:
        return len(self.keys)

    @property
    def rkeys(self):  # kept for callers that read the alternative keys by their old name
        return self.alts

    @property
    def sentences(self) -> list[int]:
        """Sentence number of every word (a 。！？ ends a sentence)."""
        if self._sent is None:
            cls = self.cls
            self._sent = list(accumulate(map(_is_break, cls[:-1]), initial=0)) if cls else []
        return self._sent

    @property
    def clauses(self) -> list[int]:
        """Clause number of every word, for the crisis rules (see _ELLIPSIS)."""
        if self._clauses is None:
            ends = self._ends
            self._clauses = list(accumulate(ends[:-1], initial=0)) if ends else []
        return self._clauses

    @property
    def quoted(self) -> list[bool]:
        """Whether each word lies inside 「…」 or 『…』 (its own bracket not counted)."""
        if self._quoted is None and "「" not in self.keys and "『" not in self.keys:
            self._quoted = [False] * len(self.keys)
        elif self._quoted is None:
            out, depth = [], 0
            for k in self.keys:
                out.append(depth > 0)
                if k in ("「", "『"):
                    depth += 1
                elif k in ("」", "』") and depth:
                    depth -= 1
            self._quoted = out
        return self._quoted

    def is_punct(self, i: int) -> bool:
        c = self.cls[i]
        return c == PUNCT or c == BREAK

    def begin(self, i: int) -> int:
        return self._ml[i].begin()

    def surface(self, start: int, end: int) -> str:
        ml = self._ml
        return self.text[ml[start].begin():ml[end - 1].end()]


def _unfold(ents: list[tuple], morphemes, neg: tuple) -> tuple[list[tuple], list]:
    """Each word with a folded negative followed by a NEG word spanning the same characters
    (not before Kansai ねん, where the ん is る: 言われんねん)."""
    out_e, out_m = [], []
    for i, (e, m) in enumerate(zip(ents, morphemes)):
        out_e.append(e)
        out_m.append(m)
        if e[5] and (i + 1 == len(ents) or ents[i + 1][0] != "ねん"):  # 言われんねん: 言われるねん
            out_e.append(neg)
            out_m.append(m)
    return out_e, out_m
