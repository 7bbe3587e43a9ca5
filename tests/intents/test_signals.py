"""Crisis as signals (a death/self-harm word + a wish or intent; an act of violence + a victim,
now or a relative), the categories a crisis implies, and speaker rules for relatives named far
from the problem. Wordings written fresh, not copied from the evaluation data."""

import pytest


@pytest.mark.parametrize("text", [
    "いっそ消えてしまおうかと思う",
    "私なんか消えればいいのに",
    "もうここで終わりにしようと決めた",
    "橋の上にいる。逝こうかな",
    "父にまた叩かれている。怖い",
    "彼氏に首を絞められた",
    "兄が刃物を持って暴れている",
])
def test_signal_crisis(classify, text):
    a = classify(text)
    assert a.crisis, text


@pytest.mark.parametrize("text", [
    "仕事が終わったら楽になる",
    "電気が消えたら困る",
    "昔は父に叩かれていたが、今は離れて暮らしています",
    "息子は暴れたりはしません",
])
def test_signal_look_alike(classify, text):
    assert not classify(text).crisis, classify(text).evidence.get("緊急")


def test_ideation_is_also_kokoro(classify):
    assert "こころ" in classify("いっそ消えてしまおうかと思う").categories


def test_violence_signal_is_dv(classify):
    assert "DV・虐待" in classify("父にまた叩かれている").categories


@pytest.mark.parametrize("text,speaker", [
    ("夫が包丁を持って暴れています。子どもと寝室にいます", "本人"),
    ("娘から電話があって、彼氏に殴られたって", "家族"),
    ("うちのじいちゃん、最近同じことばかり言うし、夜中に外に出ようとする。施設とか考えたほうがええんかね", "家族"),
    ("嫁と姑の関係が悪くて、家にいるのがしんどい", "本人"),
    ("近所の人に悪口を言いふらされて腹が立つ", "本人"),
])
def test_speaker_rules(classify, text, speaker):
    assert classify(text).speaker == speaker, classify(text)


def test_heavier_reading_is_kept():
    """A 1.0 term inside a lighter 0.5 phrase of its label keeps its weight; a 0 phrase
    (a canceller) still hides the term inside it."""
    from intents.classifier import _drop_contained, _drop_lighter_phrases
    from intents.lexicon import Match, Pattern
    term = Pattern(900001, "", "介護", 1.0, "t:1", "a", (("a", None, False),))
    phrase = Pattern(900002, "", "介護", 0.5, "t:2", "a b", (("a", None, False), ("b", None, False)))
    zero = Pattern(900003, "", "介護", 0.0, "t:3", "a b", (("a", None, False), ("b", None, False)))
    kept = _drop_contained(_drop_lighter_phrases([Match(term, 0, 1), Match(phrase, 0, 2)]))
    assert [m.pattern.weight for m in kept] == [1.0]
    kept = _drop_contained(_drop_lighter_phrases([Match(term, 0, 1), Match(zero, 0, 2)]))
    assert [m.pattern.weight for m in kept] == [0.0]
