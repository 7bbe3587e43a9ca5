"""The learned layer: a linear model over the message, combined with the lexicon's answer.

The lexicons catch the wordings someone wrote down; residents keep finding new ones. This layer
scores every category, 緊急 and the speaker from the message itself: Sudachi's normalized forms
(w:), pairs of neighbouring words (b:) and pairs of characters (c:, read with
katakana as hiragana and full-width letters as half-width, so dialect and spellings the analyser
misreads still count). The weights are learned from all labelled messages by
`python -m intents.train` (dictionaries/model/weights.tsv).

How the two answers combine (thresholds below; `python -m intents.train --check` measures them
on messages the lexicons were never tuned on):
- a category the lexicon missed is added when the model is confident, unless the lexicons
  decided against it (negated, an idiom, a past or "safe now" marker);
- a category the lexicon found is dropped when the model finds it very unlikely (a word named
  in passing, not a problem: 「会社の健康診断で」);
- 緊急 is added when the model is confident and the lexicon saw something crisis-related, or
  when the model is very confident on its own; not where the lexicons decided against it (a
  crisis row read as past, negated, quoted or feared) unless the model is all but sure and
  nothing is negated. The lexicon's 緊急 is taken back only when the model is all but sure it
  is a look-alike (an ambulance that came yesterday, a victim safe at her parents'), and never
  when it rests on ideation, self-harm, an overdose or a child or dependent alone;
- the speaker is replaced when the model is very confident of another one.
What the model adds carries the words that weighed most as evidence, so staff see why.
"""

from __future__ import annotations

import re
from itertools import pairwise
from math import exp
from operator import add, neg
from pathlib import Path
from sys import intern

import numpy as np

from intents.result import CATEGORIES, CRISIS, SPEAKERS, Analysis
from intents.tokens import ADJ, NOUN, VERB, Tokens

WEIGHTS_FILE = Path(__file__).resolve().parent.parent / "dictionaries" / "model" / "weights.tsv"
LABELS: tuple[str, ...] = (*CATEGORIES, CRISIS)  # one yes/no model each
COLUMNS: tuple[str, ...] = (*LABELS, *SPEAKERS)  # weights.tsv columns; speakers: one 4-way model
CRISIS_COL = len(CATEGORIES)
_COLUMN = {label: i for i, label in enumerate(LABELS)}

ADD = 0.6  # a category the lexicon missed
DROP = 0.05  # a category the lexicon found, judged very unlikely
DROP_MIN_WORDS = 20  # ... in a message long enough to judge (short ones: too few features)
CRISIS_WITH_CUE = 0.5  # 緊急, when a crisis row or context matched
CRISIS_ALONE = 0.85  # 緊急, on the model's word alone
CRISIS_OVER_RULES = 0.97  # 緊急 even where a crisis row was set aside (past, quoted), unless
# the message negates something or counts too few tablets (死にたいなんて思ったことない, 2錠)
SPEAKER = 0.9  # another speaker than the rules'
CRISIS_VETO = 0.01  # the lexicons' 緊急 is taken back below this, unless it rests on one of:
KEEP_CRISIS = frozenset({"こころ", "@子", "@障", "@独居", "@乳児", "@幼", "@介護者"})  # ideation,
# self-harm or an overdose; a child or dependent alone (Analysis.crisis_kinds)

_CONTENT = frozenset({NOUN, VERB, ADJ})
_SPACE = re.compile(r"[\t\n\r]")  # a newline "word" is not a feature
_LIGHT = frozenset({"居る", "為る", "成る", "有る", "来る", "言う", "思う", "事", "物", "方", "所",
                    "仕舞う", "しまう", "貰う", "くれる", "呉れる"})


def _fold_table() -> dict[int, str]:
    """Katakana (full and half width) as hiragana, full-width letters and digits as ASCII,
    upper case as lower case; one character for one, so positions stay those of the text."""
    import unicodedata

    table: dict[int, str] = {}
    for code in range(0x30A1, 0x30F7):
        table[code] = chr(code - 0x60)
    for code in range(0xFF01, 0xFF5F):
        table[code] = chr(code - 0xFEE0).lower()
    for code in range(0xFF66, 0xFF9E):
        full = unicodedata.normalize("NFKC", chr(code))
        table[code] = chr(ord(full) - 0x60) if "\u30a1" <= full <= "\u30f6" else full
    for code in range(ord("A"), ord("Z") + 1):
        table[code] = chr(code).lower()
    for space in "\t\n\r\u3000":  # one kind of space (and no tab or newline in weights.tsv)
        table[ord(space)] = " "
    return table


_FOLD = _fold_table()
_FOLDS = re.compile("[" + "".join(map(re.escape, map(chr, sorted(_FOLD)))) + "]")


def fold(text: str) -> str:
    # translate is slow on characters it leaves alone; half the messages need no change
    return text.translate(_FOLD) if _FOLDS.search(text) else text


def grams(text: str) -> list[str]:
    """Every two neighbouring characters of the folded text."""
    t = fold(text)
    return list(map(add, t, t[1:]))


