"""docs/conversation-flow.md shows every state, button prefix and command the flows register."""

from __future__ import annotations

import re
from pathlib import Path

from bots import flows
from bots.engine import _load_flows

DOC = Path(__file__).resolve().parents[2] / "docs" / "conversation-flow.md"


def _listed(label: str) -> set[str]:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(rf"^- {label}: (.+?)(?=^- |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, f"{label} list missing from {DOC.name}"
    return {name.strip() for name in match.group(1).replace("\n", " ").split(",")}


def test_diagram_lists_exactly_the_registered_flow_names():
    _load_flows()
    assert _listed("states") == set(flows.STATES) | {"idle"}
    assert _listed("button prefixes") == set(flows.POSTBACKS)
    assert _listed("command buttons") == {k for k in flows.COMMANDS if k.startswith("cmd:")}


def test_every_listed_name_appears_in_the_diagram():
    text = DOC.read_text(encoding="utf-8")
    diagram = text.split("```mermaid", 1)[1].split("```", 1)[0]
    for name in _listed("states") | _listed("command buttons"):
        assert name in diagram, f"{name} is not drawn"
