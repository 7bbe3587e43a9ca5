"""Read YAML keeping each value's line, so errors can say `nomi.yaml:42: agencies[3].hours.mon`.

Plain scalars are resolved as PyYAML's safe loader does, except that anything with a colon
stays a string: YAML 1.1 reads `8:30` as the sexagesimal number 510.

The `get_*`-style helpers of Source read one value and record any problem with it, so a file
reports every problem at once; with errors recorded, no directory is built from the values.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

Path_ = tuple[str | int, ...]
ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def fmt_path(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(top)"


class Source:
    """One YAML file: `.data` (plain Python values) and the line of every path in it."""

    def __init__(self, path: Path | str, text: str | None = None):
        self.path = Path(path)
        self.name = self.path.name
        self.lines: dict[Path_, int] = {}
        self.errors: list[str] = []
        self._loader = yaml.SafeLoader("")
        if text is None:
            try:
                text = self.path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                self.errors.append(f"{self.name}: cannot read: {exc}")
                self.data: Any = None
                return
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f"{mark.line + 1}:" if mark else ""
            problem = getattr(exc, "problem", None) or str(exc)
            self.errors.append(f"{self.name}:{line} not valid YAML: {problem}")
            self.data = None
            return
        self.data = None if node is None else self._convert(node, ())

    def line(self, path: Path_) -> int:
        """The line of `path`, or of its nearest ancestor that has one."""
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)

    def error(self, path: Path_, message: str) -> None:
        self.errors.append(f"{self.name}:{self.line(path)}: {fmt_path(path)}: {message}")

    # -- reading checked values -------------------------------------------------------------

    def get_str(self, m: dict, key: str, path: Path_, required: bool = False) -> str | None:
        value = m.get(key)
        if value is None:
            if required:
                self.error((*path, key) if key in m else path, f"{key} is required")
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.error((*path, key), f"{value!r} must be non-empty text")
            return None
        return value.strip()

    def get_list(self, m: dict, key: str, path: Path_) -> list:
        value = m.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error((*path, key), "must be a list")
            return []
        return value

    def get_texts(self, m: dict, key: str, path: Path_) -> list[str]:
        """A list of plain strings (ids, kinds); other items are reported and left out."""
        out = []
        for i, item in enumerate(self.get_list(m, key, path)):
            if isinstance(item, str):
                out.append(item)
            else:
                self.error((*path, key, i), f"{item!r} must be text")
        return out

    def get_mapping(self, m: dict, key: str, path: Path_) -> dict:
        value = m.get(key)
        if value is None:
            return {}
        return self.mapping(value, (*path, key)) or {}

    def get_bool(self, m: dict, key: str, path: Path_, default: bool) -> bool:
        value = m.get(key, default)
        if not isinstance(value, bool):
            self.error((*path, key), f"{value!r} must be true or false")
            return default
        return value

    def get_dates(self, m: dict, key: str, path: Path_) -> list[date]:
        value = m.get(key) or []
        if not isinstance(value, list):
            self.error((*path, key), "must be a list of dates (YYYY-MM-DD)")
            return []
        out = []
        for i, d in enumerate(value):
            if isinstance(d, date) and not isinstance(d, datetime):
                out.append(d)
            else:
                self.error((*path, key, i), f"{d!r} is not a date (YYYY-MM-DD)")
        return out

    def mapping(self, value: Any, path: Path_) -> dict | None:
        if not isinstance(value, dict):
            self.error(path, "must be a mapping")
            return None
        return value

    def only_keys(self, m: dict, allowed: set[str], path: Path_) -> None:
        for key in m:
            if key not in allowed:
                self.error((*path, key), f"unknown key (allowed: {', '.join(sorted(allowed))})")

    def expect_id(self, value: str, path: Path_) -> None:
        if not ID.match(value):
            self.error(path, f"{value!r} must be lower-case letters, digits, - or _")

    # -- conversion ---------------------------------------------------------------------------

    def _convert(self, node: yaml.Node, path: Path_) -> Any:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
                key = str(key) if key is not None else "?"
                child = (*path, key)
                self.lines[child] = key_node.start_mark.line + 1
                if key in out:
                    self.error(child, "this key appears twice")
                    continue
                out[key] = self._convert(value_node, child)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self._convert(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _scalar(self, node: yaml.Node) -> Any:
        if node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") and ":" in node.value:
            return node.value
        try:
            return self._loader.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError):   # e.g. 2025-13-01: keep the text, checks say why
            return node.value
