"""The evaluation's command line: sample cases per corpus, run, print tables (or JSON)."""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from . import corpus
from .cases import CLASSES, Case, sample_cases
from .families import PARTS
from .judge import VERDICTS
from .run import Outcome, Tally, evaluate

SEED = 1515
GOAL_HARMFUL = 1.0
GROUPS = {"both": ["dev", "heldout"]}


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="next_edit_eval.py",
        description="Next-edit suggestions replayed from real git histories: the fake model "
        "answers the true next hunk wrapped in composed corruptions; strict judge "
        "(right / partial / empty / harmful).",
    )
    parser.add_argument(
        "--family",
        choices=("dev", "heldout", "heldout2", "heldout3", "heldout4", "both"),
        default="heldout",
    )
    parser.add_argument("--cases", type=int, default=400, help="cases per corpus (400)")
    parser.add_argument("--samples", type=int, default=2, help="corrupted answers per case (2)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--corpus", default="", help="comma-separated corpus names (default: every one found)"
    )
    parser.add_argument("--own", action="store_true", help="only this repository's history")
    parser.add_argument("--verbose", action="store_true", help="print every harmful sample")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser.parse_args(argv)


def collect(
    corpora: list[corpus.Corpus], per_corpus: int, seed: int, part: str
) -> tuple[list[Case], dict[str, int]]:
    """Cases of every corpus (its `part` of commits) and how many each gave."""
    cases: list[Case] = []
    found: dict[str, int] = {}
    for source in corpora:
        changes = corpus.sample(source, per_corpus, seed, part)
        got = sample_cases(changes, per_corpus, seed)
        found[source.name] = len(got)
        cases += got
    return cases, found


def _pct(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:5.1f}" if whole else "    -"


def _table(tally: Tally, family: str, dimension: str, keys: list[str]) -> list[str]:
    head = " ".join(f"{v:>8}" for v in VERDICTS)
    out = [f"  {dimension:<22} {'n':>6} {head} (%)"]
    for key in keys:
        row = tally.row(family, dimension, key)
        total = sum(row.values())
        if total:
            cells = " ".join(f"{_pct(row[v], total):>8}" for v in VERDICTS)
            out.append(f"  {key:<22} {total:>6} {cells}")
    return out


def describe(outcome: Outcome) -> str:
    """One harmful sample, for --verbose and the CI gate's message."""
    case = outcome.case
    return (
        f"--- {outcome.family} {case.label} {case.klass} cursor={case.cursor}"
        f" region={case.region.start_line}-{case.region.end_line}"
        f" [{', '.join(outcome.corruptions) or 'clean'}]\n"
        f"    raw      {outcome.raw!r}\n    proposed {list(outcome.proposed)!r}"
    )


def figures(tally: Tally, family: str) -> dict[str, Any]:
    return {
        "harmful_pct": round(tally.share(family, "harmful"), 2),
        "right_pct": round(tally.share(family, "right"), 2),
        "right_partial_on_edits_pct": round(tally.share(family, "right", "partial", key="edit"), 2),
        "empty_on_nothing_pct": round(tally.share(family, "empty", key="nothing"), 2),
        "crashes": tally.crashes[family],
        "harmful_blank_whitespace_only": tally.blank_ws[family],
        "by": {
            dim: {key: tally.row(family, dim, key) for key in tally.keys(family, dim)}
            for dim in ("total", "corpus", "class", "language", "corruption")
        },
    }


def headline(family: str, result: dict[str, Any]) -> str:
    return (
        f"HEADLINE {family}: harmful {result['harmful_pct']:.2f} % (goal <= {GOAL_HARMFUL:g} %),"
        f" right {result['right_pct']:.2f} %;"
        f" with a true next edit right+partial {result['right_partial_on_edits_pct']:.2f} %,"
        f" on 'nothing' cases empty {result['empty_on_nothing_pct']:.2f} %"
    )


def _print_family(
    tally: Tally, family: str, found: dict[str, int], samples: int, seed: int
) -> None:
    print(f"\nfamily {family}: {samples} answer(s) per case, seed {seed}")
    for dimension, keys in (
        ("total", ["all", "edit", "nothing"]),
        ("corpus", list(found)),
        ("class", list(CLASSES)),
        ("language", tally.keys(family, "language")),
        ("corruption", tally.keys(family, "corruption")),
    ):
        print("\n".join(_table(tally, family, dimension, keys)))
    if tally.blank_ws[family]:
        print(
            f"  harmful only by whitespace on blank lines: {tally.blank_ws[family]}"
            " (counted harmful)"
        )
    if tally.crashes[family]:
        print(f"  propose raised: {tally.crashes[family]} (counted as the engine shows: empty)")


def main(argv: list[str] | None = None) -> float:
    """Run the evaluation; return the harmful % of the last family run."""
    args = parse(argv)
    sources = corpus.corpora(include_mirrors=not args.own)
    if args.corpus:
        wanted = set(args.corpus.split(","))
        sources = [s for s in sources if s.name in wanted]
    families = GROUPS.get(args.family, [args.family])
    started = time.perf_counter()
    tally = Tally()
    harmful: list[Outcome] = []
    found_by: dict[str, dict[str, int]] = {}
    for family in families:
        cases, found = collect(sources, args.cases, args.seed, PARTS.get(family, family))
        found_by[family] = found
        for outcome in evaluate(cases, family, args.seed, args.samples):
            tally.add(outcome)
            if outcome.verdict == "harmful":
                harmful.append(outcome)
    results = {family: figures(tally, family) for family in families}
    elapsed = time.perf_counter() - started
    if args.json:
        print(json.dumps({"corpora": found_by, "families": results}, indent=1))
        return float(results[families[-1]]["harmful_pct"])
    if args.verbose:
        print("\n".join(describe(o) for o in harmful))
    names = ", ".join(f"{s.name} ({s.git_dir})" for s in sources)
    print(f"corpora: {names or 'none found'}; {elapsed:.1f} s")
    if not any(s.name != "glm-lsp" for s in sources) and not args.own:
        print(f"no mirror snapshots under {corpus.MIRRORS}: this repository's history only")
    for family in families:
        print(f"cases ({family} commits): {found_by[family]}")
        _print_family(tally, family, found_by[family], args.samples, args.seed)
    for family in families:
        print(headline(family, results[family]))
    return float(results[families[-1]]["harmful_pct"])
