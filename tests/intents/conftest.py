import pytest

import intents


@pytest.fixture(scope="session")
def classify():
    """The real classifier with the real Sudachi dictionary, loaded once per session."""
    intents.warm_up()
    return intents.classify
