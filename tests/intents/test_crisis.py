"""The 緊急 flag on wordings the lexicon was not written from: direct and indirect ideation,
methods, self-harm, violence now, a child alone, a missing person with dementia, medical
emergencies, no food today, nowhere to sleep tonight -- and look-alikes that must stay calm
(idioms, jokes, the past, safe tonight). Sentences written for this file, not taken from data.
"""

import pytest

CRISIS = [
    'もう死にたい',
    'しにたい',
    'ｼﾆﾀｲ',
    '氏にたい',
    'タヒにたい',
    '死にたいって毎日思ってる',
    '消えたい',
    '消えてしまいたい',
    'いなくなりたい',
    'この世からいなくなりたい',
    '楽になりたい',
    'もう楽になりたいです',
    '全部終わりにしたい',
    'もう終わりにしたいです',
    '生きてるのがつらい',
    '生きているのがしんどい',
    '生きてる意味がわからない',
    'もう無理。私なんかいないほうがいい',
    '疲れた。もう全部やめたい',
    '遺書を書きました',
    'ビルから飛び降りようと思ってる',
    '屋上にいます。飛び降りたい',
    '首を吊ろうと思って紐を買った',
    '薬をたくさん飲んだ',
    '薬を全部飲みました',
    'さっきODした',
    '昨日からオーバードーズしてて',
    'またリスカしちゃった',
    '手首を切ってしまった',
    '腕を切った、血が止まらない',
    '線路に飛び込もうかと思う',
    '線路の前にいる',
    '死んだほうがましだ',
    '自殺したい',
    '死ぬつもりです',
    'もう生きていたくない',
    '明日の朝には死んでると思う',
    '殴られている',
    '今も夫に叩かれています',
    '夫が包丁を持っている',
    '殺すと言われた',
    '殺してやると脅されている',
    '逃げたい。夫が暴れていて怖い',
    '帰ったらまた殴られる',
    '父に毎晩殴られてる。助けて',
    '彼氏に首を絞められた。今も部屋にいる',
    '子どもが家に一人で何日もいる',
    '親が帰ってこない。ご飯もない',
    'ママが3日帰ってこない',
    '認知症の父が帰ってこない',
    '認知症の母が行方不明です',
    '徘徊して見つからない',
    '祖母が倒れて動かない',
    '父が意識がない',
    '母が息をしていない',
    '何日も食べていない',
    '今日食べるものがない',
    'お金が0で何も食べられない',
    '3日何も食べてない',
    '今夜泊まるところがない',
    '追い出されて行くところがない',
    '今日から野宿です',
    '今夜寝る場所がありません',
    '家を追い出されて今外にいる',
    'もう限界。死ぬしかない',
    '生きるのに疲れました',
    '消えてなくなりたい',
    '昔は落ち着いてたけど今また死にたい気持ちが強い',
    '死にたいとは思わないけど、もう消えたい',
    '夫に殴られて今トイレに逃げてる',
    '睡眠薬を30錠飲んだ',
    '電車に飛び込みたい',
    'リスカやめたいのにやめられない',  # not stopped
    '転んで腕が変な方向に曲がってる',  # a fracture described, not named
]

NOT_CRISIS = [
    '死ぬほど忙しい',
    '借金で首が回らない',
    '昔死にたいと思ったけど今は落ち着いています',
    '殺す気か！って笑った',
    '暑くて死にそう',
    '笑いすぎて死ぬ',
    '恥ずかしすぎて消えたい笑',
    '仕事が楽になりたい',
    '家計を少しでも楽にしたい',
    '米がもう少しでなくなりそう',
    '今夜は友達の家に泊めてもらえます',
    'ネットカフェに泊まっています',
    '電気が止められたけど一人暮らしで元気です',
    '夫に昔殴られていたが、10年前に離婚して今は平和です',
    '死んだ父の年金のことで相談です',
    '何年も前に自殺未遂したけど今は元気です',
    '子どもが迷子になったけど5分で見つかりました',
    '夫から毎日暴言を言われます。手はあげられていません',
    'ゲームで敵を殺すのが好きな息子が心配',
    '昨日は残業で死ぬかと思った',
    '食費を切り詰めています',
    '母が転んで骨折し入院しました。今は落ち着いています',
    '毎日眠れなくてつらい',
    'リスカはもうやめました',  # self-harm stopped
    '自傷やめたよ。報告まで',
    '変な方向に話が曲がっていく',
    '昔、腕が変な方向に曲がったことがある',
]


@pytest.mark.parametrize("text", CRISIS)
def test_crisis_is_flagged(classify, text):
    a = classify(text)
    assert a.crisis, text
    assert all(w in text for w in a.evidence["緊急"])  # shown to staff as written


@pytest.mark.parametrize("text", NOT_CRISIS)
def test_look_alike_is_not_a_crisis(classify, text):
    assert not classify(text).crisis, classify(text).evidence.get("緊急")


def test_a_past_marker_does_not_silence_a_present_signal(classify):
    assert classify("昔は落ち着いてたけど今また死にたい気持ちが強い").crisis
    assert classify("元夫とは何年も前に別れた。でも昨日から家の前に元夫がいて怖い").crisis
    assert not classify("何年も前に死にたいと思ったことがあるけど、今は落ち着いています").crisis
