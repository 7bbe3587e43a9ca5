"""Broken directories: every problem is reported with file, line and field."""

from __future__ import annotations

import os
import shutil
import textwrap

import pytest

import routing
from routing.directory import DATA_DIR, check_file


@pytest.fixture
def city_dir(tmp_path):
    """A directory folder with the real shared files, for small broken city files."""
    for name in ("_national.yaml", "_rules.yaml"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    return tmp_path


GOOD = """\
id: demo
name: デモ市
districts:
  - {id: north, name: 北}
general_windows: [general]
agencies:
  - id: general
    name: 福祉総合相談窓口
    kind: 福祉総合相談窓口/多機関協働
    fields: [全]
"""


def write(folder, name, text):
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def errors_of(path):
    with pytest.raises(routing.DirectoryError) as exc:
        routing.load_directory(str(path))
    assert check_file(path)[0] == exc.value.errors
    return exc.value.errors


def test_good_fixture_loads(city_dir):
    d = routing.load_directory(str(write(city_dir, "demo.yaml", GOOD)))
    assert d.name == "デモ市"


def test_bad_hours_name_file_line_and_field(city_dir):
    path = write(city_dir, "demo.yaml", GOOD + """\
  - id: a1
    name: A
    kind: 障害者相談支援
  - id: a2
    name: B
    kind: 障害者相談支援
  - id: a3
    name: C
    kind: 地域包括支援センター
    hours:
      tue: "08:30-17:15"
      mon: '8:30-17:15'
""")
    assert errors_of(path) == [
        "demo.yaml:22: agencies[3].hours.mon: '8:30-17:15' is not HH:MM-HH:MM"]


def test_all_errors_are_collected(city_dir):
    path = write(city_dir, "demo.yaml", """\
id: demo
name: デモ市
districts:
  - {id: north, name: 北}
general_windows: [general]
agencies:
  - id: general
    name: 窓口
    kind: 福祉総合相談窓口/多機関協働
    categories: [介護, お金]
    districts: [north, south]
  - id: general
    name: 窓口2
    kind: 何かの窓口
    phone: "電話してね"
    hours: {mon: "17:00-08:30", fri: 9}
""")
    assert errors_of(path) == [
        "demo.yaml:10: agencies[0].categories[1]: unknown category key 'お金'",
        "demo.yaml:11: agencies[0].districts[1]: unknown district 'south'",
        "demo.yaml:12: agencies[1].id: agency id 'general' is used twice (first at agencies[0])",
        "demo.yaml:14: agencies[1].kind: unknown agency kind '何かの窓口' (see _rules.yaml kinds)",
        "demo.yaml:15: agencies[1].phone: '電話してね' is not a phone number (digits and hyphens)",
        ("demo.yaml:16: agencies[1].hours.mon: '17:00-08:30' is not a time range within one day "
        "(end after start)"),
        "demo.yaml:16: agencies[1].hours.fri: 9 is not HH:MM-HH:MM",
    ]


def test_missing_general_window_and_unknown_keys(city_dir):
    path = write(city_dir, "demo.yaml", """\
id: demo
name: デモ市
agencies:
  - id: a
    name: A
    kind: 地域包括支援センター
    telephone: "0761-00-0000"
""")
    errs = errors_of(path)
    assert any(e.startswith("demo.yaml:7: agencies[0].telephone: unknown key") for e in errs)
    assert any("general window is required" in e for e in errs)


def test_duplicate_yaml_key_and_yaml_syntax(city_dir):
    dup = write(city_dir, "dup.yaml", GOOD.replace("name: デモ市", "name: デモ市\nname: 別"))
    assert errors_of(dup) == ["dup.yaml:3: name: this key appears twice"]
    broken = write(city_dir, "broken.yaml", "id: demo\nagencies: [\n")
    [message] = errors_of(broken)
    assert message.startswith("broken.yaml:3: not valid YAML")


def test_city_rule_override_is_checked(city_dir):
    path = write(city_dir, "demo.yaml", GOOD + """\
rules:
  categories:
    介護:
      kinds: [存在しない種類]
    お金: {field: 生活困窮}
""")
    assert errors_of(path) == [
        "demo.yaml:14: rules.categories.介護.kinds[0]: unknown agency kind '存在しない種類'",
        "demo.yaml:15: rules.categories.お金: unknown category key 'お金' (see taxonomy.md)",
    ]


def test_session_errors(city_dir):
    path = write(city_dir, "demo.yaml", GOOD + """\
sessions:
  - id: soudankai
    agency: nobody
    title: 相談会
    dates: [2025-01-15, 2025-13-01]
    start: "19:00"
    end: "18:00"
    capacity: 0
""")
    assert errors_of(path) == [
        "demo.yaml:13: sessions[0].agency: unknown agency id 'nobody'",
        "demo.yaml:15: sessions[0].dates[1]: '2025-13-01' is not a date (YYYY-MM-DD)",
        "demo.yaml:17: sessions[0].end: must be after start",
        "demo.yaml:18: sessions[0].capacity: 0 must be a positive whole number",
    ]


def test_national_line_without_source(tmp_path):
    path = write(tmp_path, "_national.yaml", """\
contacts:
  - id: x
    name: 何かの電話
    phone: "0120-000-000"
    hours: 24時間
""")
    errors, _ = check_file(path)
    assert errors == [
        "_national.yaml:2: contacts[0].source: must name the official source: organisation and url"]


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(routing.DirectoryError, match="no such directory file"):
        routing.load_directory(str(tmp_path / "nowhere.yaml"))


def test_a_citys_own_national_file_is_watched(city_dir):
    """A city may name its own list of national lines; editing that file is picked up
    without a restart, like edits to the city file itself."""
    national = (DATA_DIR / "_national.yaml").read_text(encoding="utf-8")
    local = city_dir / "local_lines.yaml"
    local.write_text(national, encoding="utf-8")
    path = write(city_dir, "demo.yaml", "national: local_lines.yaml\n" + GOOD)
    before = routing.load_directory(str(path))
    assert routing.load_directory(str(path)) is before  # unchanged files: cached
    local.write_text(national + """
  - id: city-line
    name: デモ市いのちの相談
    phone: "0120-000-000"
    hours: 24時間
    source: {organisation: デモ市, url: "https://example.jp/"}
""", encoding="utf-8")
    stamp = local.stat().st_mtime + 5
    os.utime(local, (stamp, stamp))
    after = routing.load_directory(str(path))
    assert [c.id for c in after.national][-1] == "city-line"
    assert len(after.national) == len(before.national) + 1
