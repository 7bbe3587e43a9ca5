"""`tsunagu classify`: JSON Lines in, one analysis per line out; or --evaluate FILE."""

from __future__ import annotations

import sys

import click

from intents.evaluate import evaluate_file
from tsunagu.jsonlines import answer_lines


@click.command("classify")
@click.option("--evaluate", "evaluate", type=click.Path(exists=True, dir_okay=False),
              help="Score the classifier on a labelled JSONL file instead of reading stdin.")
def classify(evaluate: str | None) -> None:
    """Classify residents' messages: {"id", "text"} per line on stdin, one JSON line out."""
    if evaluate:
        evaluate_file(evaluate, click.echo)
        return
    import intents

    intents.warm_up()
    if answer_lines(sys.stdin, sys.stdout, lambda text: intents.classify(text).to_json()):
        sys.exit(1)
