"""JSON Lines in, JSON Lines out: the shape of `tsunagu classify` and `tsunagu route`.

Each input line is {"id", "text"}; each output line is {"id", **answer(text)}, or
{"id", "error"} for a bad line, and the run goes on."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import IO, Any


def answer_lines(lines: Iterable[str], out: IO[str], answer: Callable[[str], dict[str, Any]],
                 *, allow_empty: bool = True) -> bool:
    """Answer every line; return True if any line was bad (the caller exits 1)."""
    bad = False
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        item_id = None
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise TypeError('each line must be a JSON object {"id", "text"}')
            item_id = item.get("id")
            text = item.get("text")
            if not isinstance(text, str) or not (allow_empty or text.strip()):
                raise ValueError('"text" must be a ' + ("string" if allow_empty
                                                        else "non-empty string"))
            result = {"id": item_id, **answer(text)}
        except Exception as exc:  # noqa: BLE001  (one bad line must not stop the run)
            bad = True
            result = {"id": item_id, "error": f"line {number}: {exc}"}
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return bad
