"""`tsunagu classify`: JSON Lines in, one analysis per line out; or --evaluate FILE."""

from __future__ import annotations

import json
import sys

import click

from intents.evaluate import evaluate_file


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
    bad = False
    out = sys.stdout
    for lineno, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        msg_id = None
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise ValueError("each line must be a JSON object")
            msg_id = data.get("id")
            text = data.get("text")
            if not isinstance(text, str):
                raise ValueError('"text" must be a string')
            result = {"id": msg_id, **intents.classify(text).to_json()}
        except Exception as exc:  # one bad line must not stop the run
            bad = True
            result = {"id": msg_id, "error": f"line {lineno}: {exc}"}
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    if bad:
        sys.exit(1)
