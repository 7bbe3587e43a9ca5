"""`tsunagu classify`: JSON Lines in, one analysis per line out; or --evaluate FILE; or
--explain TEXT (which lexicon rows matched, for whoever edits the lexicons)."""

from __future__ import annotations

import json
import sys

import click

from intents.evaluate import evaluate_file
from tsunagu.jsonlines import answer_lines


@click.command("classify")
@click.option("--evaluate", "evaluate", type=click.Path(exists=True, dir_okay=False),
              help="Score the classifier on a labelled JSONL file instead of reading stdin.")
@click.option("--explain", "explain", metavar="TEXT",
              help="Classify one message and list every lexicon row that matched it.")
def classify(evaluate: str | None, explain: str | None) -> None:
    """Classify residents' messages: {"id", "text"} per line on stdin, one JSON line out."""
    if evaluate:
        evaluate_file(evaluate, click.echo)
        return
    import intents

    intents.warm_up()
    if explain is not None:
        _explain(explain)
        return
    if answer_lines(sys.stdin, sys.stdout, lambda text: intents.classify(text).to_json()):
        sys.exit(1)


def _explain(text: str) -> None:
    import intents
    from intents.classifier import explain

    click.echo(json.dumps(intents.classify(text).to_json(), ensure_ascii=False, indent=1))
    rows = explain(text)
    click.echo("")
    click.echo("rows that matched (before negation, idioms and context rules are applied):"
               if rows else "no lexicon row matched.")
    for label, words, source, pattern in rows:
        click.echo(f"  {label:<14} {words:<16} {source:<18} {pattern}")
    _explain_model(text)


def _explain_model(text: str) -> None:
    """The rules' answer alone, and the learned layer's probabilities, so the editor sees
    which of the two decided."""
    from intents.classifier import classify_rules, get_engine
    from intents.learned import COLUMNS, LABELS

    rules = classify_rules(text)
    click.echo("")
    click.echo(f"rules alone: categories {rules.categories}, 緊急 {rules.crisis}, "
               f"speaker {rules.speaker}")
    engine = get_engine()
    if not engine.model.loaded:
        click.echo("learned layer: no weights file")
        return
    probs = engine.model.scores(engine.analyse_by_kind(text)[0])
    likely = [f"{c} {p:.2f}" for c, p in zip(LABELS, probs) if p >= 0.3]
    click.echo("learned layer, probability ≥ 0.3: " + (", ".join(likely) or "none"))
    click.echo("learned layer, speaker: " + ", ".join(
        f"{c} {p:.2f}" for c, p in zip(COLUMNS[len(LABELS):], probs[len(LABELS):])))
