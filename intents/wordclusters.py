"""Word clusters: words of similar meaning share a cluster, so the learned layer can use what
it learned from 家賃 for 更新料 it never saw in training.

dictionaries/model/clusters.tsv gives, per word (a Sudachi normalized form), its cluster at
three sizes (250, 1000 and 4000 clusters). The learned layer reads each as a feature (k:) beside
the words themselves (intents/learned.py). The file is data, made once by k-means over the chiVe
word vectors (Works Applications, Apache License 2.0) as shipped in GiNZA's ja_ginza 5.3.0 model
(MIT); it does not change when the model is retrained.

To rebuild it (rarely: a new vector set or a new Sudachi dictionary), in a scratch venv with
spacy and scikit-learn and this project installed:

    pip download --no-deps ja-ginza==5.3.0 && unzip ja_ginza-5.3.0-py3-none-any.whl
    python -m intents.wordclusters ja_ginza/ja_ginza-5.3.0/vocab
"""

from __future__ import annotations

import sys
from pathlib import Path
from sys import intern

CLUSTERS_FILE = Path(__file__).resolve().parent.parent / "dictionaries" / "model" / "clusters.tsv"
SIZES = (250, 1000, 4000)


def load(path: Path = CLUSTERS_FILE) -> dict[str, str]:
    """word -> its clusters, as one shared string per distinct set ("152\t282\t1602"; see
    `names`). Missing file: no clusters. Loading is on the way to ready, so it is lean."""
    out: dict[str, str] = {}
    if not path.exists():
        return out
    shared: dict[str, int] = {}  # a set of clusters -> the first line that had it
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw or raw[0] == "#":
            continue
        word, _, ids = raw.partition("\t")
        first = shared.setdefault(ids, lineno)
        if first == lineno:  # a set not seen before: check it once
            parts = ids.split("\t")
            if len(parts) != len(SIZES) or not all(p.isdigit() for p in parts):
                raise ValueError(f"{path.name}:{lineno}: need a word and {len(SIZES)} "
                                 "cluster numbers")
        out[intern(word)] = ids
    # one string object per distinct set, so a word costs only its dict entry
    canon = {ids: ids for ids in shared}
    return {word: canon[ids] for word, ids in out.items()}


def names(ids: str) -> tuple[str, ...]:
    """The feature names of a set of clusters: 250.152, 1000.282, 4000.1602."""
    return tuple(f"{size}.{i}" for size, i in zip(SIZES, ids.split("\t")))


def build(vocab_dir: Path, out: Path = CLUSTERS_FILE) -> int:
    """Write clusters.tsv from a spaCy vocab directory holding the chiVe vectors."""
    import numpy as np
    from sklearn.cluster import MiniBatchKMeans
    from spacy.vocab import Vocab
    from sudachipy import Dictionary, SplitMode

    from intents.learned import _LIGHT

    vocab = Vocab().from_disk(vocab_dir)
    vectors = np.asarray(vocab.vectors.data, dtype=np.float32)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-6)
    labels = [MiniBatchKMeans(n_clusters=k, random_state=0, batch_size=4096, n_init=3)
              .fit(vectors).labels_ for k in SIZES]
    tokenizer = Dictionary().create(SplitMode.C)
    rows: dict[str, int] = {}
    for word in vocab.strings:
        row = vocab.vectors.key2row.get(vocab.strings[word])
        if row is None or row < 0 or len(word) > 12 or word in _LIGHT:
            continue
        ms = tokenizer.tokenize(word)
        if len(ms) != 1 or ms[0].is_oov() or ms[0].normalized_form() != word:
            continue
        pos = ms[0].part_of_speech()
        # content words the dictionary knows; names and numbers say nothing about a worry
        if pos[0] in ("名詞", "動詞", "形容詞", "形状詞") and pos[1] not in ("固有名詞", "数詞"):
            rows[word] = int(row)
    lines = [("# word<TAB>cluster of 250<TAB>of 1000<TAB>of 4000. Made by `python -m "
              "intents.wordclusters` (see intents/wordclusters.py)"),
             ("# from the chiVe word vectors (Works Applications, Apache License 2.0) in GiNZA's "
              "ja_ginza 5.3.0 (MIT). Do not edit by hand.")]
    for word in sorted(rows):
        lines.append(word + "\t" + "\t".join(str(int(lab[rows[word]])) for lab in labels))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(rows)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m intents.wordclusters VOCAB_DIR (see the module docstring)")
    print(f"wrote {CLUSTERS_FILE} ({build(Path(sys.argv[1]))} words)")
