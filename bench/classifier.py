"""Classifier cost vs raw SudachiPy tokenization, same process, same messages; time to ready; RSS.

Run: .venv/bin/python -m bench.classifier [FILE.jsonl]   (default: tests/data/classifier/dev.jsonl)
"""

from __future__ import annotations

import json
import resource
import sys
import time

T0 = time.perf_counter()


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    import intents
    from intents.classifier import get_engine

    intents.warm_up()
    ready = time.perf_counter() - T0
    path = sys.argv[1] if len(sys.argv) > 1 else "tests/data/classifier/dev.jsonl"
    try:
        with open(path, encoding="utf-8") as f:
            texts = [json.loads(line)["text"] for line in f if line.strip()]
    except FileNotFoundError:
        texts = ["光熱費もう払えんわ", "息子がずっとひきこもっとって", "もう死にたい"] * 100
    engine = get_engine()
    raw_full = engine.dictionary.tokenizer("C")  # every field, as a plain caller would
    raw_same = engine.tokenizer()  # the classifier's own field subset
    rounds = max(1, 20000 // len(texts))

    def timed(fn) -> float:
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            for _ in range(rounds):
                for text in texts:
                    fn(text)
            best = min(best, time.perf_counter() - t)
        return best / (rounds * len(texts))

    classify = intents.classify
    t_cls = timed(classify)
    t_raw = timed(raw_full.tokenize)
    t_raw_same = timed(raw_same.tokenize)
    print(f"messages: {len(texts)} x {rounds} rounds (best of 3)")
    print(f"time to ready (process start -> warm_up done): {ready:.3f} s")
    print(f"raw SudachiPy tokenize (mode C, all fields): {t_raw * 1e6:8.1f} µs/msg "
          f"{1 / t_raw:9.0f} msg/s")
    print(f"raw SudachiPy tokenize (classifier fields):  {t_raw_same * 1e6:8.1f} µs/msg "
          f"{1 / t_raw_same:9.0f} msg/s")
    print(f"classifier (intents.classify):               {t_cls * 1e6:8.1f} µs/msg "
          f"{1 / t_cls:9.0f} msg/s")
    print(f"ratio classifier / raw tokenize: {t_cls / t_raw:.2f} (target <= 1.5); "
          f"vs same-field tokenize: {t_cls / t_raw_same:.2f}")
    print(f"RSS: {_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
