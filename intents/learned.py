"""The learned layer: a linear model over the message's words, added to the lexicon's answer.

The lexicons catch the wordings someone wrote down; residents keep finding new ones. This
layer scores every category and 緊急 from the words of the message (Sudachi's normalized
forms, and pairs of neighbouring words), with weights learned from all labelled messages by
`python -m intents.train` (dictionaries/model/weights.tsv). It only ADDS: a category or 緊急
the lexicon missed is added when the model is confident enough; nothing the lexicon found is
taken away. What it adds carries the words that weighed most as evidence, so staff see why.
"""

from __future__ import annotations

import math
from itertools import pairwise
from pathlib import Path

from intents.result import CATEGORIES, CRISIS, Analysis
from intents.tokens import ADJ, NOUN, VERB, Tokens

WEIGHTS_FILE = Path(__file__).resolve().parent.parent / "dictionaries" / "model" / "weights.tsv"
LABELS: tuple[str, ...] = (*CATEGORIES, CRISIS)
_CONTENT = frozenset({NOUN, VERB, ADJ})


def features(toks: Tokens) -> list[str]:
    """The model's features: every word (w:), and every pair of neighbouring words (b:)."""
    keys = toks.keys
    return [*("w:" + k for k in keys), *("b:" + a + "|" + b for a, b in pairwise(keys))]


class Model:
    """Weights per feature, a bias and a threshold per label (read from weights.tsv)."""

    def __init__(self, path: Path = WEIGHTS_FILE) -> None:
        self.bias = [0.0] * len(LABELS)
        self.threshold = [1.0] * len(LABELS)
        self.unigrams: dict[str, tuple[tuple[int, float], ...]] = {}
        self.bigrams: dict[tuple[str, str], tuple[tuple[int, float], ...]] = {}
        self.loaded = path.exists()
        if self.loaded:
            self._read(path)

    def _read(self, path: Path) -> None:
        index = {label: i for i, label in enumerate(LABELS)}
        uni: dict[str, list[tuple[int, float]]] = {}
        bi: dict[tuple[str, str], list[tuple[int, float]]] = {}
        for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not raw or raw.startswith("#"):
                continue
            cols = raw.split("\t")
            if len(cols) != 3 or cols[1] not in index:
                raise ValueError(f"{path.name}:{lineno}: need feature<TAB>label<TAB>weight")
            feature, label, value = cols[0], index[cols[1]], float(cols[2])
            if feature == "@bias":
                self.bias[label] = value
            elif feature == "@threshold":
                self.threshold[label] = value
            elif feature.startswith("w:"):
                uni.setdefault(feature[2:], []).append((label, value))
            elif feature.startswith("b:"):
                a, _, b = feature[2:].partition("|")
                bi.setdefault((a, b), []).append((label, value))
            else:
                raise ValueError(f"{path.name}:{lineno}: unknown feature {feature!r}")
        self.unigrams = {k: tuple(v) for k, v in uni.items()}
        self.bigrams = {k: tuple(v) for k, v in bi.items()}

    def scores(self, toks: Tokens) -> tuple[list[float], list[list[tuple[float, int]]]]:
        """Probability per label, and per label the (weight, word index) of each word that
        pushed it up (for evidence). A word counts once however often it appears, as in
        training."""
        total = list(self.bias)
        pushes: list[list[tuple[float, int]]] = [[] for _ in LABELS]
        keys, cls = toks.keys, toks.cls
        words: dict[str, int] = {}
        pairs: dict[tuple[str, str], int] = {}
        for i, k in enumerate(keys):
            words.setdefault(k, i)
            if i:
                pairs.setdefault((keys[i - 1], k), i - 1)
        uni, bi = self.unigrams, self.bigrams
        for k, i in words.items():
            for label, w in uni.get(k, ()):
                total[label] += w
                if w > 0 and cls[i] in _CONTENT:
                    pushes[label].append((w, i))
        for pair, i in pairs.items():
            for label, w in bi.get(pair, ()):
                total[label] += w
                if w > 0:
                    pushes[label].append((w, i if cls[i] in _CONTENT else i + 1))
        return [1.0 / (1.0 + math.exp(-t)) if t > -30 else 0.0 for t in total], pushes


_model: Model | None = None


def get_model() -> Model:
    global _model
    if _model is None:
        _model = Model()
    return _model


def extend(analysis: Analysis, toks: Tokens, model: Model | None = None) -> Analysis:
    """The lexicon's analysis plus what the model is confident the lexicon missed."""
    model = model or get_model()
    if not model.loaded or not len(toks):
        return analysis
    probs, pushes = model.scores(toks)
    added = [i for i, label in enumerate(LABELS[:-1])
             if probs[i] >= model.threshold[i] and label not in analysis.scores]
    crisis_index = len(LABELS) - 1
    crisis = not analysis.crisis and probs[crisis_index] >= model.threshold[crisis_index]
    if not added and not crisis:
        return analysis
    categories = list(analysis.categories)
    scores = dict(analysis.scores)
    evidence = {k: list(v) for k, v in analysis.evidence.items()}
    for i in sorted(added, key=lambda i: -probs[i]):
        label = LABELS[i]
        categories.append(label)
        scores[label] = round(probs[i], 2)
        evidence[label] = _words(toks, pushes[i])
    if crisis:
        evidence[CRISIS] = _words(toks, pushes[crisis_index])
    return Analysis(categories=categories, crisis=analysis.crisis or crisis,
                    speaker=analysis.speaker, scores=scores, evidence=evidence,
                    age_band=analysis.age_band, district=analysis.district)


def _words(toks: Tokens, pushes: list[tuple[float, int]], most: int = 3) -> list[str]:
    """The words that weighed most, as written, in message order."""
    best: dict[int, float] = {}
    for w, i in pushes:
        best[i] = best.get(i, 0.0) + w
    top = sorted(sorted(best, key=lambda i: -best[i])[:most])
    return [toks.surface(i, i + 1) for i in top]
