"""Running each case's corrupted answer through `propose` as the engine calls it; tallies.

`propose(lines, region, answer, history, cursor_line, cursor_char)` gets the document after
hunk k, the region `region_around` gave, the raw answer and the history hunks as
`EditHistory` recorded them (oldest first). An exception counts as `empty` (the engine shows
nothing then) and is counted apart.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from glm_lsp.edits.nextedit.propose import Proposed, propose

from .cases import Case
from .corruptions import Context, compose, render
from .families import FAMILIES, GENERATORS
from .judge import VERDICTS, blank_whitespace_only, judge


@dataclass(frozen=True)
class Outcome:
    """One sample: a case, the corruptions on its answer, the raw answer, what was proposed."""

    case: Case
    family: str
    corruptions: tuple[str, ...]
    raw: str
    proposed: tuple[Proposed, ...]
    verdict: str
    crashed: bool = False
    blank_ws: bool = False
    """Harmful only by the whitespace of blank lines (`judge.blank_whitespace_only`)."""


def evaluate(cases: list[Case], family: str, seed: int, samples: int = 1) -> Iterator[Outcome]:
    """`samples` outcomes per case for one family."""
    generator = GENERATORS.get(family)
    for index, case in enumerate(cases):
        for n in range(samples):
            rng = random.Random(f"{family}:{seed}:{index}:{n}")
            if generator is not None:
                names, raw = generator(case, rng)
            else:
                names, draft = compose(Context(case, FAMILIES[family]), rng)
                raw = render(draft)
            crashed = False
            try:
                proposed = propose(
                    case.lines, case.region, raw, case.history, case.cursor[0], case.cursor[1]
                )
            except Exception:  # noqa: BLE001 - the engine shows nothing then; counted apart
                proposed, crashed = [], True
            verdict = judge(case.lines, case.expected, proposed)
            blank_ws = verdict == "harmful" and blank_whitespace_only(
                case.lines, case.expected, proposed
            )
            yield Outcome(
                case, family, tuple(names), raw, tuple(proposed), verdict, crashed, blank_ws
            )


@dataclass
class Tally:
    """Verdict counts per family, by corpus, case class, language and corruption."""

    counts: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)
    crashes: Counter[str] = field(default_factory=Counter)
    blank_ws: Counter[str] = field(default_factory=Counter)

    def add(self, outcome: Outcome) -> None:
        case = outcome.case
        keys = [
            ("total", "all"),
            ("total", "edit" if case.klass != "nothing" else "nothing"),
            ("corpus", case.change.corpus),
            ("class", case.klass),
            ("language", case.change.language),
        ]
        keys += [("corruption", name) for name in outcome.corruptions or ("clean",)]
        for dimension, key in keys:
            self.counts[(outcome.family, dimension, key, outcome.verdict)] += 1
        if outcome.crashed:
            self.crashes[outcome.family] += 1
        if outcome.blank_ws:
            self.blank_ws[outcome.family] += 1

    def row(self, family: str, dimension: str, key: str) -> dict[str, int]:
        return {v: self.counts[(family, dimension, key, v)] for v in VERDICTS}

    def keys(self, family: str, dimension: str) -> list[str]:
        return sorted({k for f, d, k, _ in self.counts if f == family and d == dimension})

    def share(self, family: str, *verdicts: str, key: str = "all") -> float:
        row = self.row(family, "total", key)
        total = sum(row.values())
        return 100.0 * sum(row[v] for v in verdicts) / total if total else 0.0
