"""Behaviour a resident or a consultant would notice. Scratch sentences written the way people
write (dialect, kana, no punctuation), not copied from any data set."""

import threading

import pytest


@pytest.mark.parametrize("text", [
    "電気代が払えない", "電気代がもう払えんわ", "電気代が払えへん", "電気代払えません",
])
def test_unpaid_bill_in_dialect_and_politeness(classify, text):
    assert "税金・公共料金" in classify(text).categories


@pytest.mark.parametrize("text", ["娘がずっとひきこもっとって", "娘が引きこもっている", "娘がﾋｷｺﾓﾘで"])
def test_hikikomori_variants(classify, text):
    a = classify(text)
    assert "ひきこもり" in a.categories
    assert a.speaker == "家族"


def test_half_width_kana_is_understood(classify):
    assert "住まい" in classify("部屋がｺﾞﾐ屋敷みたいになってます").categories


def test_negation_removes_the_category(classify):
    assert "借金" in classify("カードローンがあって困ってます").categories
    assert "借金" not in classify("カードローンとかは特にないです").categories
    assert "DV・虐待" not in classify("DVではないと思うんですが夫と喧嘩ばかりで").categories


def test_a_lack_is_not_a_negation(classify):
    assert "食べ物" in classify("家に食べる物がないんです").categories


def test_idioms_do_not_raise_crisis(classify):
    assert not classify("毎日死ぬほど忙しくて残業ばっかり").crisis
    a = classify("借金で首が回らない")
    assert not a.crisis and "借金" in a.categories and "病気・健康" not in a.categories


@pytest.mark.parametrize("text", [
    "もう死にたい", "しにたい", "いなくなりたいです", "楽になりたい もう疲れた", "ODしてしまった",
])
def test_suicidal_ideation_raises_crisis(classify, text):
    a = classify(text)
    assert a.crisis
    assert a.evidence.get("緊急")


def test_past_ideation_now_stable_is_not_a_crisis(classify):
    assert not classify("昔は死にたいと思ったこともありましたが、今は落ち着いています").crisis


def test_food_runs_out_only_today_is_crisis(classify):
    assert classify("今日食べる物がなにもない").crisis
    assert not classify("米がもう少しで無くなりそうで不安").crisis


@pytest.mark.parametrize("text,speaker", [
    ("息子が家から出ないで十年になります。母親として心配です", "家族"),
    ("近所に住むおばあさんが一人暮らしで最近見かけなくて心配です", "地域"),
    ("ケアマネです。担当している利用者さんが認知症で一人暮らしです", "関係機関"),
    ("仕事をクビになって家賃が払えません", "本人"),
    ("夫に殴られています", "本人"),
])
def test_speaker(classify, text, speaker):
    assert classify(text).speaker == speaker


def test_evidence_is_the_words_as_written(classify):
    text = "光熱費もう払えんわ"
    a = classify(text)
    for words in a.evidence["税金・公共料金"]:
        assert words in text


def test_age_band_and_district(classify):
    a = classify("80代の母が須々万で一人暮らしです", districts={"susuma": ["須々万", "すすま"]})
    assert a.age_band == "senior"
    assert a.district == "susuma"
    assert classify("中学生の娘が不登校で").age_band == "child"


def test_greeting_has_no_category(classify):
    a = classify("こんにちは よろしくお願いします")
    assert a.categories == [] and not a.crisis and a.speaker == "本人"


def test_thread_safe(classify):
    texts = ["家賃が払えない", "もう死にたい", "息子がひきこもっとる"] * 20
    expected = [classify(t).to_json() for t in texts]
    got = [None] * len(texts)

    def work(k):
        for i in range(k, len(texts), 4):
            got[i] = classify(texts[i]).to_json()

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == expected
