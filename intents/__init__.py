"""Understanding residents' Japanese.

The one call the rest of Tsunagu uses:

    classify(text, districts=None) -> Analysis

`districts` maps a district id to the spellings and readings that name it (from the
municipality directory), so the classifier can spot a district mention.
"""

from intents.result import CATEGORIES, CRISIS, SPEAKERS, Analysis
from intents.placeholder import classify, warm_up

__all__ = ["Analysis", "CATEGORIES", "CRISIS", "SPEAKERS", "classify", "warm_up"]
