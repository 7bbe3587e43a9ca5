"""Lexicon files (dictionaries/lexicon/*.tsv) compiled into a token-pattern index.

A lexicon row is `label <TAB> weight <TAB> pattern [<TAB> note]`. The pattern is written the way
people write it; it is analysed with the same Sudachi dictionary as the messages, so each word
becomes its normalized form (払えん, 払えない and 払えません all become 払う + ない). Words written
together must be adjacent in the message; a space between words lets up to GAP other words come
between them. Nouns also match by reading, so ゴミ, ごみ and ｺﾞﾐ are the same word.

Everything a message needs from a row (its kind, its label without prefix, the context it
needs, the labels an idiom silences) is worked out here, once, at load.
"""

from __future__ import annotations

from pathlib import Path

from intents.tokens import BREAK, Tokens

LEXICON_DIR = Path(__file__).resolve().parent.parent / "dictionaries" / "lexicon"
GAP = 3  # words allowed between two space-separated parts of a pattern
_POLITE = frozenset({"ます", "です"})
KINDS = ("", "crisis", "idiom", "speaker", "age")


_SHARED: dict = {}


def _shared(value):
    """One object for equal values: rows share their word sets, and the few thousand left
    stay in the CPU cache better than tens of thousands of copies."""
    return _SHARED.setdefault(value, value)


class Pattern:
    """One compiled row. `label` is the label without its file prefix (緊急@今, 家族, 住まい);
    `base` and `need` split a context label (ケアラー@介護 -> ケアラー, @介護); `is_context`
    marks a context row (@介護); `blocks` are the labels an idiom row silences."""

    __slots__ = (
        "base",
        "blocks",
        "elements",
        "first",
        "has_neg",
        "is_context",
        "kind",
        "label",
        "more",
        "need",
        "needed",
        "pid",
        "req",
        "rest",
        "slot",
        "source",
        "text",
        "weight",
    )

    def __init__(self, pid, kind, label, weight, source, text, elements) -> None:
        self.pid, self.kind, self.label, self.weight = pid, kind, label, weight
        self.source, self.text, self.elements = source, text, elements
        self.has_neg = any(e[0] == Tokens.NEG for e in elements)
        self.is_context = label.startswith("@")
        base, _, need = label.partition("@")
        self.base, self.need = base, ("@" + need if need and not self.is_context else "")
        self.blocks = frozenset(label.split(",")) if kind == "idiom" else frozenset()
        # Per later word: the keys that match it, and whether other words may come before it.
        self.rest = _shared(tuple(_shared((_shared(frozenset(k for k in (key, rkey) if k)),
                                           new_part))
                                  for key, rkey, new_part in elements[1:]))
        # Words every match needs (those without a reading alternative): a message lacking
        # one is skipped with a set test instead of a walk.
        self.req = _shared(frozenset(key for key, rkey, _ in elements[1:] if rkey is None))
        self.needed, self.more = None, self.req  # set by Lexicon.freeze
        self.slot = KINDS.index(kind)  # which list of `Lexicon.find(by_kind=True)` it goes to


class Match:
    __slots__ = ("end", "label", "pattern", "start")

    def __init__(self, pattern: Pattern, start: int, end: int) -> None:
        self.pattern = pattern
        self.start = start
        self.end = end
        self.label = pattern.label


