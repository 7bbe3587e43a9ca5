"""One message as parallel lists of per-word facts, computed once per token.

Per word we keep only what the matcher needs: a key (normalized form; every negative
auxiliary — ない, ん, へん, ぬ, ず, ねぇ — becomes the single key "ない"), a reading key for
nouns (ゴミ / ごみ / 塵 normalise apart but read the same), a coarse part of speech, and the
character span in the text as written (for evidence shown to staff).
"""

from __future__ import annotations

import re

# Coarse classes of the part of speech, precomputed for every POS id of the dictionary.
NOUN, VERB, ADJ, AUX, CASE, CONJ, PUNCT, BREAK, OTHER, PRON = range(10)

_NEG_NORMS = frozenset({"ない", "無い", "ず", "ぬ", "へん", "ひん", "ねえ", "ねー", "ん"})
# Dialect progressive auxiliaries read as いる (殴られとる = 殴られている).
_PROGRESSIVE = frozenset({"とる", "ちょる", "よる", "どる"})
# Verbs a negation passes through to reach the noun before them (DVは受けていない,
# 借金は抱えていない); any other verb takes the negation for itself (家賃を払わない).
_LIGHT_VERBS = frozenset({"有る", "ある", "居る", "為る", "成る", "思う", "受ける", "振るう",
                          "抱える", "持つ", "言う", "遭う", "られる", "れる", "御座る"})
_KANA = re.compile(r"[\u3041-\u309f\u30a0-\u30ff\uff66-\uff9f]+")
_SCOPE_BREAK_CONJ = frozenset({"けど", "けれど", "けれども", "が", "のに", "し", "ので", "から",
                               "ば", "たら", "ても", "でも", "けん", "けえ", "き"})


def pos_classes(dictionary) -> tuple[list[int], list[bool]]:
    """Coarse class per POS id, and whether it is a volitional verb form (死のう)."""
    classes: list[int] = []
    volitional: list[bool] = []
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
        i += 1
    return classes, volitional


class Tokens:
    NEG = "ない"
    __slots__ = ("keys", "rkeys", "cls", "begins", "ends", "is_punct", "scope_break", "text")

    def __init__(self, morphemes, text: str, classes: list[int], volitional: list[bool]) -> None:
        keys: list[str] = []
        rkeys: list[str | None] = []
        cls: list[int] = []
        begins: list[int] = []
        ends: list[int] = []
        for m in morphemes:
            pid = m.part_of_speech_id()
            c = classes[pid]
            norm = m.normalized_form()
            if volitional[pid]:  # 死のう is not 死ぬ (死ぬほど, 死ぬかと思った)
                norm += "う"
            if c == AUX or c == ADJ:
                if norm in _NEG_NORMS:
                    norm = "ない"
                elif norm in _PROGRESSIVE:
                    norm = "居る"
            keys.append(norm)
            # Reading only for nouns written in kana: ごみ = ゴミ = ｺﾞﾐ, but 首 is not クビ.
            b, e = m.begin(), m.end()
            rkeys.append("R:" + m.reading_form()
                         if c == NOUN and _KANA.fullmatch(text, b, e) else None)
            cls.append(c)
            begins.append(b)
            ends.append(e)
        self.keys, self.rkeys, self.cls = keys, rkeys, cls
        self.begins, self.ends, self.text = begins, ends, text
        self.is_punct = [c == PUNCT or c == BREAK for c in cls]
        # Where the scope of a negation stops: a sentence end, "but/so/if", or a verb that
        # takes the negation for itself (家賃を払わない negates paying, not the rent).
        self.scope_break = [
            c == BREAK or (c == CONJ and k in _SCOPE_BREAK_CONJ)
            or (c == VERB and k not in _LIGHT_VERBS)
            for c, k in zip(cls, keys)
        ]

    def __len__(self) -> int:
        return len(self.keys)

    def surface(self, start: int, end: int) -> str:
        return self.text[self.begins[start]:self.ends[end - 1]]
