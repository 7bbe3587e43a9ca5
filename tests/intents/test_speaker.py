"""Who is writing: self-introductions by role, neighbours and friends only when they are the
ones reported on, relatives only when the problem is theirs. Sentences written for this file."""

import pytest


@pytest.mark.parametrize("text,speaker", [
    ("訪問看護師です。担当しているお宅のおじいさんが最近食事をとれていません", "関係機関"),
    ("小学校の養護教諭をしています。5年生の男の子が毎日同じ服で登校してきます", "関係機関"),
    ("障害者就業・生活支援センターの者です。利用中の方が家賃を滞納しています", "関係機関"),
    ("保育士です。3歳の子のお迎えが毎日夜遅くて気になります", "関係機関"),
    ("民生委員です。一人暮らしの高齢の方が電気を止められたようです", "地域"),
    ("町内会長をしております。空き家に若い人が住みついていて心配です", "地域"),
    ("スーパーの店員です。毎日お酒だけ買っていくおじいさんがいて、痩せてきています", "地域"),
    ("友人が借金で首が回らなくなって連絡が取れません", "地域"),
    ("隣の部屋から夜中にずっと子どもの泣き声がします", "地域"),
    ("友達もいないし毎日一人で寂しい", "本人"),
    ("近所の人に無視されるようになってつらい", "本人"),
    ("今夜は友達の家に泊まります。明日からのアパートを探したいです", "本人"),
    ("中2です。お母さんが入院して、弟の世話で学校に行けてない", "本人"),
    ("認知症の母の徘徊がひどくなってきました", "家族"),
    ("障害のある弟の将来が心配です", "家族"),
    ("夫から毎日ばかにされる言葉を言われます", "本人"),
    ("母の介護に疲れた。もう死にたい", "本人"),
])
def test_speaker_generalizes(classify, text, speaker):
    assert classify(text).speaker == speaker, classify(text)
