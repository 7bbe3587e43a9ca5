"""The learned layer (intents/learned.py): how its answer combines with the lexicon's, what it
may not add back, and its weights file. The combination rules are tested with small weight
files written here (so each test says exactly what the model "thinks"); the shipped weights
are tested on what they must do for residents."""

from __future__ import annotations

import json
import math

import pytest

from intents.classifier import classify_rules, get_engine
from intents.learned import (
    COLUMNS,
    CRISIS_ALONE,
    CRISIS_COL,
    CRISIS_OVER_RULES,
    CRISIS_VETO,
    DROP_MIN_WORDS,
    KEEP_CRISIS,
    LABELS,
    WEIGHTS_FILE,
    Model,
    extend,
    get_model,
)
from intents.result import SPEAKERS


def _weights(tmp_path, bias: dict[str, float],
             rows: dict[str, dict[str, float]] | None = None) -> Model:
    """A weights file: every column's bias is -10 unless given, plus the given feature rows."""
    line = lambda name, values: name + "\t" + "\t".join(str(values.get(c, 0)) for c in COLUMNS)
    text = "\n".join(["# test weights", "feature\t" + "\t".join(COLUMNS),
                      line("@bias", {c: -10 for c in COLUMNS} | bias),
                      *(line(name, values) for name, values in (rows or {}).items())])
    path = tmp_path / "weights.tsv"
    path.write_text(text + "\n", encoding="utf-8")
    return Model(path)


def _with(model: Model, text: str):
    toks, by_kind = get_engine().analyse_by_kind(text)
    return extend(classify_rules(text), toks, by_kind, model)


def test_the_shipped_weights_cover_every_label_and_speaker():
    model = get_model()
    assert model.loaded and WEIGHTS_FILE.exists()
    assert model.weights.shape[1] == len(COLUMNS) == len(LABELS) + len(SPEAKERS)
    assert len(model.words) > 1000 and len(model.pairs) > 1000 and len(model.grams) > 1000
    for col in range(len(COLUMNS)):  # every column learned something
        assert (model.weights[:, col] > 0).sum() > 10, COLUMNS[col]


@pytest.mark.parametrize("text,label", [
    ("電気代の督促が来たけど払うあてがない", "税金・公共料金"),
    ("毎晩布団に入っても朝まで目がさえてしまう", "こころ"),
])
def test_the_shipped_model_adds_what_the_lexicon_missed_with_its_words(classify, text, label):
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
    "ブロン2錠飲んだ",  # the tablets were counted: too few
])
def test_a_crisis_the_lexicon_decided_against_is_not_added_back(tmp_path, text):
    sure = _weights(tmp_path, {"緊急": 3})  # confident of a crisis everywhere (p = 0.95)
    assert CRISIS_ALONE <= 1 / (1 + math.exp(-3)) < CRISIS_OVER_RULES
    assert not classify_rules(text).crisis
    assert not _with(sure, text).crisis


@pytest.mark.parametrize("text,crisis", [
    ("彼氏に「別れるなら死ぬ」って言われて、今ベランダにいるって写真が来た", True),  # quoted
    ("死にたいって思ってた時期もあったけど今は落ち着いてる", True),  # a past marker
    ("死にたいなんて思ったことない", False),  # negated: the lexicons' no stands
    ("夫に生きてる価値ないって言われる", False),
    ("ブロン2錠飲んだ", False),  # too few tablets: stands
])
def test_only_a_model_all_but_sure_overrules_a_crisis_row_set_aside(tmp_path, text, crisis):
    assert not classify_rules(text).crisis
    all_but_sure = _weights(tmp_path, {"緊急": 10})
    assert _with(all_but_sure, text).crisis is crisis


def test_a_confident_model_adds_a_crisis_the_rows_could_not_complete(tmp_path):
    sure = _weights(tmp_path, {"緊急": 10})
    text = "大事にしてたギター弟にあげた　部屋も全部片付けた　もういいかなって"
    assert not classify_rules(text).crisis  # the lexicon saw もういいかな, without its context
    result = _with(sure, text)
    assert result.crisis is True and result.evidence["緊急"]
    assert _with(sure, "ブロン50錠飲んだ").crisis


def test_without_a_cue_crisis_needs_a_very_confident_model(tmp_path):
    text = "住民票の写しはどこで取れますか"
    _, by_kind = get_engine().analyse_by_kind(text)
    assert not by_kind[1]  # nothing crisis-related for the lexicon
    assert not _with(_weights(tmp_path, {"緊急": 1.5}), text).crisis  # p = 0.82
    assert _with(_weights(tmp_path, {"緊急": 4}), text).crisis  # p = 0.98


