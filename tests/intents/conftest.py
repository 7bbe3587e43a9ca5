import pytest

import intents

# Look-alikes that the learned layer (intents/learned.py) currently flags although the lexicon
# rules alone keep them quiet: the price of its recall on unseen wording (docs/classifier.md,
# "Measuring"). Strict: when a retrained model gets one right, the test says so and the entry
# must go.
LEARNED_FALSE_ALARMS = {
    "老後のお金がちょっと心配です",
    "人生終わったと思った時期もある",
    "最後にお礼を言いたくて連絡しました。ありがとうございました",
    "今夜のうちに書類を終わらせる",
    "ケアマネです。担当の方のご家族が介護に疲れているようです",
    "母が「もう長くない」と言うけど、元気にしてます",
    "今日は疲れたから早く寝たい",
}


def pytest_collection_modifyitems(items):
    for item in items:
        params = getattr(item, "callspec", None)
        if params and params.params.get("text") in LEARNED_FALSE_ALARMS:
            item.add_marker(pytest.mark.xfail(
                strict=True, reason="learned layer: known false alarm on this look-alike"))


@pytest.fixture(scope="session")
def classify():
    """The real classifier with the real Sudachi dictionary, loaded once per session."""
    intents.warm_up()
    return intents.classify
