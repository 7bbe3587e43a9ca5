"""An overdose counted in tablets is a crisis even when no lexicon row matches, and the
categories a crisis implies come in the same order in every process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import intents


def test_many_tablets_alone_is_a_crisis():
    assert intents.classify("ブロン50錠飲んだ").crisis
    assert not intents.classify("ブロン2錠飲んだ").crisis


def test_better_off_dead_is_a_crisis():
    assert intents.classify("死んだほうがましだと思う").crisis


def _categories(text: str, seed: str) -> list[str]:
    code = ("import json, intents; "
            f"print(json.dumps(intents.classify({text!r}).categories, ensure_ascii=False))")
    env = {**os.environ, "PYTHONHASHSEED": seed}
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def test_implied_categories_do_not_depend_on_hash_seed():
    text = "夫に殴られて、もう死にたい"
    assert _categories(text, "1") == _categories(text, "2") == _categories(text, "3")
