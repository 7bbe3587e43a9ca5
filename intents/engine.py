"""The loaded analyser: one Sudachi dictionary (system + Tsunagu user dictionary), one
tokenizer per thread, and the compiled lexicons. Loaded once per process and warmed."""

from __future__ import annotations

import re
import threading
from pathlib import Path

from sudachipy import Config, Dictionary, SplitMode

from intents.lexicon import LEXICON_DIR, Lexicon, Match
from intents.tokens import Tokens, WordCache, pos_classes
from intents.userdict import ensure_user_dic

# The fields the classifier reads; Sudachi skips decoding the rest.
FIELDS = {"pos", "normalized_form", "reading_form"}

# lexicon file -> kind of its rows inside the shared index
LEXICON_FILES = {
    "categories.tsv": "",
    "crisis.tsv": "crisis",
    "idioms.tsv": "idiom",
    "speaker.tsv": "speaker",
    "age.tsv": "age",
}


class Engine:
    def __init__(self, lexicon_dir: Path = LEXICON_DIR, user_dic: Path | None = None) -> None:
        user_dic = user_dic or ensure_user_dic()
        self.dictionary = Dictionary(dict="core", config=Config(user=[str(user_dic)]))
        self.user_dic = user_dic
        self.classes, self.volitional = pos_classes(self.dictionary)
        self.words = WordCache(self.classes, self.volitional)
        self._local = threading.local()
        self.rewrites = _load_rewrites(lexicon_dir / "rewrite.tsv")
        self.lexicon = Lexicon()
        for name, kind in LEXICON_FILES.items():
            self.lexicon.load_file(lexicon_dir / name, self.tokens, kind)
        self.lexicon.freeze()
        self.words.set_index(self.lexicon.index)

    def tokenizer(self):
        tok = getattr(self._local, "tok", None)
        if tok is None:
            tok = self._local.tok = self.dictionary.tokenizer(SplitMode.C, fields=FIELDS)
        return tok

    def tokens(self, text: str) -> Tokens:
        """Analyse text; evidence spans still point into `text` as written."""
        rewritten = self.rewrites(text) if self.rewrites else text
        return Tokens(self.tokenizer().tokenize(rewritten), text, self.words)

    def analyse(self, text: str) -> tuple[Tokens, list[Match]]:
        toks = self.tokens(text)
        return toks, self.lexicon.find(toks)

    def analyse_by_kind(self, text: str) -> tuple[Tokens, tuple[list[Match], ...]]:
        """As `analyse`, the matches split by kind: (categories, crisis, idiom, speaker, age)."""
        toks = self.tokens(text)
        return toks, self.lexicon.find(toks, by_kind=True)


def _load_rewrites(path: Path):
    """Same-length rewrites of dialect endings Sudachi misreads (see rewrite.tsv)."""
    if not path.exists():
        return None
    table: dict[str, str] = {}
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        src, dst = (c.strip() for c in raw.split("\t")[:2])
        if len(src) != len(dst):
            raise ValueError(f"{path.name}:{lineno}: {src!r} and {dst!r} differ in length")
        table[src] = dst
    if not table:
        return None
    rx = re.compile("|".join(re.escape(k) for k in sorted(table, key=len, reverse=True)))

    def rewrite(text: str) -> str:
        return rx.sub(lambda m: table[m.group(0)], text)

    return rewrite
