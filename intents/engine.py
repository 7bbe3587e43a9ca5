"""The loaded analyser: one Sudachi dictionary (system + Tsunagu user dictionary), one
tokenizer per thread, the compiled lexicons and the learned layer's weights. Loaded once per
process and warmed."""

from __future__ import annotations

import re
import threading
import unicodedata
from pathlib import Path

from sudachipy import Config, Dictionary, SplitMode

from intents.learned import Model
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
        self.classes, self.volitional, folded = pos_classes(self.dictionary)
        self.words = WordCache(self.classes, self.volitional, folded)
        self._local = threading.local()
        self.rewrites = _load_rewrites(lexicon_dir / "rewrite.tsv")
        self.lexicon = Lexicon()
        for name, kind in LEXICON_FILES.items():
            self.lexicon.load_file(lexicon_dir / name, self.tokens, kind)
        self.lexicon.freeze()
        self.words.set_index(self.lexicon.candidates)
        self.model = Model()  # the learned layer's weights (intents/learned.py)

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
        toks, _ = self._read(text)
        return toks, self.lexicon.find(toks)

    def analyse_by_kind(self, text: str) -> tuple[Tokens, tuple[list[Match], ...]]:
        """As `analyse`, the matches split by kind: (categories, crisis, idiom, speaker, age)."""
        toks, found = self._read(text)
        return toks, found or self.lexicon.find(toks, by_kind=True)

    def _read(self, text: str):
        """Half-width katakana (ｲﾏ ﾘｽｶしてて, ｳﾃﾞ ｷｯﾀ) is often phonetic spelling that the
        analyser reads as unknown nouns: read it also as hiragana and keep the reading in
        which more crisis rows match (ties: as written)."""
        toks = self.tokens(text)
        if not _HALF_KANA.search(text):
            return toks, None
        found = self.lexicon.find(toks, by_kind=True)
        rewritten = self.rewrites(text) if self.rewrites else text
        hira = Tokens(self.tokenizer().tokenize(_half_kana_to_hiragana(rewritten)), text,
                      self.words)
        found2 = self.lexicon.find(hira, by_kind=True)
        if len(found2[1]) > len(found[1]):
            return hira, found2
        return toks, found


_HALF_KANA = re.compile("[\uff66-\uff9d]")
_HALF_RUN = re.compile("[\uff66-\uff9f]+")


def _half_kana_to_hiragana(text: str) -> str:
    """ｳﾃﾞ ｷｯﾀ -> うで  きった, same length: a voiced mark joins its kana and the run is
    padded with spaces at its end, so evidence spans still point into the text as written."""
    def run(m: re.Match) -> str:
        s = m.group(0)
        out = unicodedata.normalize("NFKC", s)
        out = "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in out)
        return out + " " * (len(s) - len(out))
    return _HALF_RUN.sub(run, text)


def _load_rewrites(path: Path):
    """Same-length rewrites of dialect endings Sudachi misreads (see rewrite.tsv)."""
    if not path.exists():
        return None
    table: dict[str, str] = {}
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = raw.split("\t")
        if len(cells) < 2 or not cells[0].strip():
            raise ValueError(f"{path.name}:{lineno}: need written<TAB>read as")
        src, dst = cells[0], cells[1]  # exactly as written: a space may be part of the context
        if len(src) != len(dst):
            raise ValueError(f"{path.name}:{lineno}: {src!r} and {dst!r} differ in length")
        table[src] = dst
    if not table:
        return None
    # Longest first, grouped by first character: the regex tries one group per position, not
    # every row (same matches: at a position only rows starting with its character can fit).
    groups: dict[str, list[str]] = {}
    for k in sorted(table, key=len, reverse=True):
        groups.setdefault(k[0], []).append(re.escape(k[1:]))
    rx = re.compile("|".join(re.escape(c) + "(?:" + "|".join(rest) + ")"
                             for c, rest in groups.items()))

    def rewrite(text: str) -> str:
        return rx.sub(lambda m: table[m.group(0)], text)

    return rewrite
