"""The evaluation's command line: sample, run, print tables (or JSON) and the headline line."""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from . import corpus
from .holes import KINDS, Cut
from .judge import VERDICTS
from .run import Outcome, Tally, evaluate, mid_line_answered, sample_holes

SEED = 1414
GOAL_HARMFUL = 1.0
GOAL_RIGHT = 97.0
GROUPS = {"both": ["dev", "heldout"], "all": ["dev", "heldout", "fresh", "fresh2"]}
"""`all` is the four development families; `fresh3` to `fresh9` (each unseen until its one honest
run) run only when named."""
FAMILY_CHOICES = (
    "dev",
    "heldout",
    "fresh",
    "fresh2",
    "fresh3",
    "fresh4",
    "fresh5",
    "fresh6",
    "fresh7",
    "fresh8",
    "fresh9",
    "both",
    "all",
)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="inline_eval.py",
        description="Ghost-text post-processing on holes cut from real code, with composed "
        "model corruptions; strict judge (exact / partial / empty / harmful).",
    )
    parser.add_argument("--family", choices=FAMILY_CHOICES, default="heldout")
    parser.add_argument("--holes", type=int, default=160, help="holes per language (default 160)")
    parser.add_argument("--samples", type=int, default=2, help="corrupted answers per hole")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--lang", default="", help="comma-separated language ids (default all)")
    parser.add_argument("--verbose", action="store_true", help="print every harmful sample")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser.parse_args(argv)


def collect(
    languages: list[str], holes: int, seed: int
) -> tuple[list[Cut], dict[str, int], list[str]]:
    """Holes of every language found, how many per language, and the languages absent."""
    cuts: list[Cut] = []
    found: dict[str, int] = {}
    absent: list[str] = []
    for language in languages:
        got = sample_holes(language, holes, seed)
        if got:
            found[language] = len(got)
            cuts += got
        else:
            absent.append(language)
    return cuts, found, absent


def _pct(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:5.1f}" if whole else "    -"


def _table(tally: Tally, family: str, dimension: str, keys: list[str]) -> list[str]:
    """Verdict shares per row, then the unanswerable count and exact+partial over the rest."""
    head = " ".join(f"{v:>8}" for v in VERDICTS)
    out = [f"  {dimension:<14} {'n':>6} {head} (%) {'unans':>6} {'e+p/ans':>8}"]
    for key in keys:
        row = tally.row(family, dimension, key)
        total = sum(row.values())
        if total:
            cells = " ".join(f"{_pct(row[v], total):>8}" for v in VERDICTS)
            right = tally.right_when_answerable(family, dimension, key)
            ceiling = f"{right:8.1f}" if right is not None else f"{'-':>8}"
            unans = tally.unanswerable_count(family, dimension, key)
            out.append(f"  {key:<14} {total:>6} {cells}     {unans:>6} {ceiling}")
    return out


def _describe(outcome: Outcome) -> str:
    c = outcome.cut
    return (
        f"--- {outcome.family} {c.language} {c.kind} {c.label}:{c.line + 1}:{c.character}"
        f" mode={outcome.mode.value} [{', '.join(outcome.corruptions) or 'clean'}]\n"
        f"    expected {c.expected!r}\n    raw      {outcome.raw!r}\n"
        f"    shown    {outcome.shown!r} -> {outcome.verdict}"
    )


def _share(row: dict[str, int]) -> float:
    total = sum(row.values())
    return 100.0 * row["harmful"] / total if total else 0.0


def figures(tally: Tally, family: str, mid: tuple[int, int]) -> dict[str, Any]:
    return {
        "harmful_pct": round(tally.share(family, "harmful"), 2),
        "exact_partial_pct": round(tally.share(family, "exact", "partial"), 2),
        "mid_line_answered_pct": round(100.0 * mid[0] / mid[1], 2) if mid[1] else 0.0,
        "untruncated_harmful_pct": round(_share(tally.row(family, "total", "untruncated")), 2),
        "crashes": tally.crashes[family],
        "unanswerable": tally.unanswerable_count(family, "total", "all"),
        "exact_partial_answerable_pct": round(
            tally.right_when_answerable(family, "total", "all") or 0.0, 2
        ),
        "by": {
            dim: {key: tally.row(family, dim, key) for key in tally.keys(family, dim)}
            for dim in ("total", "language", "kind", "corruption")
        },
    }


def headline(family: str, result: dict[str, Any]) -> str:
    return (
        f"HEADLINE {family}: harmful {result['harmful_pct']:.2f} % (goal <= {GOAL_HARMFUL:g} %),"
        f" exact+partial {result['exact_partial_pct']:.2f} % (goal >= {GOAL_RIGHT:g} %),"
        f" mid-line holes answered {result['mid_line_answered_pct']:.1f} %"
        f" (without truncate: harmful {result['untruncated_harmful_pct']:.2f} %)"
    )


def ceiling(family: str, result: dict[str, Any]) -> str:
    """The line under the headline: how many samples no pipeline could answer (the stream holds
    no complete token of the true text), and exact+partial over the others."""
    total = sum(result["by"]["total"]["all"].values())
    unans = result["unanswerable"]
    return (
        f"ANSWERABLE {family}: {total - unans} of {total} samples"
        f" ({unans} unanswerable, {_pct(unans, total).strip()} %),"
        f" exact+partial over answerable {result['exact_partial_answerable_pct']:.2f} %"
    )


def main(argv: list[str] | None = None) -> float:
    """Run the evaluation; return exact+partial % of the last family run (held-out for
    `both`, fresh2 for `all`, fresh3 or fresh4 when named)."""
    args = parse(argv)
    languages = [x for x in args.lang.split(",") if x] or list(corpus.LANGUAGES)
    families = GROUPS.get(args.family, [args.family])
    started = time.perf_counter()
    cuts, found, absent = collect(languages, args.holes, args.seed)
    if not cuts:
        print(f"no holes: no source found for {', '.join(absent)}")
        return 0.0
    mid = mid_line_answered(cuts)
    tally = Tally()
    harmful: list[Outcome] = []
    for family in families:
        for outcome in evaluate(cuts, family, args.seed, args.samples):
            tally.add(outcome)
            if outcome.verdict == "harmful":
                harmful.append(outcome)
    results = {family: figures(tally, family, mid) for family in families}
    elapsed = time.perf_counter() - started
    if args.json:
        print(json.dumps({"languages": found, "absent": absent, "families": results}, indent=1))
    else:
        if args.verbose:
            print("\n".join(_describe(o) for o in harmful))
        print(f"holes: {len(cuts)} ({', '.join(f'{k} {v}' for k, v in found.items())});")
        print(f"absent (no source found): {', '.join(absent) or 'none'}; {elapsed:.1f} s")
        for family in families:
            print(f"\nfamily {family}: {args.samples} answer(s) per hole, seed {args.seed}")
            for dimension, keys in (
                ("total", ["all", "untruncated"]),
                ("language", list(found)),
                ("kind", list(KINDS)),
                ("corruption", tally.keys(family, "corruption")),
            ):
                print("\n".join(_table(tally, family, dimension, keys)))
            if tally.crashes[family]:
                print(f"  pipeline exceptions: {tally.crashes[family]}")
        for family in families:
            print(headline(family, results[family]))
        for family in families:
            print(ceiling(family, results[family]))
    return float(results[families[-1]]["exact_partial_pct"])
