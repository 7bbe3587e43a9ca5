"""`tsunagu route` and `tsunagu directory check` (click commands of routing.cli)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from routing import cli
from routing.directory import DATA_DIR


def test_route_reads_json_lines_and_goes_on_after_a_bad_line():
    lines = "\n".join([
        json.dumps({"id": "a", "text": "寺井に住んでいる母の介護のことで相談したいです"},
                   ensure_ascii=False),
        "{not json",
        json.dumps({"id": "c"}),
        json.dumps({"id": "d", "text": "こんにちは"}, ensure_ascii=False),
    ]) + "\n"
    result = CliRunner().invoke(cli.route, ["--municipality", "nomi",
                                            "--at", "2025-01-02T10:00:00+09:00"], input=lines)
    assert result.exit_code == 1
    out = [json.loads(x) for x in result.output.splitlines()]
    assert [o["id"] for o in out] == ["a", None, "c", "d"]
    assert "寺井" in result.output                           # ensure_ascii=False
    first = out[0]
    assert set(first) >= {"categories", "crisis", "district", "agencies", "multi_agency",
                          "emergency_contacts"}
    assert first["agencies"] and all(
        set(a) >= {"id", "name", "kind", "phone", "open_now", "reason"} for a in first["agencies"])
    assert "error" in out[1] and "error" in out[2]
    assert out[3]["agencies"], "even a greeting gets a window"


def test_route_bad_at_and_unknown_city():
    runner = CliRunner()
    bad_at = runner.invoke(cli.route, ["-m", "nomi", "--at", "yesterday"], input="")
    assert bad_at.exit_code == 2 and "ISO-8601" in bad_at.output
    nowhere = runner.invoke(cli.route, ["-m", "atlantis"], input="")
    assert nowhere.exit_code == 1


def test_directory_check_ok_and_errors(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(cli.directory, ["check", str(DATA_DIR / "nomi.yaml"),
                                       str(DATA_DIR / "shunan.yaml")])
    assert ok.exit_code == 0
    assert ok.output.splitlines()[0].startswith("OK nomi.yaml: 能美市 (nomi): 3 districts")
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nname: x\ngeneral_windows: [nobody]\n", encoding="utf-8")
    for name in ("_national.yaml", "_rules.yaml"):
        (tmp_path / name).write_text((DATA_DIR / name).read_text("utf-8"), "utf-8")
    failed = runner.invoke(cli.directory, ["check", str(bad)])
    assert failed.exit_code == 1
    assert "bad.yaml:3: general_windows[0]: unknown agency id 'nobody'" in failed.output


def test_directory_sessions_lists_slots():
    result = CliRunner().invoke(cli.directory, ["sessions", "nomi", "--from",
                                                "2025-01-01T00:00:00+09:00", "--days", "40"])
    assert result.exit_code == 0
    [line] = result.output.splitlines()
    assert json.loads(line)["slots"][0]["id"] == "nomi-hikikomori-20250115-1900"
