import pytest

import intents

# Probes the learned layer (intents/learned.py) currently gets wrong although the lexicon rules
# alone get them right: the price of what it gains on unseen wording (docs/classifier.md,
# "Measuring"). Strict: when a retrained model gets one right, the test says so and the entry
# must go.
LEARNED_ERRORS = {
    "今夜のうちに書類を終わらせる",
    "今日は疲れたから早く寝たい",
    "子どもが生きていく力をつけてほしい",  # 緊急 added
    "友人が借金で首が回らなくなって連絡が取れません",  # speaker 本人, not 地域
    "今日でバイト終わり！お世話になりました",  # 緊急 added: thanks read as a farewell
    "寝たきりの母は今日はデイに行っていて、一人で家にいるはずはないです",  # 緊急 added
    "転勤で来月引っ越します。今までお世話になりました",  # 緊急 added: a farewell when moving
    "財布落とした、人生終わった",  # 緊急 added (p 0.51 with a cue): an everyday mishap
    "子どもが昨日の夜熱を出しました。今朝は下がりました",  # 緊急 added: the fever is over
    "母の介護でもうくたくたです",  # ケアラー added: only exhausted is 介護
    "母の介護で疲れ果てています",  # ケアラー added, as above
    "借金のことは家族の誰にも言えない",  # 孤立・人間関係 added: a secret is not isolation
    "病院を退院したけど帰る家がない",  # 緊急 taken back (p 0.009): no "tonight" in it
}


def pytest_collection_modifyitems(items):
    for item in items:
        params = getattr(item, "callspec", None)
        if params and params.params.get("text") in LEARNED_ERRORS:
            item.add_marker(pytest.mark.xfail(
                strict=True, reason="learned layer: known error on this probe"))


@pytest.fixture(scope="session")
def classify():
    """The real classifier with the real Sudachi dictionary, loaded once per session."""
    intents.warm_up()
    return intents.classify
