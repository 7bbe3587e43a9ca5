"""Evaluation on a labelled JSONL file ({"id","text","categories","crisis","speaker"}), for the
classifier and for a plain substring baseline over the same lexicon (what keyword rules in
chat platforms do), so the gain from morphology is visible."""

from __future__ import annotations

import json
from collections.abc import Callable

from intents.result import CATEGORIES, CRISIS


def load(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


class SubstringBaseline:
    """The surface strings of the lexicon rows, matched with `in`; speaker is always 本人."""

    def __init__(self) -> None:
        from intents.classifier import get_engine

        self.rows: list[tuple[str, float, list[str]]] = []
        for p in get_engine().lexicon.patterns:
            label = p.label
            if p.kind in ("idiom", "speaker", "age"):
                continue
            if p.kind == "crisis" and "@" in label:
                continue  # context rows need logic the baseline does not have
            self.rows.append((label, p.weight, p.text.split()))

    def classify(self, text: str) -> tuple[list[str], bool, str]:
        scores: dict[str, float] = {}
        for label, weight, parts in self.rows:
            if all(part in text for part in parts):
                scores[label] = scores.get(label, 0.0) + weight
        cats = [c for c in CATEGORIES if scores.get(c, 0.0) >= 1.0]
        return cats, scores.get(CRISIS, 0.0) >= 1.0, "本人"


def metrics(rows: list[dict], predict: Callable[[str], tuple[list[str], bool, str]]) -> dict:
    tp = {c: 0 for c in CATEGORIES}
    fp = dict(tp)
    fn = dict(tp)
    ctp = cfp = cfn = 0
    spk_ok = 0
    for row in rows:
        cats, crisis, speaker = predict(row["text"])
        gold = set(row.get("categories", []))
        pred = set(cats)
        for c in CATEGORIES:
            if c in pred and c in gold:
                tp[c] += 1
            elif c in pred:
                fp[c] += 1
            elif c in gold:
                fn[c] += 1
        g = bool(row.get("crisis"))
        ctp += crisis and g
        cfp += crisis and not g
        cfn += g and not crisis
        spk_ok += speaker == row.get("speaker", "本人")
    per = {}
    for c in CATEGORIES:
        support = tp[c] + fn[c]
        if support == 0 and fp[c] == 0:
            continue
        p = tp[c] / (tp[c] + fp[c]) if tp[c] + fp[c] else 0.0
        r = tp[c] / support if support else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        per[c] = (p, r, f, support)
    present = [c for c, v in per.items() if v[3] > 0]
    macro = sum(per[c][2] for c in present) / len(present) if present else 0.0
    return {
        "per": per, "macro_f1": macro,
        "crisis_recall": ctp / (ctp + cfn) if ctp + cfn else 1.0,
        "crisis_precision": ctp / (ctp + cfp) if ctp + cfp else 1.0,
        "crisis_support": ctp + cfn,
        "speaker_accuracy": spk_ok / len(rows) if rows else 0.0,
        "n": len(rows),
    }


def report(name: str, m: dict, echo: Callable[[str], None]) -> None:
    echo(f"== {name} ({m['n']} messages)")
    echo(f"{'category':<16}{'P':>7}{'R':>7}{'F1':>7}{'n':>5}")
    for c, (p, r, f, n) in m["per"].items():
        echo(f"{c:<16}{p:7.3f}{r:7.3f}{f:7.3f}{n:5d}")
    echo(f"macro-F1 (categories present): {m['macro_f1']:.3f}")
    echo(f"crisis recall: {m['crisis_recall']:.3f}  precision: {m['crisis_precision']:.3f}"
         f"  (n={m['crisis_support']})")
    echo(f"speaker accuracy: {m['speaker_accuracy']:.3f}")


def evaluate_file(path: str, echo: Callable[[str], None]) -> tuple[dict, dict]:
    import intents

    intents.warm_up()
    rows = load(path)

    def ours(text: str):
        a = intents.classify(text)
        return a.categories, a.crisis, a.speaker

    mine = metrics(rows, ours)
    base = metrics(rows, SubstringBaseline().classify)
    report("classifier (SudachiPy, mode C, lexicon + negation/idioms/crisis/speaker)", mine, echo)
    echo("")
    report("baseline (substring `in` over the same lexicon's surface strings)", base, echo)
    echo("")
    echo(f"gain in macro-F1: {mine['macro_f1'] - base['macro_f1']:+.3f}")
    return mine, base
