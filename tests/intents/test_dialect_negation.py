"""Dialect negatives that Sudachi folds into the verb (払えんのよ is read 払えるのよ) or reads as
another word (ねぐ, んす): the classifier must still see the negation."""

from __future__ import annotations

import pytest

from intents.classifier import get_engine


def _keys(text: str) -> list[str]:
    return list(get_engine().tokens(text).keys)


@pytest.mark.parametrize("text,verb", [
    ("家賃が払えんのよ", "払う"),
    ("目が見えんけえ", "見える"),
    ("部屋から出て来んようになった", "来る"),
    ("誰も来てくれんのよ", "呉れる"),
    ("ご飯も食べられん", "られる"),
    ("体が動かれんのよ", "れる"),
    ("払えねぐなってきた", "払う"),  # 東北 ねぐ = なく (rewrite.tsv)
    ("頼る人もおらんしの", "居る"),
    ("まだ戻ってこんのんよ", "来る"),  # こん after て is not 此の (rewrite.tsv)
    ("夫が帰ってこんのよ。心配", "来る"),
])
def test_the_negation_follows_its_verb(text, verb):
    keys = _keys(text)
    assert keys[keys.index(verb) + 1] == "ない", keys


@pytest.mark.parametrize("text", [
    "何してんの",  # してるの
    "近所の人に文句言われんねん",  # Kansai 言われるねん
    "死にたいねん",
    "夫が死んだ",
    "仕事がぶちたいぎいんよ",  # たいぎい + んよ
    "反抗期ってこんなもの？",  # こんな stays
])
def test_no_negation_where_there_is_none(text):
    assert "ない" not in _keys(text)


def test_evidence_still_shows_the_words_as_written(classify):
    result = classify("腰も悪うて、誰も来てくれんのよ。頼る人もおらんしの")
    assert "孤立・人間関係" in result.categories
    assert all(w in "腰も悪うて、誰も来てくれんのよ。頼る人もおらんしの"
               for w in result.evidence["孤立・人間関係"])


def test_rewrite_cells_are_taken_exactly_and_bad_rows_name_their_line(tmp_path):
    from intents.engine import _load_rewrites

    path = tmp_path / "rewrite.tsv"
    path.write_text("# comment\nにたか　\tにたい　\n", encoding="utf-8")
    rewrite = _load_rewrites(path)
    assert rewrite("死にたか　もう") == "死にたい　もう"
    assert rewrite("死にたかった") == "死にたかった"  # the space is part of the context
    path.write_text("# comment\nとらん\tていない\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"rewrite.tsv:2: .* differ in length"):
        _load_rewrites(path)
    path.write_text("とらん\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"rewrite.tsv:1: need written<TAB>read as"):
        _load_rewrites(path)
