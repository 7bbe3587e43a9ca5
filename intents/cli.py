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
