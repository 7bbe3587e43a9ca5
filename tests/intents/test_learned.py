"""The learned layer (intents/learned.py): what it adds, what it may not add back, and its
weights file."""

from __future__ import annotations

import json

import pytest

from intents.classifier import classify_rules, get_engine
from intents.learned import LABELS, WEIGHTS_FILE, Model, extend, get_model


def _prob(text: str, label: str) -> float:
    return float(get_model().scores(get_engine().tokens(text))[LABELS.index(label)])


def test_the_shipped_weights_cover_every_label():
    model = get_model()
    assert model.loaded and WEIGHTS_FILE.exists()
    assert all(t < 1.0 for t in model.threshold), "every label has a trained threshold"
    assert len(model.words) > 1000 and len(model.pairs) > 1000


@pytest.mark.parametrize("text,label", [
    ("電気代の督促が来たけど払うあてがない", "税金・公共料金"),
    ("ぜんぶ投げ出して遠くに行きたい、もう戻らない", "こころ"),
])
def test_it_adds_what_the_lexicon_missed_with_the_words_that_weighed(classify, text, label):
    assert label not in classify_rules(text).categories
    result = classify(text)
    assert label in result.categories
    assert result.categories.index(label) >= len(classify_rules(text).categories)  # after
    assert 0.5 <= result.scores[label] < 1.0
    words = result.evidence[label]
    assert words and all(w in text for w in words)


@pytest.mark.parametrize("text", [
    "死にたいって思ってた時期もあったけど今は落ち着いてる",  # past, settled now
    "夫に生きてる価値ないって言われる",  # words said to the writer
    "息子が帰ってこなかったらと思うと怖い",  # a feared situation, not a present one
])
def test_a_crisis_the_lexicon_decided_against_is_not_added_back(classify, text):
    assert _prob(text, "緊急") >= get_model().threshold[LABELS.index("緊急")]
    assert not classify(text).crisis


def test_a_counted_handful_of_tablets_is_not_an_overdose(classify):
    assert _prob("ブロン2錠飲んだ", "緊急") >= get_model().threshold[LABELS.index("緊急")]
    assert not classify("ブロン2錠飲んだ").crisis  # the pill counter decided
    assert classify("ブロン50錠飲んだ").crisis


def test_without_a_weights_file_the_layer_adds_nothing(tmp_path):
    model = Model(tmp_path / "missing.tsv")
    text = "ぜんぶ投げ出して遠くに行きたい、もう戻らない"
    toks, by_kind = get_engine().analyse_by_kind(text)
    rules = classify_rules(text)
    assert extend(rules, toks, by_kind, model) is rules


def test_a_broken_weights_line_names_file_and_line(tmp_path):
    path = tmp_path / "weights.tsv"
    path.write_text("# comment\n@bias\t住まい\t-1.0\nw:家賃\tすまい\t2.0\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"weights.tsv:3: need feature<TAB>label<TAB>weight"):
        Model(path)


def test_what_it_adds_is_plain_json(tmp_path):
    """Stored as JSON in the conversation: a flag from the model is a real bool."""
    path = tmp_path / "weights.tsv"
    rows = [f"@bias\t{label}\t-5\n@threshold\t{label}\t0.7\n" for label in LABELS]
    path.write_text("".join(rows) + "w:今夜\t緊急\t10\nw:今夜\t孤立・人間関係\t10\n",
                    encoding="utf-8")
    text = "今夜どうしよう"
    toks, by_kind = get_engine().analyse_by_kind(text)
    rules = classify_rules(text)
    assert not rules.crisis and by_kind[1]  # the lexicon saw 今夜 as crisis-related
    result = extend(rules, toks, by_kind, Model(path))
    assert result.crisis is True
    assert result.evidence["緊急"] == ["今夜"] == result.evidence["孤立・人間関係"]
    assert json.loads(json.dumps(result.to_json()))["scores"]["孤立・人間関係"] == 0.99
