"""Loader for the golden cases under `golden/<stage>/*.toml` (Tabby-style golden files).

A case holds a `document` with `║` at the cursor, the model output `raw`, and the `expected`
insertion; a case without `expected` expects no insertion (None). Optional keys: `language`,
`description`, `mode` (checked against the trigger's decision), `chunk` (stream delta size).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from glm_lsp.inline.hole import Hole
from glm_lsp.inline.trigger import analyze

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

GOLDEN = Path(__file__).parent / "golden"
CURSOR = "║"


@dataclass(frozen=True)
class Case:
    stage: str
    name: str
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.stage}/{self.name}"

    @property
    def expected(self) -> str | None:
        value = self.data.get("expected")
        return None if value is None else str(value)

    def hole(self) -> Hole:
        document = str(self.data["document"])
        assert document.count(CURSOR) == 1, f"{self.id}: one {CURSOR} cursor marker needed"
        before, after = document.split(CURSOR)
        lines = (before + after).split("\n")
        line = before.count("\n")
        character = len(before) - (before.rfind("\n") + 1)
        return analyze(
            lines,
            line,
            character,
            language=str(self.data.get("language", "python")),
            path=str(self.data.get("path", "example.py")),
        )


def load(stage: str | None = None) -> list[Case]:
    """Every case of `stage` (a directory name), or of all stages."""
    cases: list[Case] = []
    for path in sorted(GOLDEN.glob("*/*.toml")):
        if stage is not None and path.parent.name != stage:
            continue
        with path.open("rb") as handle:
            cases.append(Case(path.parent.name, path.stem, tomllib.load(handle)))
    return cases