def features(toks: Tokens) -> list[str]:
    """The model's features, as named in weights.tsv."""
    keys = toks.keys
    words = [*("w:" + k for k in keys), *("b:" + a + "|" + b for a, b in pairwise(keys))]
    return [*(f for f in words if not _SPACE.search(f)), *("c:" + g for g in grams(toks.text))]


class Model:
    """One row of weights per feature (COLUMNS order), a bias row. Scoring a message is one
    sum over the rows of the features it has."""

    def __init__(self, path: Path = WEIGHTS_FILE) -> None:
        self.words: dict[str, int] = {}
        self.pairs: dict[tuple[str, str], int] = {}
        self.grams: dict[str, int] = {}
        self.weights = np.zeros((0, len(COLUMNS)), dtype=np.float32)
        self.bias = np.zeros(len(COLUMNS), dtype=np.float32)
        self.loaded = path.exists()
        if self.loaded:
            self._read(path)

    def _read(self, path: Path) -> None:
        names: list[str] = []
        cells: list[str] = []
        header = None
        for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not raw or raw.startswith("#"):
                continue
            name, _, rest = raw.partition("\t")
            if header is None:
                header = tuple(rest.split("\t"))
                if name != "feature" or header != COLUMNS:
                    raise ValueError(f"{path.name}:{lineno}: the header must be feature<TAB>"
                                     + "<TAB>".join(COLUMNS))
                continue
            values = rest.split("\t")
            if len(values) != len(COLUMNS) or not name.startswith(("w:", "b:", "c:", "@bias")):
                raise ValueError(f"{path.name}:{lineno}: need a feature (w:, b:, c: or @bias) "
                                 f"and {len(COLUMNS)} weights")
            names.append(name)
            cells += values
        try:
            table = np.array(cells, dtype=np.float32).reshape(len(names), len(COLUMNS))
        except ValueError as e:
            raise ValueError(f"{path.name}: a weight is not a number ({e})") from None
        rows = [i for i, name in enumerate(names) if name != "@bias"]
        if len(rows) < len(names):
            self.bias = table[names.index("@bias")]
        self.weights = table[rows]
        for row, i in enumerate(rows):
            kind, feature = names[i][:2], names[i][2:]
            if kind == "w:":  # interned, as the message's keys are (intents.tokens)
                self.words[intern(feature)] = row
            elif kind == "b:":
                a, _, b = feature.partition("|")
                self.pairs[(intern(a), intern(b))] = row
            else:
                self.grams[feature] = row

    def _rows(self, toks: Tokens) -> set[int]:
        """The weight rows of the message's features; each feature once, as in training.
        (The set's order is the order of the sum in `scores`: keep building it this way.)"""
        found = set(map(self.words.get, toks.keys))
        found.update(map(self.pairs.get, pairwise(toks.keys)))
        found.update(map(self.grams.get, grams(toks.text)))
        found.discard(None)
        return found

    def scores(self, toks: Tokens) -> list[float]:
        """Probability per label (LABELS order), then per speaker (SPEAKERS order). Plain
        floats: a handful of numbers is faster in Python than through numpy."""
        found = self._rows(toks)
        if found:  # np.add.reduce is what .sum calls, without its Python wrapper
            rows = np.fromiter(found, np.intp, len(found))
            total = (self.bias + np.add.reduce(self.weights.take(rows, axis=0), axis=0)).tolist()
        else:
            total = self.bias.tolist()
        n = len(LABELS)
        out = [1.0 / (1.0 + e) for e in map(exp, map(neg, total[:n]))]  # 1 / (1 + e^-v)
        top = max(total[n:])
        spk = [exp(v - top) for v in total[n:]]
        whole = sum(spk)
        return out + [v / whole for v in spk]

    def evidence(self, toks: Tokens, column: int, most: int = 3) -> list[str]:
        """The content words that pushed `column` up most, as written, in message order (a
        word pair counts for both words, a run of characters for the words it overlaps)."""
        keys, cls = toks.keys, toks.cls
        shown = [cls[i] in _CONTENT and keys[i] not in _LIGHT for i in range(len(keys))]
        hits: list[tuple[int, int]] = []  # (word, weight row), in the order they are added up
        words, pairs = self.words, self.pairs
        for i, k in enumerate(keys):
            row = words.get(k)
            if row is not None and shown[i]:
                hits.append((i, row))
            if i:
                row = pairs.get((keys[i - 1], k))
                if row is not None:
                    if shown[i - 1]:
                        hits.append((i - 1, row))
                    if shown[i]:
                        hits.append((i, row))
        if self.grams:
            starts = [toks.begin(i) for i in range(len(keys))] + [len(toks.text)]
            word_at = [0] * len(toks.text)  # the word each character belongs to
            for i in range(len(keys)):
                word_at[starts[i]:starts[i + 1]] = [i] * (starts[i + 1] - starts[i])
            for s, row in enumerate(map(self.grams.get, grams(toks.text))):
                if row is not None:
                    for i in {word_at[s], word_at[s + 1]}:
                        if shown[i]:
                            hits.append((i, row))
        # one numpy call for all the weights (indexing numpy row by row is slow)
        weights = self.weights[[row for _, row in hits], column].tolist() if hits else []
        push: dict[int, float] = {}
        for (i, _), w in zip(hits, weights):
            if w > 0:
                push[i] = push.get(i, 0.0) + w
        top = sorted(sorted(push, key=lambda i: -push[i])[:most])
        return [toks.surface(i, i + 1) for i in top]