class Lexicon:
    """All rows of all lexicon files, indexed by the key of their first word."""

    def __init__(self) -> None:
        self.patterns: list[Pattern] = []
        self.index: dict[str, list[Pattern]] = {}

    def add(self, kind: str, label: str, weight: float, text: str, source: str, analyse) -> None:
        """Compile a row twice: the phrase analysed as one string (particles read in context:
        楽になりたい) and word by word (電気代 stays one word as in 電気代が払えない)."""
        variants = {self._compile(text, analyse, joined=True),
                    self._compile(text, analyse, joined=False)}
        for elements in sorted(variants, key=repr):
            if not elements:
                raise ValueError(f"{source}: empty pattern {text!r}")
            pat = Pattern(len(self.patterns), kind, label, weight, source, text, elements)
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
                if toks.is_punct(i):
                    continue
                alt = toks.alts[i]  # a reading (ごみ = ゴミ); a row's 死のう stays volitional
                alt = alt if alt is not None and alt.startswith("R:") else None
                elements.append((toks.keys[i], alt, offset + toks.begin(i) in gaps))
            offset += len(piece)
        if elements:
            elements[0] = (elements[0][0], elements[0][1], False)
        return tuple(elements)

    def load_file(self, path: Path, analyse, kind: str = "") -> None:
        for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = raw.split("#", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
            if not line.strip():
                continue
            cols = line.split("\t")
            if len(cols) < 3:
                raise ValueError(f"{path.name}:{lineno}: need label<TAB>weight<TAB>pattern")
            label, weight, text = cols[0].strip(), float(cols[1]), cols[2].strip()
            self.add(kind, label, weight, text, f"{path.name}:{lineno}", analyse)

    def freeze(self) -> None:
        """Drop duplicate entries under one key (a row whose key and reading coincide), and
        count how often each word occurs in the rows (a rough guess of how common it is)."""
        for key, pats in self.index.items():
            seen, out = set(), []
            for p in pats:
                if p.pid not in seen:
                    seen.add(p.pid)
                    out.append(p)
            self.index[key] = out
        often: dict[str, int] = {}
        for p in self.patterns:
            for key, _, _ in p.elements:
                often[key] = often.get(key, 0) + 1
        for p in self.patterns:
            # A row needing other words is filed under the rarest (Candidates); `more` are
            # the others, still to be checked once that one is found in the message.
            p.needed = min(p.req, key=lambda k: (often.get(k, 0), k)) if p.req else None
            p.more = _shared(p.req - {p.needed})
        self._cands: dict[tuple, Candidates | None] = {}

    def candidates(self, key: str, alt: str | None) -> Candidates | None:
        """The rows whose first word is a word with this key (or alternative key)."""
        found = self._cands.get((key, alt), False)
        if found is False:
            rows = list(self.index.get(key, ()))
            if alt is not None:
                rows = list(dict.fromkeys(rows + self.index.get(alt, [])))
            found = Candidates(rows) if rows else None
            self._cands[(key, alt)] = found
        return found

    def find(self, toks: Tokens, by_kind: bool = False):
        """Every place a pattern matches; first-word index, then a short forward walk.
        by_kind: one list per kind (KINDS order), each in the order of the flat list (the
        classifier's buckets, without a second pass over the matches)."""
        keys, alts, cls = toks.keys, toks.alts, toks.cls
        n = len(keys)
        out: list[Match] = []
        outs = ([], [], [], [], []) if by_kind else (out,) * len(KINDS)
        present = None
        for i, cands in enumerate(toks.rows):
            if cands is None:
                continue
            todo = cands.always
            if cands.needs:
                if present is None:
                    present = set(keys)
                    present.update(alts)  # 飛び降りよう (volitional) also counts as 飛び降りる
                hit = cands.need_keys & present
                if hit:
                    todo = list(todo)
                    for key in hit:
                        todo += cands.needs[key]
                    todo.sort()  # back in row order (positions are unique)
            for _, pat in todo:
                rest = pat.rest
                if not rest:
                    outs[pat.slot].append(Match(pat, i, i + 1))
                    continue
                if pat.more and not pat.more <= present:
                    continue
                j = i + 1
                for ks, new_part in rest:
                    if new_part:
                        limit = min(j + GAP + 1, n)
                        if ks.isdisjoint(keys[j:limit]) and ks.isdisjoint(alts[j:limit]):
                            break  # no word of the window fits (the usual case)
                        while j < limit:
                            if keys[j] in ks or alts[j] in ks:
                                break
                            if cls[j] == BREAK:
                                j = limit
                                break
                            j += 1
                        else:
                            break
                        if j == limit:
                            break
                    else:  # adjacent, but polite ます/です may come between
                        while j < n and keys[j] in _POLITE and keys[j] not in ks:
                            j += 1
                        if j >= n or not (keys[j] in ks or alts[j] in ks):
                            break
                    j += 1
                else:
                    outs[pat.slot].append(Match(pat, i, j))
        return outs if by_kind else out


class Candidates:
    """The rows starting with one word, grouped so that a message skips most of them with one
    set intersection: `always` (rows needing no other given word) and `needs` (the other rows,
    each under the rarest word it needs). Entries are (position in row order, row)."""

    __slots__ = ("always", "need_keys", "needs")

    def __init__(self, rows: list[Pattern]) -> None:
        self.always: list[tuple[int, Pattern]] = []
        self.needs: dict[str, list[tuple[int, Pattern]]] = {}
        for pos, pat in enumerate(rows):
            if pat.needed is not None:
                self.needs.setdefault(pat.needed, []).append((pos, pat))
            else:
                self.always.append((pos, pat))
        # a set of its own: intersecting two sets reads the stored hashes, not the strings
        self.need_keys = frozenset(self.needs)
