"""Understanding residents' Japanese.

The one call the rest of Tsunagu uses:

    classify(text, districts=None) -> Analysis

`districts` maps a district id to the spellings and readings that name it (from the
municipality directory), so the classifier can spot a district mention. `warm_up()` builds the
user dictionary if needed, loads the dictionaries and compiles the lexicons; call it at start.
Both are safe to call from several threads (one Sudachi tokenizer per thread).
"""

from intents.classifier import classify, warm_up
from intents.result import CATEGORIES, CRISIS, SPEAKERS, Analysis

__all__ = ["CATEGORIES", "CRISIS", "SPEAKERS", "Analysis", "classify", "warm_up"]
