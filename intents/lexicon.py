"""Lexicon files (dictionaries/lexicon/*.tsv) compiled into a token-pattern index.

A lexicon row is `label <TAB> weight <TAB> pattern [<TAB> note]`. The pattern is written the way
people write it; it is analysed with the same Sudachi dictionary as the messages, so each word
becomes its normalized form (払えん, 払えない and 払えません all become 払う + ない). Words written
together must be adjacent in the message; a space between words lets up to GAP other words come
between them. Nouns also match by reading, so ゴミ, ごみ and ｺﾞﾐ are the same word.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from intents.tokens import BREAK, Tokens

LEXICON_DIR = Path(__file__).resolve().parent.parent / "dictionaries" / "lexicon"
GAP = 3  # words allowed between two space-separated parts of a pattern
_POLITE = frozenset({"ます", "です"})


@dataclass(frozen=True)
class Pattern:
    pid: int
    label: str
    weight: float
    source: str  # file:line, for staff who want to find the row that fired
    text: str
    elements: tuple[tuple[str, str | None, bool], ...]  # (key, reading key, starts a new part)
    has_neg: bool


@dataclass(frozen=True)
class Match:
    pattern: Pattern
    start: int  # token index, inclusive
    end: int  # token index, exclusive

    @property
    def label(self) -> str:
        return self.pattern.label


class Lexicon:
    """All rows of all lexicon files, indexed by the key of their first word."""

    def __init__(self) -> None:
        self.patterns: list[Pattern] = []
        self.index: dict[str, list[Pattern]] = {}

    def add(self, label: str, weight: float, text: str, source: str, analyse) -> None:
        """Compile a row twice: the phrase analysed as one string (particles read in context:
        楽になりたい) and word by word (電気代 stays one word as in 電気代が払えない)."""
        variants = {self._compile(text, analyse, joined=True),
                    self._compile(text, analyse, joined=False)}
        for elements in sorted(variants):
            if not elements:
                raise ValueError(f"{source}: empty pattern {text!r}")
            pat = Pattern(
                pid=len(self.patterns), label=label, weight=weight, source=source, text=text,
                elements=elements, has_neg=any(e[0] == Tokens.NEG for e in elements),
            )
            self.patterns.append(pat)
            key, rkey, _ = elements[0]
            self.index.setdefault(key, []).append(pat)
            if rkey and rkey != key:
                self.index.setdefault(rkey, []).append(pat)

    @staticmethod
    def _compile(text: str, analyse, joined: bool) -> tuple:
        parts = text.split()
        pieces = ["".join(parts)] if joined else parts
        gaps, pos = set(), 0
        for part in parts[:-1]:
            pos += len(part)
            gaps.add(pos)
        elements: list[tuple[str, str | None, bool]] = []
        offset = 0
        for piece in pieces:
            toks: Tokens = analyse(piece)
            for i in range(len(toks)):
                if toks.is_punct[i]:
                    continue
                elements.append((toks.keys[i], toks.rkeys[i], offset + toks.begins[i] in gaps))
            offset += len(piece)
        if elements:
            elements[0] = (elements[0][0], elements[0][1], False)
        return tuple(elements)

    def load_file(self, path: Path, analyse, prefix: str = "") -> None:
        for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = raw.split("#", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
            if not line.strip():
                continue
            cols = line.split("\t")
            if len(cols) < 3:
                raise ValueError(f"{path.name}:{lineno}: need label<TAB>weight<TAB>pattern")
            label, weight, text = cols[0].strip(), float(cols[1]), cols[2].strip()
            self.add(prefix + label, weight, text, f"{path.name}:{lineno}", analyse)

    def find(self, toks: Tokens) -> list[Match]:
        """Every place a pattern matches; first-word index, then a short forward walk."""
        keys, rkeys, n = toks.keys, toks.rkeys, len(toks.keys)
        index = self.index
        out: list[Match] = []
        for i in range(n):
            cands = index.get(keys[i])
            rk = rkeys[i]
            if rk is not None:
                more = index.get(rk)
                if more:
                    cands = more if cands is None else cands + more
            if not cands:
                continue
            seen = set()
            for pat in cands:
                if pat.pid in seen:
                    continue
                seen.add(pat.pid)
                els = pat.elements
                if len(els) == 1:
                    out.append(Match(pat, i, i + 1))
                    continue
                j = i + 1
                ok = True
                for key, rkey, new_part in els[1:]:
                    if not new_part:  # adjacent, but polite ます/です may come between
                        while j < n and keys[j] in _POLITE and keys[j] != key:
                            j += 1
                    limit = min(n, j + GAP + 1) if new_part else min(n, j + 1)
                    while j < limit:
                        if keys[j] == key or (rkey is not None and rkeys[j] == rkey):
                            break
                        if new_part and toks.cls[j] == BREAK:
                            j = limit
                            break
                        j += 1
                    if j >= limit:
                        ok = False
                        break
                    j += 1
                if ok:
                    out.append(Match(pat, i, j))
        return out
