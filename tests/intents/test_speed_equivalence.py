"""The speed-ups of the classifier keep its answers: each fast path is checked against the
plain version it replaced, on every message of the classifier test data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from intents import classifier as C
from intents.lexicon import KINDS
from intents.tokens import BREAK, PUNCT, Tokens

DATA = Path(__file__).resolve().parents[1] / "data" / "classifier"


def _messages() -> list[str]:
    texts = []
    for path in sorted(DATA.glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines()
                  if line.strip()]
    # joined pairs: more matches, negations and sentences per message
    return texts + [a + "。" + b for a, b in zip(texts[::7], texts[3::7])]


@pytest.fixture(scope="module")
def analysed():
    engine = C.get_engine()
    return [(engine.tokens(t), t) for t in _messages()]


def _sentences(toks: Tokens) -> list[int]:
    out, s = [], 0
    for c in toks.cls:
        out.append(s)
        if c == BREAK:
            s += 1
    return out


def _drop_contained_plain(matches):
    if len(matches) < 2:
        return matches
    out, seen = [], set()
    for m in matches:
        key = (m.pattern.source, m.start)
        if key in seen:
            continue
        seen.add(key)
        label, s, e = m.label, m.start, m.end
        if not any(o is not m and o.start <= s and e <= o.end and (o.end - o.start) > (e - s)
                   and o.label == label for o in matches):
            out.append(m)
    return out


def _spans(matches):
    return [(m.pattern.pid, m.start, m.end, m.label) for m in matches]


def test_matches_by_kind_are_the_flat_matches_split(analysed):
    lexicon = C.get_engine().lexicon
    for toks, _ in analysed:
        flat = lexicon.find(toks)
        by_kind = lexicon.find(toks, by_kind=True)
        for slot, kind in enumerate(KINDS):
            assert _spans(by_kind[slot]) == _spans([m for m in flat if m.pattern.kind == kind])


def test_sentences_and_first_sentence(analysed):
    for toks, _ in analysed:
        assert toks.sentences == _sentences(toks)


def _clauses_plain(toks: Tokens) -> list[int]:
    out, n = [], 0
    for k, c in zip(toks.keys, toks.cls):
        out.append(n)
        if c == BREAK and k not in (".", "…", "‥") or c == PUNCT and not k.strip():
            n += 1
    return out


def test_clauses_are_the_plain_version(analysed):
    for toks, _ in analysed:
        assert toks.clauses == _clauses_plain(toks)


def test_drop_contained_is_the_plain_version(analysed):
    lexicon = C.get_engine().lexicon
    for toks, _ in analysed:
        flat = lexicon.find(toks)
        for kind in KINDS:
            ms = [m for m in flat if m.pattern.kind == kind]
            assert _spans(C._drop_contained(ms)) == _spans(_drop_contained_plain(ms))
        assert _spans(C._drop_contained(flat)) == _spans(_drop_contained_plain(flat))


def test_match_label_follows_its_pattern(analysed):
    for m in C.get_engine().lexicon.find(analysed[0][0]):
        assert m.label == m.pattern.label
