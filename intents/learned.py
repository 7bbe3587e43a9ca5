"""The learned layer: a linear model over the message's words, added to the lexicon's answer.

The lexicons catch the wordings someone wrote down; residents keep finding new ones. This
layer scores every category and 緊急 from the words of the message (Sudachi's normalized
forms, and pairs of neighbouring words), with weights learned from all labelled messages by
`python -m intents.train` (dictionaries/model/weights.tsv). It only ADDS: a category or 緊急
the lexicon missed is added when the model is confident enough; nothing the lexicon found is
taken away, and where the lexicons decided against a label (negated, an idiom, a past or
"safe now" marker) the model does not add it back. 緊急 is added only when the lexicon saw
something crisis-related (a crisis or context row) that its rules could not complete. What it
adds carries the words that weighed most as evidence, so staff see why.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import numpy as np

from intents.result import CATEGORIES, CRISIS, Analysis
from intents.tokens import ADJ, NOUN, VERB, Tokens

WEIGHTS_FILE = Path(__file__).resolve().parent.parent / "dictionaries" / "model" / "weights.tsv"
LABELS: tuple[str, ...] = (*CATEGORIES, CRISIS)
_CONTENT = frozenset({NOUN, VERB, ADJ})
_LIGHT = frozenset({"居る", "為る", "成る", "有る", "来る", "言う", "思う", "事", "物", "方", "所"})


def features(toks: Tokens) -> list[str]:
    """The model's features: every word (w:), and every pair of neighbouring words (b:)."""
    keys = toks.keys
    return [*("w:" + k for k in keys), *("b:" + a + "|" + b for a, b in pairwise(keys))]


class Model:
    """A weight per (feature, label), a bias and a threshold per label (weights.tsv). Scoring
    a message is one sum over the rows of the features it has."""

    def __init__(self, path: Path = WEIGHTS_FILE) -> None:
        self.words: dict[str, int] = {}
        self.pairs: dict[tuple[str, str], int] = {}
        self.weights = np.zeros((0, len(LABELS)))
        self.bias = np.zeros(len(LABELS))
        self.threshold = [1.0] * len(LABELS)
        self.loaded = path.exists()
        if self.loaded:
            self._read(path)

    def _read(self, path: Path) -> None:
        index = {label: i for i, label in enumerate(LABELS)}
        rows: dict[str, int] = {}
        cells: list[tuple[int, int, float]] = []
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
            elif feature.startswith(("w:", "b:")):
                cells.append((rows.setdefault(feature, len(rows)), label, value))
            else:
                raise ValueError(f"{path.name}:{lineno}: unknown feature {feature!r}")
        self.weights = np.zeros((len(rows), len(LABELS)))
        for row, label, value in cells:
            self.weights[row, label] = value
        for feature, row in rows.items():
            if feature.startswith("w:"):
                self.words[feature[2:]] = row
            else:
                a, _, b = feature[2:].partition("|")
                self.pairs[(a, b)] = row

    def _rows(self, toks: Tokens) -> list[int]:
        """The weight rows of the message's features; each feature once, as in training."""
        found = set(map(self.words.get, toks.keys))
        found.update(map(self.pairs.get, pairwise(toks.keys)))
        found.discard(None)
        return list(found)

    def scores(self, toks: Tokens) -> np.ndarray:
        """Probability per label (LABELS order)."""
        rows = self._rows(toks)
        total = self.bias + self.weights.take(rows, axis=0).sum(axis=0) if rows else self.bias
        return 1.0 / (1.0 + np.exp(-total))

    def evidence(self, toks: Tokens, label: int, most: int = 3) -> list[str]:
        """The content words that pushed `label` up most, as written, in message order (a
        word pair counts for its content words)."""
        keys, cls = toks.keys, toks.cls
        shown = [cls[i] in _CONTENT and keys[i] not in _LIGHT for i in range(len(keys))]
        push: dict[int, float] = {}

        def add(i: int, row: int | None) -> None:
            if row is not None and shown[i] and self.weights[row, label] > 0:
                push[i] = push.get(i, 0.0) + self.weights[row, label]

        for i, k in enumerate(keys):
            add(i, self.words.get(k))
            if i:
                row = self.pairs.get((keys[i - 1], k))
                add(i - 1, row)
                add(i, row)
        top = sorted(sorted(push, key=lambda i: -push[i])[:most])
        return [toks.surface(i, i + 1) for i in top]


def get_model() -> Model:
    """The process's model, loaded once with the rest of the analyser (intents.engine)."""
    from intents.classifier import get_engine

    return get_engine().model


def extend(analysis: Analysis, toks: Tokens, by_kind, model: Model | None = None) -> Analysis:
    """The lexicon's analysis plus what the model is confident the lexicon missed.
    `by_kind` are the lexicon matches (Lexicon.find(by_kind=True)): where the lexicons
    decided against a label, the model does not add it back."""
    model = model or get_model()
    if not model.loaded or not len(toks):
        return analysis
    probs = model.scores(toks)
    quiet = silenced(analysis, by_kind, toks)
    if "*" in quiet:
        return analysis
    added = [i for i, label in enumerate(LABELS[:-1])
             if probs[i] >= model.threshold[i] and label not in analysis.scores
             and label not in quiet]
    crisis_index = len(LABELS) - 1
    crisis = bool(not analysis.crisis and probs[crisis_index] >= model.threshold[crisis_index]
                  and CRISIS not in quiet and by_kind[1])
    if not added and not crisis:
        return analysis
    categories = list(analysis.categories)
    scores = dict(analysis.scores)
    evidence = {k: list(v) for k, v in analysis.evidence.items()}
    for i in sorted(added, key=lambda i: -probs[i]):
        label = LABELS[i]
        categories.append(label)
        scores[label] = round(float(probs[i]), 2)
        evidence[label] = model.evidence(toks, i)
    if crisis:
        evidence[CRISIS] = model.evidence(toks, crisis_index)
    return Analysis(categories=categories, crisis=analysis.crisis or crisis,
                    speaker=analysis.speaker, scores=scores, evidence=evidence,
                    age_band=analysis.age_band, district=analysis.district)


def silenced(analysis: Analysis, by_kind, toks: Tokens) -> set[str]:
    """Labels the lexicons decided against: an idiom or past/"safe now" marker silences them
    (死ぬほど, 昔は…, 今は落ち着いています), or a full-weight row matched and was dropped
    (negated: ローンはないです; its context missing; a crisis row read as past or
    hypothetical), or the tablets were counted and were too few for an overdose (2錠).
    "*" means every label."""
    cat, crisis, idioms, _roles, _ages = by_kind
    quiet: set[str] = set()
    for m in idioms:
        quiet |= m.pattern.blocks
    for m in cat:
        label = m.pattern.base
        if m.pattern.weight >= 1 and not m.pattern.is_context and label not in analysis.scores:
            quiet.add(label)
    if not analysis.crisis and ("錠" in toks.keys
                                or any(not m.pattern.is_context for m in crisis)):
        quiet.add(CRISIS)
    return quiet
