"""`tsunagu classify --explain TEXT`: what a lexicon editor sees for one message."""

from __future__ import annotations

import json

from click.testing import CliRunner

from intents.cli import classify


def test_explain_shows_the_analysis_and_the_rows_with_file_and_line():
    result = CliRunner().invoke(classify, ["--explain", "家賃が払えなくて、ローンはないです"])
    assert result.exit_code == 0, result.output
    analysis, rows = result.output.split("\n\n")[:2]
    assert "住まい" in json.loads(analysis)["categories"]
    assert "借金" not in json.loads(analysis)["categories"]  # negated
    # the negated row is still listed, so the editor sees it matched and was dropped
    listed = {line.split()[0] for line in rows.splitlines()[1:]}
    assert {"住まい", "借金"} <= listed
    assert all(".tsv:" in line for line in rows.splitlines()[1:])


def test_explain_says_when_nothing_matched():
    result = CliRunner().invoke(classify, ["--explain", "こんにちは"])
    assert result.exit_code == 0
    assert json.loads(result.output.partition("\n\n")[0])["categories"] == []
    assert "no lexicon row matched." in result.output


def test_explain_shows_the_rules_alone_and_the_learned_layer():
    text = "毎晩布団に入っても朝まで目がさえてしまう"  # the model adds こころ, no row matched
    result = CliRunner().invoke(classify, ["--explain", text])
    assert result.exit_code == 0, result.output
    assert "こころ" in json.loads(result.output.partition("\n\n")[0])["categories"]
    assert "rules alone: categories [], 緊急 False, speaker 本人" in result.output
    model_line = next(line for line in result.output.splitlines()
                      if line.startswith("learned layer, probability"))
    assert "こころ 0." in model_line
    speakers = next(line for line in result.output.splitlines()
                    if line.startswith("learned layer, speaker"))
    assert all(s in speakers for s in ("本人", "家族", "地域", "関係機関"))