@pytest.mark.parametrize("text", [
    "夫に今殴られている",  # violence
    "父が倒れて息をしていない",  # a medical emergency
])
def test_a_model_all_but_sure_takes_back_the_lexicons_crisis(tmp_path, text):
    rules = classify_rules(text)
    assert rules.crisis and not KEEP_CRISIS & rules.crisis_kinds
    p = lambda bias: 1 / (1 + math.exp(-bias))
    assert p(-6) < CRISIS_VETO < p(-4)
    not_crisis = _with(_weights(tmp_path, {"緊急": -6}), text)  # p = 0.002
    assert not not_crisis.crisis and "緊急" not in not_crisis.evidence
    assert not_crisis.categories == rules.categories  # only the flag is taken back
    assert _with(_weights(tmp_path, {"緊急": -4}), text).crisis  # p = 0.02: not sure enough


@pytest.mark.parametrize("text", [
    "死にたい",  # ideation
    "リスカした　血がとまらない",  # self-harm
    "睡眠薬を30錠飲んだ",  # an overdose, counted
])
def test_ideation_self_harm_and_overdose_are_never_taken_back(tmp_path, text):
    assert "こころ" in classify_rules(text).crisis_kinds
    assert _with(_weights(tmp_path, {"緊急": -20}), text).crisis


def test_a_long_message_drops_a_category_the_model_finds_very_unlikely(tmp_path):
    doubtful = _weights(tmp_path, {"仕事": -10, **{c: 0 for c in LABELS if c != "仕事"}})
    long = ("勤め先が潰れてしまって、来月からどうしようかと思っているのですが、"
            "どこに相談すればいいのか全然わからなくて困っています")
    short = "勤め先が潰れた"
    assert "仕事" in classify_rules(long).categories and "仕事" in classify_rules(short).categories
    assert len(get_engine().tokens(long)) >= DROP_MIN_WORDS > len(get_engine().tokens(short))
    dropped = _with(doubtful, long)
    assert "仕事" not in dropped.categories and "仕事" not in dropped.evidence
    assert "仕事" in _with(doubtful, short).categories  # too few words to judge


def test_a_very_confident_speaker_replaces_the_rules_one(tmp_path):
    text = "母の物忘れがひどくなってきました"
    assert classify_rules(text).speaker == "家族"
    assert _with(_weights(tmp_path, {"関係機関": 10}), text).speaker == "関係機関"
    # two speakers equally likely: not confident, the rules' answer stays
    assert _with(_weights(tmp_path, {"関係機関": 10, "地域": 10}), text).speaker == "家族"


def test_evidence_from_runs_of_characters_is_the_words_as_written(tmp_path):
    model = _weights(tmp_path, {}, {"c:たひ": {"こころ": 30}})
    text = "もうﾀﾋりたい気分"  # half-width katakana, read as hiragana by the character runs
    result = _with(model, text)
    assert "こころ" in result.categories
    assert result.evidence["こころ"] and all(w in text for w in result.evidence["こころ"])


def test_without_a_weights_file_the_layer_changes_nothing(tmp_path):
    model = Model(tmp_path / "missing.tsv")
    text = "ぜんぶ投げ出して遠くに行きたい、もう戻らない"
    toks, by_kind = get_engine().analyse_by_kind(text)
    rules = classify_rules(text)
    assert extend(rules, toks, by_kind, model) is rules


def test_a_broken_weights_file_names_file_and_line(tmp_path):
    path = tmp_path / "weights.tsv"
    header = "feature\t" + "\t".join(COLUMNS)
    path.write_text(f"# comment\n{header}\nw:家賃\t1\t2\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"weights.tsv:3: need a feature .* and 21 weights"):
        Model(path)
    path.write_text("# comment\nfeature\t住まい\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"weights.tsv:2: the header must be"):
        Model(path)
    row = "\t".join(["x"] * len(COLUMNS))
    path.write_text(f"{header}\nw:家賃\t{row}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"weights.tsv: a weight is not a number"):
        Model(path)


def test_what_it_adds_is_plain_json(tmp_path):
    """Stored as JSON in the conversation: a flag from the model is a real bool."""
    model = _weights(tmp_path, {}, {"w:今夜": {"緊急": 15, "孤立・人間関係": 15}})
    text = "今夜どうしよう"
    toks, by_kind = get_engine().analyse_by_kind(text)
    rules = classify_rules(text)
    assert not rules.crisis and by_kind[1]  # the lexicon saw 今夜 as crisis-related
    result = extend(rules, toks, by_kind, model)
    assert result.crisis is True
    assert result.evidence["緊急"] == ["今夜"] == result.evidence["孤立・人間関係"]
    assert json.loads(json.dumps(result.to_json()))["scores"]["孤立・人間関係"] == 0.99
    assert model.scores(toks)[CRISIS_COL] > 0.99


def test_features_of_a_message_with_line_breaks_fit_the_weights_file():
    """A newline or tab inside a feature would break weights.tsv's lines and columns."""
    from intents.learned import features

    toks = get_engine().tokens("家賃が\n払えません\tどうしよう\r\n　ｺﾏｯﾀ")
    feats = features(toks)
    assert feats and not any(c in f for f in feats for c in "\t\n\r")
    assert "c:こま" in feats  # half-width katakana read as hiragana