def get_model() -> Model:
    """The process's model, loaded once with the rest of the analyser (intents.engine)."""
    from intents.classifier import get_engine

    return get_engine().model


def extend(analysis: Analysis, toks: Tokens, by_kind, model: Model | None = None) -> Analysis:
    """The lexicon's analysis combined with the model's (see the module's docstring).
    `by_kind` are the lexicon matches (Lexicon.find(by_kind=True)): where the lexicons
    decided against a label, the model does not add it back."""
    model = model or get_model()
    if not model.loaded or not len(toks):
        return analysis
    probs = model.scores(toks)
    # The lexicons' 緊急 is taken back only where the model is all but sure it is a look-alike
    # (an emergency over, a victim safe now, a word in passing), never for KEEP_CRISIS kinds.
    vetoed = (analysis.crisis and probs[CRISIS_COL] < CRISIS_VETO
              and not KEEP_CRISIS & analysis.crisis_kinds)
    # What the lexicons decided against matters only if the model would add something.
    wants = [i for i, p in enumerate(probs[:len(CATEGORIES)])
             if p >= ADD and CATEGORIES[i] not in analysis.scores]
    wants_crisis = not analysis.crisis and probs[CRISIS_COL] >= (
        CRISIS_WITH_CUE if by_kind[1] else CRISIS_ALONE)
    quiet = silenced(analysis, by_kind, toks) if wants or wants_crisis else set()
    dropped: set[str] = set()
    if len(toks) >= DROP_MIN_WORDS:
        dropped = {c for c in analysis.categories if probs[_COLUMN[c]] < DROP}
    added = [] if "*" in quiet else [i for i in wants if CATEGORIES[i] not in quiet]
    crisis = wants_crisis and "*" not in quiet and (
        CRISIS not in quiet
        or probs[CRISIS_COL] >= CRISIS_OVER_RULES and not _firm_no(toks))
    spk = probs[len(LABELS):]
    speaker = analysis.speaker
    if max(spk) >= SPEAKER:
        speaker = SPEAKERS[spk.index(max(spk))]
    if not added and not crisis and not vetoed and not dropped and speaker == analysis.speaker:
        return analysis
    categories = [c for c in analysis.categories if c not in dropped]
    scores = {c: s for c, s in analysis.scores.items() if c not in dropped}
    evidence = {k: list(v) for k, v in analysis.evidence.items()
                if k not in dropped and not (vetoed and k == CRISIS)}
    for i in sorted(added, key=lambda i: -probs[i]):
        label = LABELS[i]
        categories.append(label)
        scores[label] = min(round(float(probs[i]), 2), 0.99)  # below the rules' 1.0
        evidence[label] = model.evidence(toks, i)
    if crisis:
        # the words that weighed most, else what the lexicon saw as crisis-related
        evidence[CRISIS] = (model.evidence(toks, CRISIS_COL)
                            or [toks.surface(m.start, m.end) for m in by_kind[1][:3]])
    return Analysis(categories=categories, crisis=(analysis.crisis and not vetoed) or crisis,
                    speaker=speaker, scores=scores, evidence=evidence,
                    age_band=analysis.age_band, district=analysis.district)


def _firm_no(toks: Tokens) -> bool:
    """A negation or a tablet count: the lexicons' no to 緊急 stands, however sure the model."""
    keys = toks.keys
    return Tokens.NEG in keys or "錠" in keys


def silenced(analysis: Analysis, by_kind, toks: Tokens) -> set[str]:
    """Labels the lexicons decided against: an idiom or past/"safe now" marker silences them
    (死ぬほど, 昔は…, 今は落ち着いています), or a full-weight row matched and was dropped
    (negated: ローンはないです; its context missing; a complete crisis row read as past,
    negated or hypothetical), or the tablets were counted and were too few for an overdose (2錠).
    "*" means every label."""
    cat, crisis, idioms, _roles, _ages = by_kind
    quiet: set[str] = set()
    for m in idioms:
        quiet |= m.pattern.blocks
    for m in cat:
        label = m.pattern.base
        if m.pattern.weight >= 1 and not m.pattern.is_context and label not in analysis.scores:
            quiet.add(label)
    if not analysis.crisis:
        # A complete crisis row (its context there too) that the rules then set aside. A row
        # whose context is missing (緊急@認知症 without dementia) was no decision either way.
        contexts = {m.label for m in crisis if m.pattern.is_context}
        if "錠" in toks.keys or any(not m.pattern.is_context
                                    and (not m.pattern.need or m.pattern.need in contexts)
                                    for m in crisis):
            quiet.add(CRISIS)
    return quiet
