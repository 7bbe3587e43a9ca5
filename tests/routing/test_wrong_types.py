"""A directory value of the wrong type (a number where a list belongs, a list where a mapping
belongs…) is reported like any other mistake, with file, line and field; it never stops the
loader with a Python traceback."""

from __future__ import annotations

import shutil

import pytest
import yaml

import routing
from routing.directory import DATA_DIR, check_file

WRONG = {dict: 7, list: 7, str: ["x"], int: "x", float: "x", bool: {"a": 1}}


def _paths(node, path=()):
    """Every place in a YAML tree, the root excepted."""
    items = node.items() if isinstance(node, dict) else (
        enumerate(node) if isinstance(node, list) else ())
    for key, value in items:
        yield (*path, key)
        yield from _paths(value, (*path, key))


def _replace(node, path, value):
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def _variants(name: str, limit: int):
    """(path, broken tree) for an even spread of places in one shipped file."""
    tree = yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))
    paths = list(_paths(tree))
    step = max(1, len(paths) // limit)
    for path in paths[::step]:
        broken = yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))
        old = broken
        for key in path:
            old = old[key]
        _replace(broken, path, WRONG.get(type(old), 7))
        yield path, broken


@pytest.mark.parametrize("name", ["_rules.yaml", "nomi.yaml", "shunan.yaml", "_national.yaml"])
def test_wrong_types_are_reported_not_raised(tmp_path, name):
    for shared in ("_national.yaml", "_rules.yaml"):
        shutil.copy(DATA_DIR / shared, tmp_path / shared)
    city = tmp_path / "city.yaml"
    shutil.copy(DATA_DIR / "nomi.yaml", city)
    target = tmp_path / ("city.yaml" if not name.startswith("_") else name)
    checked = 0
    for path, broken in _variants(name, 150):
        target.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
        try:
            routing.load_directory(str(city))
        except routing.DirectoryError as exc:
            assert all(msg.split(":", 1)[0].endswith(".yaml") for msg in exc.errors), exc.errors
        except Exception as exc:  # noqa: BLE001 - the point of the test
            pytest.fail(f"{name} with {'.'.join(map(str, path))} of the wrong type: "
                        f"{type(exc).__name__}: {exc}")
        errors, _ = check_file(target)
        assert isinstance(errors, list)
        checked += 1
    assert checked > 20
